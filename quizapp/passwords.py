"""Passwords as NIST SP 800-63B (section 5.1.1.2) asks: long enough, not among the passwords
attackers try first, not built from the account's own name; and a log-in that costs the same
whether the username exists or not.

The list of common passwords is zxcvbn's (30,000 from leaked password sets), a maintained package,
not a list typed here. Every form that sets a password calls `password_problem` (sign-up, the
admin's new teacher, a change of password), so that one rule holds everywhere.
"""

from __future__ import annotations

import functools
import re
import secrets

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import Field, Form, ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128
#: Words of this site, which an attacker tries with every username.
CONTEXT_WORDS = ("quizapp",)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")

TOO_SHORT = _l("A password has at least 8 characters.")
TOO_LONG = _l("A password has at most 128 characters.")
TOO_COMMON = _l("This password is among the most common ones, which are tried first: choose another.")
FROM_USERNAME = _l("A password may not be built from the username: choose another.")


@functools.cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def _plain(text: str) -> str:
    """Lower case, letters and digits only: "Ali.Hassan-1" and "alihassan1" are one word."""
    return _NOT_LETTER_OR_DIGIT.sub("", text.casefold())


def is_common(password: str) -> bool:
    """True for a password of the common list, in any case or with its symbols left out."""
    common = _common()
    return password.casefold() in common or _plain(password) in common or len(set(password)) < 3


def built_from(password: str, name: str) -> bool:
    """True when the password is the name, the name reversed or repeated, or the name with a little
    added (what is left once the name is taken out would be too short to be a password itself)."""
    word, plain = _plain(name), _plain(password)
    if len(word) < 3 or not plain:
        return False
    for form in (word, word[::-1]):
        if form in plain and len(plain.replace(form, "")) < MIN_LENGTH:
            return True
    return plain in word or plain in word[::-1]


def password_problem(password: str, username: str = "") -> LazyString | None:
    """Why this password is refused for this username, in the reader's language; None when it is good."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if username and built_from(password, username):
        return FROM_USERNAME
    if is_common(password) or any(built_from(password, word) for word in CONTEXT_WORDS):
        return TOO_COMMON
    return None


class GoodPassword:
    """A WTForms validator calling `password_problem`, with the username read from the form's
    `username` field, or else from the logged-in user (a change of password)."""

    def __call__(self, form: Form, field: Field) -> None:
        username = getattr(getattr(form, "username", None), "data", None)
        if username is None:
            from flask_login import current_user

            username = getattr(current_user, "username", "") or ""
        problem = password_problem(field.data or "", str(username).strip())
        if problem is not None:
            raise ValidationError(str(problem))


@functools.cache
def _dummy_hash() -> str:
    # A hash made the way real ones are (same method, same cost), of a password nobody knows.
    return generate_password_hash(secrets.token_hex(16))


def check_login(password_hash: str | None, password: str) -> bool:
    """True when the password matches the hash. Without an account (None), the same hash check runs
    against a dummy, so that an unknown username takes as long as a wrong password: usernames cannot
    be told apart by timing."""
    if password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
