"""The forms of the main pages: joining a class, and choosing one's own password."""

from __future__ import annotations

from flask_wtf import FlaskForm

from ..ui.forms import SignupForm


class JoinClassForm(FlaskForm):
    """Join a class (a button with CSRF)."""


class NewPasswordForm(FlaskForm):
    """A new password, twice: the same fields, with the same rules, as at sign-up (one place)."""

    password = SignupForm.password
    confirm = SignupForm.confirm
