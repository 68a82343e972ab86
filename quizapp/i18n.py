"""Languages: which one a request is in, and the catalogs compiled for Flask-Babel."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import flask
import flask.templating
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, has_app_context, request, session
from flask_login import current_user
from jinja2 import BaseLoader, Template
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from markupsafe import Markup, escape

from .domain.dates import DEFAULT_STYLE, DateStyle

LANGUAGES: dict[str, str] = {"ar": "العربية", "en": "English"}
DEFAULT_LANGUAGE = "ar"
RTL = {"ar"}
CATALOGS = Path(__file__).resolve().parent / "translations"
#: Each language's Locale, made once (select_locale).
LOCALES: dict[str, Locale] = {code: Locale.parse(code) for code in LANGUAGES}


def select_locale() -> Locale | str:
    """The user's saved choice, then the session's, then Accept-Language, then Arabic.

    One of LOCALES, made once a process, where the code is one of LANGUAGES: Flask-Babel parsed the
    code into a new Locale for every request (about 4 µs), and each request's catalog and formats
    were then looked up anew for it; a Locale is never changed once made. Another default language
    is given as its code, which Flask-Babel parses as before.
    """
    user = current_user._get_current_object()  # type: ignore[attr-defined]  # None outside a request
    user_locale = getattr(user, "locale", None)
    if user_locale in LANGUAGES:
        return LOCALES[user_locale]
    own = session._get_current_object()  # type: ignore[attr-defined]
    lang = own.get("lang")
    if lang in LANGUAGES:
        return LOCALES[lang]
    accepted = request.accept_languages if request else None
    best = accepted.best_match(list(LANGUAGES)) if accepted else None  # none accepted: no best
    code = best or current_app.config.get("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE)
    return LOCALES.get(code, code) if isinstance(code, str) else code


def request_locale():  # type: ignore[no-untyped-def]
    """Flask-Babel's get_locale(), reading the locale it keeps for the request through one proxy
    (flask.g) instead of three: every string, number and date of a page asks for it. Until it is
    chosen, outside a request, or should Flask-Babel keep it elsewhere, get_locale() answers."""
    from flask_babel import get_locale

    try:
        locale = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet; no app context
        locale = None
    return locale if locale is not None else get_locale()


def current_lang() -> str:
    """ "ar" or "en", for the request being served."""
    locale = request_locale()
    return locale.language if locale and locale.language in LANGUAGES else DEFAULT_LANGUAGE


def number_style() -> DateStyle:
    """The digits and month names of this page: a quiz's (its Arabic-Indic setting) on the pages of
    its attempts, set by use_number_style, else the default. Every number, percent and date that a
    template writes goes through it, so that one page never mixes "٧٦٢" with "762"."""
    return g.get("number_style") or DEFAULT_STYLE


def use_number_style(style: DateStyle) -> None:
    """Write this request's numbers and dates in `style` (see number_style)."""
    g.number_style = style


def text_direction(lang: str) -> str:
    """ "rtl" for Arabic, "ltr" otherwise."""
    return "rtl" if lang in RTL else "ltr"


def lang_attrs(lang: str | None) -> Markup:
    """` lang="en" dir="ltr"` for an element whose text is in `lang` (a quiz's question in a language
    other than the page's, a bank's title in each language): read with the right voice, set in the
    right font and direction. Nothing for an unknown language."""
    if not lang:
        return Markup("")
    attrs = _LANG_ATTRS.get(lang)  # made once: a results page asks about a hundred times
    if attrs is None:
        attrs = Markup(' lang="{}" dir="{}"').format(lang, text_direction(lang))
    return attrs


@functools.lru_cache(maxsize=8192, typed=True)
def in_lang(text: str, lang: str | None) -> Markup:
    """The text in a <span> marked with its language and direction (escaped), for a piece of
    content inside a sentence of the interface ("Your answer: …").

    Remembered: a bank's texts (prompts, options, events) come back on every page of its quizzes.
    Typed: a Markup is written as it is, a str with the same characters escaped."""
    return Markup(f"<span{lang_attrs(lang)}>{escape(text)}</span>")


_LANG_ATTRS = {code: Markup(' lang="{}" dir="{}"').format(code, text_direction(code)) for code in LANGUAGES}


def language_name(lang: str) -> str:
    """A language's name in the reader's language ("الإنجليزية" on an Arabic page)."""
    from flask_babel import gettext as _

    return {"ar": _("Arabic"), "en": _("English")}.get(lang, lang)


def show_hijri(bank_default: bool = False) -> bool:
    """Hijri dates beside Gregorian: the user's choice, else the session's, else the bank's."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]  # once: a page asks per date
    if user and user.is_authenticated and user.show_hijri is not None:
        return bool(user.show_hijri)
    if "hijri" in session:
        return bool(session["hijri"])
    return bank_default


def hijri_of(iso: str | None, lang: str, bank_default: bool = False) -> str:
    """The Hijri date of a partial ISO date when the reader (or the bank) asks for them, else ""."""
    from .domain.dates import PartialDate
    from .domain.hijri import format_hijri

    if not iso or not show_hijri(bank_default):
        return ""
    try:
        return format_hijri(PartialDate.parse(iso), lang)
    except ValueError:
        return ""


def compile_catalogs(target: Path) -> Path:
    """Compile each messages.po into target/<lang>/LC_MESSAGES/messages.mo when it is stale.

    The .mo files are build outputs: they are made here, in the instance folder, not committed.
    """
    for po_path in CATALOGS.glob("*/LC_MESSAGES/messages.po"):
        lang = po_path.parent.parent.name
        mo_path = target / lang / "LC_MESSAGES" / "messages.mo"
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        # A temporary file of this process's own: workers starting at once each write theirs.
        tmp = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        tmp.replace(mo_path)  # atomic: several workers may start at once
    return target


def init_app(app: Flask) -> None:
    """Compile the catalogs and point Flask-Babel at them; templates compiled for each language
    (before anything reads app.jinja_env, which is made from this class on first use)."""
    target = Path(app.instance_path) / "translations"
    compile_catalogs(target)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(target)
    app.request_class = Request
    app.jinja_environment = LocalizedEnvironment  # type: ignore[assignment]


class _WtformsTranslations:
    """WTForms' own messages ("This field is required.") in the request's language, each language's
    catalog read once a process.

    Flask-WTF looks for `request.wtforms_translations` and, when it is missing, reads WTForms' .mo
    file from disk again for every request that builds a form field without a label of its own (the
    CSRF field, a hidden field): a tenth of a question page's time. The request class below
    provides this object instead; the language is looked up at each call (force_locale too).
    """

    __slots__ = ("catalogs",)

    def __init__(self) -> None:
        self.catalogs: dict[str, object] = {}

    def _catalog(self):  # type: ignore[no-untyped-def]
        from babel import support
        from flask_babel import get_locale
        from wtforms.i18n import messages_path

        locale = get_locale()
        key = str(locale)
        catalog = self.catalogs.get(key)
        if catalog is None:
            catalog = support.Translations.load(messages_path(), [locale], domain="wtforms")
            self.catalogs[key] = catalog
        return catalog

    def ugettext(self, string: str) -> str:
        return self._catalog().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog().ungettext(singular, plural, n)


class Request(flask.Request):
    """Flask's request, with WTForms' catalogs read once a process (see _WtformsTranslations)."""

    wtforms_translations = _WtformsTranslations()


def install_template_gettext(app: Flask) -> None:
    """Templates' _(), gettext() and ngettext() (Jinja's i18n extension, new style), each looking up
    the request's catalog in one step (after Flask-Babel's init_app, which installs its own).

    Flask-Babel's find the catalog anew for every string (the app's extension, the domain, the
    request context twice, the locale's name): a page of twenty strings spent a tenth of its time
    there. The catalog still follows the request's locale at each call, so force_locale works.

    The functions do what Jinja's new-style ones do (a Markup when autoescaping, then `% variables`,
    even without variables, which turns "%%" into "%"; a text with no "%" and no variables is
    returned as it is, the same text without the formatting's cost), but are called directly:
    Jinja's `_` calls `gettext` through the template's context, which calls the catalog's lookup
    through it again, three calls for one string (about 6 µs; a page has twenty strings or more).
    A call with one constant text and nothing else is not made at all: ConstantTranslations
    writes its translation into the template as it is compiled for each language.
    """
    from flask_babel import get_translations
    from jinja2 import pass_eval_context

    catalogs: dict[str, object] = {}  # this app's: another app may read other directories
    # The last locale seen and its catalog: a request asks for one locale object again and again
    # (Flask-Babel keeps it for the request), so an identity check finds it without hashing it. A
    # tuple, replaced whole, so that threads never see a locale with another's catalog.
    last: list[tuple[object, object]] = [(object(), None)]

    def catalog():  # type: ignore[no-untyped-def]
        locale = request_locale()
        seen, found = last[0]
        if seen is locale:
            return found
        if locale is None:  # outside a request: Flask-Babel's placeholder, not kept
            return get_translations()
        key = str(locale)
        found = catalogs.get(key)
        if found is None:
            found = catalogs[key] = get_translations()
        last[0] = (locale, found)
        return found

    @pass_eval_context
    def gettext(eval_ctx, string: str, /, **variables):  # type: ignore[no-untyped-def]
        rv = catalog().ugettext(string)
        if eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables if variables or "%" in rv else rv

    @pass_eval_context
    def ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables):  # type: ignore[no-untyped-def]
        variables.setdefault("num", num)
        rv = catalog().ungettext(singular, plural, num)
        if eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)

    def translations_for(lang: str):  # type: ignore[no-untyped-def]
        """A language's catalog for compiling its templates: the one its pages' calls read."""
        if not has_app_context():
            return None
        from flask_babel import force_locale

        with force_locale(lang):
            return get_translations()

    app.jinja_env.extend(translations_for=translations_for)
    app.jinja_env.add_extension(ConstantTranslations)


# --- templates compiled for each language --------------------------------------------------------


def _split_language(name: str) -> tuple[str | None, str]:
    """("ar", "quiz/question.html") for "ar:quiz/question.html"; (None, name) for a name without one."""
    lang, sep, rest = name.partition(":")
    return (lang, rest) if sep and lang in LANGUAGES else (None, name)


class LanguageLoader(BaseLoader):
    """Reads the template "ar:quiz/question.html" as "quiz/question.html" from the loader it wraps:
    the language is part of the name a template is compiled and cached under, not of its file."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment, template: str):  # type: ignore[no-untyped-def]
        return self.loader.get_source(environment, _split_language(template)[1])

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


class LocalizedEnvironment(flask.templating.Environment):
    """Flask's Jinja environment, each template compiled once for each language, its constant
    strings translated then (ConstantTranslations).

    A template is asked for by its name ("quiz/question.html") and loaded as
    "<language of the page>:quiz/question.html"; what it extends, includes or imports takes its
    language ("base.html" from an Arabic page is "ar:base.html"). The language is read when the
    template is asked for, so force_locale chooses it too. Whatever loader is set is wrapped in a
    LanguageLoader, which reads the file without the language.

    A template without globals of its own (every one here) reads the environment's globals
    themselves (make_globals), not a ChainMap over them: each render, and each import with the
    page's context, copies a template's globals into a new context and into a set of their names,
    and copying a ChainMap calls Python for every name (about 12 µs for the 26 here, a question
    page making three contexts), where a dict is copied in C. A template reads the same names and
    values, and changes to the environment's globals show as before. Globals given for a template
    (get_template's and select_template's `globals`, from_string's) are kept in a ChainMap of its
    own, as Jinja keeps them, never in the environment's.
    """

    def make_globals(self, d):  # type: ignore[no-untyped-def]
        return self.globals if not d else super().make_globals(d)

    def _own_globals(self, template: Template, globals) -> Template:  # type: ignore[no-untyped-def]
        """The template, the given globals added to its own (Jinja's _load_template does this to a
        template it had already loaded: to its ChainMap, never to the environment's globals)."""
        if globals:
            if template.globals is self.globals:
                template.globals = super().make_globals({})
            template.globals.update(globals)
        return template

    @property  # type: ignore[override]
    def loader(self):  # type: ignore[no-untyped-def]
        return self.__dict__.get("_language_loader")

    @loader.setter
    def loader(self, value) -> None:  # type: ignore[no-untyped-def]
        if value is not None and not isinstance(value, LanguageLoader):
            value = LanguageLoader(value)
        self.__dict__["_language_loader"] = value

    def get_template(self, name, parent=None, globals=None):  # type: ignore[no-untyped-def]
        if isinstance(name, str) and parent is None:
            name = _in_page_language(name)
        template = super().get_template(name, parent)
        return template if isinstance(name, Template) else self._own_globals(template, globals)

    def select_template(self, names, parent=None, globals=None):  # type: ignore[no-untyped-def]
        if parent is None and isinstance(names, list | tuple):
            names = [_in_page_language(n) if isinstance(n, str) else n for n in names]
        template = super().select_template(names, parent)
        given = isinstance(names, list | tuple) and any(template is n for n in names)
        return template if given else self._own_globals(template, globals)

    def join_path(self, template: str, parent: str) -> str:
        lang = _split_language(parent)[0]
        if lang is None or isinstance(template, Template) or _split_language(template)[0] is not None:
            return template
        return f"{lang}:{template}"


def _in_page_language(name: str) -> str:
    return name if _split_language(name)[0] is not None else f"{current_lang()}:{name}"


class ConstantTranslations(Extension):
    """`_("Log in")` and `gettext("Log in")` with one constant text and nothing else, translated
    when a language's template is compiled (see LocalizedEnvironment): the page prints the
    translation as written text, where a call cost about 4 µs each time (Jinja's call, the catalog's
    lookup, the Markup, the formatting), and a page has twenty of them or more.

    The translation is what the call would return: a Markup when the template autoescapes, with
    "%%" turned into "%" (Jinja's new-style gettext formats even without variables). Calls with
    variables, ngettext, and any template whose catalog cannot be read (no app context, a template
    without a language) stay calls, made at each render as before.
    """

    def filter_stream(self, stream: TokenStream):  # type: ignore[no-untyped-def]
        lang = _split_language(stream.name or "")[0]
        translations_for = getattr(self.environment, "translations_for", None)
        catalog = translations_for(lang) if lang and translations_for else None
        if catalog is None:
            return stream
        autoescape = self.environment.autoescape
        if callable(autoescape):
            autoescape = autoescape(stream.name)
        return _translate_constants(list(stream), catalog, bool(autoescape))


def _translate_constants(tokens: list[Token], catalog, autoescape: bool) -> list[Token]:  # type: ignore[no-untyped-def]
    """The tokens with each `_ ( "text" )` (not an attribute `x._(...)`) replaced by
    `( "translation" | safe )` when autoescaping, `( "translation" )` otherwise."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        call = tokens[i : i + 4]
        if (
            token.type == "name"
            and token.value in ("_", "gettext")
            and (not out or out[-1].type != "dot")
            and [t.type for t in call] == ["name", "lparen", "string", "rparen"]
        ):
            text = catalog.ugettext(call[2].value)
            try:
                text = text % {} if "%" in text else text  # "%%" is "%"; "%(name)s" stays a call
            except (KeyError, TypeError, ValueError):
                out.append(token)
                i += 1
                continue
            line = token.lineno
            out += [Token(line, "lparen", "("), Token(line, "string", text)]
            if autoescape:
                out += [Token(line, "pipe", "|"), Token(line, "name", "safe")]
            out.append(Token(line, "rparen", ")"))
            i += 4
            continue
        out.append(token)
        i += 1
    return out
