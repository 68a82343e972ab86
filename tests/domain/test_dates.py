"""Partial dates: parsing, intervals, and formatting through Babel in English and Arabic."""

from __future__ import annotations

import ast
import calendar
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.dates import (
    DateStyle,
    PartialDate,
    format_number,
    format_partial,
    format_percent,
    parse_formatted,
    to_arabic_digits,
    to_western_digits,
)

DOMAIN = Path(__file__).resolve().parents[2] / "quizapp" / "domain"


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.integers(1000, 2100))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month)
    return PartialDate(year, month, draw(st.integers(1, calendar.monthrange(year, month)[1])))


styles = st.builds(DateStyle, arabic_months=st.sampled_from(["eg", "lev"]), arabic_digits=st.booleans())


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("1917", "year", dt.date(1917, 1, 1), dt.date(1917, 12, 31)),
        ("1937-01", "month", dt.date(1937, 1, 1), dt.date(1937, 1, 31)),
        ("1940-02", "month", dt.date(1940, 2, 1), dt.date(1940, 2, 29)),
        ("1940-08-21", "day", dt.date(1940, 8, 21), dt.date(1940, 8, 21)),
    ],
)
def test_parse_gives_the_interval(text: str, precision: str, start: dt.date, end: dt.date) -> None:
    d = PartialDate.parse(text)
    assert (d.precision, d.start, d.end, d.iso()) == (precision, start, end, text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1940-02-30", "day 30 is not in 1940-02"),
        ("1939-02-29", "day 29 is not in 1939-02"),
        ("1940-13", "month 13 is not between 1 and 12"),
        ("21/08/1940", "is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("19400", "is not a date"),
        ("", "is not a date"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        PartialDate.parse(text)


def test_a_year_overlaps_its_months_and_days_but_not_the_next_year() -> None:
    y1917, oct1917, day = (
        PartialDate.parse("1917"),
        PartialDate.parse("1917-10"),
        PartialDate.parse("1917-10-25"),
    )
    assert y1917.overlaps(oct1917) and oct1917.overlaps(day) and y1917.overlaps(day)
    assert not y1917.before(day) and not day.after(y1917)
    assert y1917.before(PartialDate.parse("1918-01-01"))
    assert PartialDate.parse("1940-08-20").before(PartialDate.parse("1940-08-21"))
    assert PartialDate.parse("1940-08").overlaps(PartialDate.parse("1940-08-21"))


@given(partial_dates(), partial_dates())
def test_before_after_and_overlap_are_exclusive_and_mirror(a: PartialDate, b: PartialDate) -> None:
    assert [a.before(b), a.after(b), a.overlaps(b)].count(True) == 1
    assert a.before(b) == b.after(a)
    assert a.overlaps(b) == b.overlaps(a)
    if a.before(b):
        assert a.sort_key() < b.sort_key()


@given(partial_dates())
def test_iso_round_trips(d: PartialDate) -> None:
    assert PartialDate.parse(d.iso()) == d


@pytest.mark.parametrize(
    ("iso", "lang", "style", "expected"),
    [
        ("1940-08-21", "en", DateStyle(), "21 August 1940"),
        ("1940-08-21", "ar", DateStyle(), "21 أغسطس 1940"),
        ("1937-01", "en", DateStyle(), "January 1937"),
        ("1937-01", "ar", DateStyle(), "يناير 1937"),
        ("1928", "en", DateStyle(), "1928"),
        ("1928", "ar", DateStyle(), "1928"),
        ("1940-08-21", "ar", DateStyle(arabic_digits=True), "٢١ أغسطس ١٩٤٠"),
        ("1940-08-21", "ar", DateStyle(arabic_months="lev"), "21 آب 1940"),
        ("1937-01", "ar", DateStyle(arabic_months="lev"), "كانون الثاني 1937"),
        ("1940-08-21", "en", DateStyle(arabic_digits=True, arabic_months="lev"), "21 August 1940"),
    ],
)
def test_formatting_per_language_and_style(iso: str, lang: str, style: DateStyle, expected: str) -> None:
    assert format_partial(PartialDate.parse(iso), lang, style) == expected


@given(partial_dates(), st.sampled_from(["ar", "en"]), styles)
def test_formatted_dates_parse_back(d: PartialDate, lang: str, style: DateStyle) -> None:
    text = format_partial(d, lang, style)
    assert "\u200f" not in text and "\u200e" not in text
    assert parse_formatted(text, lang, style) == d


@given(partial_dates(), partial_dates(), st.sampled_from(["ar", "en"]), styles)
def test_distinct_dates_of_one_precision_print_distinctly(
    a: PartialDate, b: PartialDate, lang: str, style: DateStyle
) -> None:
    if a.precision == b.precision and a != b:
        assert format_partial(a, lang, style) != format_partial(b, lang, style)


def test_digits_and_numbers() -> None:
    assert to_arabic_digits("1940") == "١٩٤٠"
    assert to_western_digits("١٩٤٠ ۱۹۴۰") == "1940 1940"
    assert format_number(300000, "en") == "300,000"
    assert format_number(300000, "ar", DateStyle(arabic_digits=True)) == "٣٠٠٬٠٠٠"
    assert format_number(7, "ar") == "7"


def test_shifted_keeps_precision_and_clamps_days() -> None:
    assert PartialDate.parse("1937-01").shifted(months=-1) == PartialDate.parse("1936-12")
    assert PartialDate.parse("1940-03-31").shifted(months=-1) == PartialDate.parse("1940-02-29")
    assert PartialDate.parse("1928").shifted(years=3) == PartialDate.parse("1931")
    assert PartialDate.parse("9999").shifted(years=1) is None


def test_the_domain_imports_neither_flask_nor_a_database() -> None:
    banned = ("flask", "flask_", "sqlalchemy", "werkzeug", "wtforms", "alembic", "quizapp.models")
    offenders = []
    for path in DOMAIN.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(banned)]
    assert offenders == []


@pytest.mark.parametrize("text", ["786-09-14", "0786-09-14", "٧٨٦-٠٩-١٤", "۷۸۶-۰۹-۱۴"])
def test_years_of_one_to_four_digits_in_any_digits_are_read_and_shown_unpadded(text: str) -> None:
    date = PartialDate.parse(text)
    assert date == PartialDate(786, 9, 14) and date.iso() == "0786-09-14"  # stored padded: it sorts
    assert format_partial(date, "en") == "14 September 786"
    assert format_partial(PartialDate.parse("762"), "ar") == "762"
    assert format_partial(PartialDate.parse("762"), "ar", DateStyle(arabic_digits=True)) == "٧٦٢"


@pytest.mark.parametrize(
    ("value", "lang", "style", "shown"),
    [
        (50, "en", DateStyle(), "50%"),
        (50.55, "en", DateStyle(), "50.5%"),  # one decimal asked for below
        (12.34, "ar", DateStyle(arabic_digits=True), "١٢٫٣%"),
        (100.0, "ar", DateStyle(), "100%"),
    ],
)
def test_percents_take_the_locales_pattern_and_the_styles_digits(value, lang, style, shown) -> None:
    decimals = 0 if float(value).is_integer() else 1
    assert format_percent(value, lang, style, decimals) == shown
