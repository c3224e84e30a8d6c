"""Pages a researcher can read at a glance (issue #17): the map's legend shows what is on the map, no raw
"None" anywhere, and every label of the interface exists in English and Arabic."""

from __future__ import annotations

import re
from html import unescape

from .test_pages import new_app, plain, run

SWATCH = re.compile(r'<span class="sw"[^>]*></span>([^<]*)</span>')


def legend(at) -> str:
    found = [m.value for m in at.markdown if 'class="im-legend"' in m.value]
    assert found, "no legend under the map"
    return found[0]


def legend_actors(at) -> list[str]:
    return [plain(unescape(name)) for name in SWATCH.findall(legend(at))]


def test_legend_lists_only_the_actors_on_the_map(app_db):
    at = run(new_app(), "pages/1_Map.py")
    assert sorted(legend_actors(at)) == sorted(["US-led coalition", "Syrian Democratic Forces (SDF)",
                                                "Islamic State (ISIS)", "Russian forces"])  # a draft: seen locally
    html = legend(at)
    assert "<svg" in html and "<circle" in html  # a size key
    assert "sub-district, district or the governorate" in unescape(html)  # an area is drawn (payload-1)
    at = run(new_app({"actor": "coalition"}), "pages/1_Map.py")
    assert legend_actors(at) == ["US-led coalition"]
    assert "Dashed outline" not in unescape(legend(at))  # no area drawn: no word about areas


def test_legend_has_a_colour_key_for_the_choropleth(app_db):
    at = run(new_app(), "pages/1_Map.py")
    at.pills(key="map.layers").set_value(["choropleth"])
    run(at)
    html = unescape(legend(at))
    assert "Sub-districts, killed" in html and 'class="sq"' in html and "no incidents" in html
    assert not SWATCH.findall(legend(at))  # no circles drawn: no actor colours


def test_legend_in_arabic(app_db):
    at = run(new_app({"ui": "ar"}), "pages/1_Map.py")
    assert "التحالف" in " ".join(legend_actors(at)) or legend_actors(at)
    assert "مساحة الدائرة" in unescape(legend(at))
