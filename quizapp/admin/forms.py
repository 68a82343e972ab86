"""The admin forms; labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Regexp

from ..auth.forms import USERNAME_RE
from ..models import ROLES


def role_labels() -> dict[str, str]:
    """The roles' names in the user's language."""
    return {"student": str(_l("Student")), "teacher": str(_l("Teacher")), "admin": str(_l("Administrator"))}


class TeacherForm(FlaskForm):
    """A new teacher's account."""

    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(message=_l("Choose a username.")),
            Length(min=3, max=32, message=_l("A username has 3 to 32 characters.")),
            Regexp(USERNAME_RE, message=_l("Use only Latin letters, digits, dots, dashes and underscores.")),
        ],
    )
    display_name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter the teacher's name.")),
            Length(max=80, message=_l("A name has at most 80 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(min=8, max=128, message=_l("A password has at least 8 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Password again"), validators=[EqualTo("password", message=_l("The two passwords differ."))]
    )


class RoleForm(FlaskForm):
    """Change an account's role."""

    role = SelectField(_l("Role"), choices=[SelectChoice(r, r) for r in ROLES])


class ActiveForm(FlaskForm):
    """Disable ("0") or enable ("1") an account."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])
