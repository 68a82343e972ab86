"""Hijri dates: Umm al-Qura inside its table, the arithmetical calendar outside, spans for months
and years."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.dates import DateStyle, PartialDate
from quizapp.domain.hijri import format_hijri, hijri_span, to_hijri


def test_trotskys_death_is_17_rajab_1359_in_both_calendars() -> None:
    day = to_hijri(dt.date(1940, 8, 21))
    assert (day.year, day.month, day.day, day.calendar) == (1359, 7, 17, "umalqura")
    assert format_hijri(PartialDate.parse("1940-08-21"), "ar") == "17 رجب 1359 هـ"
    assert format_hijri(PartialDate.parse("1940-08-21"), "en") == "17 Rajab 1359 AH"
    assert (
        format_hijri(PartialDate.parse("1940-08-21"), "ar", DateStyle(arabic_digits=True)) == "١٧ رجب ١٣٥٩ هـ"
    )


def test_before_1924_the_arithmetical_calendar_is_used_and_said() -> None:
    lenin = PartialDate.parse("1924-01-21")
    assert hijri_span(lenin).arithmetical
    assert format_hijri(lenin, "en").endswith("*")
    assert not hijri_span(PartialDate.parse("1924-08-01")).arithmetical


def test_a_month_and_a_year_show_the_span_they_cover() -> None:
    assert format_hijri(PartialDate.parse("1940-08"), "en") == "Jumada al-Akhirah – Rajab 1359 AH"
    assert format_hijri(PartialDate.parse("1940"), "ar") == "1358–1359 هـ"
    assert format_hijri(PartialDate.parse("1917"), "en") == "1335–1336 AH *"


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_date_converts_and_days_advance(day: dt.date) -> None:
    a = to_hijri(day)
    b = to_hijri(day + dt.timedelta(days=1))
    assert 1 <= a.month <= 12 and 1 <= a.day <= 30
    if a.calendar != b.calendar:
        return  # the two calendars disagree by a day or two where the table starts: see below
    # The next day is the next Hijri day, or the first of the next month (a month or year turn).
    same_month = (b.year, b.month, b.day) == (a.year, a.month, a.day + 1)
    next_month = b.day == 1 and (
        (b.year, b.month) == (a.year, a.month + 1) or (b.year, b.month) == (a.year + 1, 1)
    )
    assert same_month or next_month


def test_where_the_table_starts_the_calendars_meet_within_two_days() -> None:
    before, after = to_hijri(dt.date(1924, 7, 31)), to_hijri(dt.date(1924, 8, 1))
    assert (before.calendar, after.calendar) == ("arithmetical", "umalqura")
    assert (before.year, before.month) == (1342, 12) and (after.year, after.month, after.day) == (1343, 1, 1)
    assert before.day >= 28
