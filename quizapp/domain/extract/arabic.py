"""Date expressions in Arabic text: "في 21 يناير 1924"، "15 مايو/ أيار 1948"، "خلال عام 1917".

The text comes with its digits already Western (a one-to-one translation keeps offsets). Nothing is
normalised before matching: hamza and alef forms are listed as spelling variants instead, because
normalising turns أكتوبر into something no month table holds (see notes.md). Word edges are "not a
letter, digit or harakah" rather than "outside the Arabic block": the comma "،" lies inside the
block, and a date written just before it must still be found.
"""

from __future__ import annotations

import re

from quizapp.domain.dates import DateStyle, month_names

from .common import Found, alternation, coordinated, expand_short_year, make_date, pick, squash, wordset

# Not preceded / followed by a letter, digit or harakah (tanwin in "عامًا" is not \w).
NB = r"(?<![\w\u064B-\u065F\u0670])"
NA = r"(?![\w\u064B-\u065F\u0670])"
#: Clitics glued to a lead word: "وفي"، "فخلال"، "وبحلول"، "لعام".
CL = r"(?:[وفبل]{1,2})?"

_EXTRA_MONTHS = {
    # Spelling variants seen in print; each is listed, none is produced by normalising.
    "ابريل": 4, "إبريل": 4, "أبريل": 4, "اغسطس": 8, "أغسطوس": 8, "اكتوبر": 10, "يونيه": 6,
    "يوليه": 7, "ايار": 5, "اذار": 3, "ايلول": 9, "أذار": 3, "كانون ثاني": 1, "كانون أول": 12,
    "تشرين أول": 10, "تشرين ثاني": 11, "تشرين الاول": 10, "كانون الاول": 12,
}  # fmt: skip

GREGORIAN: dict[str, int] = {
    **month_names("ar", DateStyle(arabic_months="eg")),
    **month_names("ar", DateStyle(arabic_months="lev")),
    **_EXTRA_MONTHS,
}

HIJRI: dict[str, int] = {
    "محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الاول": 3, "ربيع الآخر": 4, "ربيع الثاني": 4,
    "جمادى الأولى": 5, "جمادى الأول": 5, "جمادى الآخرة": 6, "جمادى الثانية": 6, "رجب": 7,
    "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12,
    "ذي الحجة": 12,
}  # fmt: skip

_UNITS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
ORDINALS: dict[str, int] = {"أول": 1, "الأول": 1, "الاول": 1, "العاشر": 10, "العشرين": 20, "الثلاثين": 30}
ORDINALS |= {word: i + 1 for i, word in enumerate(_UNITS)}
ORDINALS |= {("الحادي" if i == 0 else word) + " عشر": 11 + i for i, word in enumerate(_UNITS)}
ORDINALS |= {("الحادي" if i == 0 else word) + " والعشرين": 21 + i for i, word in enumerate(_UNITS)}
ORDINALS["الحادي والثلاثين"] = 31

_DECADES = {
    "عشرين": 20, "ثلاثين": 30, "أربعين": 40, "اربعين": 40, "خمسين": 50, "ستين": 60, "سبعين": 70,
    "ثمانين": 80, "تسعين": 90,
}  # fmt: skip
_CENTURIES = {
    "السابع عشر": 1600, "الثامن عشر": 1700, "التاسع عشر": 1800, "العشرين": 1900, "الماضي": 1900,
    "الحادي والعشرين": 2000, "17": 1600, "18": 1700, "19": 1800, "20": 1900, "21": 2000,
}  # fmt: skip

#: Words before a day and month that make them a name, not a date: "ثورة 23 يوليو".
NAME_WORDS = wordset("ثورة حرب انتفاضة حركة ميدان شارع جامعة جسر كوبري مدينة نصر عيد ذكرى معركة اتفاقية")
#: Words after a number that make it a count or a measure, not a year.
COUNT_WORDS = wordset("""شخص أشخاص جندي جنود قتيل قتلى جريح رجل رجال امرأة نساء مقاتل مقاتلا مقاتلين طفل أطفال
    ساعة ساعات دقيقة دقائق يوم أيام يوما يومًا كم كيلومتر كيلومترات متر مترا أمتار ميل طن أطنان
    دولار جنيه ليرة فرنك نسمة عامل سفينة طائرة دبابة مدفع مرة صفحة عضو نائب ألف آلاف مليون
    مليار سنتيمتر سنتيمترات أسير أسرى لاجئ مهاجر""")

_M = alternation(GREGORIAN)
_MONTH = rf"(?P<m1>{_M})(?:\s*[/(\-–]\s*(?P<m2>{_M})\s*\)?)?"
_ERA = r"(?:\s*(?P<era>هـ|ه|هجرية|هجري|للهجرة|م|ميلادية|ميلادي|للميلاد)" + NA + ")?"
_YEARWORD = r"(?:ال)?(?:عام|سنة|عامي|سنتي)"
_DAY = rf"(?P<d>\d{{1,2}}|{alternation(ORDINALS)})(?:\s+من)?\s+"
_YEAR_AFTER_MONTH = rf"(?:\s*,?\s*(?:من\s+)?(?:{_YEARWORD}\s*)?(?P<y>\d{{3,4}})(?!\d){_ERA})"

#: "في 5 نوفمبر من العام نفسه": a day and month that say outright they take the year in context.
_SAME_YEAR = (
    r"\s+(?:من\s+)?(?:(?P<same>(?:ال)?(?:عام|سنة)\s+(?:نفسه|نفسها|ذاته|ذاتها)|(?:نفس|ذات)\s+(?:ال)?(?:عام|سنة))"
    r"|(?P<next>(?:ال)?(?:عام|سنة)\s+(?:ال)?(?:تالي|تالية|لاحق|لاحقة|موالي|موالية))"
    r"|(?P<prev>(?:ال)?(?:عام|سنة)\s+(?:ال)?(?:سابق|سابقة)))"
)
#: "في يوليو"، "وفي شهر أغسطس": a month alone, after a lead word, taking the year in context.
MONTH_ALONE = re.compile(
    rf"{NB}{CL}(?:في|خلال|منذ|حتى|بحلول|مطلع|أوائل|منتصف|أواسط|أواخر|نهاية|بداية|مع)\s+(?:شهر\s+)?"
    rf"(?P<x>{_MONTH}(?:{_SAME_YEAR})?){NA}(?!\s*[/(\-–]?\s*(?:{_YEARWORD}\s*)?\d)"
)
#: "عامي 1979 و1983"، "1948 و1967": a year joined to the one before it.
COORDINATED = re.compile(rf"\s*(?:،\s*|,\s*)?و\s*(?:(?:ال)?(?:عام|سنة)\s*)?(?P<x>(?P<y>\d{{4}}))(?!\d){NA}")
FULL = re.compile(rf"{NB}(?P<x>{_DAY}{_MONTH}(?:{_YEAR_AFTER_MONTH}|{_SAME_YEAR})?){NA}")
MONTH_YEAR = re.compile(rf"{NB}(?P<x>{_MONTH}{_YEAR_AFTER_MONTH}){NA}")
YEAR_NOUN = re.compile(rf"{NB}{CL}(?P<x>{_YEARWORD}\s*(?P<y>\d{{3,4}})(?!\d){_ERA})")
_LEADS = (
    "في خلال بحلول منذ حتى قبل بعد إلى الى مطلع أوائل منتصف أواسط أواخر نهاية بداية مع ربيع صيف خريف شتاء"
)
YEAR_LEAD = re.compile(
    rf"{NB}{CL}(?P<lead>{alternation(_LEADS.split())})\s+(?P<x>(?P<y>\d{{4}})(?!\d){_ERA})"
)
#: "انتخابات 1943"، "ثورة 1919": an event named by its year; it looks back, so no new context.
EVENT_NOUNS = "انتخابات ثورة حرب معاهدة اتفاقية مؤتمر دستور أحداث نكبة نكسة انتفاضة هدنة أزمة"
YEAR_EVENT = re.compile(
    rf"{NB}{CL}(?:ال)?(?:{alternation(EVENT_NOUNS.split())})\s+(?P<x>(?P<y>\d{{4}}))(?!\d){NA}"
)
YEAR_ERA = re.compile(
    rf"{NB}(?P<x>(?P<y>\d{{3,4}})\s*(?P<era>م|ميلادية|ميلادي|للميلاد|هـ|ه|هجرية|هجري|للهجرة)){NA}"
)
HIJRI_YEAR = re.compile(rf"{NB}{CL}(?P<x>(?:{_YEARWORD}\s*)?(?P<y>\d{{1,4}})\s*(?:هـ|ه|هجرية|للهجرة)){NA}")
HIJRI_DATE = re.compile(
    rf"{NB}(?P<x>(?:(?P<d>\d{{1,2}})\s+)?(?P<hm>{alternation(HIJRI)})\s+(?:من\s+)?(?:{_YEARWORD}\s*)?"
    rf"(?P<y>\d{{1,4}})(?:\s*(?:هـ|ه|هجرية|للهجرة))?){NA}"
)
_RANGE_JOIN = r"\s*(?:م\s*)?(?:إلى|الى|حتى|و|-|–|—)\s*"
RANGE_FROM = re.compile(
    rf"{NB}{CL}(?P<lead>من|بين)\s+(?P<x>(?:{_YEARWORD}\s*)?(?P<y1>\d{{3,4}}){_RANGE_JOIN}"
    rf"(?:{_YEARWORD}\s*)?(?P<y2>\d{{3,4}}))(?!\d)"
)
RANGE_DASH = re.compile(
    rf"{NB}{CL}(?P<x>(?:{_YEARWORD}\s*)?(?P<y1>\d{{3,4}})\s*[-–—]\s*(?P<y2>\d{{2,4}}))(?!\d)"
)
DECADE = re.compile(
    rf"{NB}{CL}(?P<x>(?:ال)?(?P<dw>{alternation(_DECADES)})(?:ي)?ات"
    rf"(?:\s+(?:من\s+)?(?:ال)?قرن\s+(?P<c>{alternation(_CENTURIES)}))?){NA}"
)

_RELATIVE: list[tuple[str, str, int]] = [
    (r"(?:ال)?(?:عام|سنة)\s+(?:ال)?(?:تالي|تالية|لاحق|لاحقة|موالي|موالية)|العام\s+الذي\s+تلا(?:ه|ها)?"
     r"|بعد\s+ذلك\s+بعام|بعدها\s+بعام", "year", 1),
    (r"بعد\s+ذلك\s+بعامين|بعد\s+ذلك\s+بسنتين|بعدها\s+بعامين", "year", 2),
    (r"(?:ال)?(?:عام|سنة)\s+(?:نفسه|نفسها|ذاته|ذاتها)|(?:نفس|ذات)\s+(?:ال)?(?:عام|سنة)", "year", 0),
    (r"(?:ال)?(?:عام|سنة)\s+(?:ال)?(?:سابق|سابقة)|العام\s+الذي\s+سبق(?:ه|ها)?|قبل\s+ذلك\s+بعام|قبلها\s+بعام",
     "year", -1),
    (r"قبل\s+ذلك\s+بعامين|قبل\s+ذلك\s+بسنتين|قبلها\s+بعامين", "year", -2),
    (r"(?:صباح\s+)?اليوم\s+(?:التالي|الموالي|الذي\s+يليه|الذي\s+تلاه)|بعد\s+ذلك\s+بيوم|غداة\s+ذلك",
     "day", 1),
    (r"اليوم\s+(?:نفسه|ذاته)|(?:نفس|ذات)\s+اليوم", "day", 0),
    (r"الشهر\s+(?:التالي|الموالي|الذي\s+يليه|الذي\s+تلاه)|بعد\s+ذلك\s+بشهر", "month", 1),
    (r"الشهر\s+(?:نفسه|ذاته)|(?:نفس|ذات)\s+الشهر", "month", 0),
]  # fmt: skip
# One pattern with a group per phrase: one pass over the text instead of one per phrase.
RELATIVE = re.compile(
    rf"{NB}{CL}(?:(?:في|خلال|طوال)\s+)?(?P<x>"
    + "|".join(f"(?P<r{i}>{pattern})" for i, (pattern, _, _) in enumerate(_RELATIVE))
    + rf"){NA}"
)

#: "بعد ست سنوات"، "قبل ثلاث سنوات"، "بعد عامين"، "بعد 6 سنوات"، "بعد ذلك بستة أشهر": a count of
#: years, months or days after (or before) the date in context. The number words in both genders.
_COUNTS = {
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "اربع": 4, "اربعة": 4, "خمس": 5, "خمسة": 5,
    "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمانية": 8, "ثمان": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10,
}  # fmt: skip
_UNIT_WORDS = {
    "year": (r"(?:سنوات|سنين|أعوام|اعوام|سنة|عام(?:اً|ًا|ا)?)", r"(?:عامين|سنتين)", r"(?:عام|سنة)"),
    "month": (r"(?:أشهر|اشهر|شهور|شهر(?:اً|ًا|ا)?)", r"(?:شهرين)", r"(?:شهر)"),
    "day": (r"(?:أيام|ايام|يوم(?:اً|ًا|ا)?)", r"(?:يومين)", r"(?:يوم)"),
}
_N_WORD = alternation(_COUNTS)
COUNTED = re.compile(
    rf"{NB}{CL}(?P<x>(?P<dir>بعد|قبل)\s+(?:(?:ذلك|ها|هذا)\s+)?ب?(?:"
    + "|".join(
        rf"(?:(?P<n_{u}>{_N_WORD}|\d{{1,2}})\s+{many})|(?P<two_{u}>{two})|(?P<one_{u}>{one})(?!\s*\d)"
        for u, (many, two, one) in _UNIT_WORDS.items()
    )
    + rf")){NA}(?!\s+(?:ونصف|من\s+(?!ذلك|هذا)))"
)

_NO_CONTEXT_LEADS = ("منذ", "ولد", "مواليد", "المولود", "وُلد", "ولدت")


def _word_before(text: str, start: int) -> str:
    """The word just before `start`, without its clitics and article."""
    words = re.findall(r"[\w\u064B-\u065F]+", text[max(0, start - 30) : start])
    if not words:
        return ""
    word = re.sub(r"[\u064B-\u065F]", "", words[-1])
    for prefix in ("وال", "فال", "بال", "ال", "و", "ف"):
        if word.startswith(prefix) and word[len(prefix) :] in NAME_WORDS:
            return word[len(prefix) :]
    return word


def _is_count(text: str, end: int) -> bool:
    """True when the number ending at `end` is followed by a unit or a count noun, or a percent."""
    tail = text[end : end + 30]
    if re.match(r"\s*(?:%|٪|في\s*الما?ئة|بالما?ئة)", tail):
        return True
    word = re.match(r"\s*([\w\u064B-\u065F]+)", tail)
    if not word:
        return False
    plain = re.sub(r"[\u064B-\u065F]", "", word.group(1))
    return plain in COUNT_WORDS or plain.removeprefix("ال") in COUNT_WORDS


def _sets_context(text: str, start: int, end: int) -> bool:
    """False for a date in brackets or after "منذ"/"ولد": it looks back, the story stays put."""
    before = text[max(0, start - 25) : start]
    if any(word in before.split()[-2:] for word in _NO_CONTEXT_LEADS):
        return False
    return not (before.rstrip().endswith("(") and text[end : end + 5].lstrip().startswith(")"))


def _month(match: re.Match[str]) -> int:
    return GREGORIAN[squash(match.group("m1"))]


def _is_hijri_era(match: re.Match[str]) -> bool:
    era = match.groupdict().get("era")
    return bool(era) and (era.startswith("ه") or era == "للهجرة")


def find(text: str) -> list[Found]:
    """Every date expression in an Arabic text (digits already Western), longest first on overlap."""
    found: list[Found] = []

    def add(match: re.Match[str], **fields) -> None:
        start, end = match.span("x")
        fields.setdefault("sets_context", _sets_context(text, start, end))
        found.append(Found(start, end, **fields))

    for m in FULL.finditer(text):
        day = int(m["d"]) if m["d"].isdigit() else ORDINALS[squash(m["d"])]
        if m["y"] is None:
            if _word_before(text, m.start("x")) not in NAME_WORDS:
                shift = 1 if m["next"] else -1 if m["prev"] else 0
                add(m, kind="noyear", month=_month(m), day=day, delta=shift)
        elif not _is_hijri_era(m) and (date := make_date(int(m["y"]), _month(m), day)):
            add(m, kind="date", date=date)
    for m in MONTH_YEAR.finditer(text):
        if _is_hijri_era(m):
            continue
        if _word_before(text, m.start("x")) in NAME_WORDS:
            # "ثورة أكتوبر 1917": the month belongs to the name; only the year is the text's.
            start, end = m.span("y")
            if date := make_date(int(m["y"])):
                found.append(Found(start, end, "date", date, sets_context=_sets_context(text, start, end)))
        elif date := make_date(int(m["y"]), _month(m)):
            add(m, kind="date", date=date)
    for pattern in (YEAR_NOUN, YEAR_LEAD, YEAR_ERA):
        for m in pattern.finditer(text):
            if _is_hijri_era(m) or _is_count(text, m.end("y")):
                continue
            if date := make_date(int(m["y"])):
                ctx = _sets_context(text, m.start("x"), m.end("x"))
                if m.groupdict().get("lead") == "منذ":
                    ctx = False
                add(m, kind="date", date=date, sets_context=ctx)
    for m in YEAR_EVENT.finditer(text):
        if not _is_count(text, m.end("y")) and (date := make_date(int(m["y"]))):
            add(m, kind="date", date=date, sets_context=False)
    for m in HIJRI_YEAR.finditer(text):
        add(m, kind="hijri", hijri=str(int(m["y"])), sets_context=False)
    for m in HIJRI_DATE.finditer(text):
        parts = [str(int(m["y"])), f"{HIJRI[squash(m['hm'])]:02d}"]
        if m["d"]:
            parts.append(f"{int(m['d']):02d}")
        add(m, kind="hijri", hijri="-".join(parts), sets_context=False)
    for pattern in (RANGE_FROM, RANGE_DASH):
        for m in pattern.finditer(text):
            first, last = int(m["y1"]), expand_short_year(int(m["y1"]), m["y2"])
            start, end = make_date(first), make_date(last)
            if start and end and 0 < last - first < 200 and not _is_count(text, m.end("x")):
                add(m, kind="date", date=start, range_end=end)
    for m in DECADE.finditer(text):
        century = _CENTURIES[squash(m["c"])] if m["c"] else 1900
        if date := make_date(century + _DECADES[m["dw"]]):
            add(m, kind="date", date=date, decade=True, sets_context=False)
    for m in MONTH_ALONE.finditer(text):
        if _word_before(text, m.start("x")) not in NAME_WORDS:
            shift = 1 if m["next"] else -1 if m["prev"] else 0
            add(m, kind="noyear", month=_month(m), day=None, delta=shift)
    for m in COUNTED.finditer(text):
        unit = next(u for u in _UNIT_WORDS if m[f"n_{u}"] or m[f"two_{u}"] or m[f"one_{u}"])
        n = m[f"n_{unit}"]
        count = (int(n) if n.isdigit() else _COUNTS[n]) if n else 2 if m[f"two_{unit}"] else 1
        add(m, kind="relative", unit=unit, delta=count if m["dir"] == "بعد" else -count)
    found += coordinated(text, found, COORDINATED, lambda end: _is_count(text, end))
    for m in RELATIVE.finditer(text):
        _, unit, delta = next(r for i, r in enumerate(_RELATIVE) if m.group(f"r{i}") is not None)
        add(m, kind="relative", unit=unit, delta=delta)
    return pick(found)
