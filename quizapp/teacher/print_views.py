"""Print a generated quiz and, separately, its answer key, in either language, for classrooms
without devices. The same bank, seed and count always print the same quiz."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import select

from ..banks import to_domain
from ..domain.generate import ALL_KINDS, Settings, generate_quiz
from ..extensions import db
from ..i18n import LANGUAGES, current_lang, text_direction
from ..models import Bank
from ..ui.answers import NEW_TYPES, right_text
from .blueprint import bp

LETTERS = {"en": "ABCDEFGH", "ar": "أبجدهوزح"}


def _printable_bank(slug: str) -> Bank:
    """A bank the teacher may print: their own, a published one, or any for an admin.

    :raise 404: for an unknown or deleted bank, or an unpublished one of someone else's.
    """
    bank = db.session.scalar(select(Bank).where(Bank.slug == slug, Bank.deleted.is_(False)))
    if bank is None:
        abort(404)
    mine = bank.owner_id is not None and bank.owner_id == current_user.id
    if not (bank.published or mine or current_user.role == "admin"):
        abort(404)
    return bank


def _kinds() -> list[str]:
    """The kinds asked for (`kind`, repeated: a quiz's own), known ones only; none: the default mix."""
    return [k for k in dict.fromkeys(request.args.getlist("kind")) if k in ALL_KINDS]


def _key_text(question, lang: str) -> str:  # type: ignore[no-untyped-def]
    """The answer key of a question of a new type (issue 17), in words."""
    return right_text(question.to_dict(), lang)


def _params() -> tuple[str, str, int]:
    lang = request.args.get("lang", current_lang())
    if lang not in LANGUAGES:
        abort(404)
    seed = (request.args.get("seed") or "1")[:32]
    try:
        count = max(1, min(50, int(request.args.get("count", "10"))))
    except ValueError:
        count = 10
    return lang, seed, count


def _render(slug: str, template: str):  # type: ignore[no-untyped-def]
    bank = _printable_bank(slug)
    lang, seed, count = _params()
    kinds = _kinds()
    quiz = generate_quiz(to_domain(bank), seed, Settings(count=count, kinds=tuple(kinds) or None))
    with force_locale(lang):
        return render_template(
            template,
            bank=bank,
            questions=quiz.questions,
            qlang=lang,
            qdir=text_direction(lang),
            letters=LETTERS[lang],
            seed=seed,
            count=count,
            kinds=kinds,
            new_types=NEW_TYPES,
            key_text=_key_text,
        )


@bp.get("/print/<slug>")
def print_quiz(slug: str):  # type: ignore[no-untyped-def]
    """The quiz to print: questions and options, no answers."""
    return _render(slug, "teacher/print_quiz.html")


@bp.get("/print/<slug>/key")
def print_key(slug: str):  # type: ignore[no-untyped-def]
    """The answer key of the same quiz (same bank, seed and count)."""
    return _render(slug, "teacher/print_key.html")
