"""The form of a quiz's settings and times, and the confirmation that releases its results."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from ..attempts import FEEDBACK_MODES, QuizSettings
from ..domain.bank import Text
from ..domain.generate import KINDS
from ..domain.scoring import ORDERING_METHODS
from ..formtools import Marked, max_length
from ..i18n import LANGUAGES, in_lang
from .fields import (
    REQUIRED,
    LocalDateTimeField,
    MultiCheckboxField,
    method_choices,
    options,
    to_text,
)

# --- quiz ------------------------------------------------------------------------------------------

FEEDBACK_LABELS = {
    "immediate": _l("At once, after each answer"),
    "end": _l("At the end, with the results"),
    "never": _l("Never: only the score"),
}


class ReleaseForm(FlaskForm):
    """Release a quiz's results (feedback "never"): the box confirms it, without JavaScript."""

    confirm = BooleanField(
        _l("I understand: each student who finished sees their score, their answers and the right ones."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class QuizForm(FlaskForm):
    """A quiz set from a bank."""

    title_ar = StringField(_l("Title in Arabic"), validators=[DataRequired(REQUIRED), max_length(300)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(REQUIRED), max_length(300)])
    count = IntegerField(
        _l("Number of questions"),
        default=10,
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=100)],
    )
    kinds = MultiCheckboxField(_l("Kinds of question"), choices=[])
    languages = MultiCheckboxField(  # the languages named in the teacher's language
        _l("Languages allowed"),
        choices=options([("ar", _l("Arabic")), ("en", _l("English"))]),
        default=list(LANGUAGES),
    )
    time_limit_minutes = IntegerField(
        _l("Time limit in minutes"),
        validators=[Optional(), NumberRange(min=1, max=600)],
        description=_l("Empty: no limit."),
    )
    closed_book = BooleanField(
        _l("Closed book: the bank's events, practice and review close during a student's attempt"),
        default=True,
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed"),
        validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("Empty: as many as the student likes."),
    )
    feedback = RadioField(
        _l("Show the right answers"),
        choices=options((m, FEEDBACK_LABELS[m]) for m in FEEDBACK_MODES),
        default="end",
    )
    ordering_method = SelectField(
        _l("Grading of ordering questions"),
        choices=options((m, m) for m in ORDERING_METHODS),
        default=ORDERING_METHODS[0],
    )
    arabic_months = RadioField(
        _l("Arabic month names"),
        # The Arabic examples are marked Arabic on an English page.
        choices=options(
            [
                ("eg", Marked(_l("Egyptian (%(example)s)"), example=in_lang("يناير", "ar"))),
                ("lev", Marked(_l("Levantine (%(example)s)"), example=in_lang("كانون الثاني", "ar"))),
            ]
        ),
        default="eg",
    )
    arabic_digits = BooleanField(_l("Arabic-Indic digits in Arabic (١٩٤٠)"))
    opens_at = LocalDateTimeField(_l("Opens at"), validators=[Optional()], description=_l("Empty: now."))
    closes_at = LocalDateTimeField(_l("Closes at"), validators=[Optional()], description=_l("Empty: never."))
    active = BooleanField(_l("Open to students"), default=True)
    # The teacher's classes (set per request); none chosen: anyone with the code may take the quiz.
    classes = MultiCheckboxField(
        _l("For the classes"),
        choices=[],
        coerce=int,
        description=_l("None chosen: anyone with the quiz's code may take it."),
    )
    due_at = LocalDateTimeField(
        _l("Due"), validators=[Optional()], description=_l("Shown to the classes' students. Empty: none.")
    )

    def setup(self, kinds: list[tuple[str, str]]) -> QuizForm:
        """Fill the kinds (with their labels) and the methods' labels in the teacher's language."""
        self.kinds.choices = options(kinds)
        if not self.kinds.data and not self.is_submitted():
            # The default mix; the kinds after Moodle's (issue 17) are chosen by the teacher.
            self.kinds.data = [k for k, _label in kinds if k in KINDS]
        self.ordering_method.choices = method_choices()
        return self

    def validate_kinds(self, field: Field) -> None:
        """At least one kind."""
        if not field.data:
            raise ValidationError(_("Choose at least one kind of question."))

    def validate_languages(self, field: Field) -> None:
        """At least one language."""
        if not field.data:
            raise ValidationError(_("Choose at least one language."))

    def validate_closes_at(self, field: Field) -> None:
        """Closing comes after opening."""
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_("The quiz must close after it opens."))

    def settings(self) -> dict[str, Any]:
        """The settings, with the keys quizapp.attempts.QuizSettings reads."""
        return {
            "count": self.count.data,
            "kinds": list(self.kinds.data),
            "feedback": self.feedback.data,
            "ordering_method": self.ordering_method.data,
            "time_limit_minutes": self.time_limit_minutes.data,
            "attempts_allowed": self.attempts_allowed.data,
            "languages": list(self.languages.data),
            "arabic_months": self.arabic_months.data,
            "arabic_digits": bool(self.arabic_digits.data),
            "closed_book": bool(self.closed_book.data),
        }

    def title(self) -> Text:
        """The title in both languages."""
        return to_text(self.title_ar.data, self.title_en.data)

    def fill(self, quiz: Any) -> QuizForm:
        """Show a quiz's stored values."""
        s = dict(quiz.settings or {})
        self.title_ar.data, self.title_en.data = quiz.title_ar, quiz.title_en
        for name in ("count", "feedback", "ordering_method", "time_limit_minutes", "attempts_allowed"):
            if s.get(name) is not None:
                self[name].data = s[name]
        if s.get("kinds"):
            self.kinds.data = list(s["kinds"])
        if s.get("languages"):
            self.languages.data = list(s["languages"])
        self.arabic_months.data = s.get("arabic_months", "eg")
        self.arabic_digits.data = bool(s.get("arabic_digits"))
        self.closed_book.data = QuizSettings.of(quiz).closed_book  # older quizzes: on when timed
        self.opens_at.set_utc(quiz.opens_at)
        self.closes_at.set_utc(quiz.closes_at)
        self.active.data = quiz.active
        return self
