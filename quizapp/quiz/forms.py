"""The forms of a quiz page. Answer forms are built per question: their choices are the attempt's
opaque option tokens, so the page says nothing about which option is right."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms.validators import AnyOf, InputRequired


class FinishForm(FlaskForm):
    """Finish an attempt: the confirmation page's button carries confirm=yes; anything else shows
    that page (no exam ends in one click)."""

    confirm = HiddenField(default="yes")


class FlagForm(FlaskForm):
    """Flag a question for review ("1") or take the flag off ("0")."""

    flagged = HiddenField(validators=[AnyOf(["0", "1"])])


class McqForm(FlaskForm):
    """One radio group over a question's option tokens (set per question by mcq_form)."""

    choice = RadioField(_l("Your answer"), validators=[InputRequired(message=_l("Choose an answer."))])


def mcq_form(choices: list[tuple[str, str]], formdata=None) -> McqForm:  # type: ignore[no-untyped-def]
    """The multiple-choice form of a question: its choices are the options' tokens and texts."""
    form = McqForm(formdata=formdata) if formdata is not None else McqForm()
    form.choice.choices = [SelectChoice(value, label) for value, label in choices]
    return form


def ordering_form(tokens: list[str], labels: list[str], formdata=None, ranks=None) -> FlaskForm:  # type: ignore[no-untyped-def]
    """A form with one position select per item: works without JavaScript; the script drives it.

    `ranks` (one per token) fill the selects with a stored answer; the items keep their order.
    """
    positions = [str(i + 1) for i in range(len(tokens))]
    choices = [SelectChoice(p, p) for p in positions]
    defaults = ranks or positions

    class OrderingForm(FlaskForm):
        def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
            ok = super().validate(extra_validators)
            ranks = [self[f"rank_{t}"].data for t in tokens]
            if ok and len(set(ranks)) != len(ranks):
                self.form_errors.append(_l("Give each event a different position."))
                return False
            return ok

        def order(self) -> list[str]:
            """The tokens, earliest first, as the student ranked them."""
            return sorted(tokens, key=lambda t: int(self[f"rank_{t}"].data))

    for i, (token, label) in enumerate(zip(tokens, labels, strict=True)):
        setattr(
            OrderingForm,
            f"rank_{token}",
            SelectField(label, choices=choices, default=defaults[i], validators=[InputRequired()]),
        )
    return OrderingForm(formdata=formdata) if formdata is not None else OrderingForm()
