"""The extraction forms: paste or upload a text, then review the proposals and accept some.

The review form carries the text in a hidden field and nothing else about the proposals: the view
extracts again on every post, so evidence and offsets never come from the browser.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Optional, ValidationError

from ..domain.bank import Text
from ..domain.dates import PartialDate
from ..domain.validate import SLUG_RE
from ..formtools import Marked, as_code, max_length
from .event_forms import CERTAINTY_LABELS
from .extract_service import MAX_TEXT_BYTES, NewEvent, NotText, clean_text, decode_upload
from .fields import OptionalDateField, YearsField, options

#: Field lengths of the database (bank and event titles hold 300 characters, a slug 80).
MAX_TITLE = 300
MAX_SLUG = 80


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def not_text_message(reason: str) -> str:
    """Why a text was refused, in the user's language."""
    messages = {
        "binary": _l("This is not plain text (it holds binary data). Paste the text or upload a .txt file."),
        "encoding": _l("The file is not UTF-8 text. Save it as UTF-8 (plain text) and upload it again."),
        "size": _l("The text is too long: at most %(kb)s KB.", kb=MAX_TEXT_BYTES // 1024),
        "empty": _l("Paste a text or upload a .txt file."),
    }
    return str(messages[reason])


class PasteForm(FlaskForm):
    """A text, pasted or uploaded, and its language ("auto": Arabic letters mean Arabic)."""

    text = TextAreaField(_l("Text"), validators=[Optional()])
    upload = FileField(
        _l("Or upload a .txt file (UTF-8)"),
        validators=[FileAllowed(["txt"], _l("Choose a .txt file."))],
    )
    lang = SelectField(
        _l("Language of the text"),
        choices=[
            SelectChoice("auto", _l("Detect it (Arabic letters: Arabic)")),
            SelectChoice("ar", _l("Arabic")),
            SelectChoice("en", _l("English")),
        ],
        default="auto",
    )

    #: The text to extract from, once validate() has passed.
    content: str = ""

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        """Check the fields, then read the upload (which wins) or the pasted text into `content`."""
        if not super().validate(extra_validators):
            return False
        upload = self.upload.data
        field = self.upload if upload else self.text
        try:
            if upload:
                self.content = decode_upload(upload.read(MAX_TEXT_BYTES + 1))
            else:
                self.content = clean_text(self.text.data or "")
        except NotText as err:
            field.errors.append(not_text_message(err.reason))
            return False
        return True


class RowForm(Form):
    """One proposal as the teacher edits it; the checks apply only to an accepted row."""

    accept = BooleanField(_l("Accept"))
    date = StringField(_l("Date"), filters=[_strip], validators=[max_length(10)])
    certainty = SelectField(
        _l("How sure the date is"), choices=options(CERTAINTY_LABELS.items()), default="exact"
    )
    margin = YearsField(_l("Margin in years"), filters=[_strip], validators=[max_length(5)])
    end = OptionalDateField(_l("End date"), filters=[_strip], validators=[max_length(10)])
    title_ar = StringField(_l("Title in Arabic"), filters=[_strip], validators=[max_length(MAX_TITLE)])
    title_en = StringField(_l("Title in English"), filters=[_strip], validators=[max_length(MAX_TITLE)])

    def validate_date(self, field: StringField) -> None:
        """An accepted row's date reads as YYYY, YYYY-MM or YYYY-MM-DD."""
        if not self.accept.data:
            return
        try:
            PartialDate.parse(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("Write the date as YYYY, YYYY-MM or YYYY-MM-DD, for example 1940-08-21.")
            ) from None

    def validate_title_ar(self, field: StringField) -> None:
        """An accepted row has its Arabic title."""
        if self.accept.data and not field.data:
            raise ValidationError(_l("Write the title in Arabic before accepting this event."))

    def validate_title_en(self, field: StringField) -> None:
        """An accepted row has its English title."""
        if self.accept.data and not field.data:
            raise ValidationError(_l("Write the title in English before accepting this event."))


class AcceptForm(FlaskForm):
    """The reviewed proposals and where to save them: a new bank, or one the teacher may edit."""

    text = HiddenField()
    lang = HiddenField(validators=[AnyOf(["ar", "en"])])
    rows = FieldList(FormField(RowForm))
    target = RadioField(
        _l("Save the accepted events in"),
        choices=[SelectChoice("new", _l("A new bank")), SelectChoice("existing", _l("A bank of mine"))],
        default="new",
    )
    slug = StringField(
        _l("Short name of the new bank (in its address)"),
        filters=[_strip],
        validators=[max_length(MAX_SLUG)],
        description=Marked(
            _l("Lower-case Latin letters, digits and hyphens, e.g. %(example)s."),
            example=as_code("suez-crisis"),
        ),
    )
    bank_title_ar = StringField(
        _l("Title of the new bank in Arabic"), filters=[_strip], validators=[max_length(MAX_TITLE)]
    )
    bank_title_en = StringField(
        _l("Title of the new bank in English"), filters=[_strip], validators=[max_length(MAX_TITLE)]
    )
    bank = SelectField(_l("Bank"), choices=[], validate_choice=False)

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        """The fields, then: at least one row accepted, and the chosen target complete."""
        ok = super().validate(extra_validators)
        if not any(row.form.accept.data for row in self.rows):
            self.form_errors.append(_l("Tick at least one proposal to accept."))
            ok = False
        if self.target.data == "new":
            ok = self._require(self.slug, _l("Give the new bank a short name.")) and ok
            if self.slug.data and not SLUG_RE.match(self.slug.data):
                self.slug.errors.append(_l("Use lower-case Latin letters, digits and hyphens only."))
                ok = False
            ok = self._require(self.bank_title_ar, _l("Give the new bank a title in Arabic.")) and ok
            ok = self._require(self.bank_title_en, _l("Give the new bank a title in English.")) and ok
        elif self.bank.data not in {choice.value for choice in self.bank.choices}:
            self.bank.errors.append(_l("Choose one of your banks."))
            ok = False
        return ok

    def accepted(self, evidence: list[str]) -> list[tuple[RowForm, NewEvent]]:
        """The ticked rows and their events, each with the evidence of its row (after validation)."""
        out = []
        for entry, sentence in zip(self.rows, evidence, strict=True):
            row: RowForm = entry.form
            if row.accept.data:
                title = Text(ar=row.title_ar.data or "", en=row.title_en.data or "")
                out.append(
                    (
                        row,
                        NewEvent(
                            date=PartialDate.parse(row.date.data or ""),
                            title=title,
                            evidence=sentence,
                            certainty=row.certainty.data or "exact",
                            margin=row.margin.years,
                            end=row.end.date,
                        ),
                    )
                )
        return out

    @staticmethod
    def _require(field: StringField, message: object) -> bool:
        if field.data:
            return True
        field.errors.append(message)
        return False
