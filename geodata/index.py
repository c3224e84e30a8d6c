"""Name index: dictionary look-ups on normalised keys, then blocked fuzzy matching.

Every name of every place is one entry with its precomputed keys (``NameKeys``). Exact look-ups
use four dictionaries (normal form, skeleton, skeleton without qualifiers, phonetic key). Fuzzy
matching is blocked by the phonetic key (same key, then keys one edit away through a lazily built
SymSpell-style deletion index); each block is ranked in C by a weighted edit similarity
(``geodata.similarity``: consonants weigh three times a vowel or a swap inside a class of letters
that spellings confuse), and only the best few names per script are scored in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract

from geodata.normalise import NameKeys, name_keys, normalise
from geodata.similarity import Codes, codes

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
ROMAN_MISMATCH_SCORE = 0.9  # same skeleton, but q/g/gh differ: "Qiran" and "Ghiran"
LESS_SPECIFIC_SCORE = 0.8  # query lacks the name's qualifier: "الباغوز" for "الباغوز فوقاني"
FUZZY_FLOOR = 0.55
CROSS_SCRIPT_OVERRIDDEN = 0.95
WORD_COUNT_FACTOR = 0.9
GOOD_ENOUGH = 0.8
SHORTLIST = 8
SHORTLIST_OTHER = 4
#: Similarities below these cannot make a name score above ``FUZZY_FLOOR``: not shortlisted.
SAME_SCRIPT_CUTOFF = 0.6
CROSS_SCRIPT_CUTOFF = 0.4
#: Same-script similarity → name score; a fuzzy match never reaches a skeleton match's 0.95.
SAME_SCRIPT_SCALE = 0.92
FUZZY_CAP = 0.9
#: Across scripts the consonants are the evidence, and a few consonants are little evidence.
CROSS_SCRIPT_BY_CONSONANTS = {1: 0.5, 2: 0.66, 3: 0.8}
CROSS_SCRIPT_SCORE = 0.87  # four consonants and more
CROSS_SCRIPT_VOWELS = 0.25
NISBA_PENALTY = 0.12
SHORT_PENALTY = 0.04


def _qualifier_factor(query: NameKeys, entry: NameKeys) -> float:
    """How compatible the positional qualifiers (upper/lower, east/west ...) of two names are."""
    q_quals = query.skeleton[len(query.base) + 1 :] if "~" in query.skeleton else ""
    e_quals = entry.skeleton[len(entry.base) + 1 :] if "~" in entry.skeleton else ""
    if q_quals == e_quals:
        return 1.0
    if not q_quals:
        return LESS_SPECIFIC_SCORE / SKELETON_SCORE
    return 0.5  # the query names a qualifier the entry lacks or contradicts: another place


def _fuzzy_score(same_script: bool, query: Codes, entry: Codes, ranked: float | None = None) -> float:
    """Name score of two names that differ in spelling (see ``geodata.similarity``).

    Within a script, the weighted similarity scaled by ``SAME_SCRIPT_SCALE``; across scripts the
    consonants' similarity, with a little weight on the vowels, scaled by how many consonants
    agree (two consonants in common say little: بادية, بدو, عبودية). A nisba ending (-iyya) on
    one name only makes another name (حلب, حلبية). ``ranked`` is the similarity the shortlist
    already computed (own codes within a script, romanised codes across).
    """
    if same_script:
        score = SAME_SCRIPT_SCALE * (_similar(query.own, entry.own) if ranked is None else ranked)
    else:
        consonants = _similar(query.consonants, entry.consonants)
        vowels = _similar(query.roman, entry.roman) if ranked is None else ranked
        scale = CROSS_SCRIPT_BY_CONSONANTS.get(min(query.length, entry.length), CROSS_SCRIPT_SCORE)
        score = scale * ((1 - CROSS_SCRIPT_VOWELS) * consonants + CROSS_SCRIPT_VOWELS * vowels)
    if query.nisba != entry.nisba:
        score -= NISBA_PENALTY
    if query.length <= 2 or entry.length <= 2:
        score -= SHORT_PENALTY
    return min(FUZZY_CAP, score)


_similar = Levenshtein.normalized_similarity


def name_score(
    query: NameKeys,
    entry: NameKeys,
    query_codes: Codes | None = None,
    entry_codes: Codes | None = None,
    ranked: float | None = None,
) -> float:
    """Score how well a query name matches a gazetteer name (0..1).

    Parameters
    ----------
    query, entry : NameKeys
        Keys of the query and of the gazetteer name.
    query_codes, entry_codes : Codes, optional
        Their similarity codes, when already computed.
    ranked : float, optional
        The similarity the shortlist computed (see ``_fuzzy_score``).

    Returns
    -------
    float
        1.0 for the same normal form, 0.95 for the same skeleton (0.9 when q, g or gh differ),
        0.8 when the query lacks the name's qualifier; otherwise a weighted spelling similarity (``_fuzzy_score``, at most
        0.9), lowered when the word counts or qualifiers differ; 0 below 0.55.
    """
    if query.full == entry.full:
        return FULL_SCORE
    factor = _qualifier_factor(query, entry) if query.skeleton != query.base or entry.skeleton != entry.base else 1.0
    if query.base == entry.base:
        # the skeleton folds q, g and gh together for look-up; the romanisations tell them apart
        return (SKELETON_SCORE if query.roman == entry.roman else ROMAN_MISMATCH_SCORE) * factor
    same = query.script == entry.script
    score = _fuzzy_score(same, query_codes or codes(query), entry_codes or codes(entry), ranked) * factor
    if query.words > entry.words:
        score *= WORD_COUNT_FACTOR**2  # the query says more: "Basatin al-Uyun" is not "Basatin"
    elif query.words < entry.words:
        score *= WORD_COUNT_FACTOR  # "Na'am al-Ilwi" is not "an-Namliyah"
    return score if score >= FUZZY_FLOOR else 0.0


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
        self._codes: dict[tuple[str, str, str], list[str]] = {}
        self._code_cache: dict[int, Codes] = {}
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

    def qualified_consonant_places(self, keys: NameKeys) -> set[int]:
        """Places with a Latin name of the same consonants (phonetic key) and qualifier as ``keys``: transliterations
        differ in the short vowels Arabic does not write ("al-Jardi al-Sharqi" and "Al Jurdī ash Sharqī").

        The bucket is loose ("al-Jadid al-Sharqi" shares it with "Judaydah ash Sharqīyah"): a caller claims the
        name only when the resolver picks one of these places for it."""
        qualifier = keys.skeleton[len(keys.base):]
        if keys.script != "latin" or not qualifier or not keys.skeleton.startswith(keys.base) or not keys.phonetic:
            return set()
        return {self.entries[i].place for i in self._phonetic["latin"].get(keys.phonetic, ())
                if self.entries[i].keys.skeleton == self.entries[i].keys.base + qualifier}

    def exact_entries(self, keys: NameKeys) -> list[int]:
        """Entries sharing the normal form, the skeleton or the base skeleton with ``keys``."""
        found = set(self._full.get(keys.full, ()))
        found.update(self._skeleton.get(keys.skeleton, ()))
        found.update(self._skeleton.get(keys.base, ()))
        found.update(self._base.get(keys.base, ()))
        return sorted(found)

    def keys_of(self, text: str) -> NameKeys:
        """``name_keys(text)``, taken from a name of the index with the same normal form when
        there is one (the keys are a function of the normal form, but for a final é read as ة)."""
        full = normalise(text)
        if "é" not in text and "è" not in text:
            for i in self._full.get(full, ()):
                entry = self.entries[i]
                if "é" not in entry.name and "è" not in entry.name:
                    return entry.keys
        return name_keys(text)

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

    def _bucket_codes(self, script: str, key: str, query_script: str) -> list[str]:
        """Codes of a bucket's names for queries of ``query_script``: the weighted-similarity code
        within a script, the romanised code (vowels kept, to rank) across scripts."""
        cached = self._codes.get((script, key, query_script))
        if cached is None:
            found = [self._entry_codes(i) for i in self._bucket(script, key)]
            cached = [c.roman for c in found] if script != query_script else [c.own for c in found]
            self._codes[(script, key, query_script)] = cached
        return cached

    def _shortlist(
        self, keys: NameKeys, query_codes: Codes, phonetic_keys: list[str], other_script: bool = True
    ) -> list[tuple[int, float | None]]:
        """Entries of these phonetic buckets, at most ``SHORTLIST`` per script, ranked in C by
        weighted spelling similarity (``geodata.similarity``): same-script ones by their codes,
        other-script ones (unless ``other_script`` is false) by their romanised codes. Each comes
        with that similarity, which the name score reuses."""
        out: list[tuple[int, float | None]] = []
        other = "latin" if keys.script == "ar" else "ar"
        scripts = ((keys.script, SHORTLIST), (other, SHORTLIST_OTHER)) if other_script else ((keys.script, SHORTLIST),)
        for script, limit in scripts:
            if len(phonetic_keys) == 1:
                entries, choices = self._bucket(script, phonetic_keys[0]), self._bucket_codes(script, phonetic_keys[0], keys.script)
            else:
                entries, choices = [], []
                for key in phonetic_keys:
                    entries.extend(self._bucket(script, key))
                    choices.extend(self._bucket_codes(script, key, keys.script))
            if entries:
                probe = query_codes.own if script == keys.script else query_codes.roman
                cutoff = SAME_SCRIPT_CUTOFF if script == keys.script else CROSS_SCRIPT_CUTOFF
                ranked = extract(probe, choices, scorer=_similar, limit=limit, score_cutoff=cutoff)
                out += [(entries[position], similarity) for _, similarity, position in ranked]
        return out

    def stage_hits(
        self, keys: NameKeys, stage: str, seen: set[int] | None = None, other_script: bool = True
    ) -> dict[int, Hit]:
        """Score the places one look-up stage reaches; the best name per place is kept.

        Stages: ``exact`` (same normal form, skeleton or skeleton without qualifiers),
        ``phonetic`` (same consonant key, shortlisted with rapidfuzz to at most ``SHORTLIST``
        per script) and ``fuzzy`` (consonant keys one edit away, names of the query's script,
        shortlisted the same way), so that a query costs a bounded number of Python comparisons.

        Parameters
        ----------
        keys : NameKeys
            Keys of the query name.
        stage : {"exact", "phonetic", "fuzzy"}
            Which entries to score.
        seen : set of int, optional
            Entries already scored by an earlier stage (skipped, then added to).
        other_script : bool
            Whether the phonetic stage also shortlists names of the other script.

        Returns
        -------
        dict
            Place position → Hit.
        """
        if not keys.skeleton or (stage != "exact" and keys.script not in self._phonetic):
            return {}  # digits or signs only ("24", "٢٤"): nothing to compare but the exact keys
        entries: list[tuple[int, float | None]]
        query_codes = None if stage == "exact" else codes(keys)  # exact entries share the skeleton
        if stage == "exact":
            entries = [(i, None) for i in self.exact_entries(keys)]
        elif query_codes is None:
            entries = []
        elif stage == "phonetic":
            entries = self._shortlist(keys, query_codes, [keys.phonetic], other_script) if len(keys.phonetic) >= 2 else []
        else:
            # one consonant off and in the other script: too weak to be worth a look
            entries = self._shortlist(keys, query_codes, self._phonetic_keys_near(keys), other_script=False)
        if seen is not None:
            entries = [pair for pair in entries if pair[0] not in seen]
            seen.update(i for i, _ in entries)
        best: dict[int, Hit] = {}
        self._score_into(best, keys, query_codes, entries)
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

    def _entry_codes(self, i: int) -> Codes:
        found = self._code_cache.get(i)
        if found is None:
            found = self._code_cache[i] = codes(self.entries[i].keys)
        return found

    def _score_into(
        self,
        best: dict[int, Hit],
        keys: NameKeys,
        query_codes: Codes | None,
        candidates: Iterable[tuple[int, float | None]],
    ) -> None:
        same_script = self.places_with_script(keys.script)
        cache = self._code_cache
        for i, ranked in candidates:
            entry = self.entries[i]
            score = name_score(keys, entry.keys, query_codes, cache.get(i) or self._entry_codes(i), ranked)
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
