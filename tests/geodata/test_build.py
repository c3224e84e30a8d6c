"""The bundled files are exactly what ``python -m geodata build`` produces from the staged sources."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from geodata.build import build_texts, default_sources_dir, generated_files
from geodata.loading import DATA_DIR

SOURCES = default_sources_dir()


def _committed(name: str) -> str | bytes:
    path = DATA_DIR / name
    return gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"staged sources not found at {SOURCES}")
def test_committed_files_are_the_build_output(tmp_path: Path) -> None:
    # added_places.csv is an input of the build, read from the package's data folder
    texts = build_texts(SOURCES, DATA_DIR)
    assert sorted(texts) == sorted(generated_files())
    for name, content in texts.items():
        fresh = gzip.decompress(content) if isinstance(content, bytes) else content
        assert fresh == _committed(name), f"{name} differs from the build output: run `python -m geodata build`"


def test_every_generated_file_is_committed() -> None:
    for name in generated_files():
        assert (DATA_DIR / name).is_file(), name
    assert (DATA_DIR / "added_places.csv").is_file()
    assert (DATA_DIR / "LICENSES" / "GPL-3.0.txt").is_file()


def test_attribution_carries_the_un_disclaimer() -> None:
    text = (DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "do not imply official endorsement" in text
    assert "GPL-3.0" in text and "CC BY 3.0 IGO" in text and "CC BY 4.0" in text
    assert "approximate" in text


def test_display_boundaries_are_small() -> None:
    size = sum((DATA_DIR / "boundaries" / f"{level}.geojson").stat().st_size for level in ("governorate", "district", "subdistrict"))
    assert size < 1_000_000


def test_added_places_cite_an_origin() -> None:
    import csv

    with (DATA_DIR / "added_places.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all(row["origin"].strip() for row in rows)
