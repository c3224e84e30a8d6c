"""Places of Deir ez-Zor and the rest of Syria (with Iraq's Al-Anbar and Ninawa).

The bundled gazetteer merges Who's On First, GeoNames, the Syrian Archive/OCHA community list and
OpenSyria's admin tables; boundaries come from OCHA and Who's On First (see ``data/ATTRIBUTION.md``).
The package knows nothing of incidents.

>>> from geodata import load_gazetteer
>>> gaz = load_gazetteer()
>>> gaz.geocode("Baghuz Fawqani").match.admin2
'SY0902'
"""

from typing import TYPE_CHECKING

from geodata.errors import (
    DataFileError,
    GeodataError,
    InvalidPlaceError,
    SourcesNotFoundError,
    UnknownLevelError,
    UsageError,
)
from geodata.model import PRECISIONS, GeocodeResult, Mention, Place, PlaceMatch

if TYPE_CHECKING:
    from geodata.gazetteer import Gazetteer, load_gazetteer

#: Loaded on first use (PEP 562): ``import geodata`` or ``geodata.normalise`` alone does not pull in
#: numpy, rapidfuzz and the gazetteer modules.
_LAZY = {"Gazetteer": "geodata.gazetteer", "load_gazetteer": "geodata.gazetteer"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geodata' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "PRECISIONS",
    "DataFileError",
    "Gazetteer",
    "GeocodeResult",
    "GeodataError",
    "InvalidPlaceError",
    "Mention",
    "Place",
    "PlaceMatch",
    "SourcesNotFoundError",
    "UnknownLevelError",
    "UsageError",
    "load_gazetteer",
]
