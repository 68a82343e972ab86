"""The timeline's order (the list a phone shows, the dots on a wider screen): earlier events first,
and dates that overlap, a month and a day in it, in the order they were given (the bank's narrative
order, which the mastery table beside it follows), not the month first."""

from __future__ import annotations

import pytest

from quizapp.ui.charts import timeline


def _events(*pairs: tuple[str, str]) -> list[dict]:
    return [{"date": d, "title": {"en": t, "ar": t}, "date_text": {"en": d, "ar": d}} for d, t in pairs]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_overlapping_dates_keep_the_given_order_and_the_rest_sort_by_time(lang: str) -> None:
    events = _events(
        ("1940-08-20", "the attack"),
        ("1940-08", "the funeral"),  # a month: overlaps the 20th, comes after it in the narrative
        ("1929", "expelled"),  # given out of time order: sorted before them
        ("1940-09", "after"),
    )
    t = timeline(events, lang)
    assert [p["label"] for p in t["points"]] == ["expelled", "the attack", "the funeral", "after"]
