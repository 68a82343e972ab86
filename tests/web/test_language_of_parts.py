"""Language of parts (WCAG 3.1.2): every piece of text on a page is marked with its language.

The walk of tests/web/walk.py reads every GET route as each caller, in Arabic and in English, over
some real data (a teacher's quizzes limited to one language, attempts at them finished with
immediate feedback and in progress, their reports, the print pages in the other language, a text's
proposed events, forms sent back with their errors). Each HTML page is parsed and every text node
(outside script, style and template), every text a screen reader reads from an attribute (title,
aria-label, alt, placeholder, a button's or text field's value) is given its effective language: the
nearest `lang` above it. The walk fails, naming the URL and the text, on:

- ``arabic-not-ar``: Arabic letters whose effective language is not Arabic (read by an English
  voice, and without the Noto Naskh font of ``[lang="ar"]``);
- ``arabic-not-rtl``: Arabic letters marked Arabic but laid out left to right (no ``dir="rtl"``
  between them and an English page's ``dir="ltr"``);
- ``latin-in-ar``: Latin words whose effective language is Arabic: interface English left
  untranslated on an Arabic page, or English content not marked ``lang="en"``; unless every word is
  in the short allow-list below;
- ``latin-not-ltr``: English marked ``lang="en"`` on an Arabic page but laid out right to left (its
  punctuation and parentheses land at the wrong end).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.web.walk import ACCOUNTS, ROLES, WRITES, Objects, World, csrf_of, make_world, routes, url_for_rule

#: Words a translation keeps in Latin letters, each for a reason:
ALLOWED_WORDS = {
    # Names of products and file formats, written the same in Arabic ("ملف GIFT", "تصدير إلى Moodle").
    "GIFT",
    "Moodle",
    "Aiken",
    "XML",
    "YAML",
    "CSV",
    # The product's own name, in every page's <title> ("… · quizapp").
    "quizapp",
    # A file's extension and an encoding, named as such in Arabic ("ملف ‎.txt بترميز UTF-8").
    "txt",
    "UTF",
    # The bank's own Arabic text writes the Soviet secret police's acronym in Latin letters
    # ("ستالين يكلّف الـNKVD"), as Arabic writers do: content, not interface.
    "NKVD",
}
#: Elements whose text is a code, a slug or a key, not words in a language (a bank's slug, a
#: quiz's join code, a question's key): they are exempt from the Latin-words check.
CODE_ELEMENTS = {"code", "kbd", "samp"}
#: Tokens that are not words of any language: an e-mail address, a URL or a path, an ISO date or time.
NOT_WORDS = re.compile(
    r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"  # e-mail
    r"|(?:https?://|www\.|/)\S*"  # URL or path
    r"|\d{4}(?:-\d\d(?:-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?)?)?)?"  # ISO date or time
)
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_PUNCT = "()[]{}«»\"'“”‘’.,:;!?،؛…·–—"
_SKIP = {"script", "style", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: Attributes a screen reader reads out, in the language of their element.
_SPOKEN = ("title", "aria-label", "aria-roledescription", "aria-valuetext", "alt", "placeholder")
_VALUE_INPUTS = {"text", "search", "submit", "button", "reset"}
#: Rendered by POST with nothing but a CSRF token: the forms sent back with their errors.
FORMS = {
    "auth.login",
    "auth.signup",
    "admin.new_teacher",
    "quiz.question",
    "teacher.new_bank",
    "teacher.edit_bank",
    "teacher.new_event",
    "teacher.edit_event",
    "teacher.new_question",
    "teacher.edit_question",
    "teacher.new_quiz",
    "teacher.edit_quiz",
    "teacher.import_gift",
    "teacher.extract",
}
ARABIC_TEXT = "في 21 آب/أغسطس 1940 اغتيل ليون تروتسكي في منزله بضاحية كويوكان في مكسيكو سيتي."
ENGLISH_TEXT = "On 21 August 1940 Leon Trotsky was assassinated at his house in Coyoacán, Mexico City."


@dataclass(frozen=True)
class Piece:
    """A text of a page and what it inherits: language, direction, whether it sits in a code element."""

    text: str
    lang: str
    dir: str
    code: bool
    where: str


class LanguageParser(HTMLParser):
    """Collects the pieces of text of a page with their effective language and direction."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (tag, lang, dir, in a code element, in script/style/template)
        self.stack: list[tuple[str, str, str, bool, bool]] = []
        self.pieces: list[Piece] = []

    def _top(self) -> tuple[str, str, str, bool, bool]:
        return self.stack[-1] if self.stack else ("", "", "", False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        _, lang, direction, code, skip = self._top()
        lang = a.get("lang", lang)  # lang="" too: it says the language is unknown
        direction = a.get("dir") or a.get("direction") or direction  # `direction`: SVG's own
        code = code or tag in CODE_ELEMENTS
        skip = skip or tag in _SKIP
        if not skip:
            for name in _SPOKEN:
                if a.get(name, "").strip():
                    self._add(a[name], lang, direction, code, f"<{tag} {name}>")
            kind = a.get("type", "text").lower()
            if tag == "input" and kind in _VALUE_INPUTS and a.get("value", "").strip():
                self._add(a["value"], lang, direction, code, "<input value>")
        if tag not in _VOID:
            self.stack.append((tag, lang, direction, code, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        tag, lang, direction, code, skip = self._top()
        lines = [line for line in data.splitlines() if line.strip()]
        if tag == "textarea" and lines and all("|" in line for line in lines):
            # A box of pairs, "Arabic | English" a line: it can be marked with one language only, its
            # lines start in Arabic, and the page says so; its Arabic halves are checked.
            data = "\n".join(line.split("|", 1)[0] for line in lines)
        if not skip and data.strip():
            self._add(data, lang, direction, code, f"<{tag}>")

    def _add(self, text: str, lang: str, direction: str, code: bool, where: str) -> None:
        primary = lang.split("-", maxsplit=1)[0].lower()  # ar-EG is Arabic
        self.pieces.append(Piece(" ".join(text.split()), primary, direction.lower(), code, where))


def pieces(html: str) -> list[Piece]:
    """The pieces of text of a page."""
    parser = LanguageParser()
    parser.feed(html)
    parser.close()
    return parser.pieces


def page_lang(html: str) -> str:
    """The language of the page, from its <html> element."""
    m = re.search(r"<html\b[^>]*\blang=\"([^\"]*)\"", html)
    return m.group(1) if m else ""


def has_arabic(text: str) -> bool:
    """True when the text has an Arabic letter (digits and punctuation alone do not count)."""
    return any(ch.isalpha() for ch in _ARABIC.findall(text))


def latin_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The Latin words of a text that are not allowed: tokens that are names, addresses, dates
    or allowed words are left out."""
    words = []
    for raw in text.split():
        token = raw.strip(_PUNCT)
        if not token or token in allowed or NOT_WORDS.fullmatch(token):
            continue
        words += [w for w in _LATIN_WORD.findall(token) if w not in ALLOWED_WORDS and w not in allowed]
    return words


def problems(html: str, allowed: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """(kind, text) for each piece of text whose language or direction is wrong."""
    arabic_page = page_lang(html) == "ar"
    for p in pieces(html):
        if has_arabic(p.text):
            if p.lang != "ar":
                yield "arabic-not-ar", f"{p.where} {p.text}"
            elif p.dir not in ("rtl", "auto"):
                yield "arabic-not-rtl", f"{p.where} {p.text}"
        if p.code:
            continue
        words = latin_words(p.text, allowed)
        if words and p.lang == "ar":
            yield "latin-in-ar", f"{p.where} {p.text} {words}"
        elif words and arabic_page and p.lang != "ar" and p.dir not in ("ltr", "auto"):
            yield "latin-not-ltr", f"{p.where} {p.text}"


# The checker itself, on small pages: each rule fails where it should and passes where it should.


def _page(body: str, lang: str = "ar") -> str:
    return f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"><body>{body}</body></html>'


@pytest.mark.parametrize(
    ("body", "page_lang", "kinds"),
    [
        ("<p>تروتسكي</p>", "ar", []),
        ("<p>Trotsky</p>", "ar", ["latin-in-ar"]),
        ('<p lang="en" dir="ltr">Trotsky</p>', "ar", []),
        ('<p lang="en">Trotsky (1879).</p>', "ar", ["latin-not-ltr"]),
        ("<p>تروتسكي</p>", "en", ["arabic-not-ar"]),
        ('<p lang="ar">تروتسكي</p>', "en", ["arabic-not-rtl"]),
        ('<p lang="ar" dir="rtl">تروتسكي</p>', "en", []),
        ('<div lang="ar" dir="rtl"><p><span>تروتسكي</span></p></div>', "en", []),
        ('<button aria-label="Close">×</button>', "ar", ["latin-in-ar"]),
        ('<input type="text" value="تروتسكي">', "en", ["arabic-not-ar"]),
        ('<input type="hidden" value="Trotsky">', "ar", []),
        ("<script>var x = 'Trotsky';</script><style>p{}</style><template>Trotsky</template>", "ar", []),
        ("<p>صدّر إلى Moodle بصيغة GIFT أو Moodle XML · quizapp</p>", "ar", []),
        ("<p>الرمز <code>WALK001</code> والرابط http://localhost/quiz/WALK001</p>", "ar", []),
        ("<p>2024-03-01T10:00 walk@example.org</p>", "ar", []),
        ("<p>walk_s1</p>", "ar", []),  # a fixture's username, allowed by the caller below
        ("<p>Moodle export</p>", "ar", ["latin-in-ar"]),
        ('<svg><text x="1"/><title>Timeline</title></svg>', "ar", ["latin-in-ar"]),
        ('<svg><text lang="ar" direction="rtl">21 أغسطس 1940</text></svg>', "en", []),
        ('<p lang="">تروتسكي</p>', "en", ["arabic-not-ar"]),  # lang="": unknown, not Arabic
        ('<p lang="ar" dir="rtl">Trotsky</p>', "en", ["latin-in-ar"]),  # English marked Arabic
        ('<p>Your answer: <span lang="ar" dir="rtl">تروتسكي</span></p>', "en", []),
        # A box of "Arabic | English" pairs, marked Arabic: its Arabic halves are what is checked.
        ('<textarea lang="ar" dir="rtl">روسيا | Russia\nالمكسيك | Mexico</textarea>', "en", []),
        ('<textarea lang="ar" dir="rtl">Russia\nالمكسيك | Mexico</textarea>', "en", ["latin-in-ar"]),
        ("<textarea>روسيا | Russia</textarea>", "en", ["arabic-not-ar"]),
    ],
)
def test_the_checker_finds_what_it_should(body: str, page_lang: str, kinds: list[str]) -> None:
    found = [k for k, _ in problems(_page(body, page_lang), frozenset({"walk_s1"}))]
    assert found == kinds


# The walk.


@dataclass
class Site:
    """The world of the walk, with the data that fills its pages and the URLs beyond the map."""

    world: World
    objects: Objects
    extra: dict[str, list[str]]
    allowed: frozenset[str]


def _answer_all(attempt, wrong_first: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Answer every question of an attempt: the first one wrong (so feedback shows both), the
    others right; then finish it."""
    from quizapp import attempts as svc
    from quizapp.extensions import db
    from quizapp.models import AttemptQuestion

    rows = db.session.scalars(
        select(AttemptQuestion)
        .where(AttemptQuestion.attempt_id == attempt.id)
        .order_by(AttemptQuestion.position)
    ).all()
    for i, q in enumerate(rows):
        answer = q.snapshot["answer"]
        if wrong_first and i == 0:
            mcq = q.snapshot["type"] == "mcq"
            answer = (answer + 1) % len(q.snapshot["options"]) if mcq else answer[::-1]
        svc.record_answer(attempt, q, answer)
    svc.finish_attempt(attempt)


def build_site(app, make_user) -> Site:  # type: ignore[no-untyped-def]
    """The walk's world, and a quiz limited to each language with the student's attempts at it
    (finished with feedback, in progress), its reports, the print pages in either language, and
    an admin's actions in the audit log."""
    from flask import url_for

    from quizapp import attempts as svc
    from quizapp.admin import service as admin
    from quizapp.extensions import db
    from quizapp.models import Quiz, User

    world = make_world(app, make_user)
    objects = world.objects()
    student, teacher = world.users["student"], world.users["teacher"]
    extra: dict[str, list[str]] = {role: [] for role in ROLES}
    with app.app_context(), app.test_request_context():
        base = db.session.get(Quiz, objects.quiz_id)
        for only in ("ar", "en"):
            quiz = Quiz(
                bank_id=base.bank_id,
                owner_id=teacher,
                title_ar="اختبار بالعربية وحدها" if only == "ar" else "اختبار بالإنجليزية وحدها",
                title_en="A quiz in Arabic only" if only == "ar" else "A quiz in English only",
                code=f"ONLY{only.upper()}",
                settings={"count": 6, "feedback": "immediate", "languages": [only]},
            )
            db.session.add(quiz)
            db.session.commit()
            finished = svc.start_attempt(quiz, only, user_id=student)
            _answer_all(finished)
            going = svc.start_attempt(quiz, only, user_id=student)
            extra["student"] += [  # every question: answered with feedback, and not answered yet
                *(
                    url_for("quiz.question", public_id=attempt.public_id, number=n)
                    for attempt in (finished, going)
                    for n in range(1, attempt.question_count + 1)
                ),
                url_for("quiz.results", public_id=finished.public_id),
                url_for("quiz.landing", code=quiz.code),
            ]
            key = finished.questions[0].key
            for role in ("teacher", "admin"):
                extra[role] += [
                    url_for("teacher.quiz", quiz_id=quiz.id),
                    url_for("reports.quiz", quiz_id=quiz.id),
                    url_for("reports.question", quiz_id=quiz.id, key=key),
                ]
        actor, victim = db.session.get(User, world.users["admin"]), db.session.get(User, objects.victim_id)
        admin.create_teacher(actor, "walk_t3", "Walk_T3", "correct horse battery staple")
        admin.set_role(actor, victim, "teacher")
        admin.set_active(actor, victim, False)
        for role in ("teacher", "admin"):
            extra[role] += [
                url_for("reports.student", user_id=student),
                *(
                    url_for(endpoint, slug=objects.bank_slug, lang=lg)
                    for endpoint in ("teacher.print_quiz", "teacher.print_key")
                    for lg in ("ar", "en")
                ),
            ]
    # The fixtures' accounts: their usernames and display names (username.title()), as the walk makes them.
    names = {name for name, _ in [*ACCOUNTS.values(), ("walk_t3", "")]}
    names |= {name.title() for name in names}
    names |= {f"walk_victim{n}" for n in range(1, 100)} | {"Victim"}
    # The fixtures' banks' slugs, which a <select> of banks shows beside each title ("… (walk-1)"):
    # an <option> can hold no <code>.
    names |= {"trotsky"} | {f"walk-{n}" for n in range(1, 100)}
    # The fixtures' classes' names ("Walk 1"), a teacher's words in no set language, like a display name.
    names |= {"Walk"}
    return Site(world, objects, extra, frozenset(names))


def pages(site: Site, role: str) -> Iterator[tuple[str, object]]:
    """(URL, response) for every page the role is shown: each GET of the URL map, the extra URLs,
    the forms sent back empty, and a text's proposed events in each language."""
    world, client = site.world, site.world.clients[role]
    objects = site.objects
    for rule, method in routes(world.app):
        if method != "GET" or rule.endpoint in ("main.set_language", "static"):
            continue  # switching the language mid-walk would mix the two passes
        url = url_for_rule(rule, objects)
        yield url, client.get(url)
    for url in site.extra[role]:
        yield url, client.get(url)
    for rule, method in routes(world.app):
        if method not in WRITES or rule.endpoint not in FORMS:
            continue
        url = url_for_rule(rule, objects)
        r = client.post(url, data={"csrf_token": csrf_of(client)})
        yield f"POST {url}", r
        if r.status_code < 400 and "/auth/login" not in r.headers.get("Location", ""):
            objects = site.objects = world.objects()  # it wrote: the next form gets fresh objects
        if role != "visitor" and not _logged_in(client):
            world.relogin(role)
    for text in (ARABIC_TEXT, ENGLISH_TEXT):  # the review shows the text in its own language
        r = client.post(
            "/teacher/extract", data={"csrf_token": csrf_of(client), "text": text, "lang": "auto"}
        )
        yield f"POST /teacher/extract ({text[:12]}…)", r


def _logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    with client.session_transaction() as s:
        return bool(s.get("_user_id"))


def findings(site: Site, role: str, lang: str) -> dict[tuple[str, str], list[str]]:
    """{(kind, text): URLs} for the role's pages in one language."""
    client = site.world.clients[role]
    assert client.post(f"/lang/{lang}", data={"csrf_token": csrf_of(client)}).status_code == 302
    # Hijri dates beside the Gregorian ones: more text to check
    client.post("/learn/hijri/on", data={"csrf_token": csrf_of(client)})
    found: dict[tuple[str, str], list[str]] = {}
    for url, r in pages(site, role):
        html = r.get_data(as_text=True)
        r.close()
        if 300 <= r.status_code < 400 or not r.content_type.startswith("text/html"):
            continue  # a redirect's body is Werkzeug's, never shown
        # The print pages are wholly in the language of the printed quiz; the others in the reader's.
        expected = parse_qs(urlsplit(url).query).get("lang", [lang])[0] if "/print/" in url else lang
        assert page_lang(html) == expected, f"{url} is not in {expected}"
        for problem in problems(html, site.allowed):
            found.setdefault(problem, []).append(url)
    return found


def report(found: dict[tuple[str, str], list[str]]) -> str:
    """The findings, one line each: kind, URL (and how many others), text."""
    lines = []
    for (kind, text), urls in sorted(found.items()):
        more = f" (+{len(urls) - 1} more)" if len(urls) > 1 else ""
        lines.append(f"{kind}: {urls[0]}{more}: {text[:200]}")
    return "\n".join(lines)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # markup does not depend on the database
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_piece_of_text_is_marked_with_its_language(app, make_user, role: str, lang: str) -> None:
    site = build_site(app, make_user)
    found = findings(site, role, lang)
    wrong = f"as {role}, in {lang}: {len(found)} pieces of text in the wrong language or direction"
    assert not found, f"{wrong}:\n{report(found)}"
