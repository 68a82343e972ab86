"""The problems of validate_bank and of bank files, in the teacher's language: next to the fields
they are about (`show_problems`), as text (`problem_text`), or by line of a file (`problem_line`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms import (
    Field,
    Form,
)

from ..domain.problems import WHERE_FILE, WHERE_ROOT, WHERE_YAML, Problem

# --- problems of validate_bank, next to their fields -----------------------------------------------

_ALIASES = {"id": "key", "options": "choices", "items": "choices", "prompt": "prompt_ar"}


def field_in(form: Form, where: str) -> Field | None:
    """The field of a form a where-path names: title.en -> title_en, actors[2].ar -> actors."""
    m = re.match(r"(\w+)(?:\[\d+\])?(?:\.(\w+))?", where)
    if not m:
        return None
    name, sub = m.group(1), m.group(2)
    for candidate in (f"{name}_{sub}" if sub else "", _ALIASES.get(name, ""), name, f"{name}_ar"):
        if candidate and candidate in form._fields:
            return form[candidate]
    return None


def problem_text(problem: Problem | str) -> str:
    """A problem of the domain in the teacher's language: its template through gettext, then its
    parameters, the words among them (a language's name, a kind of fact) translated too.

    A plain string is a message already written, and comes back as it is.
    """
    if isinstance(problem, str):
        return problem
    params = {name: _ltr_date(value) for name, value in problem.params.items()}
    return replace(problem, params=params).render(_, get_locale() or "en")


#: A value that starts like an ISO date ("1940-13", "1940-08-21").
_ISO_DATE = re.compile(r"\d{4}-\d")


def _ltr_date(value: object) -> object:
    """A date as a file writes it, led by a left-to-right mark: in an Arabic sentence "1940-13"
    would show as "13-1940" (its digits count as Arabic numbers there, which a hyphen does not join)."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        return "\u200e" + value
    return value


def show_problems(form: Any, problems: list[Problem], prefix: str) -> list[str]:
    """Put each problem under `prefix` next to its field; return the others' messages."""
    rest = []
    for p in problems:
        field = None
        if prefix and p.where.startswith(prefix + "."):
            field = form.field_for(p.where[len(prefix) + 1 :])
        elif not prefix:
            field = form.field_for(p.where) if hasattr(form, "field_for") else field_in(form, p.where)
        text = problem_text(p)
        if field is not None:
            field.errors = [*field.errors, text] if isinstance(field.errors, list) else [text]
        else:
            rest.append(text)
    return rest


def problem_line(p: Problem) -> str:
    """A file's problem as "Line 3, where: message" in the teacher's language.

    The where-path of a field is shown as the file writes it (events[2].date); one about the whole
    file, its YAML or its top mapping is left out, as the message says as much.
    """
    message = problem_text(p)
    where = "" if p.where in (WHERE_FILE, WHERE_YAML, WHERE_ROOT) else p.where
    if p.line:
        if where:
            return _("Line %(line)s, %(where)s: %(message)s", line=p.line, where=where, message=message)
        return _("Line %(line)s: %(message)s", line=p.line, message=message)
    return message
