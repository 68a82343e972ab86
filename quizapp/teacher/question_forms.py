"""The form of a hand-written question: multiple choice or ordering."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from ..domain.bank import AuthoredQuestion
from ..formtools import max_length
from .fields import (
    REQUIRED,
    PairsField,
    make_id,
    options,
    pairs_text,
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
    explanation_ar = TextAreaField(_l("Explanation in Arabic"), validators=[max_length(2000)])
    explanation_en = TextAreaField(_l("Explanation in English"), validators=[max_length(2000)])
    events = SelectMultipleField(_l("Events it is about"), choices=[], validate_choice=True)

    def setup(self, qtype: str, events: list[tuple[str, str]]) -> QuestionForm:
        """Fit the form to the question's type and the bank's events."""
        self.qtype = qtype
        self.events.choices = options(events)
        if qtype == "ordering":
            self.choices.label.text = _("Items, in the right order (earliest first)")
            self.choices.description = _("One per line: Arabic | English. At least two.")
        return self

    @classmethod
    def of(cls, q: AuthoredQuestion, version: int) -> dict[str, Any]:
        """The form's data for a question."""
        data: dict[str, Any] = {
            "version": str(version),
            "key": q.id,
            "prompt_ar": q.prompt.ar,
            "prompt_en": q.prompt.en,
            "choices": pairs_text(q.options if q.type == "mcq" else q.items),
            "right": (q.answer + 1) if q.type == "mcq" and q.answer is not None else None,
            "events": list(q.events),
        }
        if q.explanation:
            data["explanation_ar"], data["explanation_en"] = q.explanation.ar, q.explanation.en
        return data

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the right option's number for a multiple-choice question."""
        ok = super().validate(extra_validators)
        need = 2
        if ok and len(self.choices.texts) < need:
            self.choices.errors.append(_("Write at least two lines."))
            ok = False
        if self.qtype == "mcq" and not self.choices.errors:
            n = len(self.choices.texts)
            if self.right.data is None or not 1 <= self.right.data <= max(n, 1):
                self.right.errors.append(_("Give the number of the right option, from 1 to %(n)s.", n=n))
                ok = False
        return ok

    def to_question(self, taken: set[str]) -> AuthoredQuestion:
        """The question (after validate)."""
        key = (self.key.data or "").strip() or make_id(self.prompt_en.data or "", taken)
        texts = self.choices.texts
        mcq = self.qtype == "mcq"
        return AuthoredQuestion(
            id=key,
            type=self.qtype,  # type: ignore[arg-type]
            prompt=to_text(self.prompt_ar.data, self.prompt_en.data),
            options=texts if mcq else (),
            answer=(self.right.data - 1) if mcq and self.right.data else None,
            items=() if mcq else texts,
            explanation=to_optional_text(self.explanation_ar.data, self.explanation_en.data),
            events=tuple(self.events.data or ()),
        )

    def field_for(self, where: str) -> Field | None:
        """The field a problem's where-path (relative to the question) is about."""
        return field_in(self, where)
