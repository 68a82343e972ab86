"""The live pages' forms: the PIN, the nickname, the time per question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Regexp, ValidationError

from ..domain.live import NICKNAME_MAX, nickname_problem
from ..live_state import DEFAULT_SECONDS, SECONDS_CHOICES


class PinForm(FlaskForm):
    """The game PIN shown on the projector."""

    pin = StringField(
        _l("Game PIN"),
        validators=[
            DataRequired(message=_l("Enter the PIN shown on the screen.")),
            Regexp(r"^\s*(?:\d\s*){6}$", message=_l("The PIN has six digits.")),  # any script's digits
        ],
    )


_PROBLEMS = {
    "empty": _l("Choose a nickname."),
    "long": _l("A nickname has at most %(max)s characters.", max=NICKNAME_MAX),
    "characters": _l("Use letters, digits and spaces only."),
    "indecent": _l("Choose another nickname: this one is not suitable for class."),
}


class NicknameForm(FlaskForm):
    """A nickname for a player without an account."""

    nickname = StringField(_l("Nickname"))

    def validate_nickname(self, field: StringField) -> None:
        problem = nickname_problem(field.data or "")
        if problem:
            raise ValidationError(str(_PROBLEMS[problem]))


class SecondsForm(FlaskForm):
    """Seconds for each question (ordering questions get twice as long)."""

    seconds = SelectField(
        _l("Seconds per question"),
        choices=[SelectChoice(str(s), str(s)) for s in SECONDS_CHOICES],
        default=str(DEFAULT_SECONDS),
    )
