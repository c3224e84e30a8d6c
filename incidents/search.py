"""Free-text search keys: text from reports and queries reduced so that spelling variants meet.

Each word is folded with the gazetteer's normalisation (Arabic letter forms, diacritics, article and
attached particles; Latin transliteration variants), so "الشعفة", "شعفه", "Shaafa" and "al-Sha'fa" find the
same incidents.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_WORD = re.compile(r"\w+", re.UNICODE)


def _fold_arabic(word: str) -> str:
    word = re.sub(r"[\u064B-\u0652\u0670\u0640]", "", word)  # tashkeel, dagger alef, tatweel
    word = re.sub("[أإآٱ]", "ا", word).replace("ة", "ه").replace("ى", "ي").replace("ؤ", "و").replace("ئ", "ي")
    for prefix in ("وال", "بال", "فال", "كال", "لل", "ال"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return word


def _fold_latin(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(c for c in word if not unicodedata.combining(c))
    word = re.sub(r"^(al|el|ar|as|ash|ad|az|at)(?=[a-z]{3})", "", word)
    for old, new in (("ou", "u"), ("ee", "i"), ("oo", "u"), ("q", "k"), ("aa", "a"), ("ei", "ay"), ("'", "")):
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", word)


def search_key(text: str | None) -> str:
    """Return the search key of ``text``: words folded across spelling variants, joined by single spaces."""
    if not text:
        return ""
    words = _WORD.findall(str(text).replace("'", "").replace("’", "").replace("ʿ", ""))
    folded = (_fold_arabic(w) if _ARABIC.search(w) else _fold_latin(w) for w in words)
    return " ".join(w for w in folded if w)
