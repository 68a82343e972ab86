"""A teacher brings questions from Moodle: a Moodle XML file (or GIFT) on the import page, in
Arabic; broken or hostile files are refused with the file's name and line, and nothing is saved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import ngettext
from markupsafe import escape

from quizapp.domain.bank import Text
from quizapp.domain.formats.gift import gift_escape
from quizapp.domain.formats.multilang import multilang
from tests.domain.test_moodle_xml import BILLION_LAUGHS
from tests.web.test_problem_messages import line, problems_on
from tests.web.test_teacher import HEADERS, domain_bank, multipart, new_bank, tr

DATA = Path(__file__).resolve().parents[1] / "domain" / "data" / "moodle"
SKIPPED = (
    'question "%(name)s" is skipped: its type (%(type)s) is not imported, '
    "only multiple choice, true/false and ordering are"
)


@pytest.fixture
def teacher(client, make_user):  # type: ignore[no-untyped-def]
    """The client, logged in as the teacher "tina"."""
    from tests.conftest import login

    make_user("tina", role="teacher")
    login(client, "tina")
    return client


def trn(app, lang: str, singular: str, plural: str, num: int, **params) -> str:  # type: ignore[no-untyped-def]
    """A plural interface text as the app writes it in a language."""
    with app.test_request_context(headers=HEADERS[lang]):
        return str(escape(ngettext(singular, plural, num, **params)))


def flashes(page: str) -> list[str]:
    """The texts of a page's warning flashes."""
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r'<div class="alert alert-warning[^"]*"[^>]*>(.*?)</div>', page, re.DOTALL)
    ]


def test_an_arabic_teacher_imports_a_moodle_xml_file(teacher, app) -> None:
    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/import-gift"
    page = teacher.get(url, headers=HEADERS["ar"]).get_data(as_text=True)
    assert tr(app, "ar", "Import questions from Moodle (GIFT or Moodle XML)") in page

    data = (DATA / "moodle-export.xml").read_bytes()
    r = multipart(teacher, url, {"file": (data, "moodle-export.xml")}, "ar")
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    bank = domain_bank(app, "spanish-war")
    assert [(q.id, q.type) for q in bank.questions] == [
        ("exile-start", "mcq"),
        ("calendar", "mcq"),
        ("exile-in-order", "ordering"),
    ]
    assert bank.questions[2].items[0].ar == "ألما آتا"

    page = teacher.get(r.location, headers=HEADERS["ar"]).get_data(as_text=True)
    assert trn(app, "ar", "%(num)s question is imported.", "%(num)s questions are imported.", 3) in page
    lines = (DATA / "moodle-export.xml").read_text(encoding="utf-8").splitlines()

    def at(name: str) -> int:
        return next(n for n, text in enumerate(lines, start=1) if f"<text>{name}</text>" in text) - 2

    shown = flashes(page)
    # The first eight warnings, then how many more: the flashes live in the session cookie.
    assert len(shown) == 9
    assert shown[4] == line(
        app,
        "ar",
        at("Cities and countries"),
        tr(app, "ar", SKIPPED, name="Cities and countries", type="matching"),
    )
    assert shown[3] == line(
        app,
        "ar",
        at("Who were Bolsheviks?"),
        tr(
            app,
            "ar",
            'question "%(name)s" is skipped: it lets students choose several answers, '
            "and a multiple-choice question here has one right answer",
            name="Who were Bolsheviks?",
        ),
    )
    assert shown[8] == trn(app, "ar", "and %(num)s more warning", "and %(num)s more warnings", 2)
    assert all("skipped" not in s and "is not imported" not in s for s in shown)  # all of it Arabic


def test_gift_still_imports_on_the_same_page(teacher, app) -> None:
    bank_id = new_bank(teacher)
    gift = "::q1::[html]" + gift_escape(multilang(Text("من؟", "Who?"))) + "{=Franco ~Azaña}\n"
    r = multipart(teacher, f"/teacher/banks/{bank_id}/import-gift", {"file": (gift.encode(), "q.gift")}, "ar")
    assert r.status_code == 302
    assert [q.prompt.ar for q in domain_bank(app, "spanish-war").questions] == ["من؟"]


BROKEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Broken</text></name>
  </quiz>
"""
DOCTYPE = "a DOCTYPE or an entity is not allowed in a Moodle XML file"


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (BROKEN, "broken.xml", (5, "not well-formed XML: %(detail)s", {"detail": "mismatched tag"})),
        (BILLION_LAUGHS.encode(), "laughs.xml", (2, DOCTYPE, {})),
    ],
)
def test_a_broken_or_hostile_xml_file_is_refused_by_name_and_line(teacher, app, data, name, problem) -> None:  # type: ignore[no-untyped-def]
    n, msgid, params = problem
    bank_id = new_bank(teacher)
    r = multipart(teacher, f"/teacher/banks/{bank_id}/import-gift", {"file": (data, name)}, "ar")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert problems_on(page) == [line(app, "ar", n, tr(app, "ar", msgid, **params))]
    heading = trn(
        app,
        "ar",
        "The file %(name)s has %(num)s problem; nothing was saved:",
        "The file %(name)s has %(num)s problems; nothing was saved:",
        1,
        name="NAME",
    )
    assert heading.replace("NAME", f"<bdi>{name}</bdi>") in page  # the name kept left to right
    assert domain_bank(app, "spanish-war").questions == ()


def test_one_question_with_a_problem_saves_nothing(teacher, app) -> None:
    bank_id = new_bank(teacher)
    answers = (
        '<answer fraction="{}"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
    )
    ok = '<question type="truefalse"><name><text>ok</text></name><questiontext><text>Q.</text></questiontext>'
    ok += answers.format(100) + "</question>"
    bad = ok.replace("truefalse", "multichoice").replace('"100"', '"50"')
    xml = f"<quiz>\n{ok}\n{bad}\n</quiz>".encode()
    # Told apart by its content: the name says nothing.
    r = multipart(teacher, f"/teacher/banks/{bank_id}/import-gift", {"file": (xml, "export.txt")}, "ar")
    assert r.status_code == 422
    assert problems_on(r.get_data(as_text=True)) == [
        line(
            app,
            "ar",
            3,
            tr(app, "ar", "no answer has the full grade (fraction 100): one answer must be right"),
        )
    ]
    assert domain_bank(app, "spanish-war").questions == ()


def test_a_file_name_is_shown_escaped_and_other_extensions_are_refused(teacher, app) -> None:
    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/import-gift"
    r = multipart(teacher, url, {"file": (b"<quiz/>", "<b>x</b>.xml")}, "ar")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "<bdi>&lt;b&gt;x&lt;/b&gt;.xml</bdi>" in page and "<b>x</b>" not in page
    r = multipart(teacher, url, {"file": (b"<quiz/>", "questions.pdf")}, "ar")
    assert r.status_code == 422
    assert tr(app, "ar", "Choose a .gift, .txt or .xml file.") in r.get_data(as_text=True)
