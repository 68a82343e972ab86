"""Partial dates: a year, a month of a year, or a day, each read as the interval it covers.

"1917" covers 1917-01-01..1917-12-31, so it neither comes before nor after "1917-10-25": the two
overlap, and an ordering question must never hold both. Formatting goes through Babel so month
names, digits and order are the locale's own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from babel import Locale
from babel.dates import format_date as babel_format_date

Precision = Literal["year", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")

#: A year of one to four digits ("786-09-14" as well as "0786-09-14"); \d takes Arabic-Indic digits too.
_ISO = re.compile(r"^(?P<y>\d{1,4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")

#: Babel patterns per precision; "d MMMM y" gives "21 August 1940" and "21 أغسطس 1940".
_PATTERNS: dict[str, str] = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}

#: The Arabic variants a quiz may choose: the month names and digits the students know.
ARABIC_LOCALES: dict[str, str] = {
    "eg": "ar_EG",  # يناير، فبراير ... (Egypt, the Gulf, most of North Africa's press)
    "lev": "ar_SY",  # كانون الثاني، شباط ... (Syria, Lebanon, Jordan, Palestine, Iraq)
}

_WESTERN = "0123456789"
_ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
_TO_ARABIC_INDIC = str.maketrans(_WESTERN, _ARABIC_INDIC)
_TO_WESTERN = str.maketrans(_ARABIC_INDIC + "۰۱۲۳۴۵۶۷۸۹", _WESTERN * 2)
# Right-to-left and left-to-right marks that Babel puts in some Arabic patterns.
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"), None)
# What an Arabic text puts around a Latin date so that it reads left to right and never breaks at
# its hyphens (the catalogs' examples): the marks, isolates and the word joiner. A date copied
# from such a text parses.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2060\u2066\u2067\u2068\u2069"), None)


@dataclass(frozen=True, slots=True)
class DateStyle:
    """How dates and numbers are shown: the Arabic month names and the digits."""

    arabic_months: Literal["eg", "lev"] = "eg"
    arabic_digits: bool = False

    @classmethod
    def from_dict(cls, data: dict | None) -> DateStyle:
        """Build from settings; unknown values fall back to the defaults."""
        data = data or {}
        months = data.get("arabic_months", "eg")
        return cls(
            arabic_months=months if months in ARABIC_LOCALES else "eg",
            arabic_digits=bool(data.get("arabic_digits", False)),
        )

    def to_dict(self) -> dict:
        """The settings as plain data."""
        return {"arabic_months": self.arabic_months, "arabic_digits": self.arabic_digits}


DEFAULT_STYLE = DateStyle()


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]  # type: ignore[arg-type]
            if not 1 <= self.day <= last:
                raise ValueError(f"day {self.day} is not in {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str | int) -> PartialDate:
        """Read "1917", "1937-01" or "1940-08-21". :raise ValueError: when it is not such a date."""
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)")
        m = _ISO.match(text.translate(_INVISIBLE).strip())
        if not m:
            raise ValueError(f'"{text}" is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)')
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        try:
            return cls(int(y), int(mo) if mo else None, int(d) if d else None)
        except ValueError as err:
            raise ValueError(f'"{text}" is not a date: {err}') from None

    @classmethod
    def from_date(cls, value: dt.date, precision: Precision = "day") -> PartialDate:
        """Cut a full date down to a precision."""
        if precision == "year":
            return cls(value.year)
        if precision == "month":
            return cls(value.year, value.month)
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        """ "year", "month" or "day"."""
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def start(self) -> dt.date:
        """The first day the date covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """The last day the date covers."""
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)  # type: ignore[arg-type]
        if self.month is not None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, 12, 31)

    def before(self, other: PartialDate) -> bool:
        """True when this date ends before the other begins."""
        return self.end < other.start

    def after(self, other: PartialDate) -> bool:
        """True when this date begins after the other ends."""
        return self.start > other.end

    def overlaps(self, other: PartialDate) -> bool:
        """True when neither is surely before the other."""
        return not self.before(other) and not self.after(other)

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """A key that sorts dates by start, then by end."""
        return (self.start, self.end)

    def iso(self) -> str:
        """ "1917", "1937-01" or "1940-08-21"."""
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()

    def shifted(self, *, years: int = 0, months: int = 0, days: int = 0) -> PartialDate | None:
        """The same precision moved by some years, months or days; None if out of range."""
        try:
            if self.precision == "year":
                return PartialDate(self.year + years)
            if self.precision == "month":
                total = self.year * 12 + (self.month - 1) + months + 12 * years  # type: ignore[operator]
                return PartialDate(total // 12, total % 12 + 1)
            base = self.start
            y = base.year + years
            total = y * 12 + (base.month - 1) + months
            y, m = total // 12, total % 12 + 1
            d = min(base.day, calendar.monthrange(y, m)[1])
            moved = dt.date(y, m, d) + dt.timedelta(days=days)
            return PartialDate(moved.year, moved.month, moved.day)
        except (ValueError, OverflowError):
            return None


def babel_locale(lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """The Babel locale for a language and style: "en", "ar_EG" or "ar_SY"."""
    if lang == "ar":
        return ARABIC_LOCALES[style.arabic_months]
    return "en_GB" if lang == "en" else lang


def to_arabic_digits(text: str) -> str:
    """Write Western digits as Arabic-Indic ones: "1940" -> "١٩٤٠"."""
    return text.translate(_TO_ARABIC_INDIC)


def to_western_digits(text: str) -> str:
    """Write Arabic-Indic (and Persian) digits as Western ones."""
    return text.translate(_TO_WESTERN)


def localize_digits(text: str, lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """Apply the style's digits to a text shown in a language."""
    return to_arabic_digits(text) if lang == "ar" and style.arabic_digits else text


@functools.lru_cache(maxsize=8192)
def format_partial(date: PartialDate, lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """The date as a reader of the language writes it: "21 August 1940", "يناير 1937", "1928"."""
    locale = babel_locale(lang, style)
    text = babel_format_date(date.start, _PATTERNS[date.precision], locale=locale)
    return localize_digits(text.translate(_MARKS), lang, style)


@functools.lru_cache(maxsize=4096, typed=True)
def format_number(value: int | float, lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """A number with the locale's grouping: "300,000" / "300,000" or "٣٠٠٬٠٠٠".

    Remembered (a results page writes about thirty, mostly the same few: Babel takes 0.1 ms each).
    """
    from babel.numbers import format_decimal

    locale = babel_locale(lang, style)
    if lang == "ar" and style.arabic_digits:
        text = format_decimal(value, locale=locale, numbering_system="arab")
        return to_arabic_digits(text.translate(_MARKS))
    return format_decimal(value, locale=locale, numbering_system="latn").translate(_MARKS)


@functools.lru_cache(maxsize=4096, typed=True)
def format_percent(value: float, lang: str, style: DateStyle = DEFAULT_STYLE, decimals: int = 0) -> str:
    """A percentage given from 0 to 100, with the sign where the locale's CLDR pattern puts it
    ("50%", "50.5%"), in the style's digits: every page writes percents through this one place.

    Remembered as format_number is (Babel takes about 35 µs a call; a page's percents are few).
    Typed: 50 and 50.0 are written alike, but a cache must not decide that."""
    from decimal import Decimal

    from babel.numbers import format_percent as babel_percent

    locale = babel_locale(lang, style)
    digits = "arab" if lang == "ar" and style.arabic_digits else "latn"
    share = Decimal(str(round(value, decimals))) / 100  # a float would print 0.12300000000000001
    text = babel_percent(share, locale=locale, numbering_system=digits, decimal_quantization=False)
    text = text.translate(_MARKS)
    return to_arabic_digits(text) if digits == "arab" else text


def month_names(lang: str, style: DateStyle = DEFAULT_STYLE) -> dict[str, int]:
    """Month names of a locale (format and stand-alone, wide) mapped to month numbers."""
    loc = Locale.parse(babel_locale(lang, style))
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for number, name in loc.months[context]["wide"].items():
            names[name.translate(_MARKS)] = number
    return names


def parse_formatted(text: str, lang: str, style: DateStyle = DEFAULT_STYLE) -> PartialDate:
    """Read back what format_partial wrote. :raise ValueError: when it does not match."""
    plain = to_western_digits(text.translate(_MARKS)).strip()
    parts = plain.split()
    months = month_names(lang, style)
    try:
        if len(parts) == 1:
            return PartialDate(int(parts[0]))
        if len(parts) >= 2 and " ".join(parts[:-1]) in months:
            return PartialDate(int(parts[-1]), months[" ".join(parts[:-1])])
        if len(parts) >= 3 and " ".join(parts[1:-1]) in months:
            return PartialDate(int(parts[-1]), months[" ".join(parts[1:-1])], int(parts[0]))
    except ValueError:
        pass
    raise ValueError(f'"{text}" is not a date written in {lang}')


# --- certainty: what a stated date allows ----------------------------------------------------------

Certainty = Literal["exact", "by", "after", "about", "between"]
#: How sure a date is: exact at its precision (the default); no later than it ("by"); no earlier
#: than it ("after"); within a margin of years around it ("about"); or between it and an end.
CERTAINTIES: tuple[str, ...] = ("exact", "by", "after", "about", "between")
#: Where a date comes from: the bank's source text (its evidence quotes it), or outside it (a note
#: says from where).
PROVENANCES: tuple[str, ...] = ("source", "outside")


@dataclass(frozen=True, slots=True)
class Span:
    """A set of days, from `start` to `end` included; an open side is date.min or date.max."""

    start: dt.date
    end: dt.date

    def before(self, other: Span) -> bool:
        """True when every day of this span comes before every day of the other."""
        return self.end < other.start

    def overlaps(self, other: Span) -> bool:
        """True when the spans share a day: neither surely comes first."""
        return self.start <= other.end and other.start <= self.end

    def within(self, other: Span) -> bool:
        """True when every day of this span is in the other."""
        return other.start <= self.start and self.end <= other.end

    @property
    def bounded(self) -> bool:
        """True when both sides are known."""
        return self.start > dt.date.min and self.end < dt.date.max

    @property
    def one_year(self) -> int | None:
        """The calendar year the whole span lies in, or None when it spans more than one."""
        return self.start.year if self.bounded and self.start.year == self.end.year else None


#: Every day: what an event's date allows when the date cannot be used.
EVER = Span(dt.date.min, dt.date.max)


def span_of(date: PartialDate) -> Span:
    """The days a partial date covers."""
    return Span(date.start, date.end)


def _year_moved(day: dt.date, years: int) -> dt.date:
    year = min(9999, max(1, day.year + years))
    last = calendar.monthrange(year, day.month)[1]
    return dt.date(year, day.month, min(day.day, last))


@dataclass(frozen=True, slots=True)
class Dating:
    """A stated date and how sure it is; `span` is the one set of days it allows.

    `margin` (whole years) belongs to "about", `end` to "between"; a value the rules refuse (an
    unknown certainty, "between" without an end) is read as exact, so a bank under repair still
    has a span.
    """

    date: PartialDate
    certainty: str = "exact"
    margin: int = 0
    end: PartialDate | None = None

    @property
    def span(self) -> Span:
        """Every day the date allows."""
        start, end = self.date.start, self.date.end
        if self.certainty == "by":
            return Span(dt.date.min, end)
        if self.certainty == "after":
            return Span(start, dt.date.max)
        if self.certainty == "about":
            return Span(_year_moved(start, -abs(self.margin)), _year_moved(end, abs(self.margin)))
        if self.certainty == "between" and self.end is not None and self.end.end >= start:
            return Span(start, self.end.end)
        return Span(start, end)

    @property
    def exact(self) -> bool:
        """True when the date is exact at its precision (the span is the date itself)."""
        return self.span == span_of(self.date)


#: How each language qualifies a date; `{d}` is the date as format_partial writes it, led in
#: Arabic by "عام" when it is a bare year ("بحلول عام 1932", but "بعد مارس 1939").
_QUALIFIED: dict[str, dict[str, str]] = {
    "by": {"en": "by {d}", "ar": "بحلول {d}"},
    "after": {"en": "after {d}", "ar": "بعد {d}"},
    "about": {"en": "about {d}", "ar": "نحو {d}"},
}


def _ar_noun(date: PartialDate, style: DateStyle) -> str:
    """A date as the object of an Arabic preposition: "عام 1932", "مارس 1939", "21 أغسطس 1940"."""
    text = format_partial(date, "ar", style)
    return f"عام {text}" if date.precision == "year" else text


@functools.lru_cache(maxsize=8192)
def format_dating(dating: Dating, lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """The date with its certainty, as a reader of the language writes it.

    "1928", "by 1932" / «بحلول عام 1932», "after March 1939" / «بعد مارس 1939», "about 1299" /
    «نحو عام 1299», "between 1936 and 1937" / «بين عامَي 1936 و1937».
    """
    date, certainty = dating.date, dating.certainty
    if certainty in _QUALIFIED and not dating.exact:
        shown = _ar_noun(date, style) if lang == "ar" else format_partial(date, lang, style)
        return _QUALIFIED[certainty]["ar" if lang == "ar" else "en"].format(d=shown)
    if certainty == "between" and dating.end is not None and not dating.exact:
        end = dating.end
        if lang != "ar":
            return f"between {format_partial(date, lang, style)} and {format_partial(end, lang, style)}"
        if date.precision == end.precision == "year":
            a, b = format_partial(date, "ar", style), format_partial(end, "ar", style)
            return f"بين عامَي {a} و{b}"
        return f"بين {_ar_noun(date, style)} و{_ar_noun(end, style)}"
    return format_partial(date, lang, style)
