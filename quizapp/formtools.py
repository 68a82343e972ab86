"""What the forms of every blueprint share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length


def max_length(limit: int) -> Length:
    """Length(max=limit), saying so in the reader's language.

    WTForms' own message ("Field cannot be longer than 300 characters.") is a plural whose Arabic
    forms its catalog leaves empty, so Arabic pages showed it in English.
    """
    return Length(max=limit, message=_l("At most %(max)d characters."))
