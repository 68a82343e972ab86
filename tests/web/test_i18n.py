"""The ar and en catalogs: complete, not fuzzy, placeholders intact, current with the code, and used."""

from __future__ import annotations

import gettext
import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from tests.conftest import ROOT, csrf_token, make_test_app

CATALOGS = ROOT / "quizapp" / "translations"
LANGS = ("ar", "en")
#: The same keywords as the README's extract command: _, gettext, ngettext are Babel's defaults;
#: N_ marks a string in the domain (no Flask there) that the web layer translates later.
EXTRACT_ARGS = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "N_"]
_TOKEN = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


def load(lang: str) -> Catalog:
    """The committed catalog of one language."""
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def key(message: Message) -> str | tuple[str, ...]:
    """A message's identity: its msgid, or (singular, plural) for a plural entry."""
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else message.id


def keys(catalog: Catalog) -> set[str | tuple[str, ...]]:
    """The identities of a catalog's live entries (header and obsolete ones left out)."""
    return {key(m) for m in catalog if m.id}


def tokens(text: str) -> Counter[str]:
    """The %-format tokens of a string, %% included, counted."""
    return Counter(_TOKEN.findall(text))


def stray_percent(text: str, source: str) -> bool:
    """True when a translation has a % that is no format token and its msgid lacks: it would break
    %-formatting. A lone % the msgid has too ("Mean score (%)") is text that is never formatted."""
    return _TOKEN.sub("", text).count("%") != _TOKEN.sub("", source).count("%")


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    """Both committed catalogs, read once."""
    return {lang: load(lang) for lang in LANGS}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """What `pybabel extract` finds in the code now, run exactly as the README says."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    cmd = [sys.executable, "-m", "babel.messages.frontend", "-q", *EXTRACT_ARGS, "-o", str(out), "."]
    done = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with out.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_translated_and_none_is_fuzzy(catalogs: dict[str, Catalog], lang: str) -> None:
    catalog = catalogs[lang]
    assert len(keys(catalog)) > 0
    assert not catalog.fuzzy, f"{lang}: the header is marked fuzzy"
    fuzzy = [key(m) for m in catalog if m.id and m.fuzzy]
    empty = [key(m) for m in catalog if m.id and not all(m.string if m.pluralizable else [m.string])]
    assert not fuzzy and not empty, f"{lang}: untranslated entries: {empty}; fuzzy entries: {fuzzy}"


@pytest.mark.parametrize("lang", LANGS)
def test_plural_header_is_cldr_and_every_plural_entry_has_all_forms(
    catalogs: dict[str, Catalog], lang: str
) -> None:
    catalog = catalogs[lang]
    locale = Locale.parse(lang)
    choose = gettext.c2py(catalog.plural_expr)
    used = sorted({locale.plural_form(n) for n in range(1000)}, key=_CLDR_ORDER.index)
    assert catalog.num_plurals == len(used)
    for n in range(1000):
        # Form i of the catalog must be CLDR's i-th category (in zero..other order) for every n.
        assert used[choose(n)] == locale.plural_form(n), f"{lang}: n={n}"
    short = [key(m) for m in catalog if m.pluralizable and len(m.string) != catalog.num_plurals]
    assert not short, f"{lang}: plural entries without {catalog.num_plurals} forms: {short}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_their_msgid(catalogs: dict[str, Catalog], lang: str) -> None:
    catalog = catalogs[lang]
    choose = gettext.c2py(catalog.plural_expr)
    # A form that only one number selects ("سؤالان": two) may leave out %(num)s, nothing else.
    single = {i for i in range(catalog.num_plurals) if sum(choose(n) == i for n in range(1000)) == 1}
    bad = []
    for m in catalog:
        if not m.id:
            continue
        if not m.pluralizable:
            if tokens(m.string) != tokens(m.id) or stray_percent(m.string, m.id):
                bad.append((m.id, m.string))
            continue
        for i, form in enumerate(m.string):
            have, want = tokens(form), tokens(m.id[1])
            if i in single:
                del have["%(num)s"], want["%(num)s"]
            if have != want or stray_percent(form, m.id[1]):
                bad.append((m.id, i, form))
    assert not bad, f"{lang}: placeholders differ from the msgid: {bad}"


def test_arabic_catalog_is_arabic(catalogs: dict[str, Catalog]) -> None:
    # An English string copied into the Arabic catalog counts as translated; it is not. Latin words
    # may stay only where the msgid has them too (a name such as JSON or PostgreSQL).
    bad = []
    for m in catalogs["ar"]:
        source = " ".join(m.id) if m.pluralizable else m.id
        if not m.id or not _LATIN.search(_TOKEN.sub("", source)):
            continue
        kept = set(_LATIN_WORD.findall(_TOKEN.sub("", source)))
        forms = m.string if m.pluralizable else [m.string]
        bad += [
            (key(m), f)
            for f in forms
            if not _ARABIC.search(f) or not set(_LATIN_WORD.findall(_TOKEN.sub("", f))) <= kept
        ]
    assert not bad, f"ar: entries not in Arabic: {bad}"


def test_arabic_iso_dates_are_led_by_a_left_to_right_mark(catalogs: dict[str, Catalog]) -> None:
    # In Arabic text "1940-08-21" shows as "21-08-1940": after Arabic letters its digits count as
    # Arabic numbers, which a hyphen does not join. A left-to-right mark before it keeps it whole.
    iso = re.compile(r"(?<![\d\u200e])\d{4}-\d{2}")
    bad = [
        (key(m), f)
        for m in catalogs["ar"]
        if m.id
        for f in (m.string if m.pluralizable else [m.string])
        if iso.search(f)
    ]
    assert not bad, f"ar: ISO dates without a left-to-right mark before them: {bad}"


def test_english_catalog_repeats_the_msgids(catalogs: dict[str, Catalog]) -> None:
    bad = [
        key(m) for m in catalogs["en"] if m.id and (tuple(m.string) if m.pluralizable else m.string) != key(m)
    ]
    assert not bad, f"en: msgstr differs from msgid: {bad}"


def test_committed_template_is_current_with_the_code(extracted: Catalog) -> None:
    with (CATALOGS / "messages.pot").open("rb") as f:
        committed = read_po(f)
    in_code, in_pot = keys(extracted), keys(committed)
    assert in_code, "extraction found no strings: is babel.cfg right?"
    assert not in_code - in_pot, (
        f"messages.pot lacks (run pybabel extract): {sorted(map(str, in_code - in_pot))}"
    )
    assert not in_pot - in_code, f"messages.pot has stale strings: {sorted(map(str, in_pot - in_code))}"


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_has_every_string_in_the_code(
    extracted: Catalog, catalogs: dict[str, Catalog], lang: str
) -> None:
    in_code, in_po = keys(extracted), keys(catalogs[lang])
    assert not in_code - in_po, f"{lang} lacks (run pybabel update): {sorted(map(str, in_code - in_po))}"
    assert not in_po - in_code, f"{lang} has strings gone from the code: {sorted(map(str, in_po - in_code))}"


def test_extraction_covers_python_lazy_strings_and_templates(extracted: Catalog) -> None:
    # babel.cfg must reach the views (_), the forms (_l), the domain's N_ and the Jinja templates, plural
    # ones included.
    origins = {path for m in extracted for path, _line in m.locations}
    assert any(p.startswith("quizapp/templates/") and p.endswith(".html") for p in origins)
    assert any(p.endswith("forms.py") for p in origins), "lazy_gettext (_l) strings not extracted"
    assert any(p.endswith("views.py") for p in origins), "gettext (_) strings not extracted"
    assert any(p.startswith("quizapp/domain/") for p in origins), "N_ strings of the domain not extracted"
    assert not any(".venv" in p for p in origins)
    assert any(m.pluralizable for m in extracted)


def compiled(lang: str) -> Translations:
    """The catalog as the app loads it: compiled to .mo in memory."""
    buf = io.BytesIO()
    write_mo(buf, load(lang))
    buf.seek(0)
    return Translations(buf, domain="messages")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "لا أسئلة"),
        (1, "سؤال واحد"),
        (2, "سؤالان"),
        (3, "3 أسئلة"),
        (10, "10 أسئلة"),
        (11, "11 سؤالًا"),
        (99, "99 سؤالًا"),
        (100, "100 سؤال"),
        (102, "102 سؤال"),
        (103, "103 أسئلة"),
        (111, "111 سؤالًا"),
    ],
)
def test_arabic_counts_take_the_right_form(n: int, expected: str) -> None:
    translations = compiled("ar")
    assert translations.ungettext("%(num)s question", "%(num)s questions", n) % {"num": n} == expected


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A client of an app on a fresh SQLite database with the first bank loaded."""
    tmp = tmp_path_factory.mktemp("i18n")
    app = make_test_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'test.db'}"}, tmp)
    yield app.test_client()
    from quizapp.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def html_tag(page: str) -> str:
    """The page's <html ...> start tag."""
    m = re.search(r"<html[^>]*>", page)
    assert m, page[:300]
    return m.group(0)


@pytest.mark.parametrize(
    ("headers", "lang", "direction"),
    [
        ({"Accept-Language": "ar"}, "ar", "rtl"),
        ({"Accept-Language": "en-GB,en;q=0.9"}, "en", "ltr"),
        ({}, "ar", "rtl"),  # no preference: Arabic
        ({"Accept-Language": "fr"}, "ar", "rtl"),
    ],
)
def test_home_page_comes_in_the_asked_language(
    client, catalogs: dict[str, Catalog], headers: dict, lang: str, direction: str
) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/", headers=headers).get_data(as_text=True)
    assert html_tag(page) == f'<html lang="{lang}" dir="{direction}">'
    for msgid in ("History quizzes", "Learn history by its dates", "Start a practice quiz"):
        assert catalogs[lang].get(msgid).string in page
    if lang == "ar":
        assert "Learn history by its dates" not in page


def test_event_count_takes_the_arabic_plural_form(client, catalogs: dict[str, Catalog]) -> None:  # type: ignore[no-untyped-def]
    en = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    m = re.search(r"(\d+) events?\b", en)
    assert m, "the home page shows no event count"
    n = int(m.group(1))
    ar_catalog = catalogs["ar"]
    forms = ar_catalog.get(("%(num)s event", "%(num)s events")).string
    expected = forms[gettext.c2py(ar_catalog.plural_expr)(n)] % {"num": n}
    assert expected in client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)


def test_form_labels_from_lazy_strings_follow_the_language(client, catalogs: dict[str, Catalog]) -> None:  # type: ignore[no-untyped-def]
    # Form labels are lazy_gettext strings made at import time: they must still follow each request.
    ar = client.get("/auth/signup", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    en = client.get("/auth/signup", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert catalogs["ar"].get("Username").string in ar and "Username" not in ar
    assert "Username" in en and catalogs["ar"].get("Username").string not in en


def test_switch_overrides_accept_language_and_keeps_the_page(client) -> None:  # type: ignore[no-untyped-def]
    with client.session_transaction() as sess:
        sess.clear()
    token = csrf_token(client, "/auth/login")
    r = client.post(
        "/lang/ar", data={"next": "/auth/login", "csrf_token": token}, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 302 and r.location.endswith("/auth/login")
    page = client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    client.post("/lang/en", data={"next": "/", "csrf_token": token})
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert html_tag(page) == '<html lang="en" dir="ltr">'
    with client.session_transaction() as sess:
        sess.clear()


def test_catalog_path_is_where_the_app_compiles_from() -> None:
    # quizapp.i18n compiles these very files; a move of the folder would leave the app untranslated.
    from quizapp.i18n import CATALOGS as APP_CATALOGS

    assert Path(APP_CATALOGS) == CATALOGS
    assert sorted(p.parent.parent.name for p in CATALOGS.glob("*/LC_MESSAGES/messages.po")) == sorted(LANGS)


def _formats(text: str) -> bool:
    """Whether a template's call of this translation prints it (new-style gettext formats it with no
    variables: "Mean score (%)" raises, and is only ever translated in Python)."""
    try:
        text % {}
    except (KeyError, TypeError, ValueError):
        return False
    return True


def _probe_app(app, templates: dict[str, str]):  # type: ignore[no-untyped-def]
    """The app with named templates of the test's own beside its files."""
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_env.loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])
    return app


@pytest.mark.parametrize("lang", LANGS)
def test_every_constant_text_compiles_to_what_its_call_returns(app, catalogs, lang: str) -> None:  # type: ignore[no-untyped-def]
    # Each language's templates are compiled with their constant texts translated
    # (quizapp.i18n.ConstantTranslations): every msgid written as `_("...")` in a named template
    # prints exactly what the call prints in a template compiled without a name (no language, so
    # the call is made), "%%" and all, escaped as the call's Markup is.
    from flask import render_template

    ids = sorted(m.id for m in catalogs[lang] if isinstance(m.id, str) and m.id and _formats(m.string))
    body = "\n--\n".join("{{ _(" + repr(msgid) + ") }}" for msgid in ids)
    _probe_app(app, {"_probe.html": body})
    with app.test_request_context("/", headers={"Accept-Language": lang}):
        compiled = render_template("_probe.html")
        called = app.jinja_env.from_string(body).render()
        assert app.jinja_env.get_template("_probe.html").name == f"{lang}:_probe.html"
    assert compiled.split("\n--\n") == called.split("\n--\n")
    assert len(ids) > 500
    if lang == "ar":
        assert catalogs["ar"].get("Log in").string in compiled and "Log in" not in compiled.split("\n--\n")


def test_a_template_is_compiled_for_each_language_and_force_locale_chooses(app) -> None:  # type: ignore[no-untyped-def]
    # One template, asked for in Arabic, then English, then Arabic under force_locale("en"): each
    # language's own; what it extends follows it; an attribute named _ is not a translation; calls
    # with variables are still made at each render.
    from flask import render_template
    from flask_babel import force_locale

    _probe_app(app, {
        "_child.html": '{% extends "_parent.html" %}{% block b %}{{ _("Log in") }}|{{ d._("Log in") }}'
                       '|{{ _("Log in") | upper }}'
                       '|{{ _("Question %(number)s of %(total)s", number=1, total=2) }}{% endblock %}',
        "_parent.html": '{{ _("Log out") }}:{% block b %}{% endblock %}',
    })  # fmt: skip
    echo = {"_": lambda text: f"<{text}>"}
    shown = {}
    for lang, forced in (("ar", None), ("en", None), ("ar", "en"), ("ar", None)):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            if forced:
                with force_locale(forced):
                    shown[f"{lang}>{forced}"] = render_template("_child.html", d=echo)
            else:
                shown[lang] = render_template("_child.html", d=echo)
    assert shown["en"] == "Log out:Log in|&lt;Log in&gt;|LOG IN|Question 1 of 2"
    assert shown["ar>en"] == shown["en"]
    assert shown["ar"] != shown["en"] and "Log" not in shown["ar"].split("|")[0]
    assert "|&lt;Log in&gt;|" in shown["ar"]  # d._ is the caller's function, not a translation
