"""The domain's problems with a bank file, a GIFT file or a teacher's form, shown in the teacher's
language: every message from the catalog (its words too: a language's name, a kind of fact, the
"or" of a list), with the file's line and the field's where-path as the file writes them."""

from __future__ import annotations

import re

import pytest

from tests.web.test_teacher import add_event, domain_bank, multipart, new_bank, post, tr, upload

#: A bank file with one problem of each family: an unknown field, a date, an empty text, a fact
#: without its answer, a question type (line numbers on the left, as the page shows them).
BROKEN_BANK = """\
slug: broken
title: {ar: عنوان, en: Title}
titel: extra
events:
  - id: one
    date: '1940-13'
    title: {ar: '', en: One}
    facts:
      - kind: who
        question: {ar: من؟, en: Who?}
questions:
  - id: q
    type: sorting
    prompt: {ar: رتب, en: Put in order}
    items:
      - {ar: أ, en: a}
      - {ar: ب, en: b}
"""

BROKEN_GIFT = """\
::one::Only one answer? {~a}

Write an essay. {}

::same::Lenin? {=Lenin ~ lenin }
"""


@pytest.fixture
def teacher(client, make_user):  # type: ignore[no-untyped-def]
    """The client, logged in as the teacher "tina"."""
    from tests.conftest import login

    make_user("tina", role="teacher")
    login(client, "tina")
    return client


def problems_on(page: str) -> list[str]:
    """The items of a page's list of file problems, as shown (HTML-escaped)."""
    m = re.search(r'<ul class="mb-0 teacher-problems">(.*?)</ul>', page, re.DOTALL)
    assert m, "the page lists no problems"
    return re.findall(r"<li>(.*?)</li>", m.group(1), re.DOTALL)


def line(app, lang: str, n: int, message: str, where: str = "") -> str:  # type: ignore[no-untyped-def]
    """A problem's line as the teacher's page writes it."""
    if where:
        return tr(app, lang, "Line %(line)s, %(where)s: %(message)s", line=n, where=where, message=message)
    return tr(app, lang, "Line %(line)s: %(message)s", line=n, message=message)


def test_a_broken_bank_file_is_explained_in_arabic_line_by_line(teacher, app) -> None:
    r = upload(teacher, BROKEN_BANK, name="broken.yaml", lang="ar")
    assert r.status_code == 422
    ar = "ar"
    who = tr(app, ar, "who")
    assert who == "مَن"
    assert problems_on(r.get_data(as_text=True)) == [
        line(
            app,
            ar,
            3,
            tr(app, ar, 'unknown field "%(name)s" (did you mean "%(close)s"?)', name="titel", close="title"),
            "titel",
        ),
        line(
            app,
            ar,
            6,
            tr(
                app,
                ar,
                '"%(value)s" is not a date: month %(month)s is not between 1 and 12',
                value="\u200e1940-13",  # led by a left-to-right mark: not shown as 13-1940
                month=13,
            ),
            "events[0].date",
        ),
        line(
            app,
            ar,
            7,
            tr(app, ar, "the %(language)s text is empty", language=tr(app, ar, "Arabic")),
            "events[0].title.ar",
        ),
        line(
            app, ar, 9, tr(app, ar, "a %(kind)s fact needs an answer", kind=who), "events[0].facts[0].answer"
        ),
        line(
            app,
            ar,
            13,
            # The types are the file's own words; only the "or" between them is Arabic.
            tr(
                app,
                ar,
                '"%(value)s" is not a question type: use %(types)s (did you mean "%(close)s"?)',
                value="sorting",
                types="mcq أو ordering أو multi أو truefalse أو numerical أو shortanswer أو matching",
                close="ordering",
            ),
            "questions[0].type",
        ),
    ]
    # The same file in English says the same, in the command line's words.
    r = upload(teacher, BROKEN_BANK, name="broken.yaml", lang="en")
    assert problems_on(r.get_data(as_text=True))[4] == (
        "Line 13, questions[0].type: &#34;sorting&#34; is not a question type: use mcq, ordering, multi, "
        "truefalse, numerical, shortanswer, or matching (did you mean &#34;ordering&#34;?)"
    )


def test_whole_file_problems_in_arabic_name_the_line_without_a_where(teacher, app) -> None:
    r = upload(teacher, "slug: a\n---\nslug: b\n", lang="ar")
    detail = "expected a single document in the stream, but found another document"
    assert problems_on(r.get_data(as_text=True)) == [
        line(app, "ar", 2, tr(app, "ar", "YAML syntax error: %(detail)s", detail=detail))
    ]
    # Refused by the upload service before the reader: the same message, the same translation.
    r = upload(teacher, b"slug: x\ntitle: caf\xe9\n", lang="ar")
    assert problems_on(r.get_data(as_text=True)) == [line(app, "ar", 1, tr(app, "ar", "not UTF-8 text"))]


def test_a_broken_gift_file_is_explained_in_arabic(teacher, app) -> None:
    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/import-gift"
    r = multipart(teacher, url, {"file": (BROKEN_GIFT.encode(), "broken.gift")}, "ar")
    assert r.status_code == 422
    ar = "ar"
    assert problems_on(r.get_data(as_text=True)) == [
        line(
            app,
            ar,
            1,
            tr(
                app,
                ar,
                "a multiple-choice question needs 2 to %(most)s answers, not %(count)s",
                most=50,
                count=1,
            ),
        ),
        line(
            app,
            ar,
            3,
            tr(app, ar, "an essay question ({}) is not imported: skipped"),
        ),
        line(
            app,
            ar,
            5,
            tr(
                app,
                ar,
                "the same %(language)s text as %(other)s",
                language=tr(app, ar, "Arabic"),
                other="options[0]",
            ),
            "options[1]",
        ),
    ]
    assert domain_bank(app, "spanish-war").questions == ()
    # A file with no question at all has no line to name; one that is not UTF-8 keeps the codec's words.
    r = multipart(teacher, url, {"file": (b"// nothing here\n", "empty.gift")}, ar)
    assert problems_on(r.get_data(as_text=True)) == [tr(app, ar, "no question found")]
    r = multipart(teacher, url, {"file": (b"Q? {=a \xff ~b}\n", "latin.gift")}, ar)
    assert problems_on(r.get_data(as_text=True)) == [
        tr(app, ar, "not UTF-8 text: %(detail)s", detail="invalid start byte")
    ]


def test_gift_warnings_are_shown_in_arabic_before_and_after_the_import(teacher, app) -> None:
    from tests.web.test_moodle_import import confirm, payload

    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/import-gift"
    r = multipart(teacher, url, {"file": (b"::w::Which? {=a ~%50%b}\n", "w.gift")}, "ar")
    assert r.status_code == 200  # the preview, nothing saved yet
    dropped = tr(
        app,
        "ar",
        "answer %(number)s: its partial weight %(weight)s is dropped (one right answer, marked =): "
        "it counts as wrong",
        number=2,
        weight="50%",
    )
    plain = tr(app, "ar", "no multilang spans: the same text serves Arabic and English")
    preview = r.get_data(as_text=True)
    assert domain_bank(app, "spanish-war").questions == ()
    r = confirm(teacher, bank_id, payload(preview))
    assert r.status_code == 302
    page = teacher.get(r.location, headers={"Accept-Language": "ar"}).get_data(as_text=True)
    for shown in (preview, page):
        assert line(app, "ar", 1, dropped) in shown
        assert line(app, "ar", 1, plain) in shown
        assert "is dropped" not in shown
    assert len(domain_bank(app, "spanish-war").questions) == 1


def test_the_event_forms_domain_problems_are_in_arabic_next_to_their_fields(teacher, app) -> None:
    r = post(teacher, "/teacher/banks/1/duplicate", {})
    copy_id = int(r.location.rsplit("/", 1)[1])
    bank = domain_bank(app, "trotsky-copy")
    taken = bank.events[0].id
    sentence = bank.source.text.split(".")[0].strip()
    r = add_event(teacher, copy_id, "ar", key=taken, evidence=sentence + " وجملة زائدة")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    key_error = re.search(r'id="key-error">([^<]*)<', page).group(1)
    assert (
        tr(app, "ar", 'duplicate event id "%(id)s" (also %(other)s)', id=taken, other="events[0]")
        in key_error
    )
    evidence_error = re.search(r'id="evidence-error">([^<]*)<', page).group(1)
    frame = tr(
        app,
        "ar",
        'event "%(id)s": the evidence is not found in the source text; it follows the source up to '
        '"…%(excerpt)s", then differs',
        id=taken,
        excerpt="EXCERPT",
    )
    before, after = frame.split("EXCERPT")
    assert evidence_error.startswith(before) and evidence_error.endswith(after)
    # An id that is no slug: the domain's rule, with an example of one that is.
    r = add_event(teacher, copy_id, "ar", key="Coup Day", evidence=sentence)
    key_error = re.search(r'id="key-error">([^<]*)<', r.get_data(as_text=True)).group(1)
    assert key_error.strip() == tr(
        app,
        "ar",
        '"%(value)s" is not a valid id: use lower-case letters, digits and hyphens (e.g. "%(example)s")',
        value="Coup Day",
        example="coup-day",
    )
    assert len(domain_bank(app, "trotsky-copy").events) == len(bank.events)
