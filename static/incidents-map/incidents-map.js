/*
 * Incidents map layers (Deir ez-Zor casualty map), built in the browser from compact data.
 *
 * The server sends one small columnar object per layer instead of per-feature HTML, so a thousand places
 * stay within the map's byte budget. Every string that comes from the data (place names, source names,
 * links) is put on the page with textContent or as an attribute value; nothing from the data is ever
 * parsed as HTML. Links are kept only when they are absolute http(s) URLs.
 *
 * Licence: GPL-3.0-or-later (part of this project).
 */
(function (root) {
  'use strict';

  var AREAS = {};

  /* Boundary layers of the base map call this for each feature: areas are then drawn from these shapes. */
  function registerArea(feature) {
    var p = feature && feature.properties;
    if (p && p.id) {
      AREAS[p.id] = {geometry: feature.geometry, ar: p.name_ar || '', en: p.name_en || '',
                     approximate: !!p.approximate};
    }
  }

  function el(tag, value, cls) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (value !== undefined && value !== null) { node.textContent = String(value); }
    return node;
  }

  function add(parent, value) { parent.appendChild(document.createTextNode(String(value))); }

  function ltr(value) { var node = el('bdi', value); node.dir = 'ltr'; return node; }

  function fmt(n) { return Number(n).toLocaleString('en-US'); }

  function figures(lo, hi, best, open, T) {
    var out = lo === hi ? fmt(lo) : fmt(lo) + '\u2013' + fmt(hi);
    if (open) { out += '+'; }
    if (best !== null && best !== undefined && best !== lo && best !== hi) { out += ' (' + T.w.best + ' ' + fmt(best) + ')'; }
    return out;
  }

  function safeUrl(url) {
    return (typeof url === 'string' && /^https?:\/\/[^\s"'<>]+$/i.test(url)) ? url : null;
  }

  function names(parent, ar, en, T) {
    if (ar) { var a = el('span', ar); a.dir = 'rtl'; a.lang = 'ar'; parent.appendChild(a); }
    if (ar && en) { add(parent, ' \u00b7 '); }
    if (en) { var e = el('span', en); e.dir = 'ltr'; e.lang = 'en'; parent.appendChild(e); }
    if (!ar && !en) { parent.appendChild(el('i', T.w.unnamed)); }
  }

  function counts(parent, n, lo, hi, best, open, T) {
    add(parent, T.w.incidents.replace('{n}', fmt(n)) + ' \u00b7 ' + T.w.killed + ' ');
    parent.appendChild(ltr(figures(lo, hi, best, open, T)));
  }

  function tooltip(D, i, T) {
    var box = el('div'); box.dir = 'auto';
    var title = el('b'); names(title, D.a[i], D.e[i], T); box.appendChild(title);
    if (D.x[i]) {
      box.appendChild(el('br'));
      box.appendChild(el('i', T.w.area.replace('{p}', T.precisions[D.p[i]] || '')));
    }
    box.appendChild(el('br'));
    counts(box, D.n[i], D.lo[i], D.hi[i], D.b[i], D.o[i], T);
    box.appendChild(el('br'));
    add(box, T.w.main_actor + ': ' + (T.actors[D.m[i]] || ''));
    return box;
  }

  function source(S, index) {
    var item = S[index] || ['', null];
    var label = el('span', item[0] || 'source'); label.dir = 'auto';
    var url = safeUrl(item[1]);
    if (!url) { return label; }
    var link = el('a'); link.href = url; link.target = '_blank'; link.rel = 'noopener noreferrer nofollow';
    link.appendChild(label);
    return link;
  }

  /* One incident: [start, end, actor, type, killed min, killed max, open max, grading, [source indices]]. */
  function line(D, row, T) {
    var item = el('li'); item.dir = 'auto';
    var day = row[1] && row[1] !== row[0] ? row[0] + ' \u2013 ' + row[1] : row[0];
    item.appendChild(ltr(day));
    add(item, ' \u00b7 ' + (T.actors[row[2]] || '') + ' \u00b7 ' + (T.types[row[3]] || '') + ' \u00b7 ' + T.w.killed + ' ');
    item.appendChild(ltr(figures(row[4], row[5], null, row[6], T)));
    add(item, ' \u00b7 ' + (T.gradings[row[7]] || ''));
    var shown = (row[8] || []).slice(0, 4);
    if (shown.length) {
      item.appendChild(el('br'));
      var links = el('span', null, 'im-muted');
      shown.forEach(function (index, k) { if (k) { add(links, ', '); } links.appendChild(source(D.S, index)); });
      if (row[8].length > 4) { add(links, ' +' + (row[8].length - 4)); }
      item.appendChild(links);
    }
    return item;
  }

  function popup(D, i, T, box) {
    box.appendChild(tooltip(D, i, T));
    var rows = D.L[i] || [];
    if (rows.length) {
      var list = el('ul');
      rows.forEach(function (row) { list.appendChild(line(D, row, T)); });
      box.appendChild(list);
    }
    var more = D.n[i] - rows.length;
    if (more > 0) { box.appendChild(el('div', T.w.more.replace('{n}', fmt(more)), 'im-muted')); }
    if (T.profile) {
      /* A new tab: the map's frame may not navigate the page (Streamlit's sandbox has no allow-top-navigation). */
      var link = el('a', T.w.profile); link.href = T.profile + encodeURIComponent(D.k[i]); link.target = '_blank';
      link.rel = 'noopener';
      var holder = el('div'); holder.appendChild(link); box.appendChild(holder);
    }
    var id = el('div', T.w.place_id + ': ', 'im-muted');
    var key = el('span', D.k[i]); key.dir = 'ltr'; id.appendChild(key);
    box.appendChild(id);
  }

  function style(D, i, asArea, T) {
    var colour = T.colours[D.m[i]] || '#666666';
    if (asArea && D.p[i] === T.governorate) {
      /* The whole governorate: a neutral dashed outline; tinting it would colour every place in it. */
      return {color: '#555555', weight: 2.5, dashArray: '6 4', fill: false};
    }
    if (asArea) {
      return {color: colour, weight: 2, dashArray: '6 4', fill: true, fillColor: colour, fillOpacity: 0.12};
    }
    if (D.x[i]) {  /* an area whose outline is unknown: hollow and dashed, never a solid point */
      return {radius: D.r[i], color: colour, weight: 2, dashArray: '4 3', fill: true, fillColor: colour,
              fillOpacity: 0.08};
    }
    return {radius: D.r[i], color: '#222222', weight: 0.8, fill: true, fillColor: colour, fillOpacity: 0.62};
  }

  /* Circles are drawn smaller at the opening view (the governorate framed), where places 20 km apart are 40
   * pixels apart, and reach their full size from zoom 10 (kept in step with mapping.zoom_scale). */
  function zoomScale(zoom) { return Math.max(0.5, Math.min(1, 0.5 + 0.25 * (zoom - 8))); }

  function fitCircles(layer, D) {
    var map = layer._map;
    if (!map) { return; }
    var factor = zoomScale(map.getZoom());
    layer.eachLayer(function (item) {
      if (item.setRadius && item.feature) { item.setRadius(Math.max(3, D.r[item.feature.properties.i] * factor)); }
    });
  }

  /* The places layer: one feature per place, areas drawn as their admin unit, all in one GeoJSON layer. */
  function places(parent, D, T) {
    var features = [];
    for (var i = 0; i < D.k.length; i++) {
      var area = D.x[i] ? AREAS[D.k[i]] : null;
      if (!area && (D.lat[i] === null || D.lon[i] === null)) { continue; }
      var geometry = area ? area.geometry : {type: 'Point', coordinates: [D.lon[i], D.lat[i]]};
      features.push({type: 'Feature', geometry: geometry, properties: {key: D.k[i], i: i, area: !!area}});
    }
    /* Areas at the bottom, then circles from largest to smallest, so that small places stay visible on top. */
    features.sort(function (a, b) {
      return ((a.properties.area ? 0 : 1) - (b.properties.area ? 0 : 1)) ||
             (D.r[b.properties.i] - D.r[a.properties.i]);
    });
    var layer = L.geoJSON({type: 'FeatureCollection', features: features}, {
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng); },
      style: function (feature) { return style(D, feature.properties.i, feature.properties.area, T); },
      onEachFeature: function (feature, item) {
        var i = feature.properties.i;
        item.bindTooltip(function () { return tooltip(D, i, T); }, {sticky: false, direction: 'top'});
        var box = el('div', null, 'im-pop'); box.dir = 'auto';
        item.bindPopup(box, {maxWidth: 360});
        /* Filled when first needed: on the click itself too, so that the dashboard reading the clicked popup's
         * text (its place id) never finds it empty, whichever handler runs first. */
        function fill() { if (!box.firstChild) { popup(D, i, T, box); } }
        item.on('click', fill);
        item.on('popupopen', fill);
      }
    });
    var bound = null;
    function resize() { fitCircles(layer, D); }
    layer.on('add', function () { bound = layer._map; bound.on('zoomend', resize); resize(); });
    layer.on('remove', function () { if (bound) { bound.off('zoomend', resize); } bound = null; });
    layer.addTo(parent);
    resize();
    return layer;
  }

  /* Sub-districts filled by killed (classes computed on the server), with names and totals on hover. */
  function choropleth(parent, C, T) {
    var features = [];
    for (var i = 0; i < C.ids.length; i++) {
      var area = AREAS[C.ids[i]];
      if (area) { features.push({type: 'Feature', geometry: area.geometry, properties: {i: i}}); }
    }
    var layer = L.geoJSON({type: 'FeatureCollection', features: features}, {
      style: function (feature) {
        return {color: '#555555', weight: 0.7, fillColor: C.fill[feature.properties.i], fillOpacity: 0.7};
      },
      onEachFeature: function (feature, item) {
        var i = feature.properties.i, area = AREAS[C.ids[i]];
        item.bindTooltip(function () {
          var box = el('div'); box.dir = 'auto';
          var title = el('b'); names(title, area.ar, area.en, T); box.appendChild(title);
          if (area.approximate) { add(box, ' '); box.appendChild(el('i', '(' + T.w.approximate + ')')); }
          box.appendChild(el('br'));
          counts(box, C.n[i], C.lo[i], C.hi[i], null, 0, T);
          return box;
        }, {sticky: true});
      }
    });
    layer.addTo(parent);
    return layer;
  }

  /* Quiet name labels at a point inside each area or at each town and village: orientation without tiles.
   * A row is [lat, lon, name, other name, kind, min zoom, max zoom]; each is shown only between its zooms. */
  function labels(parent, rows) {
    var group = L.layerGroup(), shown = [];
    rows.forEach(function (row) {
      var kind = row[4] || 'district';
      var box = el('div', null, 'im-area-label ' + kind);
      if (kind === 'town' || kind === 'village') { box.appendChild(el('span', null, 'im-dot')); }
      [row[2], row[3]].forEach(function (name, k) {
        if (!name) { return; }
        if (k && box.lastChild && box.lastChild.className !== 'im-dot') { box.appendChild(el('br')); }
        var span = el('span', name); span.dir = 'auto'; box.appendChild(span);
      });
      var marker = L.marker([row[0], row[1]], {icon: L.divIcon({html: box, className: '', iconSize: [0, 0]}),
                                               interactive: false, keyboard: false});
      shown.push({marker: marker, min: row[5] === undefined ? 0 : row[5], max: row[6] === undefined ? 99 : row[6]});
    });
    function update() {
      var zoom = parent.getZoom();
      shown.forEach(function (item) {
        var wanted = zoom >= item.min && zoom <= item.max;
        if (wanted && !group.hasLayer(item.marker)) { group.addLayer(item.marker); }
        if (!wanted && group.hasLayer(item.marker)) { group.removeLayer(item.marker); }
      });
    }
    group.addTo(parent);
    parent.on('zoomend', update);
    update();
    return group;
  }

  root.IncidentsMap = {registerArea: registerArea, places: places, choropleth: choropleth, labels: labels,
                       safeUrl: safeUrl};
}(window));
