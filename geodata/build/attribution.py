"""ATTRIBUTION.md and the licence notes shipped with the bundled data."""

from __future__ import annotations

from collections import Counter

ATTRIBUTION_TEXT = """\
> Place names and coordinates: Who's On First (https://whosonfirst.org/docs/licenses/), which includes
> data from GeoNames (https://www.geonames.org, CC BY 4.0); GeoNames cities500 (CC BY 4.0).
> Administrative boundaries: UN OCHA / UN Cartographic Section, Common Operational Dataset
> "Syrian Arab Republic - Subnational Administrative Boundaries" (HDX, CC BY 3.0 IGO).
> Administrative names and P-codes: OpenSyria Data Geography (CC BY 4.0), built on geoBoundaries/OCHA,
> GeoNames, Wikidata and U.S. Census Bureau tables.
> Location directory: Syrian Archive / Mnemonic (GPL-3.0), based on the OCHA Syria communities list
> (CC BY 3.0 IGO).
> Named sites: OurAirports (Public Domain); Wikipedia contributors (CC BY-SA 4.0); Open-Syria
> data-transport (HIU/HDX, Public Domain; GeoNames, CC BY 4.0).
> The boundaries and names shown and the designations used do not imply official endorsement
> or acceptance by the United Nations.
"""

SOURCE_TABLE = """\
| Source | Used for | Licence | Note file |
|---|---|---|---|
| Who's On First, `whosonfirst-data-admin-sy` @ 2db0f03 and `-iq` @ 4c7a00f (2024-03-05) | localities (Syria; Iraq: Al-Anbar, Ninawa), names, Iraqi regions and counties, Syrian district polygons | WOF work CC0; records include GeoNames (CC BY 4.0), Yahoo GeoPlanet (CC BY 3.0 US), Quattroshapes (CC BY), Wikidata (CC0); Mesoshapes polygons (AOTM, ESOC upstream: licence not stated, treat as CC BY at most) | `LICENSES/WOF.md` |
| GeoNames cities500 (snapshot ~2023-03) and admin code tables | populated places with population ≥ 500, alternate names | CC BY 4.0 | `LICENSES/CC-BY-4.0.md` |
| OCHA COD-AB Syria admin0/admin1, v02, valid on 2020-12-17 (HDX `cod-ab-syr`) | governorate polygons and names | CC BY 3.0 IGO | `LICENSES/CC-BY-3.0-IGO.md` |
| OpenSyria Data Geography @ bebd183 (v0.1.3) | governorates, districts, sub-districts: OCHA P-codes, Arabic/English names, aliases, centroids, populations | CC BY 4.0 (upstream: geoBoundaries/OCHA CC BY 3.0 IGO, GeoNames CC BY 4.0, Wikidata CC0, U.S. Census Bureau via HDX CC BY) | `LICENSES/CC-BY-4.0.md` |
| Syrian Archive API `mnemonicorg/syrianarchive-api` @ 0c9c9fe (2019-02-04), `data/locations.json` | OCHA community codes (`ocha:C…`), Arabic/English names, admin paths, Syrian Archive locations (`sa:…`) | GPL-3.0 (repository); underlying OCHA communities list CC BY 3.0 IGO | `LICENSES/GPL-3.0.md`, `LICENSES/GPL-3.0.txt` |
| `extra_places_deir_ez_zor.csv` (staged with `SOURCES-extra-places.md`): OurAirports (snapshot 2022-10-11), English and Arabic Wikipedia infoboxes (Deir ez-Zor suspension bridge, Al-Omar field, Conoco gas plant), Open-Syria `data-transport` @ fcfee32 (HIU/HDX border crossing, GeoNames railway station) | named sites of Deir ez-Zor (`extra:…` ids, kind `site`): airports, a bridge, oil and gas fields, the Abu Kamal border crossing, a railway station; each row's origin and licence in its `note` | OurAirports Public Domain; Wikipedia CC BY-SA 4.0 ("Wikipedia contributors"); HIU/HDX Public Domain; GeoNames CC BY 4.0. The OpenStreetMap rows of that file (ODbL 1.0) are left out: ODbL's share-alike cannot be honoured inside this GPL bundle | this file |
| `town_neighbourhoods.csv` (this project, hand-curated, read at load time) | names of neighbourhoods of Deir ez-Zor city that a cited source names without coordinates (`SOURCES-extra-places.md`: archived esyria.sy, deir-ezzor.com, fotoartbook.net pages), with transliterations; a string naming one is answered with the city at neighbourhood precision | names only, credited to the cited pages; no coordinates | this file |
| `added_places.csv` (this project) | places the sources lack and corrected points, each row citing its public origin | GPL-3.0-or-later, facts credited to the cited origin | this file |
"""

DERIVED_TEXT = """\
## Derived data (computed by `python -m geodata build`, not taken from a source)

* **Merging.** Records of one place from several sources were joined by distance and normalised
  name; `source_ids` lists every id merged into an entry and `coord_source` the id whose point was
  kept. OCHA community codes and GeoNames ids are never merged with a different code of their kind.
* **admin1** (Syria): the OCHA governorate polygon containing the point (nearest within ~3 km for
  points just outside). **admin2**: the Syrian Archive admin path where present, else the WOF county
  polygon and the OCHA P-code crosswalk given in SOURCES.md. **admin3**: the Syrian Archive admin
  path where present (`admin3_method = sa_path`), else the sub-district of the nearest "seed" in the
  district — a place whose sub-district that path gives, or an OpenSyria sub-district centroid
  (`admin3_method = nearest_seed`). Iraq: WOF region and county containing the point (WOF ids).
* **Sub-district areas are approximate.** No sub-district polygons were available. The bundled
  sub-district areas are Voronoi cells of the same seeds, clipped to the district polygon and
  dissolved by sub-district. They are marked `approximate: true` and must not be presented as
  official boundaries. The WOF county "Banyas" holds two OCHA districts (Baniyas, Qadmous) and was
  split the same way (also marked approximate).
* **Simplification.** Display boundaries were simplified as a coverage (shared edges kept) and
  rounded to 1e-4°; `*_detail.geojson` keeps more detail for point-in-polygon look-ups.

## Not on the offline map: rivers and roads

No openly licensed dataset of rivers (the Euphrates, the Khabur) or roads can be installed from the package
registries this project uses: Debian's `r-cran-rnaturalearthdata` holds Natural Earth countries and coastlines
only, and npm's `world-atlas` countries and land only. The offline base map therefore draws none of them;
OpenStreetMap tiles (`INCIDENTS_TILES=osm`) show them where the installation is online.
"""

LICENSE_NOTES: dict[str, str] = {
    "WOF.md": """\
# Who's On First

Source: https://github.com/whosonfirst-data/whosonfirst-data-admin-sy (commit 2db0f03b, 2024-03-05) and
https://github.com/whosonfirst-data/whosonfirst-data-admin-iq (commit 4c7a00f6, 2024-03-05).

Licence (from the repositories' LICENSE.md): Who's On First's own work is CC0 ("Crediting Who's On First
is recommended and linking back to this License is required"): https://whosonfirst.org/docs/licenses/ .
Records include data from sources that require attribution: GeoNames (CC BY 4.0), Yahoo GeoPlanet
(CC BY 3.0 US), Quattroshapes (CC BY), Wikidata (CC0). Polygons are Mesoshapes (`meso`); their upstream
sources here are AOTM (Syrian districts) and ESOC (Iraqi districts), whose terms are not stated in the
repository: treat as "CC BY at most, source to be confirmed".

Attribution: "Data from Who's On First" with a link to https://whosonfirst.org/docs/licenses/, plus GeoNames.
The CC0 text is in `CC0-1.0.txt`.
""",
    "CC-BY-4.0.md": """\
# Creative Commons Attribution 4.0 International (CC BY 4.0)

Applies to: GeoNames (https://www.geonames.org) data — cities500 rows and the GeoNames content inside
Who's On First records — and OpenSyria Data Geography (https://github.com/Open-Syria/data-geography,
"Attribution to OpenSyria and source datasets must be preserved").

Licence text: https://creativecommons.org/licenses/by/4.0/legalcode
You may share and adapt the data for any purpose provided you give appropriate credit, link to the
licence and indicate if changes were made. Changes made here: rows merged with other sources, names
normalised for search, admin codes derived (see ATTRIBUTION.md).
""",
    "CC-BY-3.0-IGO.md": """\
# Creative Commons Attribution 3.0 IGO (CC BY 3.0 IGO)

Applies to: UN OCHA Common Operational Dataset "Syrian Arab Republic - Subnational Administrative
Boundaries" (https://data.humdata.org/dataset/cod-ab-syr), sources UN OCHA and the United Nations
Cartographic Section; and the OCHA Syria communities list on which the Syrian Archive directory is based.

Licence text: https://creativecommons.org/licenses/by/3.0/igo/legalcode
Required disclaimer: The boundaries and names shown and the designations used do not imply official
endorsement or acceptance by the United Nations.
Changes made here: polygons simplified for display; sub-district areas derived (approximate).
""",
    "GPL-3.0.md": """\
# GNU General Public License v3.0 (Syrian Archive location directory)

The Syrian Archive (Mnemonic) API repository https://github.com/mnemonicorg/syrianarchive-api
(commit 0c9c9fee, file data/locations.json) is published under GPL-3.0. Its community codes, names and
admin paths are redistributed here, so the bundled places table is distributed under GPL-3.0-or-later,
the project's licence. Credit: "Location directory: Syrian Archive / Mnemonic (GPL-3.0), based on the
OCHA Syria communities list (CC BY 3.0 IGO)". Full licence text: `GPL-3.0.txt`.
""",
}


def _counts_table(rows: list[dict], boundaries: dict[str, int]) -> str:
    sources: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for row in rows:
        sources.update(row["sources"])
        kinds[row["kind"]] += 1
    lines = ["| Places by source (a place can have several) | count |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in sorted(sources.items())]
    lines += ["", "| Places by kind | count |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in sorted(kinds.items())]
    lines += ["", "| Boundary features by level | count |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in boundaries.items()]
    return "\n".join(lines) + "\n"


def _added_section(added: list[dict]) -> str:
    if not added:
        return "No curated additions.\n"
    lines = ["| id | name | point | origin |", "|---|---|---|---|"]
    for row in added:
        lines.append(f"| {row['id']} | {row['name_ar']} / {row['name_en']} | {row['lat']}, {row['lon']} | {row['origin']} |")
    return "\n".join(lines) + "\n"


def _left_out_section(left_out: list[dict]) -> str:
    if not left_out:
        return ""
    licences = sorted({row["licence"] for row in left_out})
    return (
        f"\n## Rows of the staged sources left out\n\n{len(left_out)} named sites of `extra_places_deir_ez_zor.csv` "
        f"under {', '.join(licences)}: share-alike terms the bundle cannot honour.\n"
    )


def _corrections_section(rows: list[dict]) -> str:
    fixed = [row for row in rows if "correction: " in (row.get("note") or "")]
    if not fixed:
        return ""
    lines = ["\n## Corrections of source data (`geodata/build/corrections.py`)\n"]
    lines += [f"* `{row['id']}` {row['name_ar']} / {row['name_en']}: {row['note'].split('correction: ', 1)[1]}" for row in fixed]
    return "\n".join(lines) + "\n"


def attribution_markdown(
    rows: list[dict], boundaries: dict[str, int], added: list[dict], left_out: list[dict] | None = None
) -> str:
    """Return the text of ``geodata/data/ATTRIBUTION.md``.

    Parameters
    ----------
    rows : list of dict
        The bundled place rows (for counts).
    boundaries : dict
        Feature count per boundary level.
    added : list of dict
        Rows of ``added_places.csv``.
    left_out : list of dict, optional
        Rows of the staged sources left out for their licence.

    Returns
    -------
    str
        Markdown.
    """
    return (
        "# Attribution and licences of the bundled geographic data\n\n"
        "This folder is generated by `python -m geodata build` from the staged public sources described in\n"
        "`shared/geodata-sources/SOURCES.md`. Show the following text wherever the data or maps made from it\n"
        "are published:\n\n"
        + ATTRIBUTION_TEXT
        + "\nThe bundled places table contains the Syrian Archive directory (GPL-3.0); the data as a whole is\n"
        "distributed under GPL-3.0-or-later, the project's licence, with the attributions above.\n\n"
        "## Sources and licences\n\n"
        + SOURCE_TABLE
        + "\n"
        + DERIVED_TEXT
        + "\n## Curated additions (`added_places.csv`)\n\n"
        + _added_section(added)
        + _corrections_section(rows)
        + _left_out_section(left_out or [])
        + "\n## Counts\n\n"
        + _counts_table(rows, boundaries)
    )
