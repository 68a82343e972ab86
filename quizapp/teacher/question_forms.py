"""The form of a hand-written question: multiple choice, ordering, and the types after Moodle's
(several right answers, true or false, numerical, short answer, matching)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from ..domain.bank import Accepted, AuthoredQuestion, Pair, Text
from ..formtools import max_length
from .fields import (
    REQUIRED,
    PairsField,
    make_id,
    options,
    pairs_text,
    parse_number,
    to_optional_text,
    to_text,
)
from .problems import field_in

# --- hand-written question -------------------------------------------------------------------------


class QuestionForm(FlaskForm):
    """A hand-written question: multiple choice (options, the right one) or ordering (items)."""

    version = HiddenField()
    key = StringField(
        _l("Id"),
        validators=[max_length(80)],
        description=_l("Lower-case Latin letters, digits and hyphens; made from the English text if empty."),
    )
    prompt_ar = TextAreaField(_l("Question in Arabic"), validators=[DataRequired(REQUIRED), max_length(1000)])
    prompt_en = TextAreaField(
        _l("Question in English"), validators=[DataRequired(REQUIRED), max_length(1000)]
    )
    choices = PairsField(_l("Options"), description=_l("One per line: Arabic | English."))
    right = IntegerField(
        _l("Number of the right option"),
        validators=[Optional()],
        description=_l("1 for the first line, 2 for the second, ..."),
    )
    # Several right answers: the credit of each option.
    credits = StringField(
        _l("Credit of each option, in percent"),
        validators=[max_length(400)],
        description=_l(
            "In the options' order, separated by commas: 50, 50, -100. A wrong answer may cost marks."
        ),
    )
    # True or false.
    correct = SelectField(_l("The statement is"), choices=[], validate_choice=False)
    # Numerical and short answer: the answers accepted, in the order they are tried.
    answers = TextAreaField(_l("Answers accepted"), validators=[max_length(4000)])
    case_sensitive = BooleanField(_l("Upper and lower case must match"))
    # Matching: the stems (in `pairs`), their answers, and wrong answers to choose from too.
    pairs = PairsField(_l("Items to match"), description=_l("One per line: Arabic | English."))
    pair_answers = PairsField(
        _l("Their answers, in the same order"), description=_l("One per line: Arabic | English.")
    )
    extra = PairsField(
        _l("More wrong answers to choose from (optional)"), description=_l("One per line: Arabic | English.")
    )
    explanation_ar = TextAreaField(_l("Explanation in Arabic"), validators=[max_length(2000)])
    explanation_en = TextAreaField(_l("Explanation in English"), validators=[max_length(2000)])
    events = SelectMultipleField(_l("Events it is about"), choices=[], validate_choice=True)

    def setup(self, qtype: str, events: list[tuple[str, str]]) -> QuestionForm:
        """Fit the form to the question's type and the bank's events."""
        self.qtype = qtype
        self.events.choices = options(events)
        self.correct.choices = [("true", _("True")), ("false", _("False"))]
        if qtype == "ordering":
            self.choices.label.text = _("Items, in the right order (earliest first)")
            self.choices.description = _("One per line: Arabic | English. At least two.")
        elif qtype == "truefalse":
            self.prompt_ar.label.text = _("Statement in Arabic")
            self.prompt_en.label.text = _("Statement in English")
        elif qtype == "numerical":
            self.answers.description = _(
                "One per line: the number | how far off it may be | its credit in percent (1937 | 0 | 100)."
            )
        elif qtype == "shortanswer":
            self.answers.description = _(
                "One per line: Arabic | English | its credit in percent (either text may be empty; * stands "
                "for any letters)."
            )
        return self

    @classmethod
    def of(cls, q: AuthoredQuestion, version: int) -> dict[str, Any]:
        """The form's data for a question."""
        data: dict[str, Any] = {
            "version": str(version),
            "key": q.id,
            "prompt_ar": q.prompt.ar,
            "prompt_en": q.prompt.en,
            "choices": pairs_text(q.options if q.type in ("mcq", "multi") else q.items),
            "right": (q.answer + 1) if q.type == "mcq" and q.answer is not None else None,
            "events": list(q.events),
        }
        if q.type == "multi":
            data["credits"] = ", ".join(_percent(f) for f in q.fractions)
        elif q.type == "truefalse":
            data["correct"] = "true" if q.correct else "false"
        elif q.type == "numerical":
            data["answers"] = "\n".join(
                f"{_plain(a.value)} | {_plain(a.tolerance)} | {_percent(a.fraction)}" for a in q.answers
            )
        elif q.type == "shortanswer":
            data["answers"] = "\n".join(
                f"{a.text.ar if a.text else ''} | {a.text.en if a.text else ''} | {_percent(a.fraction)}"
                for a in q.answers
            )
            data["case_sensitive"] = q.case_sensitive
        elif q.type == "matching":
            stems = [p for p in q.pairs if p.left is not None]
            data["pairs"] = pairs_text([p.left for p in stems])  # type: ignore[misc]
            data["pair_answers"] = pairs_text([p.right for p in stems])
            data["extra"] = pairs_text([p.right for p in q.pairs if p.left is None])
        if q.explanation:
            data["explanation_ar"], data["explanation_en"] = q.explanation.ar, q.explanation.en
        return data

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then what the question's type needs."""
        ok = super().validate(extra_validators)
        need = 2
        if self.qtype in ("mcq", "ordering", "multi") and ok and len(self.choices.texts) < need:
            self.choices.errors.append(_("Write at least two lines."))
            ok = False
        if self.qtype == "mcq" and not self.choices.errors:
            n = len(self.choices.texts)
            if self.right.data is None or not 1 <= self.right.data <= max(n, 1):
                self.right.errors.append(_("Give the number of the right option, from 1 to %(n)s.", n=n))
                ok = False
        if ok and self.qtype in _READERS:
            try:
                _READERS[self.qtype](self)
            except _FieldError as err:
                err.field.errors = [*err.field.errors, err.message]
                ok = False
        return ok

    def to_question(self, taken: set[str]) -> AuthoredQuestion:
        """The question (after validate)."""
        key = (self.key.data or "").strip() or make_id(self.prompt_en.data or "", taken)
        texts = self.choices.texts
        mcq = self.qtype == "mcq"
        common: dict[str, Any] = {
            "id": key,
            "type": self.qtype,
            "prompt": to_text(self.prompt_ar.data, self.prompt_en.data),
            "explanation": to_optional_text(self.explanation_ar.data, self.explanation_en.data),
            "events": tuple(self.events.data or ()),
        }
        if self.qtype in _READERS:
            return AuthoredQuestion(**common, **_READERS[self.qtype](self))
        return AuthoredQuestion(
            **common,
            options=texts if mcq else (),
            answer=(self.right.data - 1) if mcq and self.right.data else None,
            items=() if mcq else texts,
        )

    def field_for(self, where: str) -> Field | None:
        """The field a problem's where-path (relative to the question) is about."""
        return field_in(self, where)


# --- the types after Moodle's ----------------------------------------------------------------------


class _FieldError(Exception):
    def __init__(self, field: Field, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _percent(fraction: float) -> str:
    return _plain(round(100 * fraction, 5))


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _number(form: QuestionForm, field: Field, text: str, line: int) -> float:
    try:
        return parse_number(text)
    except ValueError:
        raise _FieldError(
            field, _("Line %(line)s: %(text)s is not a number.", line=line, text=text)
        ) from None


def _multi(form: QuestionForm) -> dict[str, Any]:
    parts = [p.strip() for p in (form.credits.data or "").replace("،", ",").split(",") if p.strip()]
    n = len(form.choices.texts)
    if len(parts) != n:
        raise _FieldError(
            form.credits, _("Give one credit for each of the %(n)s options, separated by commas.", n=n)
        )
    fractions = tuple(_number(form, form.credits, p, k) / 100 for k, p in enumerate(parts, start=1))
    return {"options": form.choices.texts, "fractions": fractions}


def _truefalse(form: QuestionForm) -> dict[str, Any]:
    if form.correct.data not in ("true", "false"):
        raise _FieldError(form.correct, _("Say whether the statement is true or false."))
    return {"correct": form.correct.data == "true"}


def _lines(form: QuestionForm) -> list[tuple[int, list[str]]]:
    out = []
    for n, line in enumerate((form.answers.data or "").splitlines(), start=1):
        if line.strip():
            out.append((n, [p.strip() for p in line.split("|")]))
    if not out:
        raise _FieldError(form.answers, _("Write at least one accepted answer."))
    return out


def _numerical(form: QuestionForm) -> dict[str, Any]:
    answers = []
    for n, parts in _lines(form):
        if not 1 <= len(parts) <= 3 or not parts[0]:
            raise _FieldError(
                form.answers,
                _("Line %(line)s: write the number, then | how far off, then | its credit.", line=n),
            )
        value = _number(form, form.answers, parts[0], n)
        tolerance = _number(form, form.answers, parts[1], n) if len(parts) > 1 and parts[1] else 0
        credit = _number(form, form.answers, parts[2], n) / 100 if len(parts) > 2 and parts[2] else 1.0
        answers.append(Accepted(value=value, tolerance=tolerance, fraction=credit))
    return {"answers": tuple(answers)}


def _shortanswer(form: QuestionForm) -> dict[str, Any]:
    answers = []
    for n, parts in _lines(form):
        if len(parts) not in (2, 3) or not (parts[0] or parts[1]):
            raise _FieldError(
                form.answers,
                _("Line %(line)s: write the Arabic, a | sign, the English, then | its credit.", line=n),
            )
        credit = _number(form, form.answers, parts[2], n) / 100 if len(parts) > 2 and parts[2] else 1.0
        answers.append(Accepted(text=Text(ar=parts[0], en=parts[1]), fraction=credit))
    return {"answers": tuple(answers), "case_sensitive": bool(form.case_sensitive.data)}


def _matching(form: QuestionForm) -> dict[str, Any]:
    stems, rights = form.pairs.texts, form.pair_answers.texts
    if len(stems) < 2:  # noqa: PLR2004
        raise _FieldError(form.pairs, _("Write at least two lines."))
    if len(rights) != len(stems):
        raise _FieldError(form.pair_answers, _("Write one answer for each item, in the same order."))
    pairs = [Pair(s, r) for s, r in zip(stems, rights, strict=True)]
    pairs += [Pair(None, r) for r in form.extra.texts]
    return {"pairs": tuple(pairs)}


_READERS = {
    "multi": _multi,
    "truefalse": _truefalse,
    "numerical": _numerical,
    "shortanswer": _shortanswer,
    "matching": _matching,
}
