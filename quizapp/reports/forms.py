"""The reports' filter form: a GET form (no CSRF: it changes nothing), read from the query string."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional

from ..i18n import LANGUAGES, language_name
from ..ui.navigation import parse_id
from .queries import Filters


def _int_or_none(value: object) -> int | None:
    return parse_id(value)  # not a number, or one no database holds: "all"


class FilterForm(FlaskForm):
    """Quiz, bank, date range, language and class; each empty means "all"."""

    class Meta:
        csrf = False

    # validate_choice off: "" (all) coerces to None; the queries' scope keeps out foreign quizzes.
    quiz = SelectField(_l("Quiz"), coerce=_int_or_none, validate_choice=False, validators=[Optional()])
    bank = SelectField(_l("Bank"), coerce=_int_or_none, validate_choice=False, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    lang = SelectField(_l("Language"), validators=[Optional()])
    class_id = SelectField(_l("Class"), coerce=_int_or_none, validate_choice=False, validators=[Optional()])

    def set_choices(
        self,
        quizzes: list[tuple[int, str]],
        banks: list[tuple[int, str]],
        classes: list[tuple[int, str]] = (),  # type: ignore[assignment]
    ) -> None:
        """Offer the quizzes, banks and classes the user may report on, each list led by "all"."""
        everything = str(_l("All"))
        self.class_id.choices = [SelectChoice("", everything), *(SelectChoice(str(i), t) for i, t in classes)]
        self.quiz.choices = [SelectChoice("", everything), *(SelectChoice(str(i), t) for i, t in quizzes)]
        self.bank.choices = [SelectChoice("", everything), *(SelectChoice(str(i), t) for i, t in banks)]
        self.lang.choices = [
            SelectChoice("", everything),
            *(SelectChoice(c, language_name(c)) for c in LANGUAGES),  # in the reader's language
        ]

    def filters(self, **fixed: object) -> Filters:
        """The valid fields as Filters (a field with an error is ignored); `fixed` overrides."""
        self.validate()
        values: dict[str, object] = {
            "quiz_id": None if self.quiz.errors else self.quiz.data,
            "bank_id": None if self.bank.errors else self.bank.data,
            "date_from": None if self.date_from.errors else self.date_from.data,
            # The last day there is (9999-12-31) has no next day to end before: it means no end.
            "date_to": None if self.date_to.errors or self.date_to.data == dt.date.max else self.date_to.data,
            "lang": None if self.lang.errors else (self.lang.data or None),
            "class_id": None if self.class_id.errors else self.class_id.data,
        }
        values.update(fixed)
        return Filters(**values)  # type: ignore[arg-type]
