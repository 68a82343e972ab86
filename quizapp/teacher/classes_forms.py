"""The forms of the teacher's class pages: a class's name, and a roster to make accounts from."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

from ..formtools import max_length

#: The largest roster file read (a class of a few hundred lines is a few kilobytes).
MAX_ROSTER_BYTES = 200_000


class ClassForm(FlaskForm):
    """A class's name."""

    name = StringField(
        _l("Name of the class"),
        validators=[DataRequired(_l("Give the class a name.")), max_length(120)],
        description=_l("For example: Grade 9 B, history, 2026."),
    )


class RosterForm(FlaskForm):
    """Students to make accounts for: pasted lines, or a CSV file (username, display name)."""

    text = TextAreaField(
        _l("One student per line: username, display name"),
        validators=[max_length(MAX_ROSTER_BYTES)],
        description=_l(
            "Separate the two by a comma, a semicolon or a tab. A first line of column names is skipped."
        ),
    )
    file = FileField(
        _l("Or a CSV file"),
        validators=[FileAllowed(["csv", "txt"], _l("Choose a .csv file."))],
    )

    def roster_text(self) -> str | None:
        """The file's text if one was sent (UTF-8, with or without a BOM), else the pasted text;
        None when the file is not UTF-8 or too large (its error is on the file field)."""
        upload = self.file.data
        if upload and getattr(upload, "filename", ""):
            data = upload.read(MAX_ROSTER_BYTES + 1)
            if len(data) > MAX_ROSTER_BYTES:
                self.file.errors = [*self.file.errors, _l("The file is too large.")]
                return None
            try:
                return data.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.file.errors = [*self.file.errors, _l("Save the file as CSV UTF-8 and send it again.")]
                return None
        return self.text.data or ""
