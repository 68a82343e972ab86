"""The teacher's event form carries a date's certainty, provenance and narrative order, and says
what is wrong with them next to their fields, in the teacher's language."""

from __future__ import annotations

import pytest

from tests.web.test_teacher import EVENT, add_event, domain_bank, new_bank, post, teacher, tr  # noqa: F401


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_teacher_records_how_sure_a_date_is_and_what_it_follows(teacher, app, lang) -> None:  # noqa: F811
    bank_id = new_bank(teacher, lang=lang)
    assert add_event(teacher, bank_id, lang, key="attempt", date="1939-03").status_code == 302
    r = add_event(
        teacher,
        bank_id,
        lang,
        key="task",
        date="1939-03",
        certainty="after",
        provenance="outside",
        note_ar="من كتاب سودوبلاتوف",
        note_en="From Sudoplatov's memoirs",
        after="attempt",
        title_ar="تكليف المفوضية",
        title_en="The commissariat's task",
        when_ar="متى كُلّفت المفوضية؟",
        when_en="When was the commissariat given the task?",
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    task = domain_bank(app, "spanish-war").event("task")
    assert (task.certainty, task.provenance, task.after) == ("after", "outside", ("attempt",))
    assert task.when is not None and task.when.en == "When was the commissariat given the task?"
    page = teacher.get(f"/teacher/banks/{bank_id}/events/task/edit").get_data(as_text=True)
    assert '<option selected value="after">' in page or '<option value="after" selected>' in page
    assert 'value="attempt" selected' in page or '<option selected value="attempt">' in page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_between_date_without_an_end_is_refused_in_the_teachers_language(teacher, app, lang) -> None:  # noqa: F811
    bank_id = new_bank(teacher, lang=lang)
    r = add_event(teacher, bank_id, lang, key="war", date="1936", certainty="between")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    message = tr(app, lang, 'a "between" date needs an end (end: YYYY, YYYY-MM or YYYY-MM-DD)')
    assert message in page
    if lang == "ar":
        assert "تاريخ نهاية" in message
    r = add_event(teacher, bank_id, lang, key="war", date="1936", certainty="about", margin="abc")
    assert r.status_code == 422
    assert tr(app, lang, "Write a whole number of years, such as 5.") in r.get_data(as_text=True)
    ok = add_event(teacher, bank_id, lang, key="war", date="1936", certainty="between", end="1939")
    assert ok.status_code == 302
    war = domain_bank(app, "spanish-war").event("war")
    assert (war.certainty, war.end and war.end.iso()) == ("between", "1939")
    assert EVENT["date"] == "1936-07-17"  # the shared form data is left as it was


@pytest.mark.parametrize(
    ("lang", "by_1932", "after_march_1939"),
    [("en", "by 1932", "after March 1939"), ("ar", "بحلول عام 1932", "بعد مارس 1939")],
)
def test_students_see_how_sure_each_date_is(client, lang, by_1932, after_march_1939) -> None:
    page = client.get("/learn/trotsky", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert by_1932 in page
    assert after_march_1939 in page
