"""What the forms of every blueprint share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms.validators import Length


def max_length(limit: int) -> Length:
    """Length(max=limit), saying so in the reader's language.

    WTForms' own message ("Field cannot be longer than 300 characters.") is a plural whose Arabic
    forms its catalog leaves empty, so Arabic pages showed it in English.
    """
    return Length(max=limit, message=_l("At most %(max)d characters."))


class Marked:
    """A form's label or help translated when shown, with markup in its placeholders: a code set in
    <code> ("e.g. <code>russian-revolution</code>"), an example in another language marked with it
    (`i18n.in_lang`), so that neither is read as a word of the sentence around it.

    Jinja prints its __html__ (the translation escaped, the parts as they are); str() gives the plain
    text. Not for a <select>'s options, which hold no markup.
    """

    def __init__(self, message: object, **parts: Markup) -> None:
        self.message = message  # a lazy string: translated each time it is shown
        self.parts = parts

    def __html__(self) -> Markup:
        return escape(str(self.message)) % self.parts

    def __str__(self) -> str:
        return str(self.message) % {name: Markup(part).striptags() for name, part in self.parts.items()}


def as_code(text: str) -> Markup:
    """A slug, a key or a file name in a <code> element, left to right."""
    return Markup('<code dir="ltr">{}</code>').format(text)
