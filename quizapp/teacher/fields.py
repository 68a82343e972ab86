"""The teacher's form fields and what reads them: "Arabic | English" lines, partial dates, numbers
in either digits, years, local times, checkboxes; and the helpers the forms share.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    Form,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain.bank import Text
from ..domain.dates import PartialDate, parse_formatted, to_western_digits
from ..domain.scoring import METHOD_LABELS, ORDERING_METHODS

REQUIRED = _l("This field is required.")


def options(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """Choices of a select, radio group or checkboxes from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def method_choices() -> list[SelectChoice]:
    """The ordering grading methods, each described in the teacher's language."""
    # The labels live in the domain (scoring.METHOD_LABELS) in English; the catalogs translate them.
    return options((m, _(METHOD_LABELS[m])) for m in ORDERING_METHODS)


# --- reading fields --------------------------------------------------------------------------------


def parse_pairs(text: str) -> tuple[Text, ...]:
    """Lines "Arabic | English" as texts. :raise ValueError: naming the first bad line."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 2 or not all(parts):
            raise ValueError(
                _("Line %(line)s: write the Arabic text, a | sign, then the English text.", line=n)
            )
        out.append(Text(ar=parts[0], en=parts[1]))
    return tuple(out)


def pairs_text(texts: tuple[Text, ...] | list[Text]) -> str:
    """Texts as lines "Arabic | English", as parse_pairs reads them."""
    return "\n".join(f"{t.ar} | {t.en}" for t in texts)


def parse_number(text: str) -> int | float:
    """A number written with Western or Arabic-Indic digits. :raise ValueError:"""
    plain = to_western_digits(text.strip()).replace("٫", ".").replace("٬", "").replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", plain):
        raise ValueError(_("Write a number, such as 7 or 2.5."))
    return float(plain) if "." in plain else int(plain)


def parse_date(text: str, lang: str) -> PartialDate:
    """ "1940", "1940-08", "1940-08-21", or the date as the language writes it. :raise ValueError:"""
    try:
        return PartialDate.parse(to_western_digits(text.strip()))
    except ValueError:
        pass
    for candidate in (lang, "en" if lang == "ar" else "ar"):
        try:
            return parse_formatted(text, candidate)
        except ValueError:
            continue
    raise ValueError(_("Write the date as YYYY, YYYY-MM or YYYY-MM-DD, for example 1940-08-21."))


def make_id(text: str, taken: set[str]) -> str:
    """A slug made from a text (its Latin letters and digits), not one of `taken`."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "item"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def to_text(ar: str | None, en: str | None) -> Text:
    return Text(ar=(ar or "").strip(), en=(en or "").strip())


def to_optional_text(ar: str | None, en: str | None) -> Text | None:
    text = to_text(ar, en)
    return text if text.ar or text.en else None


class PairsField(TextAreaField):
    """A textarea of lines "Arabic | English"; `texts` holds them once validated."""

    texts: tuple[Text, ...] = ()

    def pre_validate(self, form: Form) -> None:
        try:
            self.texts = parse_pairs(self.data or "")
        except ValueError as err:
            raise ValidationError(str(err)) from None


class PartialDateField(StringField):
    """A date known to the year, the month or the day; `date` holds it once validated."""

    date: PartialDate | None = None

    def pre_validate(self, form: Form) -> None:
        if not (self.data or "").strip():
            raise ValidationError(_("Write the date."))
        from ..i18n import current_lang

        try:
            self.date = parse_date(self.data, current_lang())
        except ValueError as err:
            raise ValidationError(str(err)) from None


class OptionalDateField(PartialDateField):
    """A partial date that may be left empty (`date` is then None)."""

    def pre_validate(self, form: Form) -> None:
        self.date = None
        if (self.data or "").strip():
            super().pre_validate(form)


class YearsField(StringField):
    """A whole number of years, in Western or Arabic-Indic digits, or nothing; `years` holds it."""

    years: int | None = None

    def pre_validate(self, form: Form) -> None:
        self.years = None
        plain = to_western_digits((self.data or "").strip())
        if not plain:
            return
        if not plain.isdigit():
            raise ValidationError(_("Write a whole number of years, such as 5."))
        self.years = int(plain)


class LocalDateTimeField(DateTimeLocalField):
    """A date and time as the browser's picker writes it, read in the site's time zone."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_("Write a date and time, such as 2025-03-01 08:00.")) from None

    def pre_validate(self, form: Form) -> None:
        """A time the site's zone cannot carry to UTC (year 1 east of Greenwich, 9999 west of it) is
        refused as a bad date, never a 500."""
        try:
            self.utc()
        except OverflowError:
            raise ValidationError(_("Write a date and time, such as 2025-03-01 08:00.")) from None

    def utc(self) -> dt.datetime | None:
        """The value in UTC without tzinfo, as the database keeps times."""
        if self.data is None:
            return None
        local = self.data.replace(tzinfo=get_timezone())
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    def set_utc(self, value: dt.datetime | None) -> None:
        """Show a stored UTC time in the site's time zone."""
        if value is not None:
            value = value.replace(tzinfo=dt.UTC).astimezone(get_timezone()).replace(tzinfo=None)
        self.data = value


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one list of choices."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
