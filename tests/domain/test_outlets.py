"""The outlet list (incidents/data/outlets.toml) and its matcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.normalise import normalise
from incidents.domain import taxonomy
from incidents.domain.errors import FileFormatError, UnknownCodeError
from incidents.domain.outlets import load_outlets, outlet_for, outlet_for_host, outlets_in, source_kind_for


def test_every_outlet_is_complete_and_its_kind_is_a_vocabulary_code() -> None:
    outlets = load_outlets()
    kinds = set(taxonomy.vocabulary("source_kind"))
    assert len(outlets) >= 40
    for code, outlet in outlets.items():
        assert outlet.code == code
        assert outlet.name_en and outlet.name_ar, code
        assert outlet.source_kind in kinds, code
        assert outlet.languages, code
        assert all(d == d.lower() and not d.startswith("www.") for d in outlet.domains), code
        assert all(normalise(name) for name in outlet.names()), code


@pytest.mark.parametrize(("code", "kind"), [
    ("sana", "state_media"), ("al_baath", "state_media"), ("step_news", "opposition_media"),
    ("syria_tv", "opposition_media"), ("eldorar", "opposition_media"), ("zaman_al_wasl", "opposition_media"),
    ("deir_ezzor_24", "local_network"), ("furat_post", "local_network"), ("sohr", "ngo"), ("airwars", "ngo"),
    ("snhr", "ngo"), ("reuters", "other"), ("al_monitor", "other"), ("cjtf_oir", "official"),
])
def test_kinds_of_the_outlets_of_this_conflict(code: str, kind: str) -> None:
    assert load_outlets()[code].source_kind == kind


@pytest.mark.parametrize(("text", "code"), [
    ("SANA", "sana"),
    ("Syrian Arab News Agency", "sana"),
    ("نقلت وكالة «سانا» عن مصادر أهلية", "sana"),
    ("وبحسب الوكالة العربية السورية للأنباء", "sana"),
    ("Step News Agency (وكالة ستيب الإخبارية)", "step_news"),
    ("وقالت وكالة ستيب", "step_news"),
    ("قال المرصد السوري لحقوق الإنسان", "sohr"),
    ("وفقاً للمرصد السوري", "sohr"),            # ل + المرصد written للمرصد
    ("the Observatory said", "sohr"),
    ("the Britain-based Syrian Observatory for Human Rights", "sohr"),
    ("ذكرت شبكة \"فرات بوست\" على صفحتها", "furat_post"),
    ("Deir ez-Zor 24", "deir_ezzor_24"),
    ("دير الزور 24", "deir_ezzor_24"),
    ("ديرالزور 24", "deir_ezzor_24"),
    ("Zaman Alwasl", "zaman_al_wasl"),
    ("زمان الوصل", "zaman_al_wasl"),
    ("Smart News Agency (سمارت), republished by a relay site", "smart_news"),   # the first named wins
    ("Shaam News Network, citing Furat Post", "shaam"),
    ("according to Reuters", "reuters"),
    ("قناة الميادين", "al_mayadeen"),
])
def test_outlet_for_a_name(text: str, code: str) -> None:
    outlet = outlet_for(text)
    assert outlet is not None and outlet.code == code


@pytest.mark.parametrize(("url", "code"), [
    ("https://stepagency-sy.net/2019/01/30/some-story/", "step_news"),
    ("http://www.sana.sy/en/?p=1", "sana"),
    ("https://english.alaraby.co.uk/news/x", "the_new_arab"),     # a sub-domain of a listed domain
    ("airwars.org", "airwars"),                                    # a bare domain
    ("https://deirezzor24.net/?p=1", "deir_ezzor_24"),
])
def test_outlet_for_a_url(url: str, code: str) -> None:
    outlet = outlet_for(url)
    assert outlet is not None and outlet.code == code


@pytest.mark.parametrize("text", [
    None, "", "   ",
    "قصف جوي على مدينة الميادين",          # the city, not the channel
    "اجتماع لحزب البعث",                    # the party, not its newspaper
    "قرى منطقة الجزيرة شرق الفرات",         # the region, not the channel
    "في شهر تشرين الأول",                   # the month, not the newspaper
    "اللغة العربية",
    "a local source",
    "https://example.org/sana/step-news",    # a URL is matched by its host only
    "notsana.sy",
])
def test_outlet_for_returns_none_for_no_listed_outlet(text: str | None) -> None:
    assert outlet_for(text) is None


def test_host_must_be_the_domain_or_a_sub_domain() -> None:
    assert outlet_for_host("www.syria.tv").code == "syria_tv"  # type: ignore[union-attr]
    assert outlet_for_host("fakesyria.tv") is None


def test_outlets_in_lists_every_named_outlet_in_text_order() -> None:
    mentions = outlets_in("نقلت سانا عن مصادر، فيما قال المرصد السوري و Airwars إن ...")
    assert [m.outlet.code for m in mentions] == ["sana", "sohr", "airwars"]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "outlets.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_unknown_kind_is_refused_with_the_outlet_named(tmp_path: Path) -> None:
    path = _write(tmp_path, '[x]\nname_en = "X"\nname_ar = "اكس"\nsource_kind = "tabloid"\n')
    with pytest.raises(UnknownCodeError, match="'x'.*'tabloid'"):
        load_outlets(path)


def test_missing_and_unknown_fields_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, '[x]\nname_en = "X"\nsource_kind = "other"\nwebsite = "x.org"\n')
    with pytest.raises(FileFormatError, match=r"'x' lacks \['name_ar'\].*\['website'\]"):
        load_outlets(path)


def test_a_name_shared_by_two_outlets_is_refused(tmp_path: Path) -> None:
    body = ('[a]\nname_en = "A"\nname_ar = "أ"\nsource_kind = "other"\naliases_ar = ["سانا"]\n'
            '[b]\nname_en = "B"\nname_ar = "سانا"\nsource_kind = "other"\n')
    with pytest.raises(FileFormatError, match="also a name of"):
        load_outlets(_write(tmp_path, body))


def test_broken_toml_is_refused_with_the_file_named(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="outlets.toml: not valid TOML"):
        load_outlets(_write(tmp_path, "[x\n"))


@pytest.mark.parametrize(("text", "kind"), [
    ("ذكرت مصادر معارضة", "opposition_media"),
    ("قال ناشطون محليون", "local_network"),
    ("The SDF said in a statement", "official"),
    ("نقلت سانا عن مصادر أهلية", "state_media"),          # an outlet named wins over words
    ("Syria News, relaying SANA", "state_media"),          # the relayed outlet's kind
    ("a local source", None),
    (None, None),
])
def test_source_kind_for(text: str | None, kind: str | None) -> None:
    assert source_kind_for(text) == kind


def test_an_empty_names_pattern_matches_nothing() -> None:
    from incidents.domain.outlets import _pattern

    assert _pattern(()).search("any text") is None


def test_no_alias_repeats_a_name_of_its_outlet() -> None:
    for outlet in load_outlets().values():
        assert not {outlet.name_en, outlet.name_ar} & {*outlet.aliases_en, *outlet.aliases_ar}, outlet.code
