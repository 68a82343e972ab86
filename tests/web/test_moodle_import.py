"""A teacher brings questions from Moodle: a Moodle XML, GIFT or Aiken file on the import page, in
Arabic; the page previews what will be imported and what will not (and why, by line), and a second
step, carrying the file signed, saves it. Broken or hostile files are refused with the file's name
and line, and nothing is saved."""

from __future__ import annotations

import html
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
from tests.web.test_teacher import HEADERS, domain_bank, multipart, new_bank, post, tr

DATA = Path(__file__).resolve().parents[1] / "domain" / "data" / "moodle"


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


def unescaped(text: str) -> str:
    """A text with its HTML escapes undone (however many times)."""
    while (plain := html.unescape(text)) != text:
        text = plain
    return text


def payload(page: str) -> str:
    """The signed file a preview page carries to its confirm step."""
    found = re.search(r'name="payload" type="hidden" value="([^"]*)"', page) or re.search(
        r'type="hidden" name="payload" value="([^"]*)"', page
    ) or re.search(r'id="payload" name="payload" type="hidden" value="([^"]*)"', page)
    assert found, page[:3000]
    return found[1]


def confirm(client, bank_id: int, value: str, lang: str = "ar"):  # type: ignore[no-untyped-def]
    return post(client, f"/teacher/banks/{bank_id}/import-gift/confirm", {"payload": value}, lang)


def test_an_arabic_teacher_previews_then_confirms_a_moodle_xml_file(teacher, app) -> None:
    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/import-gift"
    page = teacher.get(url, headers=HEADERS["ar"]).get_data(as_text=True)
    assert tr(app, "ar", "Import questions from Moodle") in page

    data = (DATA / "moodle-export.xml").read_bytes()
    r = multipart(teacher, url, {"file": (data, "moodle-export.xml")}, "ar")
    assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    page = r.get_data(as_text=True)
    # The preview: what will be imported, what will not and why (with its line), nothing saved yet.
    assert domain_bank(app, "spanish-war").questions == ()
    shown = trn(app, "ar", "%(num)s question can be imported.", "%(num)s questions can be imported.", 7)
    assert shown in page
    lines = (DATA / "moodle-export.xml").read_text(encoding="utf-8").splitlines()
    essay = next(n for n, text in enumerate(lines, start=1) if 'type="essay"' in text)
    wanted = line(
        app, "ar", essay,
        tr(app, "ar", 'question %(number)s, "%(name)s", is skipped: %(kind)s is not a question we can import',
           number=7, name="Essay / مقالة", kind=tr(app, "ar", "an essay")),
    )  # fmt: skip
    assert unescaped(wanted) in [unescaped(p) for p in problems_on(page)]
    assert tr(app, "ar", "Multiple choice, several right answers") in page
    assert tr(app, "ar", "Matching") in page

    r = confirm(teacher, bank_id, payload(page))
    assert r.status_code == 302
    bank = domain_bank(app, "spanish-war")
    assert [(q.id, q.type) for q in bank.questions] == [
        ("exile-start", "mcq"),
        ("calendar", "truefalse"),
        ("exile-in-order", "ordering"),
        ("who-were-bolsheviks", "multi"),
        ("cities-and-countries", "matching"),
        ("assassin", "shortanswer"),
        ("year-of-death", "numerical"),
    ]
    assert bank.questions[2].items[0].ar == "ألما آتا"
    page = teacher.get(r.location, headers=HEADERS["ar"]).get_data(as_text=True)
    assert trn(app, "ar", "%(num)s question is imported.", "%(num)s questions are imported.", 7) in page


def test_a_payload_tampered_with_or_of_another_bank_saves_nothing(teacher, app) -> None:
    bank_id = new_bank(teacher)
    other = new_bank(teacher, slug="other-war")
    gift = "::q1::[html]" + gift_escape(multilang(Text("من؟", "Who?"))) + "{=Franco ~Azaña}\n"
    r = multipart(teacher, f"/teacher/banks/{bank_id}/import-gift", {"file": (gift.encode(), "q.gift")}, "ar")
    value = payload(r.get_data(as_text=True))
    assert confirm(teacher, other, value).status_code == 302  # refused: back to the upload
    assert domain_bank(app, "other-war").questions == ()
    broken = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    assert confirm(teacher, bank_id, broken).status_code == 302
    assert domain_bank(app, "spanish-war").questions == ()
    assert confirm(teacher, bank_id, value).status_code == 302
    assert [q.prompt.ar for q in domain_bank(app, "spanish-war").questions] == ["من؟"]


def test_gift_and_aiken_import_on_the_same_page(teacher, app) -> None:
    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/import-gift"
    aiken = "Who led the Red Army?\nA) Trotsky\nB) Franco\nANSWER: A\n"
    r = multipart(teacher, url, {"file": (aiken.encode(), "q.txt")}, "en")
    assert r.status_code == 200
    assert confirm(teacher, bank_id, payload(r.get_data(as_text=True)), "en").status_code == 302
    q = domain_bank(app, "spanish-war").questions[0]
    assert (q.type, q.prompt.en, q.answer) == ("mcq", "Who led the Red Army?", 0)


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


def test_one_question_with_a_problem_is_listed_and_the_others_imported(teacher, app) -> None:
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
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert unescaped(problems_on(page)[0]) == unescaped(line(
        app, "ar", 3,
        tr(app, "ar", "%(count)s answers have the full grade (fraction 100) in a single-answer question: "
           "one must; for several right answers that all must be chosen, set <single>false</single> "
           "and give each its share", count=0),
    ))  # fmt: skip
    assert domain_bank(app, "spanish-war").questions == ()
    assert confirm(teacher, bank_id, payload(page)).status_code == 302
    assert [q.type for q in domain_bank(app, "spanish-war").questions] == ["truefalse"]


def test_a_file_name_is_shown_escaped_and_other_extensions_are_refused(teacher, app) -> None:
    bank_id = new_bank(teacher)
    url = f"/teacher/banks/{bank_id}/import-gift"
    r = multipart(teacher, url, {"file": (b"<quiz/>", "<b>x</b>.xml")}, "ar")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "<bdi>&lt;b&gt;x&lt;/b&gt;.xml</bdi>" in page and "<b>x</b>" not in page
    r = multipart(teacher, url, {"file": (b"<quiz/>", "questions.pdf")}, "ar")
    assert r.status_code == 422
    assert tr(app, "ar", "Choose a .gift, .txt, .xml or .aiken file.") in r.get_data(as_text=True)
