"""The admin forms; labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from ..models import ROLES
from ..ui.forms import SignupForm


def role_labels() -> dict[str, str]:
    """The roles' names in the user's language."""
    return {"student": str(_l("Student")), "teacher": str(_l("Teacher")), "admin": str(_l("Administrator"))}


class TeacherForm(SignupForm):
    """A new teacher's account: the sign-up form's fields, the name asked of the admin."""

    display_name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter the teacher's name.")),
            Length(max=80, message=_l("A name has at most 80 characters.")),
        ],
    )


class RoleForm(FlaskForm):
    """Change an account's role."""

    role = SelectField(_l("Role"), choices=[SelectChoice(r, r) for r in ROLES])


class ActiveForm(FlaskForm):
    """Disable ("0") or enable ("1") an account."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])
