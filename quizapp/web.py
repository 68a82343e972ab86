"""What every page shares: blueprints, template helpers, and the headers every answer carries."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_babel import format_datetime
from markupsafe import Markup

from .domain.dates import PartialDate, format_number, format_partial
from .i18n import LANGUAGES, current_lang, in_lang, lang_attrs, text_direction


def register(app: Flask) -> None:
    """Register blueprints, the template context and the response headers."""
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .learn import bp as learn_bp
    from .main import bp as main_bp
    from .quiz import bp as quiz_bp
    from .reports import bp as reports_bp
    from .teacher import bp as teacher_bp

    for bp in (main_bp, auth_bp, quiz_bp, learn_bp, teacher_bp, reports_bp, admin_bp):
        app.register_blueprint(bp)

    @app.context_processor
    def page_context() -> dict:
        lang = current_lang()
        return {"lang": lang, "dir": text_direction(lang), "languages": LANGUAGES}

    app.jinja_env.filters["tr"] = lambda text, lang=None: (text or {}).get(lang or current_lang(), "")
    app.jinja_env.filters["number"] = lambda value: format_number(value, current_lang())
    app.jinja_env.globals["format_datetime"] = format_datetime
    # Content in a given language: <p{{ lang_attrs("en") }}>, {{ in_lang(text, "en") }}.
    app.jinja_env.globals.update(lang_attrs=lang_attrs, in_lang=in_lang, text_direction=text_direction)
    app.jinja_env.filters["partial_date"] = lambda iso: format_partial(PartialDate.parse(iso), current_lang())
    app.jinja_env.finalize = neutralise_bidi
    app.after_request(security_headers)


def safe_next(target: str, default: str) -> str:
    """A path on this site to go back to, or the default: never an open redirect."""
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or parts.netloc
        or parts.scheme
    ):
        return default
    return target


#: Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a teacher's
#: text they could reverse what follows them on the page (an option shown as another). The marks
#: U+200E, U+200F and U+061C, which Arabic text needs, are kept.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def neutralise_bidi(value: object) -> object:
    """Drop bidi controls from everything a template prints (Jinja's finalize: every {{ ... }})."""
    if isinstance(value, Markup):
        return Markup(str(value).translate(BIDI_CONTROLS))  # removing them cannot make a tag
    if isinstance(value, str):
        return value.translate(BIDI_CONTROLS)
    return value


def security_headers(response: Response) -> Response:
    """No inline script, no outside origin, no framing; static files cached."""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:  # behind HTTPS (see TRUSTED_PROXIES): stay on HTTPS
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint == "static":
        response.headers["Cache-Control"] = "public, max-age=86400"
    return response
