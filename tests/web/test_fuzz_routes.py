"""Hypothesis sends absurd path parameters and query strings to every route of the URL map, as each
caller (a visitor, two students, two teachers, an admin), on SQLite and PostgreSQL: never a 500, an
absurd path parameter gets 404 or 400 (or the log-in page, or 403, where the role is refused first),
and every error page speaks the reader's language.

The number of examples per route is FUZZ_EXAMPLES (default 4): six callers, two databases and every
route already make thousands of requests; CI raises nothing, a developer may.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from tests.web.walk import ROLES, WRITES, Objects, argument, csrf_of, make_world, routes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))

#: Numbers no database column holds, one that fits but names nothing, and odd spellings.
ABSURD_INTS = st.one_of(
    st.integers(min_value=2**31, max_value=10**40).map(str),
    st.sampled_from(["2147483647", "2147483648", "9223372036854775808", "99999999999999999999", "0"]),
)
HOSTILE_TEXT = [
    "99999999999999999999999",
    "-1",
    "0",
    "\x00",
    "a\x00b",
    "..",
    "%00",
    "%2e%2e%2fetc%2fpasswd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202egnp",
    "ليون",
    "٣٣",
    "x" * 2000,
    "🙂" * 20,
    "{{7*7}}",
    "NaN",
    "1e309",
]
#: Random text, but never a plain lower-case word: that could be a valid value of another parameter
#: than the one drawn for (a table's name, "events", answered 200 to the route walk).
ABSURD_TEXT = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(min_size=1, max_size=60).filter(lambda v: not re.fullmatch(r"[a-z0-9_-]+", v)),
)
#: Names the app reads from query strings, and some it does not.
QUERY_NAMES = [
    "quiz", "bank", "class", "user", "date_from", "date_to", "lang", "page", "q", "next", "count",
    "seed", "key", "format", "table", "kind", "x",
]  # fmt: skip
QUERY_VALUES = st.one_of(
    st.sampled_from(
        [
            "99999999999999999999999",
            "9223372036854775808",
            "-99999999999999999999",
            "9999-12-31",
            "0001-01-01",
            "10000-01-01",
            "2026-02-30",
            "1e309",
            "-1",
            "",
            "ar",
            "xx",
            "//evil.example/",
            "javascript:alert(1)",
            "x" * 3000,
            "٣",
            "\x00",
        ]
    ),
    st.text(max_size=40),
)
QUERIES = st.dictionaries(st.sampled_from(QUERY_NAMES), QUERY_VALUES, max_size=4)
#: What an absurd path parameter may get: refused as unknown or bad (or before that, the caller).
ABSURD_ANSWERS = {400, 403, 404, 405}
_HTML_LANG = re.compile(r'<html[^>]*\blang="([a-z]+)"')


def _valid(rule: Rule, name: str, objects: Objects) -> str | None:
    """The walk's value for an argument, or None where the walk does not know it yet."""
    try:
        return argument(rule.endpoint, name, objects)
    except KeyError:
        return None


def _absurd(rule: Rule, name: str) -> st.SearchStrategy[str]:
    kind = type(rule._converters[name]).__name__
    if kind in ("IntegerConverter", "BoundedInt"):
        return ABSURD_INTS
    return ABSURD_TEXT


def _fill(rule: Rule, values: dict[str, str]) -> str:
    path = rule.rule
    for name, value in values.items():
        pattern = r"<(?:[^:<>]+(?:\([^)]*\))?:)?" + re.escape(name) + ">"
        path = re.sub(pattern, lambda _m, v=value: quote(v, safe=""), path)
    return path


def _error_texts(app) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """The error page's headline for each code, in each language."""
    from flask_babel import gettext as _

    texts: dict[str, set[str]] = {}
    for lang in ("ar", "en"):
        with app.test_request_context(headers={"Accept-Language": lang}):
            texts[lang] = {
                _("This page does not exist."),
                _("You may not open this page."),
                _("The request was not understood. Reload the page and try again."),
                _("Something went wrong."),
            }
    return texts


def check_language(r, lang: str, texts: dict[str, set[str]], where: str) -> None:  # type: ignore[no-untyped-def]
    """An HTML error page is in the reader's language: its <html lang> and its headline."""
    if r.status_code < 400 or not r.mimetype.startswith("text/html"):
        return
    html = r.get_data(as_text=True)
    m = _HTML_LANG.search(html)
    assert m and m.group(1) == lang, f"{where}: {r.status_code} page not in {lang}"
    if "<h1" in html and any(t in html for t in texts["ar"] | texts["en"]):
        assert any(t in html for t in texts[lang]), f"{where}: headline not in {lang}"


def fuzz_route(world, role: str, rule: Rule, method: str, objects: Objects, *, texts) -> None:  # type: ignore[no-untyped-def]
    """Absurd path parameters and query strings on one route, as one caller."""
    client = world.clients[role]
    names = sorted(rule.arguments)
    writes = method in WRITES
    if writes and not names:
        return  # nothing in the path to make absurd: the form fuzzer (test_fuzz_forms.py) posts to it

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data(), lang=st.sampled_from(["ar", "en"]))
    def send(data, lang: str) -> None:  # type: ignore[no-untyped-def]
        values: dict[str, str] = {}
        absurd: set[str] = set()
        for name in names:
            valid = _valid(rule, name, objects)
            # A write gets only absurd parameters, so that it finds nothing to change.
            if writes or valid is None or data.draw(st.booleans(), label=f"{name} absurd"):
                value = data.draw(_absurd(rule, name).filter(lambda v, ok=valid: v != ok), label=name)
                absurd.add(name)
            else:
                value = valid
            values[name] = value
        query = data.draw(QUERIES, label="query")
        url = _fill(rule, values) + ("?" + urlencode(query) if query else "")
        headers = {"Accept-Language": lang}
        for _hop in range(2):  # "a//b" is sent on to "a/b" by the router (308): follow it once
            form = {"csrf_token": csrf_of(client)} if writes else None
            r = client.open(url, method=method, data=form, headers=headers)
            r.close()
            if r.status_code != 308:
                break
            url = r.headers["Location"]
        where = f"{method} {url[:300]!r} as {role}"
        assert r.status_code < 500, f"{where}: {r.status_code}"
        if absurd:
            to_login = r.status_code == 302 and "/auth/login" in r.headers.get("Location", "")
            assert r.status_code in ABSURD_ANSWERS or to_login, f"{where}: {r.status_code} for {absurd}"
        check_language(r, lang, texts, where)

    send()


@pytest.mark.parametrize("role", ROLES)
def test_no_absurd_path_or_query_reaches_a_500(app, make_user, role: str) -> None:
    world = make_world(app, make_user)
    objects = world.objects()
    texts = _error_texts(app)
    seen = 0
    for rule, method in routes(app):
        fuzz_route(world, role, rule, method, objects, texts=texts)
        seen += 1
    assert seen >= 50  # the URL map was walked
