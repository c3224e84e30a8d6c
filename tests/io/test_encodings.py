"""Files from the wild: UTF-8 with or without BOM, UTF-16 (both byte orders), Windows-1256."""

from __future__ import annotations

import pytest

from incidents.io.text import decode_text
from incidents.services.importer import read_incidents

TEXT = ("date_start,place_text,actor,killed_min,source_name,quote\n"
        "2018-11-17,البقعان,التحالف الدولي,40,سانا,وقتلت 40 مدنياً في قرية البقعان\n")


@pytest.mark.parametrize(("encoded", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (TEXT.encode("utf-8-sig"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("cp1256"), "windows-1256"),
])
def test_arabic_csv_is_read_in_every_encoding(encoded, encoding):
    text, found = decode_text(encoded)
    assert text.replace("\ufeff", "") == TEXT
    assert found == encoding
    parsed = read_incidents(encoded, "arabic.csv")
    assert parsed.errors == []
    incident = parsed.valid[0]
    assert incident.place_text == "البقعان"
    assert incident.actor == "coalition"  # Arabic alias resolved
    assert incident.killed_min == 40 and incident.killed_max is None  # a minimum alone: "at least 40"
    assert incident.claims[0].source_name == "سانا"


def test_semicolon_and_tab_separated_files_are_read():
    for sep in (";", "\t"):
        data = TEXT.replace(",", sep).encode("utf-8")
        assert read_incidents(data, "x.csv").valid[0].place_text == "البقعان"
