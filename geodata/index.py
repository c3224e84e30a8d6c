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
from rapidfuzz.process import extract

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
WORD_COUNT_FACTOR = 0.9
GOOD_ENOUGH = 0.8
SHORTLIST = 10
SHORTLIST_OTHER = 6


def _qualifier_factor(query: NameKeys, entry: NameKeys) -> float:
    """How compatible the positional qualifiers (upper/lower, east/west ...) of two names are."""
    q_quals = query.skeleton[len(query.base) + 1 :] if "~" in query.skeleton else ""
    e_quals = entry.skeleton[len(entry.base) + 1 :] if "~" in entry.skeleton else ""
    if q_quals == e_quals:
        return 1.0
    if not q_quals:
        return LESS_SPECIFIC_SCORE / SKELETON_SCORE
    return 0.5  # the query names a qualifier the entry lacks or contradicts: another place


# Arabic letters that sources and reporters swap (spelling, colloquial pronunciation); ع, alef
# and the long vowels are dropped altogether.
_AR_CONFUSABLE = str.maketrans(
    {"ذ": "د", "ض": "د", "ظ": "د", "ث": "ت", "ط": "ت", "ص": "س", "ح": "ه", "ق": "ك", "ع": "ء", "ا": None,
     "و": None, "ي": None}
)


def _arabic_consonants(base: str) -> str:
    """Consonants with commonly swapped letters folded, long vowels removed and final ه dropped.

    ع and an initial alef (hamza) both become ء: they are swapped (العشارة/الأشارة) but are not
    nothing (البادية is not العبودية).
    """
    if base.startswith("ا"):
        base = "ء" + base[1:]
    loose = base.translate(_AR_CONFUSABLE)
    return loose[:-1] if len(loose) > 2 and loose.endswith("ه") else loose


def _arabic_score(query: NameKeys, entry: NameKeys) -> float:
    """Same-script Arabic similarity: long vowels and swapped letters cost little, other consonants a lot.

    Edits between the consonant forms cost 1.5 each; the remaining edits between the skeletons
    (long vowels, ة/ا endings, swapped letters) 0.3 each. ``معيجيل``/``معيجل`` score 0.87,
    ``الكسرة``/``الكسرا`` 0.85, ``الكسرا``/``الكسار`` 0.78, ``بوخاطر``/``بوقاطور`` 0.69.
    """
    consonant_edits = Levenshtein.distance(_arabic_consonants(query.base), _arabic_consonants(entry.base))
    all_edits = Levenshtein.distance(query.base, entry.base)
    cost = 1.5 * consonant_edits + 0.3 * max(0, all_edits - consonant_edits)
    if query.base.endswith("يه") != entry.base.endswith("يه"):
        cost += 1.0  # the nisba ending -iyya makes another name (حلب, حلبية)
    if len(_arabic_consonants(query.base)) <= 2:
        cost += 0.3  # two consonants say little: بادية, بدو, عبودية
    similarity = 1.0 - cost / max(len(query.base), len(entry.base), 1)
    return 0.92 * similarity if similarity >= 0.6 else 0.0


_LATIN_PHONETIC_BY_LENGTH = {2: 0.66, 3: 0.8}


def _latin_score(query: NameKeys, entry: NameKeys) -> float:
    """Same-script Latin: the phonetic key absorbs transliteration variants; else fuzzy."""
    if query.phonetic == entry.phonetic and len(query.phonetic) >= 2:
        # same consonants: the remaining differences are vowels and spelling, cheap ones
        edits = Levenshtein.distance(query.base, entry.base)
        similarity = 1.0 - 0.3 * edits / max(len(query.base), len(entry.base), 1)
        base = _LATIN_PHONETIC_BY_LENGTH.get(len(query.phonetic), 0.84)
        return max(0.5, min(0.9, base + 0.3 * (similarity - 0.8)))
    similarity = ratio(query.base, entry.base) / 100.0
    return 0.9 * similarity - 0.05 * _phonetic_distance(query, entry)


_CROSS_SCRIPT_BY_LENGTH = {2: 0.62, 3: 0.75}


def _cross_script_score(query: NameKeys, entry: NameKeys) -> float:
    """Arabic against Latin: the same consonant key is the evidence (stronger for longer keys),
    the similarity of the romanised forms adjusts it a little; otherwise a fuzzy similarity."""
    similarity = ratio(query.roman, entry.roman) / 100.0
    if query.phonetic == entry.phonetic and len(query.phonetic) >= 2:
        base = _CROSS_SCRIPT_BY_LENGTH.get(len(query.phonetic), CROSS_SCRIPT_SCORE)
        return base + max(-0.05, min(0.05, (similarity - 0.7) / 6))
    return 0.85 * similarity - 0.12


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
    else:
        score = _cross_script_score(query, entry)
    score *= factor
    if query.words > entry.words:
        score *= WORD_COUNT_FACTOR**2  # the query says more: "Basatin al-Uyun" is not "Basatin"
    elif query.words < entry.words:
        score *= WORD_COUNT_FACTOR  # "Na'am al-Ilwi" is not "an-Namliyah"
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
    place_order : list of int, optional
        A rank per place position; ties in shortlists go to lower ranks.
    """

    def __init__(self, entries: Iterable[NameEntry], place_order: list[int] | None = None) -> None:
        self.entries: list[NameEntry] = list(entries)
        self._full: dict[str, list[int]] = defaultdict(list)
        self._skeleton: dict[str, list[int]] = defaultdict(list)
        self._base: dict[str, list[int]] = defaultdict(list)
        self._phonetic: dict[str, dict[str, list[int]]] = {"ar": defaultdict(list), "latin": defaultdict(list)}
        full, skeleton, base = self._full, self._skeleton, self._base
        arabic_phonetic, latin_phonetic = self._phonetic["ar"], self._phonetic["latin"]
        self._script_places: dict[str, set[int]] | None = None
        self._first_words: set[str] | None = None
        for i, (_, _, keys) in enumerate(self.entries):
            is_arabic = keys.script == "ar"
            if keys.skeleton:
                full[keys.full].append(i)
                skeleton[keys.skeleton].append(i)
                if keys.base != keys.skeleton:  # only names with qualifiers: others are in _skeleton
                    base[keys.base].append(i)
                if keys.phonetic:
                    (arabic_phonetic if is_arabic else latin_phonetic)[keys.phonetic].append(i)
        self._place_order = place_order
        self._sorted: set[tuple[str, str]] = set()
        self._bases: dict[tuple[str, str], list[str]] = {}
        self._romans: dict[tuple[str, str], list[str]] = {}
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

    def has_skeleton(self, keys: NameKeys) -> bool:
        """True if some name has the same normal form or skeleton (qualifiers included)."""
        return keys.full in self._full or keys.skeleton in self._skeleton

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

    def phonetic_entries(self, keys: NameKeys, script: str) -> list[int]:
        """Entries of one script with the same phonetic key as ``keys``."""
        if len(keys.phonetic) < 2:
            return []
        return self._phonetic.get(script, {}).get(keys.phonetic, [])

    def _phonetic_keys_near(self, keys: NameKeys) -> list[str]:
        """Phonetic keys within one deletion (each side) of the query's, itself excluded."""
        if len(keys.phonetic) < 3:
            return []
        deletion = self._deletion_index()
        near: set[str] = set()
        for variant in _deletes(keys.phonetic) | {keys.phonetic}:
            near.update(deletion.get(variant, ()))
        near.discard(keys.phonetic)
        # deletions on both sides also reach keys two edits away: keep true one-edit neighbours
        return sorted(k for k in near if Levenshtein.distance(k, keys.phonetic, score_cutoff=1) <= 1)

    def _deletion_index(self) -> dict[str, list[str]]:
        if self._deletion is None:
            deletion: dict[str, list[str]] = defaultdict(list)
            all_keys = set(self._phonetic["ar"]) | set(self._phonetic["latin"])
            for key in sorted(all_keys):
                if len(key) >= 3:
                    deletion[key].append(key)
                    for variant in _deletes(key):
                        deletion[variant].append(key)
            self._deletion = dict(deletion)
        return self._deletion

    def _bucket(self, script: str, key: str) -> list[int]:
        """Entries of one phonetic bucket; big buckets are ordered once so that shortlist ties go
        to places ranked first (Deir ez-Zor, then its neighbours)."""
        bucket = self._phonetic[script].get(key)
        if bucket is None:
            return []
        if len(bucket) > SHORTLIST_OTHER and self._place_order is not None and (script, key) not in self._sorted:
            rank = self._place_order
            bucket.sort(key=lambda i: (rank[self.entries[i].place], i))
            self._sorted.add((script, key))
        return bucket

    def _bucket_bases(self, script: str, key: str) -> list[str]:
        """Shortlisting forms of a bucket: Arabic consonants with swapped letters folded (what
        the Arabic score weighs most), Latin skeletons."""
        cached = self._bases.get((script, key))
        if cached is None:
            bucket = self._bucket(script, key)
            if script == "ar":
                cached = [_arabic_consonants(self.entries[i].keys.base) for i in bucket]
            else:
                cached = [self.entries[i].keys.base for i in bucket]
            self._bases[(script, key)] = cached
        return cached

    def _bucket_romans(self, script: str, key: str) -> list[str]:
        cached = self._romans.get((script, key))
        if cached is None:
            cached = [self.entries[i].keys.roman for i in self._bucket(script, key)]
            self._romans[(script, key)] = cached
        return cached

    def _shortlist(self, keys: NameKeys, phonetic_keys: list[str]) -> list[int]:
        """Entries of these phonetic buckets, at most ``SHORTLIST`` per script: same-script ones
        by skeleton similarity, other-script ones by similarity of the romanised forms."""
        other_script = "latin" if keys.script == "ar" else "ar"
        same: list[int] = []
        bases: list[str] = []
        other: list[int] = []
        romans: list[str] = []
        for key in phonetic_keys:
            same.extend(self._bucket(keys.script, key))
            bases.extend(self._bucket_bases(keys.script, key))
            other.extend(self._bucket(other_script, key))
            romans.extend(self._bucket_romans(other_script, key))
        if len(same) > SHORTLIST:
            probe = _arabic_consonants(keys.base) if keys.script == "ar" else keys.base
            ranked = extract(probe, bases, scorer=ratio, limit=SHORTLIST, score_cutoff=50)
            same = [same[position] for _, _, position in ranked]
        if len(other) > SHORTLIST_OTHER:
            ranked = extract(keys.roman, romans, scorer=ratio, limit=SHORTLIST_OTHER, score_cutoff=50)
            other = [other[position] for _, _, position in ranked]
        return same + other

    def stage_hits(self, keys: NameKeys, stage: str, seen: set[int] | None = None) -> dict[int, Hit]:
        """Score the places one look-up stage reaches; the best name per place is kept.

        Stages: ``exact`` (same normal form, skeleton or skeleton without qualifiers),
        ``phonetic`` (same consonant key, shortlisted with rapidfuzz to at most ``SHORTLIST``
        per script) and ``fuzzy`` (consonant keys one deletion away, shortlisted the same way),
        so that a query costs a bounded number of Python comparisons.

        Parameters
        ----------
        keys : NameKeys
            Keys of the query name.
        stage : {"exact", "phonetic", "fuzzy"}
            Which entries to score.
        seen : set of int, optional
            Entries already scored by an earlier stage (skipped, then added to).

        Returns
        -------
        dict
            Place position → Hit.
        """
        if not keys.skeleton:
            return {}
        if stage == "exact":
            entries = self.exact_entries(keys)
        elif stage == "phonetic":
            entries = self._shortlist(keys, [keys.phonetic]) if len(keys.phonetic) >= 2 else []
        else:
            entries = self._shortlist(keys, self._phonetic_keys_near(keys))
        if seen is not None:
            entries = [i for i in entries if i not in seen]
            seen.update(entries)
        best: dict[int, Hit] = {}
        self._score_into(best, keys, entries)
        return best

    def hits(self, keys: NameKeys, fuzzy: bool = True) -> list[Hit]:
        """Every place reachable from ``keys`` by all stages, best first (see ``stage_hits``)."""
        seen: set[int] = set()
        best: dict[int, Hit] = {}
        for stage in ("exact", "phonetic", "fuzzy"):
            if stage == "fuzzy" and (not fuzzy or max((h.score for h in best.values()), default=0.0) >= GOOD_ENOUGH):
                break
            for place, hit in self.stage_hits(keys, stage, seen).items():
                if place not in best or hit.score > best[place].score:
                    best[place] = hit
        return sorted(best.values(), key=lambda h: (-h.score, h.place))

    def knows_word(self, word: str) -> bool:
        """True if some name's normal form starts with this word (cheap test for clitic variants)."""
        if self._first_words is None:
            self._first_words = {entry.keys.full.split(" ", 1)[0] for entry in self.entries}
        return word in self._first_words

    def places_with_script(self, script: str) -> set[int]:
        """Places having at least one name in ``script`` (``ar`` or ``latin``)."""
        if self._script_places is None:
            places: dict[str, set[int]] = {"ar": set(), "latin": set()}
            for place, _, keys in self.entries:
                places["ar" if keys.script == "ar" else "latin"].add(place)
            self._script_places = places
        return self._script_places["ar" if script == "ar" else "latin"]

    def _score_into(self, best: dict[int, Hit], keys: NameKeys, candidates: Iterable[int]) -> None:
        same_script = self.places_with_script(keys.script)
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

    def prefix_entries(self, prefix: str, limit: int) -> list[int]:
        """Entries whose normal form or skeleton starts with ``prefix`` (for type-ahead search)."""
        if len(prefix) < 2:
            return []
        out = [i for i, e in enumerate(self.entries) if e.keys.full.startswith(prefix) or e.keys.base.startswith(prefix)]
        return out[: limit * 20]
