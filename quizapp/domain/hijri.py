"""Hijri dates beside Gregorian ones: "21 أغسطس 1940 (17 رجب 1359 هـ)".

Umm al-Qura (hijridate) is the calendar of record, but its table covers only 1924-08-01 to
2077-11-16; outside it the arithmetical (tabular) Islamic calendar of convertdate is used, and the
result says so. A month or a year shows the Hijri span it covers, never a made-up day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from convertdate import islamic
from hijridate import Gregorian, Hijri

from .dates import DEFAULT_STYLE, DateStyle, PartialDate, localize_digits

Calendar = Literal["umalqura", "arithmetical"]

MONTHS: dict[str, tuple[str, ...]] = {
    "ar": (
        "محرم",
        "صفر",
        "ربيع الأول",
        "ربيع الآخر",
        "جمادى الأولى",
        "جمادى الآخرة",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
        "ذو القعدة",
        "ذو الحجة",
    ),
    "en": (
        "Muharram",
        "Safar",
        "Rabi al-Awwal",
        "Rabi al-Thani",
        "Jumada al-Ula",
        "Jumada al-Akhirah",
        "Rajab",
        "Shaban",
        "Ramadan",
        "Shawwal",
        "Dhu al-Qadah",
        "Dhu al-Hijjah",
    ),
}
ERA = {"ar": "هـ", "en": "AH"}
_UMM_AL_QURA = (dt.date(1924, 8, 1), dt.date(2077, 11, 16))


@dataclass(frozen=True, slots=True)
class HijriDay:
    """One Hijri day, and the calendar that gave it."""

    year: int
    month: int
    day: int
    calendar: Calendar


@dataclass(frozen=True, slots=True)
class HijriSpan:
    """The Hijri days a partial Gregorian date covers: one day, or its first and last."""

    first: HijriDay
    last: HijriDay

    @property
    def arithmetical(self) -> bool:
        """True when any part came from the arithmetical calendar (outside Umm al-Qura's table)."""
        return "arithmetical" in (self.first.calendar, self.last.calendar)


def to_hijri(day: dt.date) -> HijriDay:
    """A Gregorian day in the Hijri calendar: Umm al-Qura where its table reaches, else arithmetical."""
    if _UMM_AL_QURA[0] <= day <= _UMM_AL_QURA[1]:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
        return HijriDay(h.year, h.month, h.day, "umalqura")
    y, m, d = islamic.from_gregorian(day.year, day.month, day.day)
    return HijriDay(int(y), int(m), int(d), "arithmetical")


def from_hijri(year: int, month: int | None = None, day: int | None = None) -> tuple[dt.date, dt.date]:
    """The Gregorian days a Hijri year, month or day covers, first and last (the inverse of
    to_hijri): Umm al-Qura inside its table, the arithmetical calendar outside it.

    :raise ValueError: for a month or day the calendar does not have.
    """
    if month is None:
        return from_hijri(year, 1)[0], from_hijri(year, 12)[1]
    if day is not None:
        first = _hijri_day(year, month, day)
        return first, first
    first = _hijri_day(year, month, 1)
    after = _hijri_day(year + month // 12, month % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def _hijri_day(year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12 or not 1 <= day <= 30 or year < 1:
        raise ValueError(f"no Hijri day {year}-{month}-{day}")
    try:
        found = Hijri(year, month, day).to_gregorian()
        return dt.date(found.year, found.month, found.day)
    except (ValueError, OverflowError):
        pass  # outside Umm al-Qura's table (or a day 30 its month lacks: the arithmetical one decides)
    if day > islamic.month_length(year, month):
        raise ValueError(f"no Hijri day {year}-{month}-{day}")
    return dt.date(*islamic.to_gregorian(year, month, day))


def hijri_span(date: PartialDate) -> HijriSpan:
    """The Hijri span of a year, a month or a day."""
    return HijriSpan(to_hijri(date.start), to_hijri(date.end))


def format_hijri(date: PartialDate, lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """ "17 رجب 1359 هـ"; a month: "جمادى الآخرة – رجب 1359 هـ"; a year: "1335–1336 هـ".

    Dates outside Umm al-Qura's table carry a mark saying the arithmetical calendar was used.
    """
    span = hijri_span(date)
    months, era = MONTHS[lang], ERA[lang]
    a, b = span.first, span.last
    if date.precision == "day":
        text = f"{a.day} {months[a.month - 1]} {a.year} {era}"
    elif date.precision == "month":
        if (a.year, a.month) == (b.year, b.month):
            text = f"{months[a.month - 1]} {a.year} {era}"
        elif a.year == b.year:
            text = f"{months[a.month - 1]} – {months[b.month - 1]} {a.year} {era}"
        else:
            text = f"{months[a.month - 1]} {a.year} – {months[b.month - 1]} {b.year} {era}"
    else:
        text = f"{a.year}–{b.year} {era}" if a.year != b.year else f"{a.year} {era}"
    if span.arithmetical:
        text += " *"
    return localize_digits(text, lang, style)


ARITHMETICAL_NOTE = {
    "ar": "* بالتقويم الهجري الحسابي: جدول أم القرى يبدأ في 1924.",
    "en": "* By the arithmetical Islamic calendar: the Umm al-Qura table starts in 1924.",
}
