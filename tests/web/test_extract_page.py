"""The teacher's extraction page through the test client: paste or upload a text, review the dates
marked in their sentences, accept some into a new or existing bank. Both databases, CSRF on, Arabic
and English interfaces."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.banks import to_domain
from quizapp.domain.validate import validate_bank
from quizapp.extensions import db
from quizapp.models import Bank
from tests.conftest import ROOT, csrf_token, login

AR = {"Accept-Language": "ar"}
EN = {"Accept-Language": "en"}
TROTSKY = (ROOT / "questions" / "sources" / "trotsky.ar.txt").read_text(encoding="utf-8")
WWI = (ROOT / "tests" / "extract_corpus" / "wwi.en.txt").read_text(encoding="utf-8")
BOTH = pytest.mark.parametrize("headers", [AR, EN], ids=["ar", "en"])


class _Forms(HTMLParser):
    """The fields of each form of a page, as a browser would send them (ticked boxes only)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = self.forms.setdefault(a.get("action", ""), {})
        elif self._current is None or "name" not in a and tag != "option":
            return
        elif tag == "input":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._current[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._current[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self._current):
            self._current[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea and self._current is not None:
            self._current[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> dict[str, dict[str, str]]:
    """{action: {name: value}} for every form of the page."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def marks(html: str) -> list[str]:
    """The marked dates of the review table, as the page shows them (escaped)."""
    return re.findall(r"<mark>(.*?)</mark>", html)


def propose(client, text: str, headers: dict, lang: str = "auto") -> str:  # type: ignore[no-untyped-def]
    """Post a text to the extraction page; the review page's HTML."""
    token = csrf_token(client, "/teacher/extract")
    r = client.post(
        "/teacher/extract", data={"csrf_token": token, "text": text, "lang": lang}, headers=headers
    )
    assert r.status_code == 200
    return r.get_data(as_text=True)


def accept_form(page: str) -> dict[str, str]:
    return dict(forms_of(page)["/teacher/extract/accept"])


def bank_count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count(Bank.id)))


@pytest.fixture
def teacher(client, make_user):  # type: ignore[no-untyped-def]
    user = make_user("teacher1", role="teacher")
    login(client, "teacher1")
    return user


@BOTH
def test_trotsky_text_shows_its_ten_dates_marked_in_their_sentences(client, teacher, headers) -> None:
    page = client.get("/teacher/extract", headers=headers).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="upload"' in page
    page = propose(client, TROTSKY, headers)
    assert len(marks(page)) == 10
    assert marks(page)[1] == "21 يناير 1924"
    assert marks(page)[3] == "العام التالي"  # the relative date, resolved to 1929
    assert "1929" in page and page.count('<td class="extract-evidence" lang="ar" dir="rtl">') == 10
    form = accept_form(page)
    assert form["lang"] == "ar"  # detected: Arabic letters
    assert form["text"] == TROTSKY.replace("\r\n", "\n")
    assert [form[f"rows-{i}-date"] for i in (1, 5, 8)] == ["1924-01-21", "1937-01", "1940-08-20"]
    assert form["rows-1-title_ar"] == "وفاة فلاديمير لينين" and form["rows-1-title_en"] == ""
    assert not any(k.endswith("-accept") for k in form)  # nothing ticked yet
    if headers is EN:
        assert "Relative date, worked out from the date before it" in page
        assert "21 January 1924" in page  # formatted for the interface's locale
    else:
        assert '<html lang="ar" dir="rtl">' in page


@BOTH
def test_three_accepted_proposals_make_a_new_bank_that_keeps_the_text(client, app, teacher, headers) -> None:
    page = propose(client, TROTSKY, headers)
    data = accept_form(page)
    titles = {1: "Lenin dies", 5: "Trotsky reaches Mexico", 8: "Mercader attacks Trotsky"}
    for i, title in titles.items():
        data[f"rows-{i}-accept"] = "y"
        data[f"rows-{i}-title_en"] = title
    data["rows-5-title_ar"] = "وصول تروتسكي إلى المكسيك"  # edited by the teacher
    data.update(
        slug="trotsky-extract", bank_title_ar="تروتسكي من النص", bank_title_en="Trotsky from the text"
    )
    r = client.post("/teacher/extract/accept", data=data, headers=headers)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    with client.session_transaction() as session:
        [(category, message)] = session["_flashes"]
    title = "تروتسكي من النص" if headers is AR else "Trotsky from the text"
    assert category == "success" and title in message
    text = TROTSKY.replace("\r\n", "\n")
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky-extract"))
        assert r.location == f"/teacher/banks/{row.id}"  # the new bank's page
        assert row.owner_id == teacher.id and row.published is False
        assert row.source_text == text
        bank = to_domain(row)
        assert validate_bank(bank) == []
        assert bank.source.text == text and bank.source.lang == "ar"
        assert [(e.id, e.date.iso(), e.title.en) for e in bank.events] == [
            ("lenin-dies", "1924-01-21", "Lenin dies"),
            ("trotsky-reaches-mexico", "1937-01", "Trotsky reaches Mexico"),
            ("mercader-attacks-trotsky", "1940-08-20", "Mercader attacks Trotsky"),
        ]
        assert bank.events[0].title.ar == "وفاة فلاديمير لينين"
        assert bank.events[1].title.ar == "وصول تروتسكي إلى المكسيك"
        for event in bank.events:
            assert event.evidence in text  # verbatim, not rebuilt
        assert bank.events[0].evidence.startswith("بعد وفاة فلاديمير لينين في 21 يناير 1924")
        assert [e.key for e in row.events] == [e.id for e in bank.events]


@BOTH
def test_an_accepted_row_without_its_english_title_saves_nothing(client, app, teacher, headers) -> None:
    before = bank_count(app)
    data = accept_form(propose(client, TROTSKY, headers))
    data.update({"rows-1-accept": "y", "rows-2-accept": "y", "rows-2-title_en": "Exile to Kazakhstan"})
    data["rows-2-date"] = "1928-13"  # and a date that is not one
    data.update(slug="half-done", bank_title_ar="نص", bank_title_en="Text")
    r = client.post("/teacher/extract/accept", data=data, headers=headers)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert bank_count(app) == before
    assert 'id="rows-1-title_en-error"' in page and 'id="rows-2-date-error"' in page
    assert 'id="rows-1-title_ar-error"' not in page  # prefilled from the text
    assert 'href="#rows-1-accept"' in page and 'href="#rows-2-accept"' in page  # the summary above
    assert 'href="#rows-0-accept"' not in page
    assert len(marks(page)) == 10  # the table is shown again, the teacher's edits kept
    assert accept_form(page)["rows-2-title_en"] == "Exile to Kazakhstan"
    if headers is EN:
        assert "Write the title in English before accepting this event." in page
        assert "Write the date as YYYY, YYYY-MM or YYYY-MM-DD, for example 1940-08-21." in page


@BOTH
def test_bank_choice_is_checked_before_anything_is_saved(client, app, teacher, headers) -> None:
    before = bank_count(app)
    data = accept_form(propose(client, TROTSKY, headers))
    data.update({"rows-1-accept": "y", "rows-1-title_en": "Lenin dies"})
    r = client.post("/teacher/extract/accept", data=data, headers=headers)  # no slug, no titles
    page = r.get_data(as_text=True)
    assert 'id="slug-error"' in page and 'id="bank_title_en-error"' in page
    data.update(slug="trotsky", bank_title_ar="نص", bank_title_en="Text")  # taken by the first bank
    page = client.post("/teacher/extract/accept", data=data, headers=headers).get_data(as_text=True)
    assert 'id="slug-error"' in page
    if headers is EN:
        assert "Another bank already has this short name" in page
    data.update(target="existing", bank="1")  # the Trotsky bank: not this teacher's
    page = client.post("/teacher/extract/accept", data=data, headers=headers).get_data(as_text=True)
    assert "invalid-feedback d-block" in page
    assert bank_count(app) == before
    with app.app_context():
        assert len(db.session.scalar(select(Bank).where(Bank.slug == "trotsky")).events) == 17


def test_nothing_ticked_is_refused(client, app, teacher) -> None:
    data = accept_form(propose(client, TROTSKY, EN))
    data.update(slug="empty", bank_title_ar="نص", bank_title_en="Text")
    page = client.post("/teacher/extract/accept", data=data, headers=EN).get_data(as_text=True)
    assert "Tick at least one proposal to accept." in page
    assert bank_count(app) == 1


def test_rows_that_no_longer_match_the_text_are_shown_again(client, app, teacher) -> None:
    data = accept_form(propose(client, TROTSKY, EN))
    data.update(text="On 3 March 1924 the caliphate was abolished.", lang="en")  # 1 proposal, 10 rows
    data.update({"rows-0-accept": "y", "rows-0-title_ar": "x", "rows-0-title_en": "x"})
    data.update(slug="changed", bank_title_ar="نص", bank_title_en="Text")
    r = client.post("/teacher/extract/accept", data=data, headers=EN)
    page = r.get_data(as_text=True)
    assert "The proposals have changed" in page and len(marks(page)) == 1
    assert bank_count(app) == 1


def test_events_from_another_text_are_appended_to_the_teachers_bank(client, app, teacher) -> None:
    data = accept_form(propose(client, TROTSKY, EN))
    data.update({"rows-1-accept": "y", "rows-1-title_en": "Lenin dies"})
    data.update(slug="mine", bank_title_ar="بنكي", bank_title_en="My bank")
    assert client.post("/teacher/extract/accept", data=data, headers=EN).status_code == 302
    with app.app_context():
        bank_id = db.session.scalar(select(Bank.id).where(Bank.slug == "mine"))

    # The same text again: the source stays as it is; the same title gets a new id.
    data = accept_form(propose(client, TROTSKY, EN))
    data.update({"rows-1-accept": "y", "rows-1-title_en": "Lenin dies", "target": "existing"})
    data["bank"] = str(bank_id)
    assert client.post("/teacher/extract/accept", data=data, headers=EN).status_code == 302
    # An English text: appended to the source after a blank line.
    page = propose(client, WWI, EN)
    data = accept_form(page)
    assert data["lang"] == "en" and data["rows-0-title_ar"] == ""
    data.update(
        {"rows-0-accept": "y", "rows-0-title_ar": "اغتيال الأرشيدوق", "rows-0-title_en": "Archduke shot"}
    )
    data.update(target="existing", bank=str(bank_id))
    assert client.post("/teacher/extract/accept", data=data, headers=EN).status_code == 302
    text = TROTSKY.replace("\r\n", "\n")
    with app.app_context():
        row = db.session.get(Bank, bank_id)
        bank = to_domain(row)
        assert [e.id for e in bank.events] == ["lenin-dies", "lenin-dies-2", "archduke-shot"]
        assert row.source_text == text.rstrip("\n") + "\n\n" + WWI.replace("\r\n", "\n")
        assert bank.events[2].date.iso() == "1914-06-28"
        assert validate_bank(bank) == []


def test_a_bank_without_source_whose_events_quote_another_text_is_refused(client, app, teacher) -> None:
    from quizapp.banks import save_bank
    from quizapp.domain.bank import Bank as DomainBank
    from quizapp.domain.bank import Event, Text
    from quizapp.domain.dates import PartialDate

    with app.app_context():
        event = Event(id="x", date=PartialDate(1900), title=Text("س", "X"), evidence="Quoted from a book.")
        row = save_bank(
            DomainBank(slug="by-hand", title=Text("يدوي", "By hand"), events=(event,)), teacher.id
        )
        db.session.commit()
        bank_id, version = row.id, row.version
    data = accept_form(propose(client, TROTSKY, EN))
    data.update({"rows-1-accept": "y", "rows-1-title_en": "Lenin dies", "target": "existing"})
    data["bank"] = str(bank_id)
    page = client.post("/teacher/extract/accept", data=data, headers=EN).get_data(as_text=True)
    assert "This bank keeps no source text, and its events&#39; evidence is not in this text" in page
    with app.app_context():
        row = db.session.get(Bank, bank_id)
        assert row.version == version and row.source_text is None and len(row.events) == 1


def test_an_admin_may_add_to_any_bank(client, app, make_user) -> None:
    make_user("boss", role="admin")
    login(client, "boss")
    data = accept_form(propose(client, TROTSKY, EN))
    data.update({"rows-0-accept": "y", "rows-0-title_en": "Second revolution", "target": "existing"})
    assert data["bank"]  # the first of the banks offered: the Trotsky bank, owned by nobody
    assert client.post("/teacher/extract/accept", data=data, headers=EN).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        assert row.events[-1].key == "second-revolution" and len(row.events) == 18
        assert row.source_text == TROTSKY  # the same text: not appended twice


def test_students_are_refused_and_visitors_sent_to_log_in(client, make_user) -> None:
    token = csrf_token(client, "/auth/login")
    for url in ("/teacher/extract", "/teacher/extract/accept"):
        r = client.post(url, data={"csrf_token": token, "text": TROTSKY}, headers=EN)
        assert r.status_code == 302 and "/auth/login" in r.location
    r = client.get("/teacher/extract", headers=EN)
    assert r.status_code == 302 and "/auth/login" in r.location
    make_user("pupil")
    login(client, "pupil")
    token = csrf_token(client, "/")
    assert client.get("/teacher/extract", headers=EN).status_code == 403
    for url in ("/teacher/extract", "/teacher/extract/accept"):
        r = client.post(url, data={"csrf_token": token, "text": TROTSKY, "lang": "ar"}, headers=AR)
        assert r.status_code == 403


@BOTH
def test_a_script_in_the_pasted_text_is_shown_as_text(client, app, teacher, headers) -> None:
    payload = '<script>alert("x")</script><b onmouseover="x">'
    text = f"{payload} في 21 يناير 1924 توفي لينين {payload}."
    page = propose(client, text, headers, lang="ar")  # detection would say English: more Latin letters
    assert "<script>alert" not in page and "<b onmouseover" not in page
    assert str(escape(payload)) in page
    assert marks(page) == ["21 يناير 1924"]
    data = accept_form(page)
    assert data["text"] == text  # carried through the hidden field intact
    data.update({"rows-0-accept": "y", "rows-0-title_en": "Lenin dies"})
    data.update(slug="payload", bank_title_ar="نص", bank_title_en="Text")
    assert client.post("/teacher/extract/accept", data=data, headers=headers).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "payload"))
        assert row.source_text == text and payload in to_domain(row).events[0].evidence


def test_an_uploaded_txt_file_is_read_and_its_language_detected(client, teacher) -> None:
    token = csrf_token(client, "/teacher/extract")
    upload = (io.BytesIO(WWI.encode("utf-8")), "wwi.txt")
    r = client.post(
        "/teacher/extract",
        data={"csrf_token": token, "text": "", "lang": "auto", "upload": upload},
        headers=EN,
        content_type="multipart/form-data",
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "28 June 1914" in marks(page)
    assert accept_form(page)["lang"] == "en"
    assert '<td class="extract-evidence" lang="en" dir="ltr">' in page


BAD_UPLOADS = [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "picture.txt", "This is not plain text"),
    ("في 21 يناير 1924".encode("cp1256"), "old.txt", "The file is not UTF-8 text"),
    (b"x" * (200 * 1024 + 1), "big.txt", "The text is too long"),
    (b"On 28 June 1914", "notes.pdf", "Choose a .txt file."),
]


@BOTH
def test_bad_uploads_and_pastes_are_refused_with_a_message(client, teacher, headers) -> None:
    token = csrf_token(client, "/teacher/extract")
    for content, name, message in BAD_UPLOADS:
        r = client.post(
            "/teacher/extract",
            data={"csrf_token": token, "lang": "auto", "upload": (io.BytesIO(content), name)},
            headers=headers,
            content_type="multipart/form-data",
        )
        page = r.get_data(as_text=True)
        assert r.status_code == 200 and 'id="upload-error"' in page, name
        assert "extract-table" not in page
        if headers is EN:
            assert message in page
    for text in ("   ", "in 1924\x00", "ا" * (100 * 1024 + 1)):
        r = client.post("/teacher/extract", data={"csrf_token": token, "text": text}, headers=headers)
        assert r.status_code == 200 and 'id="text-error"' in r.get_data(as_text=True), text[:10]


def test_the_chosen_language_wins_over_detection(client, teacher) -> None:
    page = propose(client, TROTSKY, EN, lang="en")  # Arabic text read as English: no date
    assert "extract-table" not in page
    assert "No date was found in this text." in page
    relang = forms_of(page)["/teacher/extract"]
    assert relang["lang"] == "en" and relang["text"] == TROTSKY.replace("\r\n", "\n")


@BOTH
def test_the_proposed_certainty_is_shown_confirmed_and_saved(client, app, teacher, headers) -> None:
    text = (
        "سُحبت جنسيته بحلول عام 1932. عبر طارق بن زياد المضيق سنة 92 هـ (711 م)."
        " واستسلمت جدة في أواخر عام 1925."
    )
    page = propose(client, text, headers)
    form = accept_form(page)
    # Proposed from the words of the text: "by" 1932; late 1925 is between September and December.
    assert (form["rows-0-date"], form["rows-0-certainty"], form["rows-0-end"]) == ("1932", "by", "")
    assert (form["rows-2-date"], form["rows-2-certainty"], form["rows-2-end"]) == (
        "1925-09",
        "between",
        "1925-12",
    )
    assert form["rows-1-certainty"] == "exact"
    hijri = "92 هـ" if headers is AR else "92 AH"
    assert hijri in page and "0092" not in page
    # The title the text's language does not give is marked for the teacher to write.
    # The note is in the page's language beside the field (the field itself is in the title's).
    assert page.count('extract-todo"') == 3
    note = "لم يُقترح عنوان: اكتبه" if headers is AR else "Not proposed: write it"
    assert page.count(note) == 3 and page.count('aria-describedby="todo-') == 3
    data = dict(form)
    for i, title in ((0, "Citizenship withdrawn"), (2, "Jeddah surrenders")):
        data[f"rows-{i}-accept"] = "y"
        data[f"rows-{i}-title_en"] = title
    data["rows-2-end"] = "1925-12-23"  # the teacher narrows the end
    data.update(slug="certainty-extract", bank_title_ar="يقين", bank_title_en="Certainty")
    r = client.post("/teacher/extract/accept", data=data, headers=headers)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    with app.app_context():
        bank = to_domain(db.session.scalar(select(Bank).where(Bank.slug == "certainty-extract")))
        assert [(e.date.iso(), e.certainty, e.end.iso() if e.end else None) for e in bank.events] == [
            ("1932", "by", None),
            ("1925-09", "between", "1925-12-23"),
        ]
