"""Free-text search keys: text from reports and queries reduced so that spelling variants meet.

Each word is reduced to the gazetteer's per-script skeleton (Arabic letter forms, diacritics, the article and
attached particles; Latin transliteration variants such as al-/el-, ou/u, ee/i, q/k, doubled letters), so
"الشعفة", "شعفه", "Shaafa" and "al-Sha'fa" find the same incidents.
"""

from __future__ import annotations

from functools import lru_cache

from geodata.normalise import normalise, skeleton


@lru_cache(maxsize=262144)
def _word_key(word: str) -> str:
    return skeleton(word).split("~", 1)[0] or word


def search_key(text: str | None) -> str:
    """Return the search key of ``text``: each word's skeleton, joined by single spaces."""
    if not text:
        return ""
    return " ".join(k for k in (_word_key(w) for w in normalise(str(text)).split()) if k)
