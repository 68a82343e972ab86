"""The account forms; labels and messages are translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

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


class LoginForm(FlaskForm):
    """Log in with a username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter your username."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])
    remember = BooleanField(_l("Keep me logged in"))
