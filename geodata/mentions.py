"""Place mentions in running Arabic or English text.

The text is split into word tokens (with their character spans). Every run of up to
``MAX_WORDS`` tokens that does not cross punctuation is looked up, longest first, among the
gazetteer's names by exact keys only (normal form, skeleton, skeleton without qualifiers): a
mention is a name the gazetteer knows, not a guess. Attached Arabic prepositions and conjunctions
(وقرية، بالشعفة، والبوبدران، للبوكمال) are tried off and left out of the span. Generic words before
a name (قرية، بلدة، حي، village of ...) are left out of the span but give their kind to the
geocoder. A lone word that is also a common word (الجمعة، الحرية، State ...) counts only after such
a word or a preposition like في.

Countryside and direction phrases ("ريف دير الزور الشرقي", "بريف البوكمال", "شرق دير الزور",
"Deir Ezzor eastern countryside", "the countryside of Deir ez-Zor", shortened "Deir countryside",
"ريف الدير") are mentions of the governorate,
district or sub-district meant.

Ambiguous mentions are geocoded a second time in the context of the text's confident mentions
(within 40 km of a town named, or in its district, or in an admin unit named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.core import ADMIN_KINDS, Core
from geodata.model import GeocodeResult, Mention
from geodata.normalise import clitic_variants, name_keys, normalise
from geodata.query import Area
from geodata.resolve import Candidate, Context, decide, rank_name, resolve_area

__all__ = ["find_mentions"]

MAX_WORDS = 6
CONTEXT_RADIUS_KM = 40.0
MIN_NAME_SCORE = 0.9
EXACT_NAME = 0.95

_TOKEN = re.compile(r"[\w\u064b-\u065f\u0670\u0640'’‘`ʿʾ]+", re.UNICODE)
_BREAK = re.compile(r"[.,،;؛:!?؟()\[\]«»\"“”\n\r\t/|]")

_GENERIC_AR = frozenset(
    normalise(w)
    for w in "قرية قرى القرية بلدة بلدات البلدة بلدتي قريتي مدينة المدينة مدينتي حي أحياء حارة مخيم منطقة ناحية محافظة مزرعة".split()
)
_PREPOSITIONS_AR = frozenset(normalise(w) for w in "في فى من إلى الى على عن قرب بالقرب نحو باتجاه داخل محيط أطراف اطراف".split())
_GENERIC_EN = frozenset("village villages town towns city neighbourhood neighborhood district camp area".split())
_PREPOSITIONS_EN = frozenset("in at near of from into outside inside around on".split())
# "village of X", "town of X": the "of" after a generic word is a strong trigger
_COUNTRYSIDE_AR = frozenset({"ريف", "باديه"})
_DIRECTIONS_AR = {
    "شرق": "e", "غرب": "w", "شمال": "n", "جنوب": "s", "شرقي": "e", "غربي": "w", "شمالي": "n", "جنوبي": "s",
    "الشرقي": "e", "الغربي": "w", "الشمالي": "n", "الجنوبي": "s",
}
_DIRECTIONS_EN = {"eastern": "e", "western": "w", "northern": "n", "southern": "s",
                  "east": "e", "west": "w", "north": "n", "south": "s"}

# Words of news reports that are also names of some place: alone, they are not mentions.
_COMMON_AR = frozenset(
    normalise(w)
    for w in (
        "السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة اليوم أمس الماضي المقبل "
        "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين "
        "الحرية السلام الكرامة النصر الثورة الشهداء الشهيد الجيش الدولة الأمن الشرطة التحالف "
        "القوات قوات النظام تنظيم داعش قسد المدنيين مدنيين الأطفال النساء عائلة العائلة "
        "الفرات النهر الجسر الطريق المسجد الجامع المستشفى المدرسة السوق المركز البلد "
        "المنطقة المدينة القرية البلدة الريف الشرق الغرب الشمال الجنوب العراق سوريا السورية "
        "الرئيس الحكومة المعارضة مصادر مصدر محلية المحلية الإعلام الاعلام الطيران الغارات "
        "القصف الهجوم الاشتباكات المعارك العسكرية عسكرية شرقي غربي شمالي جنوبي الخير "
        "الجديد الجديدة القديمة الكبير الكبيرة الصغير الغربية الشرقية الشمالية الجنوبية العربي "
        "العرب الإسلامية الاسلامية الديمقراطية الشعبية الوطني الوطنية الشرقي الغربي الشمالي الجنوبي "
        "فوقاني تحتاني الفوقاني التحتاني واحد اثنان اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة "
        "عشرات مئات ألف آلاف جديدة جديد حالات حالة مسجد صلاة فجر الأسد كبير صغير جملة تلك العالقين "
        "جروح الحقل العربية سورية مشافي الرابعة عثمان عمار سعيد البادية جاءت جاء ريا رياً بستان الضفة "
        "محمد أحمد احمد علي العلي حسين الحسين حسن الحسن عمر العمر جاسم الجاسم خالد الخالد عبد عبدالله "
        "إبراهيم ابراهيم يوسف مصطفى محمود الأحمد المحمد الحمد صالح الصالح الضفة الرابعة الثالثة الثانية "
        "الأولى الخامسة البساتين الحالات الجزيرة الشامية ظهرة الظهرة تلة التلة "
        "تبنى تبنت يتبنى تتبنى تبني"
    ).split()
)
_FUNCTION_AR = frozenset(
    normalise(w)
    for w in (
        "على الى إلى من عن في مع بعد قبل بين حتى منذ عند ضد لدى خلال عبر حول تحت فوق أمام امام وراء دون "
        "غير كل بعض ذلك هذا هذه التي الذي البو ابو أبو بو بني"
    ).split()
)
# In running English text only these stand alone for the Arabic article ("at", "an", "as" are
# English words); the others count only inside a name or hyphenated to it.
_LATIN_ARTICLES = frozenset("al el".split())
_GIVEN_NAMES = frozenset(
    normalise(w)
    for w in (
        "محمد أحمد احمد علي حسين حسن عمر عثمان خالد جاسم ابراهيم إبراهيم يوسف مصطفى محمود عبد صالح سعيد فيصل "
        "سامر ماهر عادل حمد حمود خليل mohammed muhammad mohamed ahmed ahmad ali hussein hassan omar othman "
        "khaled khalid jassim ibrahim youssef mustafa mahmoud abdul abdel saleh saeed faisal samer maher"
    ).split()
)
#: Words of a named site that follow its name in lower case in running English ("the Conoco gas field").
_SITE_TAIL_EN = frozenset("oil gas field fields plant airport airbase base bridge crossing".split())
_ANY_ARTICLE = frozenset("al el as ash ad ar az an at ez es ed er en il ul".split())
_COMMON_EN = frozenset(
    (
        "the a an and or but of in on at by for with from to into near after before during today yesterday "
        "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
        "august september october november december state islamic army forces force coalition democratic "
        "syrian syria iraq iraqi kurdish russian american us u.s isis sdf regime government opposition "
        "civilians civilian children women people mosque hospital school market bridge road river euphrates "
        "village town city area province governorate district countryside east west north south eastern "
        "western northern southern local media sources report reports news agency observatory human rights "
        "killed injured wounded strike strikes airstrike airstrikes attack attacks shelling clashes "
        "martyrs martyr al el as ash ad ar az an at many check also air "
        "mohammed muhammad mohamed ahmed ahmad ali hussein husain hassan hasan omar othman osman uthman jassim "
        "jasim khaled khalid saeed said abdullah ibrahim youssef yusuf mustafa mahmoud abu"
    ).split()
)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    norm: str


@dataclass
class _Found:
    start: int
    end: int
    query: str
    first: int
    last: int
    area: Area | None = None
    trigger: int = 0
    candidates: list[Candidate] | None = None
    match: Candidate | None = None
    name_start: int = -1
    name_first: int = -1
    phrase: str = ""  # the form that matched a name (prepositions off), what is geocoded


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        norm = normalise(m.group(0))
        if norm:
            out.append(_Token(m.start(), m.end(), m.group(0), norm))
    return out


def _connected(text: str, tokens: list[_Token], first: int, last: int) -> bool:
    """No punctuation between the tokens ``first``..``last`` (a name never spans a comma)."""
    return not any(_BREAK.search(text[tokens[i].end : tokens[i + 1].start]) for i in range(first, last))


def _trigger(token: _Token) -> int:
    """2 after a generic word (قرية، بلدة، village), 1 after a preposition (في، قرب، in), else 0."""
    word = token.norm.split()[0] if token.norm else ""
    variants = {word, *(s for _, s in clitic_variants(word))}
    lower = token.text.lower()
    if variants & _GENERIC_AR:
        return 2
    if variants & _PREPOSITIONS_AR or lower in _PREPOSITIONS_EN:
        return 1
    return 0


def _english_generic_of(tokens: list[_Token], i: int) -> bool:
    """True at the "of" of "village of", "town of", "city of"."""
    return i > 0 and tokens[i].text.lower() == "of" and tokens[i - 1].text.lower() in _GENERIC_EN


_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def _original_offset(text: str, letters: int) -> int:
    """Characters of ``text`` spanning its first ``letters`` letters (tashkeel and tatweel skipped)."""
    count = 0
    for index, char in enumerate(text):
        if _MARKS.match(char):
            continue
        if count == letters:
            return index
        count += 1
    return len(text)


def _first_token_forms(token: _Token) -> list[tuple[str, int]]:
    """The first word as written and without attached prepositions: (form, characters skipped).

    "والبوبدران" gives "البوبدران" one character in; "للبوكمال" gives "البوكمال", whose span starts
    after the preposition ل.
    """
    forms = [(token.norm, 0)]
    if token.norm and "\u0600" <= token.norm[0] <= "\u06ff":
        for _, stripped in clitic_variants(token.norm):
            letters = len(token.norm) - len(stripped) if token.norm.endswith(stripped) else 1
            forms.append((stripped, _original_offset(token.text, letters)))
    return forms


def _lookup(core: Core, phrase: str) -> bool:
    """True when some place has a name equal to ``phrase`` by normal form or skeleton.

    A phrase with a qualifier (الشرقي, eastern, فوقاني) must match it: "دير الزور الشرقي" is not
    the name "دير الزور" (the qualifier belongs to the surrounding phrase).
    """
    keys = name_keys(phrase)
    if not keys.skeleton or keys.hint is not None:
        return False
    if keys.skeleton != keys.base:
        return core.index.has_skeleton(keys) or _resolves_among(core, phrase, core.index.qualified_consonant_places(keys))
    return core.index.has_exact(keys)


def _resolves_among(core: Core, phrase: str, places: set[int]) -> bool:
    """True when the resolver picks one of ``places`` for ``phrase`` (a loose look-up confirmed, so a name that
    is claimed is also found; otherwise the words fall back to what they would give without it)."""
    if not places:
        return False
    match, _ = decide(core, rank_name(core, [(phrase, 1.0)], Context()))
    return match is not None and match.position in places


def _acceptable(text: str, tokens: list[_Token], first: int, last: int, phrase: str, triggered: bool) -> bool:
    words = tokens[first : last + 1]
    if "\u0600" <= phrase[:1] <= "\u06ff":
        if phrase in _FUNCTION_AR:
            return False
        if last > first or triggered:
            return True
        return phrase not in _COMMON_AR and len(phrase.replace("ال", "", 1)) >= 3
    # English: names are capitalised and do not end with an article; a lower-case article sits
    # between capitalised words (Deir ez Zor) or is hyphenated to the next word (al-Shaafa)
    lower = [t.text.lower() for t in words]
    if lower[-1] in _ANY_ARTICLE:
        return False
    for index, (token, low) in enumerate(zip(words, lower, strict=True)):
        if token.text[:1].isupper() or token.text[:1].isdigit():
            continue
        if 0 < index and low in _SITE_TAIL_EN:
            continue  # "the al-Omar oil field", "the Deir ez-Zor airport": the site word after the name
        inside = 0 < index and low in _ANY_ARTICLE
        at = first + index
        hyphened = low in _ANY_ARTICLE and index + 1 < len(words) and text[token.end : tokens[at + 1].start] == "-"
        if not (inside or hyphened or (index == 0 and low in _LATIN_ARTICLES and len(words) > 1)):
            return False
    if last > first or triggered:
        return True
    return lower[0] not in _COMMON_EN and len(phrase) >= 3


def _name_at(core: Core, text: str, tokens: list[_Token], first: int, triggered: bool) -> _Found | None:
    for last in range(min(len(tokens), first + MAX_WORDS) - 1, first - 1, -1):
        if not _connected(text, tokens, first, last):
            continue
        rest = " ".join(t.norm for t in tokens[first + 1 : last + 1])
        for form, skip in _first_token_forms(tokens[first]):
            phrase = (form + " " + rest).strip()
            if not _lookup(core, phrase) or not _acceptable(text, tokens, first, last, phrase, triggered or skip > 0):
                continue
            start = tokens[first].start + skip
            return _Found(start, tokens[last].end, text[start : tokens[last].end], first, last, phrase=phrase)
    return None


# --------------------------------------------------------------------------------------------
# Countryside phrases
# --------------------------------------------------------------------------------------------


def _area_ar(core: Core, text: str, tokens: list[_Token], i: int) -> _Found | None:
    """ريف X [الشرقي] / بريف X / شرق X / شرقي X."""
    forms = dict(_first_token_forms(tokens[i]))
    word = next((f for f in forms if f in _COUNTRYSIDE_AR or f in _DIRECTIONS_AR), None)
    if word is None or word.startswith("ال") or i + 1 >= len(tokens):
        return None
    direction = _DIRECTIONS_AR.get(word)
    if word in _COUNTRYSIDE_AR and i + 1 < len(tokens) and tokens[i + 1].norm in _DIRECTIONS_AR:
        return None  # "ريف شرقي": the name follows later; keep it simple
    name = _name_at(core, text, tokens, i + 1, triggered=True)
    if name is None or not _connected(text, tokens, i, name.first):
        return None
    last = name.last
    if last + 1 < len(tokens) and tokens[last + 1].norm in _DIRECTIONS_AR and _connected(text, tokens, last, last + 1):
        last += 1
        direction = direction or _DIRECTIONS_AR[tokens[last].norm]
    start = tokens[i].start + forms[word]
    kind = "countryside" if word in _COUNTRYSIDE_AR else "direction"
    return _Found(start, tokens[last].end, text[start : tokens[last].end], i, last, Area(name.phrase or name.query, direction, kind),
                  name_start=name.start, name_first=name.first)


def _area_en(core: Core, text: str, tokens: list[_Token], i: int) -> _Found | None:
    """[eastern] countryside of X / rural X / X [eastern] countryside / east of X."""

    def lower(k: int) -> str:  # per word asked for: a list of every word per position was quadratic
        return tokens[k].text.lower()

    j = i
    direction = _DIRECTIONS_EN.get(lower(j))
    if direction and j + 1 < len(tokens):
        j += 1
    if lower(j) in {"countryside", "outskirts", "rural"} or (direction and lower(j) == "of"):
        k = j + 1
        while k < len(tokens) and lower(k) in {"of", "the"}:
            k += 1
        name = _name_at(core, text, tokens, k, triggered=True) if k < len(tokens) else None
        if name and _connected(text, tokens, i, name.first):
            kind = "direction" if lower(j) == "of" else "countryside"
            return _Found(tokens[i].start, name.end, text[tokens[i].start : name.end], i, name.last,
                          Area(name.phrase or name.query, direction, kind), name_start=name.start, name_first=name.first)
    return None


def _trailing_countryside(text: str, tokens: list[_Token], found: _Found) -> _Found | None:
    """X countryside / X's eastern countryside."""

    def lower(k: int) -> str:  # per word asked for: a list of every word per position was quadratic
        return tokens[k].text.lower()

    j = found.last + 1
    if j < len(tokens) and lower(j) in {"s", "’s"}:
        j += 1
    direction = None
    if j < len(tokens) and lower(j) in _DIRECTIONS_EN:
        direction, j = _DIRECTIONS_EN[lower(j)], j + 1
    if j < len(tokens) and lower(j) in {"countryside", "outskirts", "suburbs"} and _connected(text, tokens, found.last, j):
        return _Found(found.start, tokens[j].end, text[found.start : tokens[j].end], found.first, j,
                      Area(found.phrase or found.query, direction, "countryside"))
    return None


# "Deir countryside", "eastern Deir countryside", "ريف الدير الشرقي": reporters shorten Deir ez-Zor, but only
# in a countryside phrase is the short form safe to read so (elsewhere "Deir" starts other names).
_DEIR_SHORT_EN = frozenset(w + s for w in ("deir", "dair") for s in ("", "'s", "’s"))
_DEIR_SHORT_AR = frozenset({normalise("الدير")})
_DEIR_FULL = normalise("دير الزور")
_COUNTRYSIDE_EN = frozenset({"countryside", "outskirts", "suburbs"})


def _deir_short(text: str, tokens: list[_Token], i: int) -> _Found | None:
    """[direction] Deir['s] [direction] countryside / ريف الدير [الشرقي]: the countryside of Deir ez-Zor."""

    def lower(k: int) -> str:
        return tokens[k].text.lower()

    direction, last = None, -1
    forms = dict(_first_token_forms(tokens[i]))
    countryside = next((f for f in forms if f in _COUNTRYSIDE_AR), None)
    if countryside is not None and i + 1 < len(tokens) and tokens[i + 1].norm in _DEIR_SHORT_AR:
        last = i + 1
        if last + 1 < len(tokens) and tokens[last + 1].norm in _DIRECTIONS_AR:
            last += 1
            direction = _DIRECTIONS_AR[tokens[last].norm]
        start = tokens[i].start + forms[countryside]
    else:
        j = i + 1 if lower(i) in _DIRECTIONS_EN else i
        if j >= len(tokens) or lower(j) not in _DEIR_SHORT_EN:
            return None
        direction = _DIRECTIONS_EN.get(lower(i))
        k = j + 1
        if k < len(tokens) and lower(k) in {"s", "’s"}:
            k += 1
        if k < len(tokens) and lower(k) in _DIRECTIONS_EN:
            direction, k = direction or _DIRECTIONS_EN[lower(k)], k + 1
        if k >= len(tokens) or lower(k) not in _COUNTRYSIDE_EN:
            return None
        last, start = k, tokens[i].start
    if not _connected(text, tokens, i, last):
        return None
    return _Found(start, tokens[last].end, text[start : tokens[last].end], i, last,
                  Area(_DEIR_FULL, direction, "countryside"))


# --------------------------------------------------------------------------------------------
# Scan and resolve
# --------------------------------------------------------------------------------------------


def _scan(core: Core, text: str, tokens: list[_Token]) -> list[_Found]:
    found: list[_Found] = []
    i = 0
    trigger = 0
    while i < len(tokens):
        hit = _deir_short(text, tokens, i) or _area_ar(core, text, tokens, i) or _area_en(core, text, tokens, i)
        if hit is None:
            hit = _name_at(core, text, tokens, i, trigger > 0)
            if hit is not None and _shadowed(core, text, tokens, hit):
                hit = None
            if hit is not None:
                hit = _trailing_countryside(text, tokens, hit) or hit
        if hit is None:
            trigger = _trigger(tokens[i]) if _connected(text, tokens, i, min(i + 1, len(tokens) - 1)) else 0
            if _english_generic_of(tokens, i):
                trigger = 2
            i += 1
            continue
        attached = hit.start > tokens[hit.first].start  # وقرية، بالشعفة: a preposition was attached
        hit.trigger = max(trigger, 1 if attached else 0)
        found.append(hit)
        trigger = 0
        i = hit.last + 1
    return found


def _shadowed(core: Core, text: str, tokens: list[_Token], hit: _Found) -> bool:
    """"Eastern Deir Ezzor": a direction word that starts a shorter name than the one after it."""
    if hit.first + 1 >= len(tokens) or tokens[hit.first].text.lower() not in _DIRECTIONS_EN:
        return False
    after = _name_at(core, text, tokens, hit.first + 1, True)
    return after is not None and after.end > hit.end


def _resolve_first(core: Core, text: str, item: _Found, generic: str) -> None:
    if item.area is not None:
        unit = resolve_area(core, item.area, Context())
        broad = unit is not None and core.places[unit.position].kind in {"governorate", "district"}
        if item.area.kind == "countryside" or broad:
            item.candidates = [unit] if unit else []
            item.match = unit
            return
        # "شرق هجين", "east of Hajin": the town is the reference point, the mention is the town
        item.area, item.start, item.first = None, item.name_start, item.name_first
        item.query = item.phrase = text[item.start : item.end]
    texts = [((generic + " " + (item.phrase or item.query)).strip(), 1.0)]
    item.candidates = rank_name(core, texts, Context())
    item.match, _ = decide(core, item.candidates)


def _text_context(core: Core, found: list[_Found]) -> Context:
    context = Context()
    for item in found:
        if item.match is None:
            continue
        place = core.places[item.match.position]
        context.regions.update(r for r in (place.admin1,) if r)  # a far place in the same governorate may be meant
        if place.kind in ADMIN_KINDS:
            context.admin.add(place.id)
        else:
            context.points.append((place.lat, place.lon, CONTEXT_RADIUS_KM))
            if place.admin2:
                context.admin.add(place.admin2)
    return context


def _generic_before(tokens: list[_Token], item: _Found) -> str:
    if item.first == 0:
        return ""
    word = tokens[item.first - 1].norm
    forms = {word, *(s for _, s in clitic_variants(word))}
    generic = next((f for f in forms if f in _GENERIC_AR), "")
    if not generic and tokens[item.first - 1].text.lower() in _GENERIC_EN:
        generic = tokens[item.first - 1].text.lower()
    return generic


def find_mentions(core: Core, text: str) -> list[Mention]:
    """Find place mentions in ``text`` and geocode them in the context of each other.

    Parameters
    ----------
    core : Core
        The gazetteer.
    text : str
        Running Arabic or English text.

    Returns
    -------
    list of Mention
        In text order; ``text[m.start:m.end] == m.surface``.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    tokens = _tokens(text)
    found = _scan(core, text, tokens)
    generics = [_generic_before(tokens, item) for item in found]
    for item, generic in zip(found, generics, strict=True):
        _resolve_first(core, text, item, generic)
    context = _text_context(core, [f for f in found if _keep(core, tokens, f)])
    for item, generic in zip(found, generics, strict=True):
        if item.match is None and item.area is None and not context.empty:
            item.candidates = rank_name(core, [((generic + " " + (item.phrase or item.query)).strip(), 1.0)], context)
            item.match, _ = decide(core, item.candidates, context)
    return [_mention(core, item) for item in found if _keep(core, tokens, item)]


def _keep(core: Core, tokens: list[_Token], item: _Found) -> bool:
    """Whether a found name is a mention worth reporting.

    Countryside phrases and names of several words are kept. A single word is kept after a
    generic word (قرية، بلدة، village); after a preposition (في، قرب، in, or attached و/ب/ل) if it
    is a confident match in Deir ez-Zor or a neighbouring governorate, or a town; alone only if it
    is a town, or a community of those governorates on the OCHA list or in GeoNames. Common words
    that are also names of hamlets far away (جديدة، ثمانية، حالات، Many ...) are thus left out.
    """
    words = [t for t in tokens[item.first : item.last + 1] if t.norm not in _LATIN_ARTICLES]
    if item.area is not None or item.trigger >= 2:
        return True
    if len(words) > 1:
        # "محمد حسين", "Hussein Hamada": villages named after people, but in a report a person (not "the Omar field")
        return item.trigger > 0 or words[0].norm not in _GIVEN_NAMES or words[-1].text.lower() in _SITE_TAIL_EN
    if item.match is None or item.match.name_score < EXACT_NAME:
        return False
    if normalise(item.phrase or item.query) in _COMMON_AR:
        return False
    if words and words[0].text.isupper() and len(words[0].text) <= 4:
        return False  # AIR, SANA: acronyms
    position = item.match.position
    kind = core.places[position].kind
    if kind in {"city", "town", "governorate", "district"}:
        return True
    if core.tiers[position] > 1:
        return False
    return item.trigger == 1 or core.prominence[position] >= 0.75


def _mention(core: Core, item: _Found) -> Mention:
    candidates = [core.match(c.position, c.score) for c in (item.candidates or [])[:10]]
    match = core.match(item.match.position, item.match.score) if item.match else None
    if match is not None and item.area is None:
        candidates = [match, *[c for c in candidates if c.id != match.id]]
    result = GeocodeResult(query=item.query, match=match, candidates=candidates)
    return Mention(start=item.start, end=item.end, surface=item.query, result=result)
