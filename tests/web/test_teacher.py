"""The teacher's pages through the test client, CSRF on, on SQLite and PostgreSQL, in both languages:
banks, events, hand-written questions, files, quizzes, and who may do what."""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext, ngettext
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from quizapp.attempts import QuizSettings
from quizapp.banks import to_domain
from quizapp.domain.dates import PartialDate, format_partial
from quizapp.domain.formats.bankfile import parse_bank
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Quiz
from quizapp.teacher.services import CODE_ALPHABET, CODE_LENGTH
from tests.conftest import csrf_token, login
from tests.web.test_quiz_flow import take_quiz

HEADERS = {"ar": {"Accept-Language": "ar"}, "en": {"Accept-Language": "en"}}


def tr(app, lang: str, msgid: str, **params) -> str:  # type: ignore[no-untyped-def]
    """The interface text as the app writes it in a language (escaped as a page shows it)."""
    with app.test_request_context(headers=HEADERS[lang]):
        return str(escape(gettext(msgid, **params)))


def post(client, url: str, data: dict, lang: str = "en", **kw):  # type: ignore[no-untyped-def]
    """Post a form with the session's CSRF token."""
    data = {"csrf_token": csrf_token(client, "/teacher/"), **data}
    return client.post(url, data=data, headers=HEADERS[lang], **kw)


def bank_row(app, slug: str) -> Bank:  # type: ignore[no-untyped-def]
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == slug).options(undefer("*")))
        assert row is not None
        to_domain(row)
        db.session.expunge(row)
        return row


def domain_bank(app, slug: str):  # type: ignore[no-untyped-def]
    with app.app_context():
        return to_domain(db.session.scalar(select(Bank).where(Bank.slug == slug)))


def bank_count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Bank))


@pytest.fixture
def teacher(client, make_user):  # type: ignore[no-untyped-def]
    """The client, logged in as the teacher "tina"."""
    make_user("tina", role="teacher")
    login(client, "tina")
    return client


def new_bank(client, slug: str = "spanish-war", lang: str = "en") -> int:  # type: ignore[no-untyped-def]
    r = post(
        client,
        "/teacher/banks/new",
        {"slug": slug, "title_ar": "الحرب الأهلية الإسبانية", "title_en": "The Spanish Civil War"},
        lang,
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    return int(r.location.rsplit("/", 1)[1])


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_title_too_long_is_refused_in_the_teachers_language(teacher, app, lang) -> None:
    data = {"slug": "long-title", "title_ar": "ا" * 301, "title_en": "The Spanish Civil War"}
    r = post(teacher, "/teacher/banks/new", data, lang)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert tr(app, lang, "At most %(max)d characters.", max=300) in page
    assert "Field cannot be longer" not in page  # WTForms' own message, English on Arabic pages


EVENT = {
    "date": "1936-07-17",
    "key": "",
    "title_ar": "بداية الانقلاب العسكري",
    "title_en": "The military coup begins",
    "description_ar": "انتفض الجيش في المغرب الإسباني.",
    "description_en": "The army rose in Spanish Morocco.",
    "actors": "فرانسيسكو فرانكو | Francisco Franco\nإميليو مولا | Emilio Mola",
    "places": "مليلية | Melilla",
    "evidence": "",
    "tags": "war, coup",
    "facts-0-kind": "who",
    "facts-0-question_ar": "من قاد الانقلاب في المغرب؟",
    "facts-0-question_en": "Who led the coup in Morocco?",
    "facts-0-answer_ar": "فرانسيسكو فرانكو",
    "facts-0-answer_en": "Francisco Franco",
    "facts-0-distractors": "خوان نغرين | Juan Negrín\nمانويل أثانيا | Manuel Azaña",
    "facts-1-kind": "how-many",
    "facts-1-question_ar": "كم يومًا دام الانقلاب قبل أن يصير حربًا؟",
    "facts-1-question_en": "How many days did the coup last before it became a war?",
    "facts-1-number": "٣",
    "facts-1-distractors": "5\n7",
}


def add_event(client, bank_id: int, lang: str = "en", **changes: str):  # type: ignore[no-untyped-def]
    return post(client, f"/teacher/banks/{bank_id}/events/new", {**EVENT, **changes}, lang)


# --- who may do what -------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in_and_students_refused(client, app, make_user) -> None:
    for url in ("/teacher/", "/teacher/banks/1", "/teacher/banks/new"):
        r = client.get(url)
        assert r.status_code == 302 and "/auth/login" in r.location
    make_user("sam")
    login(client, "sam")
    assert client.get("/teacher/").status_code == 403
    assert (
        post(client, "/teacher/banks/new", {"slug": "x", "title_ar": "ا", "title_en": "x"}).status_code == 403
    )
    assert bank_count(app) == 1


def test_a_teacher_edits_only_their_own_banks(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("omar", role="teacher")
    login(client, "tina")
    bank_id = new_bank(client)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "omar")
    # Unpublished: Omar may not even see it.
    assert client.get(f"/teacher/banks/{bank_id}").status_code == 403
    assert client.get(f"/teacher/banks/{bank_id}/edit").status_code == 403
    assert add_event(client, bank_id).status_code == 403
    assert post(client, f"/teacher/banks/{bank_id}/publish", {}).status_code == 403
    assert post(client, f"/teacher/banks/{bank_id}/delete", {}).status_code == 403
    assert client.get("/teacher/banks/9999").status_code == 404
    assert client.get(f"/teacher/banks/{bank_id}/events/nope/edit").status_code == 403
    assert not bank_row(app, "spanish-war").deleted and bank_row(app, "spanish-war").version == 1


def test_banks_from_files_are_for_admins_to_edit_and_anyone_to_duplicate(teacher, app, make_user) -> None:
    trotsky = bank_row(app, "trotsky")
    assert trotsky.owner_id is None
    assert teacher.get(f"/teacher/banks/{trotsky.id}").status_code == 200
    assert teacher.get(f"/teacher/banks/{trotsky.id}/events/new").status_code == 403
    r = post(teacher, f"/teacher/banks/{trotsky.id}/duplicate", {})
    assert r.status_code == 302
    copy = bank_row(app, "trotsky-copy")
    assert copy.owner_id is not None and not copy.published
    assert r.location.endswith(f"/teacher/banks/{copy.id}")
    assert domain_bank(app, "trotsky-copy").events == domain_bank(app, "trotsky").events
    assert teacher.get(f"/teacher/banks/{copy.id}/events/new").status_code == 200
    make_user("ada", role="admin")
    teacher.post("/auth/logout", data={"csrf_token": csrf_token(teacher, "/teacher/")})
    login(teacher, "ada")
    assert teacher.get(f"/teacher/banks/{trotsky.id}/events/new").status_code == 200
    page = teacher.get("/teacher/", headers=HEADERS["en"]).get_data(as_text=True)
    assert f'href="/teacher/banks/{copy.id}"' in page  # admins see every bank, drafts included


# --- banks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_create_a_bank_and_refuse_a_bad_slug_in_the_teachers_language(teacher, app, lang) -> None:
    page = teacher.get("/teacher/banks/new", headers=HEADERS[lang]).get_data(as_text=True)
    assert f'<html lang="{lang}"' in page and 'for="title_ar"' in page
    r = post(teacher, "/teacher/banks/new", {"slug": "Bad Slug!", "title_ar": "", "title_en": "X"}, lang)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert tr(app, lang, "Use lower-case Latin letters, digits and hyphens only.") in page
    assert 'id="title_ar-error"' in page and tr(app, lang, "This field is required.") in page
    assert bank_count(app) == 1
    r = post(teacher, "/teacher/banks/new", {"slug": "trotsky", "title_ar": "ا", "title_en": "X"}, lang)
    assert r.status_code == 422 and tr(app, lang, "Another bank already has this short name.") in r.get_data(
        as_text=True
    )
    bank_id = new_bank(teacher, lang=lang)
    row = bank_row(app, "spanish-war")
    assert row.id == bank_id and not row.published and row.title_en == "The Spanish Civil War"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_edit_a_banks_title_and_description(teacher, app, lang) -> None:
    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/edit"
    assert "The Spanish Civil War" in teacher.get(url).get_data(as_text=True)
    r = post(
        teacher,
        url,
        {"title_ar": "الحرب", "title_en": "", "description_ar": "وصف", "description_en": ""},
        lang,
    )
    assert r.status_code == 422
    assert tr(app, lang, "This field is required.") in r.get_data(as_text=True)
    # validate_bank's rule (both languages or neither), next to the field, in the language.
    r = post(teacher, url, {"title_ar": "الحرب", "title_en": "The war", "description_ar": "وصف"}, lang)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert 'id="description_en-error"' in page
    assert tr(app, lang, "the %(language)s text is empty", language=tr(app, lang, "English")) in page
    assert bank_row(app, "spanish-war").version == 1
    r = post(
        teacher,
        url,
        {"title_ar": "الحرب", "title_en": "The war", "description_ar": "وصف", "description_en": "About"},
    )
    assert r.status_code == 302
    assert domain_bank(app, "spanish-war").description.en == "About"


def test_publish_unpublish_and_what_others_see(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("omar", role="teacher")
    login(client, "tina")
    bank_id = new_bank(client)
    assert post(client, f"/teacher/banks/{bank_id}/publish", {}).status_code == 302
    assert bank_row(app, "spanish-war").published
    assert "The Spanish Civil War" in client.get("/", headers=HEADERS["en"]).get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "omar")
    assert client.get(f"/teacher/banks/{bank_id}").status_code == 200  # published: visible
    assert client.get(f"/teacher/banks/{bank_id}/edit").status_code == 403  # but not editable
    assert "The Spanish Civil War" in client.get("/teacher/", headers=HEADERS["en"]).get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "tina")
    assert post(client, f"/teacher/banks/{bank_id}/unpublish", {}).status_code == 302
    assert not bank_row(app, "spanish-war").published


def test_deleting_or_editing_a_bank_keeps_past_attempts_and_scores(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("sam")
    login(client, "tina")
    r = post(client, "/teacher/banks/1/duplicate", {})
    copy_id = int(r.location.rsplit("/", 1)[1])
    post(client, f"/teacher/banks/{copy_id}/publish", {})
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "sam")
    r = post(client, "/quiz/practice/trotsky-copy", {})
    pid = r.location.split("/")[3]
    take_quiz(client, app, pid, right=True)
    results = f"/quiz/attempt/{pid}/results"
    before = client.get(results, headers=HEADERS["en"]).get_data(as_text=True)
    assert "10 out of 10" in before
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "tina")
    copy = domain_bank(app, "trotsky-copy")
    first = copy.events[0]
    edit = f"/teacher/banks/{copy_id}/events/{first.id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert escape(first.title.en) in form
    data = _form_data(form)
    data["title_en"] = "A title edited after the attempt"
    assert post(client, edit, data).status_code == 302
    assert domain_bank(app, "trotsky-copy").events[0].title.en == "A title edited after the attempt"
    r = client.get(f"/teacher/banks/{copy_id}/delete", headers=HEADERS["en"])
    assert r.status_code == 200
    assert post(client, f"/teacher/banks/{copy_id}/delete", {}).status_code == 302
    assert bank_row(app, "trotsky-copy").deleted
    assert client.get(f"/teacher/banks/{copy_id}").status_code == 404
    assert "trotsky-copy" not in client.get("/teacher/").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "sam")
    after = client.get(results, headers=HEADERS["en"]).get_data(as_text=True)
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", after) == strip.sub("", before)
    assert client.get("/quiz/mine", headers=HEADERS["en"]).get_data(as_text=True).count("100%") >= 1


def _form_data(page: str) -> dict[str, str]:
    """The values a browser would send back from a form page (inputs, textareas, selected options)."""
    data: dict[str, str] = {}
    for m in re.finditer(r"<input ([^>]*)>", page):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        if "name" not in attrs or attrs["name"] == "csrf_token":
            continue
        if attrs.get("type") == "checkbox" and "checked" not in m.group(1):
            continue
        data[attrs["name"]] = _unescape(attrs.get("value", ""))
    for m in re.finditer(r'<textarea [^>]*name="([^"]+)"[^>]*>\r?\n?(.*?)</textarea>', page, re.S):
        data[m.group(1)] = _unescape(m.group(2))
    for m in re.finditer(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', m.group(2))
        if chosen:
            data[m.group(1)] = chosen.group(1) or chosen.group(2)
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


# --- events ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_add_an_event_with_people_places_and_facts(teacher, app, lang) -> None:
    bank_id = new_bank(teacher)
    page = teacher.get(f"/teacher/banks/{bank_id}/events/new", headers=HEADERS[lang]).get_data(as_text=True)
    assert re.search(r'<input[^>]*dir="rtl"[^>]*lang="ar"[^>]*name="facts-0-question_ar"', page)
    assert re.search(r'<input[^>]*dir="ltr"[^>]*lang="en"[^>]*name="title_en"', page)
    r = add_event(teacher, bank_id, lang)
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    bank = domain_bank(app, "spanish-war")
    (event,) = bank.events
    assert event.id == "the-military-coup-begins"  # made from the English title
    assert event.date == PartialDate(1936, 7, 17)
    assert [a.en for a in event.actors] == ["Francisco Franco", "Emilio Mola"]
    assert event.places[0].ar == "مليلية" and event.tags == ("war", "coup")
    who, how_many = event.facts
    assert who.answer.en == "Francisco Franco" and [d.en for d in who.distractors] == [
        "Juan Negrín",
        "Manuel Azaña",
    ]
    assert how_many.number == 3 and how_many.distractors == (5, 7)  # Arabic-Indic digits read
    # The bank page: the date as the language writes it, and what to act on.
    page = teacher.get(f"/teacher/banks/{bank_id}", headers=HEADERS[lang]).get_data(as_text=True)
    assert escape(format_partial(event.date, lang)) in page
    assert "<caption>" in page and 'scope="col"' in page
    few = tr(
        app,
        lang,
        "%(event)s, fact %(fact)s: only %(have)s of %(need)s wrong answers are written.",
        event=event.title.get(lang),
        fact=1,
        have=2,
        need=3,
    )
    assert few in page
    with app.test_request_context(headers=HEADERS[lang]):
        ordering = ngettext(
            "Only %(num)s event lies apart in time from the others; ordering questions need %(need)s.",
            "Only %(num)s events lie apart in time from each other; ordering questions need %(need)s.",
            1,
            need=3,
        )
    assert str(escape(ordering)) in page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_bad_event_input_is_shown_next_to_the_field_and_nothing_is_saved(teacher, app, lang) -> None:
    bank_id = new_bank(teacher)
    r = add_event(
        teacher,
        bank_id,
        lang,
        date="July 1936!",
        title_en="",
        actors="فرانكو Franco",
        **{"facts-1-number": "three", "facts-0-answer_en": ""},
    )
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    for field_id, message in [
        ("date", tr(app, lang, "Write the date as YYYY, YYYY-MM or YYYY-MM-DD, for example 1940-08-21.")),
        ("title_en", tr(app, lang, "This field is required.")),
        (
            "actors",
            tr(app, lang, "Line %(line)s: write the Arabic text, a | sign, then the English text.", line=1),
        ),
        ("facts-1-number", tr(app, lang, "Write a number, such as 7 or 2.5.")),
        ("facts-0-answer_en", tr(app, lang, "This field is required.")),
    ]:
        m = re.search(rf'id="{field_id}-error">([^<]*)<', page)
        assert m and message in m.group(1), field_id
    assert 'aria-describedby="date-help date-error"' in page
    assert domain_bank(app, "spanish-war").events == ()
    assert bank_row(app, "spanish-war").version == 1


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_banks_validator_speaks_through_the_fields(teacher, app, lang) -> None:
    bank_id = new_bank(teacher)
    assert add_event(teacher, bank_id).status_code == 302
    # A duplicate id, and a wrong answer that is the right one: rules of validate_bank.
    r = add_event(
        teacher,
        bank_id,
        lang,
        key="the-military-coup-begins",
        **{"facts-0-distractors": "فرانسيسكو فرانكو | Francisco Franco"},
    )
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    key_error = re.search(r'id="key-error">([^<]*)<', page).group(1)
    duplicate = tr(
        app,
        lang,
        'duplicate event id "%(id)s" (also %(other)s)',
        id="the-military-coup-begins",
        other="events[0]",
    )
    assert duplicate in key_error
    distractor_error = re.search(r'id="facts-0-distractors-error">([^<]*)<', page).group(1)
    itself = tr(
        app,
        lang,
        "the distractor is the answer itself (same %(language)s text)",
        language=tr(app, lang, "Arabic"),
    )
    assert itself in distractor_error
    assert len(domain_bank(app, "spanish-war").events) == 1


def test_evidence_must_be_in_the_source_as_the_command_line_requires(teacher, app) -> None:
    r = post(teacher, "/teacher/banks/1/duplicate", {})
    copy_id = int(r.location.rsplit("/", 1)[1])
    r = add_event(teacher, copy_id, "en", evidence="A sentence that the source never wrote.")
    assert r.status_code == 422
    error = re.search(r'id="evidence-error">([^<]*)<', r.get_data(as_text=True)).group(1)
    assert "the evidence is not found in the source text" in error
    source = bank_row(app, "trotsky-copy").source_text
    sentence = next(s for s in source.split(".") if "1940" in s).strip()
    assert add_event(teacher, copy_id, "en", evidence=sentence).status_code == 302


def test_edit_and_delete_an_event_and_a_stale_form_is_refused(teacher, app) -> None:
    bank_id = new_bank(teacher)
    add_event(teacher, bank_id)
    url = f"/teacher/banks/{bank_id}/events/the-military-coup-begins/edit"
    data = _form_data(teacher.get(url).get_data(as_text=True))
    assert data["facts-1-number"] == "3" and data["version"] == "2"
    assert "facts-2-question_ar" in data  # a spare slot for a new fact
    assert data["actors"].splitlines()[0] == "فرانسيسكو فرانكو | Francisco Franco"
    data.update({"key": "coup", "date": "1936-07", "facts-1-remove": "y"})
    assert post(teacher, url, data).status_code == 302
    (event,) = domain_bank(app, "spanish-war").events
    assert event.id == "coup" and event.date.iso() == "1936-07" and len(event.facts) == 1
    # The same old form again: the bank has moved on (version 3), so it is not saved blindly.
    r = post(teacher, f"/teacher/banks/{bank_id}/events/coup/edit", {**data, "title_en": "Stale"})
    assert r.status_code == 422 and "The bank changed since you opened this page" in r.get_data(as_text=True)
    assert domain_bank(app, "spanish-war").events[0].title.en == "The military coup begins"
    assert teacher.get(f"/teacher/banks/{bank_id}/events/nope/edit").status_code == 404
    assert post(teacher, f"/teacher/banks/{bank_id}/events/coup/delete", {}).status_code == 302
    assert domain_bank(app, "spanish-war").events == ()
    assert post(teacher, f"/teacher/banks/{bank_id}/events/coup/delete", {}).status_code == 404


# --- hand-written questions ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_write_multiple_choice_and_ordering_questions(teacher, app, lang) -> None:
    bank_id = new_bank(teacher)
    add_event(teacher, bank_id)
    mcq = {
        "prompt_ar": "من كان رئيس الجمهورية؟",
        "prompt_en": "Who was the Republic's president?",
        "choices": "مانويل أثانيا | Manuel Azaña\nفرانكو | Franco\nمولا | Mola",
        "right": "1",
        "explanation_ar": "أثانيا كان الرئيس.",
        "explanation_en": "Azaña was president.",
        "events": "the-military-coup-begins",
    }
    url = f"/teacher/banks/{bank_id}/questions/new/mcq"
    r = post(teacher, url, {**mcq, "right": "4"}, lang)
    assert r.status_code == 422
    expected = tr(app, lang, "Give the number of the right option, from 1 to %(n)s.", n=3)
    assert expected in re.search(r'id="right-error">([^<]*)<', r.get_data(as_text=True)).group(1)
    r = post(teacher, url, {**mcq, "choices": "فرانكو | Franco"}, lang)
    assert r.status_code == 422 and tr(app, lang, "Write at least two lines.") in r.get_data(as_text=True)
    assert domain_bank(app, "spanish-war").questions == ()
    assert post(teacher, url, mcq, lang).status_code == 302
    ordering = {
        "prompt_ar": "رتّب",
        "prompt_en": "Put in order",
        "choices": "الانقلاب | The coup\nسقوط مدريد | Madrid falls",
    }
    assert (
        post(teacher, f"/teacher/banks/{bank_id}/questions/new/ordering", ordering, lang).status_code == 302
    )
    q1, q2 = domain_bank(app, "spanish-war").questions
    assert q1.type == "mcq" and q1.answer == 0 and q1.options[2].en == "Mola"
    assert q1.events == ("the-military-coup-begins",) and q1.explanation.ar == "أثانيا كان الرئيس."
    assert q2.type == "ordering" and [i.en for i in q2.items] == ["The coup", "Madrid falls"]
    # Edit: the right option moves; then delete.
    edit = f"/teacher/banks/{bank_id}/questions/{q1.id}/edit"
    data = _form_data(teacher.get(edit).get_data(as_text=True))
    assert data["right"] == "1"
    data.pop("events", None)
    assert post(teacher, edit, {**data, "right": "2"}).status_code == 302
    assert domain_bank(app, "spanish-war").questions[0].answer == 1
    assert post(teacher, f"/teacher/banks/{bank_id}/questions/{q2.id}/delete", {}).status_code == 302
    assert len(domain_bank(app, "spanish-war").questions) == 1
    assert teacher.get(f"/teacher/banks/{bank_id}/questions/new/essay").status_code == 404


def test_deleting_an_event_drops_it_from_the_questions_about_it(teacher, app) -> None:
    bank_id = new_bank(teacher)
    add_event(teacher, bank_id)
    q = {
        "prompt_ar": "س",
        "prompt_en": "Q",
        "choices": "أ | A\nب | B",
        "right": "1",
        "events": "the-military-coup-begins",
    }
    post(teacher, f"/teacher/banks/{bank_id}/questions/new/mcq", q)
    assert (
        post(teacher, f"/teacher/banks/{bank_id}/events/the-military-coup-begins/delete", {}).status_code
        == 302
    )
    assert domain_bank(app, "spanish-war").questions[0].events == ()


# --- the bank page: warnings, timeline, preview ------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_bank_page_lists_overlaps_and_draws_the_timeline_in_the_reading_direction(teacher, app, lang) -> None:
    page = teacher.get("/teacher/banks/1", headers=HEADERS[lang]).get_data(as_text=True)
    bank = domain_bank(app, "trotsky")
    first, last = sorted(bank.events, key=lambda e: e.date.sort_key())[0], bank.events[-1]
    overlap = tr(
        app, lang, "These events overlap in time, so they are never ordered together: %(events)s.", events="X"
    ).split("X")[0]
    assert overlap in page
    assert 'aria-labelledby="bank-tl-title"' in page
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)" cy="30"', page)]
    assert len(xs) == len(bank.events)
    assert (xs[0] > xs[-1]) if lang == "ar" else (xs[0] < xs[-1])  # earliest first, in reading order
    assert escape(first.title.get(lang)) in page and escape(last.title.get(lang)) in page


_TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+"')


def test_the_bank_pages_kept_part_follows_language_editor_and_version(teacher, app, make_user) -> None:
    """The Moodle form, warnings, events and timeline of a bank's page are rendered once for each
    language and editor-or-not and kept with the parsed bank (views.bank_body): each page is the one
    rendered without keeping anything, in its language, with its links, and a new version shows."""
    bank_id = new_bank(teacher)
    add_event(teacher, bank_id)
    assert post(teacher, f"/teacher/banks/{bank_id}/publish", {}).status_code == 302
    url = f"/teacher/banks/{bank_id}"

    def page(client, lang: str) -> str:  # type: ignore[no-untyped-def]
        r = client.get(url, headers=HEADERS[lang])
        assert r.status_code == 200
        return _TOKEN.sub(r'\1"', r.get_data(as_text=True))  # the token's signature carries the time

    make_user("otto", role="teacher")
    other = app.test_client()
    login(other, "otto")
    kept = {(who, lang): page(client, lang) for who, client in (("tina", teacher), ("otto", other))
            for lang in ("en", "ar", "en")}  # fmt: skip
    app.jinja_env.auto_reload = True  # nothing kept: every page renders its part anew
    try:
        for (who, lang), html in kept.items():
            assert page(teacher if who == "tina" else other, lang) == html
    finally:
        app.jinja_env.auto_reload = False
    for who in ("tina", "otto"):
        assert tr(app, "ar", "Export for Moodle (GIFT)") in kept[who, "ar"]
        assert tr(app, "en", "Export for Moodle (GIFT)") in kept[who, "en"]
        assert '<html lang="ar" dir="rtl">' in kept[who, "ar"]
    edit = re.compile(rf'href="/teacher/banks/{bank_id}/events/[a-z0-9-]+/edit"')
    assert edit.search(kept["tina", "en"]) and edit.search(kept["tina", "ar"])  # hers to edit
    assert not edit.search(kept["otto", "en"]) and not edit.search(kept["otto", "ar"])  # only to see

    add_event(teacher, bank_id, date="1939-04-01", title_ar="نهاية الحرب", title_en="The war ends")
    for lang in ("en", "ar"):
        html = page(teacher, lang)
        assert ("The war ends" if lang == "en" else "نهاية الحرب") in html
        assert len(set(edit.findall(html))) == 2  # each event's edit link (a warning may link it too)


def test_preview_shows_both_languages_and_follows_the_seed(teacher, app) -> None:
    one = teacher.get("/teacher/banks/1/preview?seed=1", headers=HEADERS["en"]).get_data(as_text=True)
    again = teacher.get("/teacher/banks/1/preview?seed=1", headers=HEADERS["en"]).get_data(as_text=True)
    other = teacher.get("/teacher/banks/1/preview?seed=2", headers=HEADERS["en"]).get_data(as_text=True)
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", one) == strip.sub("", again)
    assert strip.sub("", one) != strip.sub("", other)
    assert 'lang="ar" dir="rtl"' in one and 'lang="en" dir="ltr"' in one
    assert one.count('class="card mb-3"') == 20
    assert 'value="1"' in one  # the seed stays in its box


# --- files -----------------------------------------------------------------------------------------


def multipart(client, url: str, files: dict[str, tuple[bytes, str]], lang: str = "en"):  # type: ignore[no-untyped-def]
    """Post files with the CSRF token, the body encoded here: the test client spools a big body to
    a temporary file it never closes (a ResourceWarning)."""
    boundary = "----quizapp-test-boundary"
    parts = [(f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n').encode()]
    parts.append(csrf_token(client, "/teacher/").encode() + b"\r\n")
    for name, (data, filename) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts += [head.encode(), b"Content-Type: application/octet-stream\r\n\r\n", data, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return client.post(
        url,
        data=b"".join(parts),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=HEADERS[lang],
    )


def upload(client, text: str | bytes, name: str = "bank.yaml", lang: str = "en", source: bytes | None = None):  # type: ignore[no-untyped-def]
    files = {"file": (text.encode() if isinstance(text, str) else text, name)}
    if source is not None:
        files["source"] = (source, "source.txt")
    return multipart(client, "/teacher/banks/upload", files, lang)


def test_download_then_upload_a_bank_file(teacher, app) -> None:
    bank_id = new_bank(teacher)
    add_event(teacher, bank_id)
    r = teacher.get(f"/teacher/banks/{bank_id}/download.yaml")
    assert r.status_code == 200 and 'filename="spanish-war.yaml"' in r.headers["Content-Disposition"]
    text = r.get_data(as_text=True)
    assert parse_bank(text) == domain_bank(app, "spanish-war")
    # The same file under a new slug: a new bank of the teacher's, unpublished.
    r = upload(teacher, text.replace("slug: spanish-war", "slug: spain-again"))
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    assert not bank_row(app, "spain-again").published
    # Its own slug, edited: replaces the bank (a new version).
    r = upload(teacher, text.replace("Francisco Franco", "General Franco"))
    assert r.status_code == 302
    assert bank_row(app, "spanish-war").version == 3
    assert domain_bank(app, "spanish-war").events[0].actors[0].en == "General Franco"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_invalid_file_is_refused_whole_with_its_problems_by_line(teacher, app, lang) -> None:
    text = (
        "slug: broken\ntitle: {ar: عنوان, en: Title}\nevents:\n"
        "  - id: one\n    date: '1940-13'\n    title: {ar: واحد, en: One}\n"
        "  - id: two\n    date: '1940'\n    title: {ar: '', en: Two}\n"
    )
    r = upload(teacher, text, lang=lang)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert (
        tr(
            app, lang, "Line %(line)s, %(where)s: %(message)s", line=5, where="events[0].date", message="X"
        ).split("X")[0]
        in page
    )
    empty = tr(app, lang, "the %(language)s text is empty", language=tr(app, lang, "Arabic"))
    assert (
        tr(
            app,
            lang,
            "Line %(line)s, %(where)s: %(message)s",
            line=9,
            where="events[1].title.ar",
            message=empty,
        )
        in page
    )
    assert bank_count(app) == 1
    r = upload(teacher, b"x" * (1024 * 1024 + 10), lang=lang)
    assert r.status_code in (413, 422) and bank_count(app) == 1
    r = upload(teacher, "slug: trotsky\ntitle: {ar: ا, en: Mine now}\n", lang=lang)
    assert r.status_code == 422
    assert tr(
        app, lang, "The bank %(slug)s belongs to someone else: change the slug in the file.", slug="trotsky"
    ) in (r.get_data(as_text=True))
    assert bank_row(app, "trotsky").title_en != "Mine now"


def test_a_file_naming_a_source_needs_the_source_or_the_banks_own(teacher, app) -> None:
    post(teacher, "/teacher/banks/1/duplicate", {})
    text = teacher.get(f"/teacher/banks/{bank_row(app, 'trotsky-copy').id}/download.yaml").get_data(
        as_text=True
    )
    # Replacing the copy: the source text the site keeps serves.
    assert upload(teacher, text).status_code == 302
    # A new bank: its source must come along.
    fresh = text.replace("slug: trotsky-copy", "slug: trotsky-fresh")
    r = upload(teacher, fresh)
    assert r.status_code == 422 and "source.file" in r.get_data(as_text=True)
    source = bank_row(app, "trotsky").source_text.encode()
    assert upload(teacher, fresh, source=source).status_code == 302
    assert bank_row(app, "trotsky-fresh").source_text == bank_row(app, "trotsky").source_text


def test_moodle_export_and_gift_import(teacher, app) -> None:
    bank_id = new_bank(teacher)
    add_event(teacher, bank_id)
    r = teacher.get(f"/teacher/banks/{bank_id}/moodle?format=gift&count=0&method=pairs")
    assert r.status_code == 200 and 'filename="spanish-war.gift"' in r.headers["Content-Disposition"]
    r = teacher.get("/teacher/banks/1/moodle?format=moodle-xml&count=5&method=all_or_nothing")
    assert r.status_code == 200 and b"multilang" in r.data and b"<quiz>" in r.data
    assert teacher.get(f"/teacher/banks/{bank_id}/moodle?format=pdf").status_code == 400
    gift = "::q1::Who led the coup? {=Franco ~Azaña ~Negrín}\n\n::q2::Capital? {=Madrid ~Paris}\n"
    url = f"/teacher/banks/{bank_id}/import-gift"
    r = multipart(teacher, url, {"file": (gift.encode(), "q.gift")})
    assert r.status_code == 200, r.get_data(as_text=True)[:2000]  # the preview: nothing saved yet
    assert domain_bank(app, "spanish-war").questions == ()
    signed = re.search(r'name="payload" type="hidden" value="([^"]*)"', r.get_data(as_text=True))
    assert signed
    r = post(teacher, f"{url}/confirm", {"payload": signed[1]})
    assert r.status_code == 302
    assert [q.id for q in domain_bank(app, "spanish-war").questions] == ["q1", "q2"]
    bad = "::q3::Broken {=A ~B\n"
    r = multipart(teacher, url, {"file": (bad.encode(), "bad.gift")})
    assert r.status_code == 422 and "teacher-problems" in r.get_data(as_text=True)
    assert len(domain_bank(app, "spanish-war").questions) == 2


# --- quizzes ---------------------------------------------------------------------------------------

QUIZ = {
    "title_ar": "اختبار الأسبوع",
    "title_en": "This week's quiz",
    "count": "5",
    "kinds": ["event-date", "ordering"],
    "languages": ["ar", "en"],
    "time_limit_minutes": "15",
    "attempts_allowed": "2",
    "feedback": "end",
    "ordering_method": "absolute_position",
    "arabic_months": "lev",
    "arabic_digits": "y",
    "opens_at": "",
    "closes_at": "",
    "active": "y",
}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_set_a_quiz_that_students_join_by_code_and_see_who_took_it(client, app, make_user, lang) -> None:
    make_user("tina", role="teacher")
    make_user("sam")
    login(client, "tina")
    page = client.get("/teacher/banks/1/quizzes/new", headers=HEADERS[lang]).get_data(as_text=True)
    assert 'value="event-date"' in page and 'value="relative_to_correct"' in page
    r = post(client, "/teacher/banks/1/quizzes/new", QUIZ, lang)
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.practice.is_(False)))
        settings = QuizSettings.of(quiz)
        code, quiz_id = quiz.code, quiz.id
        assert set(quiz.settings) <= set(QuizSettings.__dataclass_fields__)
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert settings.count == 5 and settings.kinds == ("event-date", "ordering")
    assert settings.feedback == "end" and settings.ordering_method == "absolute_position"
    assert settings.time_limit_minutes == 15 and settings.attempts_allowed == 2
    assert settings.arabic_months == "lev" and settings.arabic_digits
    page = client.get(f"/teacher/quizzes/{quiz_id}", headers=HEADERS[lang]).get_data(as_text=True)
    assert code in page and f"/quiz/{code}" in page
    assert tr(app, lang, "Nobody yet.") in page
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "sam")
    r = post(client, "/quiz/join", {"code": code})
    assert r.location.endswith(f"/quiz/{code}")
    r = client.post(f"/quiz/{code}/start", data={"csrf_token": csrf_token(client, f"/quiz/{code}")})
    pid = r.location.split("/")[3]
    take_quiz(client, app, pid, right=True)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == pid))
        assert {q.kind for q in attempt.questions} <= {"event-date", "ordering"}
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "tina")
    page = client.get(f"/teacher/quizzes/{quiz_id}", headers=HEADERS[lang]).get_data(as_text=True)
    assert "Sam" in page and tr(app, lang, "%(score)s out of %(total)s", score=5, total=5) in page


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_bad_quiz_settings_are_refused_in_the_teachers_language(teacher, app, lang) -> None:
    url = "/teacher/banks/1/quizzes/new"
    r = post(
        teacher,
        url,
        {
            **QUIZ,
            "kinds": [],
            "languages": [],
            "opens_at": "2030-01-02T10:00",
            "closes_at": "2030-01-01T10:00",
        },
        lang,
    )
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    for message in (
        "Choose at least one kind of question.",
        "Choose at least one language.",
        "The quiz must close after it opens.",
    ):
        assert tr(app, lang, message) in page
    r = post(teacher, url, {**QUIZ, "count": "0", "opens_at": "tomorrow"}, lang)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert 'id="count-error"' in page
    assert tr(app, lang, "Write a date and time, such as 2025-03-01 08:00.") in page
    if lang == "ar":  # WTForms' own messages come in Arabic too
        assert re.search(r'id="count-error">[^<]*[\u0600-\u06ff]', page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Quiz).where(Quiz.practice.is_(False))) == 0


def test_edit_a_quiz_with_times_and_only_its_owner_may(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("omar", role="teacher")
    login(client, "tina")
    post(client, "/teacher/banks/1/quizzes/new", QUIZ)
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.practice.is_(False)))
    url = f"/teacher/quizzes/{quiz_id}/edit"
    data = _form_data(client.get(url).get_data(as_text=True))
    assert data["title_en"] == "This week's quiz" and data["count"] == "5"
    data.update(kinds=["fact"], opens_at="2030-01-01T08:00", closes_at="2030-01-01T09:30", active="y")
    data.pop("languages", None)
    data["languages"] = ["ar"]
    assert post(client, url, data).status_code == 302
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        assert quiz.settings["kinds"] == ["fact"] and quiz.settings["languages"] == ["ar"]
        assert quiz.opens_at.isoformat() == "2030-01-01T08:00:00" and not quiz.is_open()
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/teacher/")})
    login(client, "omar")
    assert client.get(f"/teacher/quizzes/{quiz_id}").status_code == 403
    assert client.get(url).status_code == 403
    assert client.get("/teacher/quizzes/9999").status_code == 404
