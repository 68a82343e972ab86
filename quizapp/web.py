"""What every page shares: blueprints, template helpers, and the headers every answer carries."""

from __future__ import annotations

import re
import time
from typing import NamedTuple

from flask import Flask, Response, current_app, g, render_template, request, templating
from flask.sessions import SecureCookieSessionInterface
from flask_babel import format_datetime
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature
from markupsafe import Markup, escape
from werkzeug.routing import IntegerConverter

from .domain.dates import PartialDate, format_number, format_partial, format_percent
from .i18n import (
    LANGUAGES,
    current_lang,
    in_lang,
    install_template_gettext,
    lang_attrs,
    number_style,
    text_direction,
)
from .ui.kept import Holes, Printed, keep, kept
from .ui.navigation import MAX_ID


def register(app: Flask) -> None:
    """Register blueprints, the template context and the response headers."""
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .learn import bp as learn_bp
    from .live import bp as live_bp
    from .main import bp as main_bp
    from .quiz import bp as quiz_bp
    from .reports import bp as reports_bp
    from .teacher import bp as teacher_bp

    app.url_map.converters["int"] = BoundedInt  # before any rule is added: every <int:...> is bounded
    for bp in (main_bp, auth_bp, quiz_bp, learn_bp, teacher_bp, reports_bp, admin_bp, live_bp):
        app.register_blueprint(bp)

    @app.context_processor
    def page_context() -> dict:
        lang = current_lang()
        return {"lang": lang, "dir": text_direction(lang), "languages": LANGUAGES}

    app.jinja_env.filters["tr"] = lambda text, lang=None: (text or {}).get(lang or current_lang(), "")
    app.jinja_env.filters["number"] = lambda value: format_number(value, current_lang(), number_style())
    # A percentage from 0 to 100, the sign where the locale puts it: {{ 50 | percent }}, {{ x | percent(1) }}.
    app.jinja_env.filters["percent"] = lambda value, decimals=0: format_percent(
        value, current_lang(), number_style(), decimals
    )
    app.jinja_env.globals["format_datetime"] = format_datetime
    # Content in a given language: <p{{ lang_attrs("en") }}>, {{ in_lang(text, "en") }}.
    app.jinja_env.globals.update(lang_attrs=lang_attrs, in_lang=in_lang, text_direction=text_direction)
    app.jinja_env.globals["query_args"] = query_args
    app.jinja_env.filters["partial_date"] = lambda iso: format_partial(
        PartialDate.parse(iso), current_lang(), number_style()
    )
    app.jinja_env.finalize = neutralise_bidi
    app.jinja_env.globals["csrf_token"] = csrf_token  # after CSRFProtect's init_app, which sets its own
    app.jinja_env.globals["header_nav"] = HeaderNav()
    app.session_interface = SessionCookies()
    install_template_gettext(app)
    app.after_request(security_headers)
    _drop_repeated_default_context(app)
    _drop_csrf_context(app)


def csrf_token() -> str:
    """The request's CSRF token for a form: Flask-WTF's generate_csrf, which makes it once a request
    and keeps it in g, where it is read here first (a page writes it into every one of its forms, and
    generate_csrf reads its two settings through the app's proxies each time)."""
    token = g.get("csrf_token")
    return token if token is not None else generate_csrf()


def _drop_csrf_context(app: Flask) -> None:
    """Flask-WTF's context processor puts its generate_csrf into every template's context, where it
    hides the template global csrf_token (above) and is looked up at each render: dropped. Its
    globals (csrf_token, csrf_meta_tag) stay. Found by its module and what it gives, so that a
    version whose processor gives anything more keeps it."""
    from flask_wtf.csrf import csrf_meta_tag

    theirs = {"csrf_token": generate_csrf, "csrf_meta_tag": csrf_meta_tag}
    processors = app.template_context_processors[None]
    processors[:] = [
        f for f in processors if getattr(f, "__module__", None) != generate_csrf.__module__ or f() != theirs
    ]


class NavUser(NamedTuple):
    """What the header shows of its user."""

    authenticated: bool
    teacher: bool = False
    admin: bool = False
    display_name: str = ""


class HeaderNav:
    """The header's links and forms (_nav.html), rendered once for each language, kind of user,
    display name and URL root and kept (quizapp.ui.kept), its CSRF token and `next` path (the
    language switch's way back) written in at each request: every page drew the same header anew,
    a tenth of an anonymous home page's time."""

    TEMPLATE = "_nav.html"
    KEPT = 512  # users' display names × languages, then all dropped at once

    def __init__(self) -> None:
        self.kept: dict[tuple, object] = {}
        self.holes = Holes("token", "next_path")

    def __call__(self) -> Printed:
        user = current_user._get_current_object()  # type: ignore[attr-defined]
        who = NavUser(False)
        if user is not None and user.is_authenticated:
            who = NavUser(True, user.has_role("teacher"), user.role == "admin", user.display_name)
        lang = current_lang()
        template = current_app.jinja_env.get_template(self.TEMPLATE)  # the language's
        here = request._get_current_object()  # type: ignore[attr-defined]
        key = (lang, here.script_root, who)
        pieces = kept(self.kept, template, key)
        if pieces is None:
            html = render_template(template, user=who, **self.holes.places)
            pieces = keep(self.kept, template, key, self.holes.split(html), self.KEPT)
        # Written as the template writes a value: bidi controls dropped, escaped.
        path = str(escape(neutralise_bidi(here.full_path)))
        # Printed: base.html writes it twice, and each of its values passed the bidi search already.
        return Printed(self.holes.fill(pieces, token=csrf_token(), next_path=path))


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, its signer made once for each key (and fallback keys) instead
    of twice a request: making one serialises an empty session to learn what the serializer writes.

    A cookie whose signature was checked is kept with what it holds and when it was signed, so the
    next request that sends it (a logged-in user's every page) is not verified, decompressed and
    parsed again: a cookie's content follows from its text and the keys alone, and its age is
    checked at every request as the signer checks it (expired, or signed in the future: a new
    session, the signer saying so). Kept only under the signer that checked it (another key: checked
    again), and only when every value is a number, text, true/false or none: a request gets its own
    copy of the session, and a list in it (flashed messages) would be shared with the next one.
    """

    KEPT = 1024  # cookies (about 300 bytes each), then all dropped at once
    _PLAIN = frozenset({str, int, float, bool, type(None)})

    def __init__(self) -> None:
        self._signers: dict[tuple, object] = {}
        self._opened: dict[str, tuple[object, int, dict]] = {}

    def get_signing_serializer(self, app: Flask):  # type: ignore[no-untyped-def]
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        signer = self._signers.get(key)
        if signer is None:
            signer = super().get_signing_serializer(app)
            if signer is not None:
                self._signers[key] = signer
        return signer

    def open_session(self, app: Flask, request):  # type: ignore[no-untyped-def]
        """Flask's open_session (a new session for a missing, forged or expired cookie), a cookie
        seen before read from what was kept of it."""
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        found = self._opened.get(val)
        if found is not None and found[0] is signer and 0 <= int(time.time()) - found[1] <= max_age:
            return self.session_class(found[2])
        try:
            data, signed = signer.loads(val, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(type(value) in self._PLAIN for value in data.values()):
            if len(self._opened) >= self.KEPT:
                self._opened.clear()
            self._opened[val] = (signer, int(signed.timestamp()), dict(data))
        return self.session_class(data)


def _drop_repeated_default_context(app: Flask) -> None:
    """Flask gives each blueprint a copy of its default context processor (g, request, session),
    which then runs a second time for every page of the blueprint: the same values, dropped. The
    function is Flask's private one: where a version names it otherwise, nothing is dropped."""
    default = getattr(templating, "_default_template_ctx_processor", None)
    if default is None:
        return
    for name, functions in app.template_context_processors.items():
        if name is not None:
            functions[:] = [f for f in functions if f is not default]


class BoundedInt(IntegerConverter):
    """`<int:...>` that matches only numbers a database column can hold: a larger one is a 404, not
    an OverflowError (SQLite) or a DataError (PostgreSQL) deep in a query."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False) -> None:  # type: ignore[no-untyped-def]
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def query_args(**fixed: object) -> dict[str, object]:
    """This page's query string to carry onto a link, with the link's own arguments winning.

    For `url_for(endpoint, **query_args(quiz_id=3))`: a query string that names an argument of the
    link (?quiz_id=, ?table=) or one of url_for's own (?_external=, ?_scheme=) changes nothing.
    """
    carried: dict[str, object] = {k: v for k, v in request.args.items() if not k.startswith("_")}
    carried.update(fixed)
    return carried


#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a teacher's
#: text they could reverse what follows them on the page (an option shown as another). The marks
#: U+200E, U+200F and U+061C, which Arabic text needs, are kept.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


_BIDI_CONTROL = re.compile("[" + "".join(map(chr, BIDI_CONTROLS)) + "]")


#: Each control as a text of its own, for the search in a long text (neutralise_bidi).
_BIDI_CHARS = tuple(map(chr, BIDI_CONTROLS))


def neutralise_bidi(value: object) -> object:
    """Drop bidi controls from everything a template prints (Jinja's finalize: every {{ ... }}).

    Searched for first: str.translate walks a text that is not ASCII at about 0.15 µs a character,
    and a macro's output (a report's table, 70,000 characters) passes here whole; texts without
    controls (nearly all) come back as they are. An ASCII text holds none (asked in one step). A
    long text is searched for each control in turn (`in` scans a text for one character at about
    0.2 ns a character, the regular expression at 10 ns: the header's 1,100 characters cost 10 µs,
    written twice a page); a short one with the expression, cheaper below about 40 characters.
    """
    if not isinstance(value, str) or value.isascii():
        return value
    if len(value) < 40:
        if not _BIDI_CONTROL.search(value):
            return value
    elif not any(map(value.__contains__, _BIDI_CHARS)):
        return value
    if isinstance(value, Markup):
        return Markup(str(value).translate(BIDI_CONTROLS))  # removing them cannot make a tag
    return value.translate(BIDI_CONTROLS)


#: The headers every answer carries unless its view set its own (CSP, no sniffing, no referrer to
#: other sites, no framing).
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


def security_headers(response: Response) -> Response:
    """No inline script, no outside origin, no framing; static files cached, nothing else stored.

    Every page but a static file is `no-store`: a logged-in user's pages, an attempt (a visitor's
    too), reports and teachers' pages hold private data, and every form holds the session's CSRF
    token, so no shared computer's browser, back button or proxy may keep a copy.

    The headers the view set are read once (Headers.setdefault searches them all for each name, a
    sixth of an empty page's own time); each header is added only when missing, as setdefault would.
    """
    headers = response.headers
    present = {key.lower() for key, _value in headers.items()}
    for key, value in SECURITY_HEADERS:
        if key.lower() not in present:
            headers.add(key, value)
    if request.is_secure and "strict-transport-security" not in present:  # behind HTTPS: stay on HTTPS
        headers.add("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint == "static":
        headers["Cache-Control"] = "public, max-age=86400"
    else:
        headers["Cache-Control"] = "no-store"
        if "pragma" not in present:
            headers.add("Pragma", "no-cache")  # HTTP/1.0 caches
    return response
