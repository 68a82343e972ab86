"""The teacher's forms about a bank as a whole: its title and description, a new bank, a bank file,
a Moodle file in or out, and the plain button (CSRF only).

Each form checks what a person can get wrong in a field with messages in the teacher's language;
the forms of a bank's events, questions and quizzes are event_forms, question_forms and quiz_forms,
their fields are fields.py's, and validate_bank's problems come back to the fields through
problems.py.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from ..domain.bank import Text
from ..domain.scoring import ORDERING_METHODS
from ..domain.validate import SLUG_RE
from ..formtools import Marked, as_code, max_length
from .fields import (
    REQUIRED,
    method_choices,
    to_optional_text,
    to_text,
)

# --- bank ------------------------------------------------------------------------------------------


class BankForm(FlaskForm):
    """A bank's title and description."""

    title_ar = StringField(_l("Title in Arabic"), validators=[DataRequired(REQUIRED), max_length(300)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(REQUIRED), max_length(300)])
    description_ar = TextAreaField(_l("Description in Arabic"), validators=[max_length(2000)])
    description_en = TextAreaField(_l("Description in English"), validators=[max_length(2000)])

    def title(self) -> Text:
        """The title in both languages."""
        return to_text(self.title_ar.data, self.title_en.data)

    def description(self) -> Text | None:
        """The description, or None when both languages are empty."""
        return to_optional_text(self.description_ar.data, self.description_en.data)


class NewBankForm(BankForm):
    """A new bank: its slug too, which never changes afterwards."""

    slug = StringField(
        _l("Short name"),
        validators=[DataRequired(REQUIRED), max_length(60)],
        description=Marked(
            _l("Lower-case Latin letters, digits and hyphens, e.g. %(example)s."),
            example=as_code("russian-revolution"),
        ),
    )

    def validate_slug(self, field: Field) -> None:
        """The slug's shape, as bank files require it."""
        field.data = (field.data or "").strip()
        if not SLUG_RE.match(field.data):
            raise ValidationError(_("Use lower-case Latin letters, digits and hyphens only."))


class ButtonForm(FlaskForm):
    """A button that changes something (CSRF only): one form for all of a page's buttons."""

    def hidden_tag(self, *fields: Any) -> Markup:
        """The hidden CSRF field, rendered once for all the page's buttons (a question's delete
        button each): the same field with the request's one token every time."""
        if fields:
            return super().hidden_tag(*fields)
        tag = self.__dict__.get("_hidden_tag")
        if tag is None:
            tag = self._hidden_tag = super().hidden_tag()
        return tag


class UploadForm(FlaskForm):
    """A bank file, and optionally the source text its evidence is quoted from."""

    file = FileField(
        _l("Bank file (YAML)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["yaml", "yml"], _l("Choose a .yaml file.")),
        ],
    )
    source = FileField(
        _l("Source text (optional)"),
        validators=[FileAllowed(["txt"], _l("Choose a .txt file."))],
        description=_l("Needed when the file names a source that this site does not have yet."),
    )


class MoodleImportForm(FlaskForm):
    """A file of questions as Moodle exports them: GIFT, Moodle XML or Aiken."""

    file = FileField(
        _l("Moodle file (GIFT, Moodle XML or Aiken)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["gift", "txt", "xml", "aiken"], _l("Choose a .gift, .txt, .xml or .aiken file.")),
        ],
    )


class MoodleConfirmForm(FlaskForm):
    """The previewed file, carried signed to the step that saves it (see file_views)."""

    payload = HiddenField()


class MoodleExportForm(FlaskForm):
    """What a Moodle export carries besides the hand-written questions (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    count = IntegerField(
        _l("Generated questions to add"),
        default=20,
        validators=[Optional(), NumberRange(min=0, max=200)],
        description=_l("0: only the hand-written questions."),
    )
    method = SelectField(_l("Grading of ordering questions"), choices=[], default=ORDERING_METHODS[0])

    def setup(self) -> MoodleExportForm:
        """The methods' labels in the teacher's language."""
        self.method.choices = method_choices()
        return self
