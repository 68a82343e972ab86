"""Date expressions in English text: "21 August 1940", "August 21, 1940", "in 1928", "the 1930s".

Month names must be capitalised: "may" and "march" are also verbs. A bare year needs a lead word
("in", "by", "since" ...) and no count noun after it, so "1500 soldiers" and "48 hours" stay numbers.
"""

from __future__ import annotations

import re

from quizapp.domain.dates import month_names

from .common import Found, alternation, coordinated, expand_short_year, make_date, pick, squash, wordset

MONTHS: dict[str, int] = month_names("en") | {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
    "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip

HIJRI: dict[str, int] = {
    "Muharram": 1, "Safar": 2, "Rabi al-Awwal": 3, "Rabi' al-Awwal": 3, "Rabi al-Thani": 4,
    "Rabi' al-Thani": 4, "Rabi al-Akhir": 4, "Jumada al-Ula": 5, "Jumada al-Awwal": 5,
    "Jumada al-Akhirah": 6, "Jumada al-Thani": 6, "Rajab": 7, "Shaban": 8, "Sha'ban": 8,
    "Ramadan": 9, "Shawwal": 10, "Dhu al-Qadah": 11, "Dhu al-Qa'dah": 11, "Dhu al-Hijjah": 12,
}  # fmt: skip

COUNT_WORDS = wordset(
    """people persons men women children soldiers troops fighters dead killed wounded casualties
    prisoners refugees workers hours minutes days weeks months years km kilometres kilometers miles
    metres meters feet tons tonnes dollars pounds francs ships planes aircraft tanks guns pages
    members deputies votes inhabitants residents times percent per cent"""
)
#: Words allowed right after a three-digit year ("in 711 the Umayyads"); others make it a count.
_AFTER_SHORT_YEAR = wordset("the when and after before during a an as with")
_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip

_M = rf"(?P<m>{alternation(MONTHS)})(?:\.(?=\s))?(?![A-Za-z])"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{3,4})(?![\d])(?!\s*(?:BC|BCE|B\.C\.))(?:\s*(?:AD|CE|A\.D\.))?"

#: "May 25 of the same year": a day and month that say outright they take the year in context.
_SAME = (
    r"\s+(?:of\s+)?(?:(?P<same>that|the\s+same|that\s+same)|(?P<next>the\s+(?:following|next))"
    r"|(?P<prev>the\s+(?:previous|preceding)))\s+year"
)
FULL_DM = re.compile(rf"(?<![\w])(?:the\s+)?(?P<x>{_DAY}\s+(?:of\s+)?{_M}(?:,?\s+{_YEAR}|{_SAME})?)(?!\w)")
FULL_MD = re.compile(rf"(?<![\w])(?P<x>{_M}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR}|{_SAME})?)(?![\w])")
MONTH_YEAR = re.compile(rf"(?<![\w])(?P<x>{_M},?\s+(?:of\s+)?{_YEAR})(?![\w])")
_LEADS = (
    "about approximately roughly in by since until till from to during before after of around circa c."
    " early late mid spring summer autumn fall winter year through"
)
YEAR_LEAD = re.compile(
    rf"(?<![\w])(?P<lead>(?i:{alternation(_LEADS.split())}))[\s-]+(?:the\s+year\s+)?"
    rf"(?P<x>{_YEAR})(?![\w])(?![.,]\d)"
)
YEAR_AD = re.compile(r"(?<![\w])(?P<x>(?:AD|A\.D\.)\s*(?P<y>\d{1,4}))(?![\d])")
DECADE = re.compile(r"(?<![\w])(?:the\s+)?(?P<x>(?:(?i:early|mid|late)-?\s*)?(?P<dec>\d{3}0)'?s)(?![\w])")
RANGE_FROM = re.compile(
    r"(?<![\w])(?P<lead>(?i:from|between))\s+(?:the\s+years?\s+)?"
    r"(?P<x>(?P<y1>\d{3,4})\s+(?:to|until|till|and|through)\s+(?P<y2>\d{2,4}))(?![\d\w])"
)
RANGE_DASH = re.compile(r"(?<![\w\-])(?P<x>(?P<y1>\d{3,4})\s*[-–—]\s*(?P<y2>\d{2,4}))(?![\d\w])")
#: "in July", "by October": a month alone after a lead word, taking the year in context.
MONTH_ALONE = re.compile(
    rf"(?<![\w])(?i:in|during|by|until|till|since|from|early|late|mid|in\s+early|in\s+late)[\s-]+"
    rf"(?P<x>{_M}(?:{_SAME})?)(?![\w])(?!,?\s+(?:of\s+)?\d)"
)
#: "in 1979 and 1983", "in 1389, 1396 and 1402": a year joined to the one before it.
COORDINATED = re.compile(r"(?:\s*,)?\s+(?:and|or)?\s*(?P<x>(?P<y>\d{4}))(?![\d\w])(?![.,]\d)")
HIJRI_DATE = re.compile(
    rf"(?<![\w])(?P<x>(?:(?P<d>\d{{1,2}})\s+)?(?P<hm>{alternation(HIJRI)})\s+(?P<y>\d{{1,4}})"
    r"(?:\s*(?:AH|A\.H\.))?)(?![\w])"
)
HIJRI_YEAR = re.compile(r"(?<![\w])(?P<x>(?:(?P<y>\d{1,4})\s*(?:AH|A\.H\.)|AH\s*(?P<y2>\d{1,4})))(?![\w])")

_N = rf"(?P<n>{'|'.join(_NUMBERS)}|\d{{1,2}})"
_RELATIVE: list[tuple[str, str, int]] = [
    (r"(?:the\s+)?(?:following|next|succeeding|subsequent)\s+year|(?:a|one)\s+year\s+later"
     r"|the\s+year\s+after(?:wards)?", "year", 1),
    (rf"{_N}\s+years\s+(?:later|afterwards)", "year", 0),
    # "two years earlier"; "two years before" only when nothing follows ("before the war" is not).
    (rf"{_N}\s+years\s+(?:earlier|before(?=\s*[,.;]))", "year", -1),
    (r"(?:a|one)\s+month\s+earlier", "month", -1),
    (rf"{_N}\s+months\s+(?:earlier|before(?=\s*[,.;]))", "month", -1),
    (r"(?:a|one)\s+day\s+earlier|the\s+(?:previous|preceding)\s+day", "day", -1),
    (rf"{_N}\s+days\s+(?:earlier|before(?=\s*[,.;]))", "day", -1),
    (r"(?:(?:later|earlier)\s+)?(?:that|the)\s+same\s+year|(?:later|earlier)\s+that\s+year", "year", 0),
    (r"the\s+(?:previous|preceding)\s+year|the\s+year\s+before|a\s+year\s+earlier", "year", -1),
    # "the day after" alone; "to the day after the assassination" is not a date.
    (r"the\s+(?:following|next)\s+(?:day|morning)|the\s+day\s+after(?=\s*[,.;]|\s+that\b)"
     r"|a\s+day\s+later", "day", 1),
    (rf"{_N}\s+days\s+later", "day", 0),
    (r"(?:that|the)\s+same\s+day|later\s+that\s+day", "day", 0),
    (r"the\s+(?:following|next)\s+month|a\s+month\s+later", "month", 1),
    (rf"{_N}\s+months\s+later", "month", 0),
    (r"(?:that|the)\s+same\s+month|later\s+that\s+month", "month", 0),
]  # fmt: skip
# One pattern with a group per phrase: one pass over the text instead of one per phrase. The
# "N years later" phrases each need their own number group, so they are renamed per phrase.
RELATIVE = re.compile(
    r"(?<![\w])(?P<x>(?i:"
    + "|".join(f"(?P<r{i}>{p.replace('?P<n>', f'?P<n{i}>')})" for i, (p, _, _) in enumerate(_RELATIVE))
    + r"))(?![\w])"
)

_NAME_AFTER = re.compile(r"\s+(?:Revolution|War|Crisis|Uprising|Rising|Accords?|Agreement|Street|Square)\b")


def _is_count(text: str, end: int, short: bool) -> bool:
    """True when the number ending at `end` is a count, a measure or a percentage."""
    tail = text[end : end + 30]
    if re.match(r"\s*(?:%|percent|per\s+cent)", tail):
        return True
    word = re.match(r"\s+([A-Za-z]+)", tail)
    if not word:
        return False
    following = word.group(1)
    if following.lower() in COUNT_WORDS:
        return True
    return short and following.islower() and following not in _AFTER_SHORT_YEAR


def _sets_context(text: str, start: int, end: int, lead: str | None = None) -> bool:
    """False for a date in brackets, or after "since" or "born": it looks back, the story stays."""
    if lead and lead.lower() == "since":
        return False
    before = text[max(0, start - 20) : start].lower().split()
    if before and before[-1].strip("(") in ("born", "b.", "since"):
        return False
    if len(before) > 1 and before[-2:] == ["born", "in"]:
        return False
    return not (
        text[max(0, start - 5) : start].rstrip().endswith("(")
        and text[end : end + 5].lstrip().startswith(")")
    )


def find(text: str) -> list[Found]:
    """Every date expression in an English text, longest first on overlap."""
    found: list[Found] = []

    def add(match: re.Match[str], **fields) -> None:
        start, end = match.span("x")
        fields.setdefault("sets_context", _sets_context(text, start, end))
        found.append(Found(start, end, **fields))

    for pattern in (FULL_DM, FULL_MD):
        for m in pattern.finditer(text):
            month, day = MONTHS[squash(m["m"])], int(m["d"])
            if m["y"] is None:
                if not _NAME_AFTER.match(text, m.end("x")):
                    shift = 1 if m["next"] else -1 if m["prev"] else 0
                    add(m, kind="noyear", month=month, day=day, delta=shift)
            elif date := make_date(int(m["y"]), month, day):
                add(m, kind="date", date=date)
    for m in MONTH_YEAR.finditer(text):
        if date := make_date(int(m["y"]), MONTHS[squash(m["m"])]):
            add(m, kind="date", date=date)
    for m in YEAR_LEAD.finditer(text):
        short = len(m["y"]) < 4
        if _is_count(text, m.end("x"), short):
            continue
        if date := make_date(int(m["y"])):
            add(m, kind="date", date=date, sets_context=_sets_context(text, *m.span("x"), m["lead"]))
    for m in YEAR_AD.finditer(text):
        if date := make_date(int(m["y"])):
            add(m, kind="date", date=date)
    for m in DECADE.finditer(text):
        if date := make_date(int(m["dec"])):
            add(m, kind="date", date=date, decade=True, sets_context=False)
    for pattern in (RANGE_FROM, RANGE_DASH):
        for m in pattern.finditer(text):
            first, last = int(m["y1"]), expand_short_year(int(m["y1"]), m["y2"])
            if len(m["y1"]) == 3 and len(m["y2"]) < 3:
                continue
            start, end = make_date(first), make_date(last)
            if start and end and 0 < last - first < 200 and not _is_count(text, m.end("x"), False):
                add(m, kind="date", date=start, range_end=end)
    for m in HIJRI_DATE.finditer(text):
        parts = [str(int(m["y"])), f"{HIJRI[squash(m['hm'])]:02d}"]
        if m["d"]:
            parts.append(f"{int(m['d']):02d}")
        add(m, kind="hijri", hijri="-".join(parts), sets_context=False)
    for m in HIJRI_YEAR.finditer(text):
        add(m, kind="hijri", hijri=str(int(m["y"] or m["y2"])), sets_context=False)
    for m in MONTH_ALONE.finditer(text):
        if not _NAME_AFTER.match(text, m.end("x")):
            shift = 1 if m["next"] else -1 if m["prev"] else 0
            add(m, kind="noyear", month=MONTHS[squash(m["m"])], day=None, delta=shift)
    found += coordinated(text, found, COORDINATED, lambda end: _is_count(text, end, False))
    for m in RELATIVE.finditer(text):
        which = next(i for i in range(len(_RELATIVE)) if m.group(f"r{i}") is not None)
        _, unit, delta = _RELATIVE[which]
        n = (m.groupdict().get(f"n{which}") or "").lower()
        count = (_NUMBERS.get(n) or int(n)) * (-1 if delta < 0 else 1) if n else delta
        add(m, kind="relative", unit=unit, delta=count)
    return pick(found)
