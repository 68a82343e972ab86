"""Hypothesis posts random and hostile values to every form of the URL map (every route that
writes), as a caller allowed to use it, with a valid CSRF token: never a 500, a refused request
writes nothing, and the database never holds a half-written record."""

from __future__ import annotations

import hashlib
import io
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.web.walk import WRITES, csrf_of, make_world, routes, url_for_rule

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202egnp.exe",
    "' OR 1=1 --",
    "'; DROP TABLE user; --",
    "9" * 30,
    "-1",
    "0",
    "1e309",
    "NaN",
    "x" * 5000,
    "../../etc/passwd",
    "{{ 7*7 }}",
    "ليون تروتسكي ١٩١٧",
    "1917-13-45",
    "0000-00-00",
    "\r\n\t",
    "🙂" * 50,
    "%s%n%x",
    "null",
    "true",
    "[]",
    "{}",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
_ACTION = re.compile(r'\baction="([^"]*)"')
_FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
_NAME = re.compile(r'\bname="([^"]+)"')
_TYPE = re.compile(r'\btype="([^"]+)"')


def caller(endpoint: str) -> str:
    """Who may use a form: the role the walk sends to fuzz it."""
    if endpoint.startswith("admin."):
        return "admin"
    if endpoint.startswith(("teacher.", "reports.")):
        return "teacher"
    if endpoint in ("auth.login", "auth.signup"):
        return "visitor"
    return "student"


def fields_of(html: str) -> dict[str, str]:
    """The names of the form fields in some HTML, and their types ("file", "text", ...)."""
    fields = {}
    for _, attrs in _FIELD.findall(html):
        name = _NAME.search(attrs)
        if name and name.group(1) != "csrf_token":
            kind = _TYPE.search(attrs)
            fields[name.group(1)] = kind.group(1) if kind else "text"
    return fields


def forms_by_action(world, objects) -> dict[tuple[str, str], dict[str, str]]:  # type: ignore[no-untyped-def]
    """Every form on every page the callers can read: {(role, action path): fields}.

    A form without an action posts to its own page.
    """
    found: dict[tuple[str, str], dict[str, str]] = {}
    for role in {caller(rule.endpoint) for rule in world.app.url_map.iter_rules()}:
        client = world.clients[role]
        for rule, method in routes(world.app):
            if method != "GET" or rule.endpoint == "static":
                continue
            url = url_for_rule(rule, objects)
            r = client.get(url)
            if r.status_code == 200 and r.mimetype.startswith("text/html"):
                for attrs, body in _FORM.findall(r.get_data(as_text=True)):
                    action = _ACTION.search(attrs)
                    path = action.group(1).split("?")[0] if action and action.group(1) else url
                    found.setdefault((role, path), {}).update(fields_of(body))
            r.close()
    return found


def fingerprint(app) -> str:  # type: ignore[no-untyped-def]
    """A digest of every row of every table: equal before and after means nothing was written."""
    from quizapp.extensions import db

    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(table.select().order_by(*table.primary_key.columns)).all()
            digest.update(table.name.encode())
            digest.update(repr(rows).encode())
        db.session.remove()
    return digest.hexdigest()


def half_written(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Records that only make sense with others that are missing."""
    from quizapp.extensions import db
    from quizapp.models import Bank

    checks = {
        "an attempt without questions": "SELECT count(*) FROM attempt a WHERE NOT EXISTS "
        "(SELECT 1 FROM attempt_question q WHERE q.attempt_id = a.id)",
        "an answer filed under another attempt": "SELECT count(*) FROM response r "
        "JOIN attempt_question q ON q.id = r.question_id WHERE q.attempt_id <> r.attempt_id",
        "a finished attempt without a score": "SELECT count(*) FROM attempt "
        "WHERE finished_at IS NOT NULL AND score IS NULL",
        "a user without a password hash": "SELECT count(*) FROM \"user\" WHERE password_hash = ''",
    }
    found = []
    with app.app_context():
        for what, sql in checks.items():
            if db.session.execute(text(sql)).scalar():
                found.append(what)
        for bank in db.session.scalars(db.select(Bank)).all():
            keys = sorted(e.key for e in bank.events)
            if keys != sorted(e["id"] for e in bank.data.get("events", [])):
                found.append(f"bank {bank.slug}: its event rows differ from its data")
        db.session.remove()
    return found


def test_every_form_survives_hostile_input(app, make_user) -> None:
    world = make_world(app, make_user)
    objects = world.objects()
    writes = [(rule, method) for rule, method in routes(app) if method in WRITES]
    assert len(writes) >= 5
    forms = forms_by_action(world, objects)
    fuzzed = {
        f"{rule.endpoint} {method}": fuzz(world, rule, method, objects, forms) for rule, method in writes
    }
    assert sum(bool(fields) for fields in fuzzed.values()) >= 5, fuzzed  # the forms were found


def fuzz(world, rule, method: str, objects, forms) -> list[str]:  # type: ignore[no-untyped-def]
    """Post hostile values to one route; return the form fields it found."""
    app = world.app
    role = caller(rule.endpoint)
    client = world.clients[role]
    url = url_for_rule(rule, objects)
    fields = forms.get((role, url), {})
    where = f"{rule.endpoint} {method} as {role}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        values=st.fixed_dictionaries({name: VALUES for name in fields}),
        extra=st.dictionaries(st.sampled_from(["id", "role", "owner_id", "score", "x"]), VALUES, max_size=2),
        data=st.binary(max_size=300),
    )
    def post(values: dict, extra: dict, data: bytes) -> None:
        form: dict[str, object] = {**extra, **values, "csrf_token": csrf_of(client)}
        for name, kind in fields.items():
            if kind == "file":
                form[name] = (io.BytesIO(data), "upload.yaml")
        before = fingerprint(app)
        r = client.open(url, method=method, data=form)
        r.close()
        assert r.status_code < 500, f"{where}: {r.status_code} for {form!r}"[:2000]
        if r.status_code >= 400:
            assert fingerprint(app) == before, f"{where}: refused ({r.status_code}) but wrote"
        problems = half_written(app)
        assert not problems, f"{where}: {problems}"
        if role != "visitor":  # a log-out route ends the session: log in again
            with client.session_transaction() as s:
                logged_in = bool(s.get("_user_id"))
            if not logged_in:
                world.relogin(role)

    post()
    return sorted(fields)
