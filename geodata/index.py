"""Name index: dictionary look-ups on normalised keys, then blocked fuzzy matching.

Every name of every place is one entry with its precomputed keys (``NameKeys``). Exact look-ups
use four dictionaries (normal form, skeleton, skeleton without qualifiers, phonetic key). Fuzzy
matching is blocked by a deletion index on phonetic keys (SymSpell-style, edit distance 1 on each
side), built lazily on first use, and verified with rapidfuzz.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from geodata.normalise import NameKeys

__all__ = ["Hit", "NameEntry", "NameIndex", "name_score"]


class NameEntry(NamedTuple):
    """One name of one place."""

    place: int
    name: str
    keys: NameKeys


class Hit(NamedTuple):
    """A place reached through one of its names, with the name score (0..1)."""

    place: int
    entry: int
    score: float


# Score of each way a query can reach a name.
FULL_SCORE = 1.0
SKELETON_SCORE = 0.95
LESS_SPECIFIC_SCORE = 0.8  # query lacks the name's qualifier: "الباغوز" for "الباغوز فوقاني"
CROSS_SCRIPT_SCORE = 0.8
FUZZY_FLOOR = 0.55
CROSS_SCRIPT_OVERRIDDEN = 0.85


def _qualifier_factor(query: NameKeys, entry: NameKeys) -> float:
    """How compatible the positional qualifiers (upper/lower, east/west ...) of two names are."""
    q_quals = query.skeleton[len(query.base) + 1 :] if "~" in query.skeleton else ""
    e_quals = entry.skeleton[len(entry.base) + 1 :] if "~" in entry.skeleton else ""
    if q_quals == e_quals:
        return 1.0
    if not q_quals:
        return LESS_SPECIFIC_SCORE / SKELETON_SCORE
    return 0.5  # the query names a qualifier the entry lacks or contradicts: another place


# Arabic letters that sources and reporters swap (spelling, colloquial pronunciation).
_AR_CONFUSABLE = str.maketrans({"ظ": "ض", "ذ": "ز", "ث": "س", "ص": "س", "ط": "ت", "ح": "ه", "ق": "ك", "ع": ""})


def _arabic_consonants(base: str) -> str:
    """Arabic skeleton without long vowels (ا و ي after the first letter) and final ه."""
    if not base:
        return base
    rest = base[1:].replace("ا", "").replace("و", "").replace("ي", "")
    consonants = base[0] + rest
    return consonants[:-1] if len(consonants) > 2 and consonants.endswith("ه") else consonants


def _arabic_score(query: NameKeys, entry: NameKeys) -> float:
    """Same-script Arabic: long-vowel differences are mild, swapped consonants stronger, typos fuzzy."""
    q_cons, e_cons = _arabic_consonants(query.base), _arabic_consonants(entry.base)
    if q_cons == e_cons:
        return 0.88
    if q_cons.translate(_AR_CONFUSABLE) == e_cons.translate(_AR_CONFUSABLE):
        return 0.8
    return 0.9 * ratio(query.base, entry.base) / 100.0 - 0.15


def _latin_score(query: NameKeys, entry: NameKeys) -> float:
    """Same-script Latin: the phonetic key absorbs transliteration variants; else fuzzy."""
    similarity = ratio(query.base, entry.base) / 100.0
    if query.phonetic == entry.phonetic and len(query.phonetic) >= 2:
        return 0.6 + 0.25 * similarity
    return 0.9 * similarity - 0.05 * _phonetic_distance(query, entry)


def name_score(query: NameKeys, entry: NameKeys) -> float:
    """Score how well a query name matches a gazetteer name (0..1).

    Parameters
    ----------
    query, entry : NameKeys
        Keys of the query and of the gazetteer name.

    Returns
    -------
    float
        1.0 for the same normal form, 0.95 for the same skeleton, 0.8 when the query lacks the
        name's qualifier; in Arabic 0.88 when only long vowels differ and 0.8 for commonly
        swapped consonants; in Latin 0.6–0.85 for the same phonetic key (by skeleton similarity);
        0.75–0.8 across scripts for the same phonetic key; a scaled similarity for fuzzy matches;
        0 below 0.55.
    """
    if query.full == entry.full:
        return FULL_SCORE
    factor = _qualifier_factor(query, entry)
    if query.base == entry.base:
        return SKELETON_SCORE * factor
    if query.script == entry.script:
        score = _arabic_score(query, entry) if query.script == "ar" else _latin_score(query, entry)
    elif query.phonetic == entry.phonetic and len(query.phonetic) >= 3:
        score = CROSS_SCRIPT_SCORE - (0.05 if len(query.phonetic) == 3 else 0.0)
    else:
        score = 0.85 * ratio(query.phonetic, entry.phonetic) / 100.0 - 0.1
    score *= factor
    return score if score >= FUZZY_FLOOR else 0.0


def _phonetic_distance(query: NameKeys, entry: NameKeys) -> int:
    return min(3, Levenshtein.distance(query.phonetic, entry.phonetic))


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


class NameIndex:
    """Look-up structure over every name of every place.

    Parameters
    ----------
    entries : iterable of NameEntry
        Names with their keys.
    """

    def __init__(self, entries: Iterable[NameEntry]) -> None:
        self.entries: list[NameEntry] = list(entries)
        self._full: dict[str, list[int]] = defaultdict(list)
        self._skeleton: dict[str, list[int]] = defaultdict(list)
        self._base: dict[str, list[int]] = defaultdict(list)
        self._phonetic: dict[str, list[int]] = defaultdict(list)
        full, skeleton, base, phonetic = self._full, self._skeleton, self._base, self._phonetic
        self._arabic_places: set[int] = set()
        self._latin_places: set[int] = set()
        for i, (place, _, keys) in enumerate(self.entries):
            (self._arabic_places if keys.script == "ar" else self._latin_places).add(place)
            if keys.skeleton:
                full[keys.full].append(i)
                skeleton[keys.skeleton].append(i)
                if keys.base != keys.skeleton:  # only names with qualifiers: others are in _skeleton
                    base[keys.base].append(i)
                if keys.phonetic:
                    phonetic[keys.phonetic].append(i)
        self._deletion: dict[str, list[str]] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def has_exact(self, keys: NameKeys) -> bool:
        """True if some name has the same normal form, skeleton or base skeleton."""
        return (
            keys.full in self._full
            or keys.skeleton in self._skeleton
            or keys.base in self._skeleton
            or keys.base in self._base
        )

    def exact_entries(self, keys: NameKeys) -> list[int]:
        """Entries sharing the normal form, the skeleton or the base skeleton with ``keys``."""
        found = set(self._full.get(keys.full, ()))
        found.update(self._skeleton.get(keys.skeleton, ()))
        found.update(self._skeleton.get(keys.base, ()))
        found.update(self._base.get(keys.base, ()))
        return sorted(found)

    def full_entries(self, full: str) -> list[NameEntry]:
        """Entries whose normal form is exactly ``full``."""
        return [self.entries[i] for i in self._full.get(full, ())]

    def phonetic_entries(self, keys: NameKeys) -> list[int]:
        """Entries with the same phonetic key (any script)."""
        if len(keys.phonetic) < 2:
            return []
        return list(self._phonetic.get(keys.phonetic, ()))

    def fuzzy_entries(self, keys: NameKeys) -> list[int]:
        """Entries whose phonetic key is within one deletion (each side) of the query's."""
        if len(keys.phonetic) < 3:
            return []
        deletion = self._deletion_index()
        phonetic_keys: set[str] = set()
        for variant in _deletes(keys.phonetic) | {keys.phonetic}:
            phonetic_keys.update(deletion.get(variant, ()))
        out: list[int] = []
        for key in sorted(phonetic_keys):
            out.extend(self._phonetic[key])
        return out

    def _deletion_index(self) -> dict[str, list[str]]:
        if self._deletion is None:
            deletion: dict[str, list[str]] = defaultdict(list)
            for key in self._phonetic:
                if len(key) >= 3:
                    deletion[key].append(key)
                    for variant in _deletes(key):
                        deletion[variant].append(key)
            self._deletion = dict(deletion)
        return self._deletion

    def hits(self, keys: NameKeys, fuzzy: bool = True) -> list[Hit]:
        """Score every place reachable from ``keys``; the best name per place is kept.

        Parameters
        ----------
        keys : NameKeys
            Keys of the query name.
        fuzzy : bool
            Also try the blocked fuzzy candidates when no exact skeleton match is found.

        Returns
        -------
        list of Hit
            One hit per place, best first.
        """
        if not keys.skeleton:
            return []
        candidates = set(self.exact_entries(keys))
        candidates.update(self.phonetic_entries(keys))
        if fuzzy and not self.has_exact(keys):
            candidates.update(self.fuzzy_entries(keys))
        best: dict[int, Hit] = {}
        same_script = self._arabic_places if keys.script == "ar" else self._latin_places
        for i in candidates:
            entry = self.entries[i]
            score = name_score(keys, entry.keys)
            if score <= 0:
                continue
            if entry.keys.script != keys.script and entry.place in same_script:
                # a transliteration is weak evidence when the place's names in the query's own
                # script did not match
                score *= CROSS_SCRIPT_OVERRIDDEN

            current = best.get(entry.place)
            if current is None or score > current.score or (score == current.score and i < current.entry):
                best[entry.place] = Hit(entry.place, i, score)
        return sorted(best.values(), key=lambda h: (-h.score, h.place))

    def prefix_entries(self, prefix: str, limit: int) -> list[int]:
        """Entries whose normal form or skeleton starts with ``prefix`` (for type-ahead search)."""
        if len(prefix) < 2:
            return []
        out = [i for i, e in enumerate(self.entries) if e.keys.full.startswith(prefix) or e.keys.base.startswith(prefix)]
        return out[: limit * 20]
