"""Places of Deir ez-Zor and the rest of Syria (with Iraq's Al-Anbar and Ninawa).

The bundled gazetteer merges Who's On First, GeoNames, the Syrian Archive/OCHA community list and
OpenSyria's admin tables; boundaries come from OCHA and Who's On First (see ``data/ATTRIBUTION.md``).
The package knows nothing of incidents.

>>> from geodata import load_gazetteer
>>> gaz = load_gazetteer()
>>> gaz.geocode("Baghuz Fawqani").match.admin2
'SY0902'
"""

from geodata.errors import (
    DataFileError,
    GeodataError,
    InvalidPlaceError,
    SourcesNotFoundError,
    UnknownLevelError,
    UsageError,
)
from geodata.gazetteer import Gazetteer, load_gazetteer
from geodata.model import PRECISIONS, GeocodeResult, Mention, Place, PlaceMatch

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
