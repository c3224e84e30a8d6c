"""Altair chart specs: the timeline (stacked by actor, with the min–max band), date spans, report delays.

Builders take the small frames of :mod:`incidents.analysis.aggregate` and return Altair charts; they never see the
incident frame itself, so a chart of a million incidents is as light as one of ten. Actor colours are the
map's (:data:`incidents.analysis.aggregate.ACTOR_COLOURS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import pandas as pd

from incidents.analysis.aggregate import actor_colour
from incidents.domain import messages, taxonomy

#: Name of the timeline's interval selection (what ``st.altair_chart(on_select=...)`` reports).
SELECTION = "when"
MEASURES = ("killed", "incidents")
_PERIOD_END = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}
#: The time axis spans at least this many periods, so that one month of incidents is one bar among twelve
#: months rather than a bar filling the chart.
MIN_PERIODS = {"day": 60, "week": 26, "month": 12}
#: A date range is drawn at least this share of the axis wide, so that a range of a few days is seen as a span.
MIN_SPAN_SHARE = 0.025

#: the charts' words, per language: the [charts] table of the catalogue (incidents/data/messages.toml)
_WORDS = {lang: messages.words("charts", lang) for lang in ("en", "ar")}


def actor_scale(codes: list[str] | None = None, lang: str = "en") -> alt.Scale:
    """Return the colour scale mapping actor labels to the shared actor colours."""
    chosen = codes if codes is not None else list(taxonomy.codes("actor"))
    return alt.Scale(domain=[taxonomy.label("actor", c, lang) for c in chosen],
                     range=[actor_colour(c) for c in chosen])


def _with_end(periods: pd.DataFrame, freq: str) -> pd.DataFrame:
    if freq not in _PERIOD_END:
        raise ValueError(f"frequency must be one of {', '.join(_PERIOD_END)}; got {freq!r}")
    data = periods.copy()
    data["start"] = pd.to_datetime(data["start"])
    data["end"] = data["start"] + _PERIOD_END[freq]
    return data


#: (shortest span in days, tick interval, days per interval, label format): about eight ticks on the axis, each
#: label naming what it marks ("2018", "Nov 2018", "17 Nov 2018") and never repeated.
_TICKS = ((4 * 365, "year", 365, "%Y"), (240, "month", 30.4, "%b %Y"), (45, "week", 7, "%d %b %Y"),
          (0, "day", 1, "%d %b %Y"))


#: Arabic labels are numeric (the charts' month names would be English): "2018-11", "2018-11-17".
_ARABIC_FORMATS = {"%b %Y": "%Y-%m", "%d %b %Y": "%Y-%m-%d"}


def time_axis(title: str, domain: list[str] | None = None, lang: str = "en") -> alt.Axis:
    """Return the time axis of ``domain``: about eight ticks at round dates (every year, every n months, weeks or
    days by the span), each label once, labels that do not overlap."""
    if not domain:
        return alt.Axis(title=title, labelOverlap="greedy", grid=False)
    interval, step, fmt = time_ticks(domain, lang)
    return alt.Axis(title=title, format=fmt, tickCount={"interval": interval, "step": step},
                    labelOverlap="greedy", labelSeparation=6, grid=False)


def time_ticks(domain: list[str], lang: str = "en") -> tuple[str, int, str]:
    """Return the ticks of a time axis over ``domain`` (``[first, last]``): their interval ("year", "month",
    "week", "day"), every how many intervals, and the label's strftime format in ``lang`` (about eight ticks)."""
    days = max(1, (pd.Timestamp(domain[1]) - pd.Timestamp(domain[0])).days)
    _least, interval, length, fmt = next(tick for tick in _TICKS if days >= tick[0])
    step = max(1, math.ceil(days / length / 8))
    if interval == "month" and step > 1:
        step = next(n for n in (2, 3, 4, 6, 12) if n >= step) if step <= 12 else step
    if lang == "ar":
        fmt = _ARABIC_FORMATS.get(fmt, fmt)
    return interval, step, fmt


def time_domain(starts: pd.Series, ends: pd.Series, freq: str) -> list[str] | None:
    """Return ``[first, last]`` (ISO dates) of the time axis: the data's span, widened evenly on both sides to
    at least :data:`MIN_PERIODS` periods. None when there are no dates."""
    starts, ends = pd.to_datetime(starts).dropna(), pd.to_datetime(ends).dropna()
    if starts.empty:
        return None
    first, last = starts.min(), max(ends.max() if len(ends) else starts.max(), starts.max())
    wanted = first + MIN_PERIODS[freq] * _PERIOD_END[freq]
    missing = wanted - first - (last - first)
    if missing > pd.Timedelta(0):
        first, last = first - missing / 2, last + missing / 2
    return [first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")]


def build_timeline(periods: pd.DataFrame, bands: pd.DataFrame, *, freq: str = "month", figure: str = "min",
                   measure: str = "killed", lang: str = "en", selectable: bool = True,
                   height: int = 280) -> alt.LayerChart | alt.Chart:
    """Return the timeline: bars per period stacked by actor, with the min–max band of all actors.

    Parameters
    ----------
    periods, bands
        :func:`incidents.analysis.aggregate.summarise_periods` and :func:`~incidents.analysis.aggregate.summarise_bands`.
    freq
        "day", "week" or "month": bar width.
    figure
        Which killed figure the bars use ("min", "max", "best"); the band always spans minimum–maximum.
    measure
        "killed" or "incidents".
    selectable
        Add the interval selection :data:`SELECTION` on the time axis (drag to select a range).
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}; got {measure!r}")
    words = _WORDS.get(lang, _WORDS["en"])
    data = _with_end(periods, freq)
    # labels in the chart's language, whatever language the periods were summarised in (the colour scale's
    # domain is in ``lang``: a label outside it would draw no bar)
    data["actor_label"] = [taxonomy.label("actor", str(c), lang) for c in data["actor"]]
    value, title = ("killed", words["figure"].format(fig=words[figure])) if measure == "killed" else \
        ("n", words["incidents"])
    present = [c for c in taxonomy.codes("actor") if c in set(data["actor"])] if len(data) else []
    domain = time_domain(data["start"], data["end"], freq)
    scale = alt.Scale(domain=domain) if domain else alt.Undefined
    bars = alt.Chart(data).mark_bar(opacity=0.9, binSpacing=0).encode(
        x=alt.X("start:T", title=words["period"], axis=time_axis(words["period"], domain, lang), scale=scale), x2="end:T",
        y=alt.Y(f"sum({value}):Q", title=title, stack="zero"),
        color=alt.Color("actor_label:N", title=words["actor"], scale=actor_scale(present, lang),
                        legend=alt.Legend(orient="right", labelLimit=220)),
        order=alt.Order("actor:N"),
        tooltip=[alt.Tooltip("start:T", title=words["period"]), alt.Tooltip("actor_label:N", title=words["actor"]),
                 alt.Tooltip("n:Q", title=words["incidents"], format=","),
                 alt.Tooltip("killed_min:Q", title=f'{words["killed"]} ({words["min"]})', format=","),
                 alt.Tooltip("killed_max:Q", title=f'{words["killed"]} ({words["max"]})', format=",")],
    )
    if selectable:
        bars = bars.add_params(alt.selection_interval(name=SELECTION, encodings=["x"]))
    if measure != "killed" or bands.empty:
        return bars.properties(height=height)
    # The band covers exactly its period (a rectangle from minimum to maximum, its top dashed): no line is
    # drawn across months without incidents, which would suggest figures nobody gave.
    band_data = _with_end(bands, freq)
    tooltip = [alt.Tooltip("start:T", title=words["period"]),
               alt.Tooltip("killed_min:Q", title=words["band"] + " ↓", format=","),
               alt.Tooltip("killed_max:Q", title=words["band"] + " ↑", format=",")]
    band = alt.Chart(band_data).mark_rect(opacity=0.16, color="#333333").encode(
        x="start:T", x2="end:T", y="killed_min:Q", y2="killed_max:Q", tooltip=tooltip)
    edge = alt.Chart(band_data).mark_rule(color="#333333", strokeDash=[3, 2], strokeWidth=1).encode(
        x="start:T", x2="end:T", y="killed_max:Q", tooltip=tooltip)
    return alt.LayerChart(layer=[band, bars, edge]).properties(height=height)


def build_spans(spans: pd.DataFrame, *, lang: str = "en", height: int | None = None) -> alt.Chart:
    """Return incidents known only to a date range, each a bar from its first to its last possible day.

    A short range is drawn at least :data:`MIN_SPAN_SHARE` of the axis wide (its tooltip gives the true dates),
    so that a range of days in a chart of years is a visible bar rather than a dot.
    """
    words = _WORDS.get(lang, _WORDS["en"])
    data = spans.copy()
    data["actor_label"] = [taxonomy.label("actor", c, lang) for c in data["actor"]]
    data["date_start"] = pd.to_datetime(data["date_start"])
    data["date_end"] = pd.to_datetime(data["date_end"])
    present = [c for c in taxonomy.codes("actor") if c in set(data["actor"])]
    rows = max(1, data["uid"].nunique()) if len(data) else 1
    domain = time_domain(data["date_start"], data["date_end"], "month") if len(data) else None
    if domain:
        least = (pd.Timestamp(domain[1]) - pd.Timestamp(domain[0])) * MIN_SPAN_SHARE
        data["drawn_end"] = data[["date_end"]].max(axis=1).where(data["date_end"] - data["date_start"] >= least,
                                                                  data["date_start"] + least)
    else:
        data["drawn_end"] = data["date_end"]
    scale = alt.Scale(domain=domain) if domain else alt.Undefined
    return alt.Chart(data).mark_bar(height=10, cornerRadius=2, opacity=0.85).encode(
        x=alt.X("date_start:T", title=words["from"], axis=time_axis("", domain, lang), scale=scale),
        x2="drawn_end:T",
        y=alt.Y("uid:N", title=None, axis=None, sort=alt.EncodingSortField("date_start")),
        color=alt.Color("actor_label:N", title=words["actor"], scale=actor_scale(present, lang)),
        tooltip=[alt.Tooltip("label:N", title=words["place"]), alt.Tooltip("actor_label:N", title=words["actor"]),
                 alt.Tooltip("date_start:T", title=words["from"], format="%Y-%m-%d"),
                 alt.Tooltip("date_end:T", title=words["to"], format="%Y-%m-%d"),
                 alt.Tooltip("killed_min:Q", title=f'{words["killed"]} ({words["min"]})'),
                 alt.Tooltip("killed_max:Q", title=f'{words["killed"]} ({words["max"]})')],
    ).properties(height=height or max(70, min(400, 16 * rows + 30)))


def build_delays(delays: pd.DataFrame, *, lang: str = "en", height: int = 180) -> alt.Chart:
    """Return a small bar chart of how long after the incident it was first reported."""
    words = _WORDS.get(lang, _WORDS["en"])
    delays = delays.assign(delay=[words.get(str(name), str(name)) for name in delays["delay"]])
    return alt.Chart(delays).mark_bar(color="#4c6a92").encode(
        x=alt.X("delay:N", title=words["delay"], sort=alt.EncodingSortField("order"),
                axis=alt.Axis(labelAngle=-30, labelOverlap=False)),
        y=alt.Y("n:Q", title=words["count"], axis=alt.Axis(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("delay:N", title=words["delay"]), alt.Tooltip("n:Q", title=words["count"], format=",")],
    ).properties(height=height)


def selected_range(state: object) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the (start, end) a user dragged on the timeline, from ``st.altair_chart``'s selection state.

    The state maps the selection name to ``{field: [start, end]}``; Vega reports times as epoch
    milliseconds (or ISO strings). Anything else gives None.
    """
    selection = _get(state, "selection")
    chosen = _get(selection, SELECTION)
    if not isinstance(chosen, Mapping) or not chosen:
        return None
    values = chosen.get("start") or next(iter(chosen.values()), None)
    if not isinstance(values, list | tuple) or len(values) != 2:
        return None
    try:
        start, end = (pd.Timestamp(v, unit="ms") if isinstance(v, int | float) else pd.Timestamp(v)
                      for v in values)
    except (ValueError, TypeError):
        return None
    return (start, end) if start <= end else (end, start)


def _get(value: object, key: str) -> object:
    if isinstance(value, Mapping):
        return value.get(key)
    return getattr(value, key, None)


# -- counting rules (issue #11): context that is never summed, and the undated incidents -----------------------

_CONTEXT_WORDS = {lang: messages.words("charts_context", lang) for lang in ("en", "ar")}


def with_cumulative_band(chart: alt.LayerChart | alt.Chart, cumulative: pd.DataFrame, *,
                         lang: str = "en") -> alt.LayerChart | alt.Chart:
    """Return ``chart`` with each cumulative toll's period drawn behind it as a pale band (context: its toll is
    in the tooltip, never added to the bars). ``cumulative``: :func:`incidents.analysis.aggregate.cumulative_records`."""
    dated = cumulative.dropna(subset=["date_start"]) if len(cumulative) else cumulative
    if dated.empty:
        return chart
    words = _CONTEXT_WORDS.get(lang, _CONTEXT_WORDS["en"])
    data = pd.DataFrame({
        "start": pd.to_datetime(dated["date_start"]),
        "end": pd.to_datetime(dated["date_end"].fillna(dated["date_start"])) + pd.DateOffset(days=1),
        "killed": ["?" if pd.isna(lo) else words["more"].format(n=f"{int(lo):,}") if pd.isna(hi) else f"{int(lo):,}"
                   for lo, hi in zip(dated["killed_min"], dated["killed_max"], strict=True)]})
    band = alt.Chart(data).mark_rect(opacity=0.12, color="#E69F00").encode(
        x="start:T", x2="end:T",
        tooltip=[alt.Tooltip("killed:N", title=f'{words["context"]}: {words["killed"]}'),
                 alt.Tooltip("start:T", title=words["from"]), alt.Tooltip("end:T", title=words["to"])])
    height = chart.height if isinstance(chart.height, int) else 280
    return alt.LayerChart(layer=[band, chart]).properties(height=height)


def build_undated_bin(incidents: int, killed: int, *, measure: str = "killed", lang: str = "en",
                      height: int = 280) -> alt.Chart:
    """Return the timeline's "undated" bin: one bar for the incidents without a date (counted, not placed in
    time), on the timeline's measure."""
    words = _CONTEXT_WORDS.get(lang, _CONTEXT_WORDS["en"])
    value = killed if measure == "killed" else incidents
    data = pd.DataFrame({"bin": [words["undated"]], "value": [value], "n": [incidents], "killed": [killed]})
    return alt.Chart(data).mark_bar(color="#999999").encode(
        x=alt.X("bin:N", title=None), y=alt.Y("value:Q", title=None),
        tooltip=[alt.Tooltip("n:Q", title=_WORDS.get(lang, _WORDS["en"])["incidents"], format=","),
                 alt.Tooltip("killed:Q", title=words["killed"], format=",")],
    ).properties(height=height, title=words["undated"])
