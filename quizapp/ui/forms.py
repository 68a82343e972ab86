"""Forms that more than one blueprint shows: signing up (auth, and admins adding a user; choosing a
password reuses its fields), joining a quiz by its code (home page, quiz pages), and starting a
quiz (quiz and learn pages)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..formtools import max_length
from ..passwords import GoodPassword

USERNAME_RE = r"^[A-Za-z0-9_.-]+$"


class SignupForm(FlaskForm):
    """A new student's account."""

    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(message=_l("Choose a username.")),
            Length(min=3, max=32, message=_l("A username has 3 to 32 characters.")),
            Regexp(USERNAME_RE, message=_l("Use only Latin letters, digits, dots, dashes and underscores.")),
        ],
    )
    display_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Tell us your name.")),
            Length(max=80, message=_l("A name has at most 80 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            GoodPassword(),  # at least 8 characters, not common, not from the username
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", message=_l("The two passwords differ."))],
    )


#: The longest code JoinForm takes (the home page writes the form out with this maxlength).
JOIN_CODE_LENGTH = 16


class JoinForm(FlaskForm):
    """Join a teacher's quiz by its code."""

    code = StringField(
        _l("Quiz code"),
        validators=[
            DataRequired(message=_l("Enter the code your teacher gave you.")),
            max_length(JOIN_CODE_LENGTH),
        ],
    )


class StartForm(FlaskForm):
    """Start a quiz (a button with CSRF)."""
