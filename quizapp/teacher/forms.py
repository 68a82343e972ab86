"""The teacher's forms: a bank, an event with its facts, a hand-written question, a quiz, a bank file.

Each form checks what a person can get wrong in a field (a date, a "Arabic | English" line, a
number) with messages in the teacher's language, then turns itself into a domain object; the rules
about the bank as a whole are validate_bank's, whose problems come back to the fields by their
`where` path (`show_problems`), written in the teacher's language (`problem_text`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..attempts import FEEDBACK_MODES, QuizSettings
from ..domain.bank import FACT_KINDS, AuthoredQuestion, Event, Fact, Text
from ..domain.bankfile import SLUG_RE, Problem
from ..domain.dates import PartialDate, parse_formatted, to_western_digits
from ..domain.scoring import METHOD_LABELS, ORDERING_METHODS
from ..formtools import Marked, as_code, max_length
from ..i18n import LANGUAGES, in_lang

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


def _text(ar: str | None, en: str | None) -> Text:
    return Text(ar=(ar or "").strip(), en=(en or "").strip())


def _optional_text(ar: str | None, en: str | None) -> Text | None:
    text = _text(ar, en)
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


# --- bank ------------------------------------------------------------------------------------------


class BankForm(FlaskForm):
    """A bank's title and description."""

    title_ar = StringField(_l("Title in Arabic"), validators=[DataRequired(REQUIRED), max_length(300)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(REQUIRED), max_length(300)])
    description_ar = TextAreaField(_l("Description in Arabic"), validators=[max_length(2000)])
    description_en = TextAreaField(_l("Description in English"), validators=[max_length(2000)])

    def title(self) -> Text:
        """The title in both languages."""
        return _text(self.title_ar.data, self.title_en.data)

    def description(self) -> Text | None:
        """The description, or None when both languages are empty."""
        return _optional_text(self.description_ar.data, self.description_en.data)


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
    """A button that changes something (CSRF only)."""


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
    """A file of questions as Moodle exports them: GIFT or Moodle XML."""

    file = FileField(
        _l("Moodle file (GIFT or Moodle XML)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["gift", "txt", "xml"], _l("Choose a .gift, .txt or .xml file.")),
        ],
    )


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


# --- event -----------------------------------------------------------------------------------------

FACT_KIND_LABELS = {
    "who": _l("Who"),
    "where": _l("Where"),
    "what": _l("What"),
    "how-many": _l("How many"),
}


class FactForm(Form):
    """One fact of an event: a question and its answer (a text, or a number with a unit)."""

    kind = SelectField(
        _l("Kind"), choices=options((k, FACT_KIND_LABELS[k]) for k in FACT_KINDS), default="what"
    )
    question_ar = StringField(_l("Question in Arabic"), validators=[max_length(500)])
    question_en = StringField(_l("Question in English"), validators=[max_length(500)])
    answer_ar = StringField(_l("Answer in Arabic"), validators=[max_length(300)])
    answer_en = StringField(_l("Answer in English"), validators=[max_length(300)])
    number = StringField(_l("Number (for how many)"), validators=[max_length(30)])
    unit_ar = StringField(_l("Unit in Arabic"), validators=[max_length(100)])
    unit_en = StringField(_l("Unit in English"), validators=[max_length(100)])
    distractors = TextAreaField(
        _l("Wrong answers"),
        description=_l("One per line: Arabic | English. For how many: numbers, one per line."),
    )
    remove = BooleanField(_l("Remove this fact"))

    def is_blank(self) -> bool:
        """True when nothing is written: the entry is a spare slot."""
        names = ("question_ar", "question_en", "answer_ar", "answer_en", "number", "distractors")
        return not any((self[n].data or "").strip() for n in names)

    def skipped(self) -> bool:
        """True when the entry makes no fact: blank or marked for removal."""
        return bool(self.remove.data) or self.is_blank()

    def validate(self, extra_validators: Any = None) -> bool:
        """Each field the kind needs, checked with a message next to it."""
        ok = super().validate(extra_validators)
        if self.skipped():
            return ok
        needed = ["question_ar", "question_en"]
        if self.kind.data != "how-many":
            needed += ["answer_ar", "answer_en"]
        for name in needed:
            if not (self[name].data or "").strip():
                self[name].errors.append(_("This field is required."))
                ok = False
        self._distractors: tuple = ()
        self._number: int | float | None = None
        try:
            if self.kind.data == "how-many":
                if not (self.number.data or "").strip():
                    raise ValueError(_("Write the number that answers the question."))
                self._number = parse_number(self.number.data)
        except ValueError as err:
            self.number.errors.append(str(err))
            ok = False
        try:
            lines = [ln for ln in (self.distractors.data or "").splitlines() if ln.strip()]
            if self.kind.data == "how-many":
                self._distractors = tuple(parse_number(ln) for ln in lines)
            else:
                self._distractors = parse_pairs(self.distractors.data or "")
        except ValueError as err:
            self.distractors.errors.append(str(err))
            ok = False
        return ok

    def to_fact(self) -> Fact:
        """The fact (after validate)."""
        question = _text(self.question_ar.data, self.question_en.data)
        if self.kind.data == "how-many":
            return Fact(
                kind="how-many",
                question=question,
                number=self._number,
                unit=_optional_text(self.unit_ar.data, self.unit_en.data),
                distractors=self._distractors,
            )
        return Fact(
            kind=self.kind.data,  # type: ignore[arg-type]
            question=question,
            answer=_text(self.answer_ar.data, self.answer_en.data),
            distractors=self._distractors,
        )

    @staticmethod
    def data_of(fact: Fact) -> dict[str, Any]:
        """The form's data for a fact."""
        data: dict[str, Any] = {
            "kind": fact.kind,
            "question_ar": fact.question.ar,
            "question_en": fact.question.en,
        }
        if fact.kind == "how-many":
            data["number"] = "" if fact.number is None else str(fact.number)
            if fact.unit:
                data["unit_ar"], data["unit_en"] = fact.unit.ar, fact.unit.en
            data["distractors"] = "\n".join(str(d) for d in fact.distractors)
        else:
            if fact.answer:
                data["answer_ar"], data["answer_en"] = fact.answer.ar, fact.answer.en
            data["distractors"] = pairs_text([d for d in fact.distractors if isinstance(d, Text)])
        return data


#: How sure a date is, as the event form offers it (dates.CERTAINTIES).
CERTAINTY_LABELS = {
    "exact": _l("Exact, at its precision"),
    "by": _l("By this date (no later)"),
    "after": _l("After this date (no earlier)"),
    "about": _l("About this date (give a margin)"),
    "between": _l("Between this date and an end date"),
}
#: Where a date comes from (dates.PROVENANCES).
PROVENANCE_LABELS = {
    "source": _l("The source text (the evidence quotes it)"),
    "outside": _l("Outside the source (the note says from where)"),
}


class EventForm(FlaskForm):
    """An event: its date, texts in both languages, people, places, evidence, tags and facts."""

    version = HiddenField()
    key = StringField(
        _l("Id"),
        validators=[max_length(80)],
        description=_l("Lower-case Latin letters, digits and hyphens; made from the English title if empty."),
    )
    date = PartialDateField(
        _l("Date"), description=_l("YYYY, YYYY-MM or YYYY-MM-DD: the year, the month or the day.")
    )
    certainty = SelectField(
        _l("How sure the date is"), choices=options(CERTAINTY_LABELS.items()), default="exact"
    )
    margin = YearsField(
        _l("Margin in years"), validators=[max_length(5)], description=_l("For “about”: years either side.")
    )
    end = OptionalDateField(
        _l("End date"),
        validators=[max_length(30)],
        description=_l("For “between”: the latest date it allows."),
    )
    provenance = SelectField(
        _l("Where the date comes from"), choices=options(PROVENANCE_LABELS.items()), default="source"
    )
    after = SelectMultipleField(
        _l("Comes after"),
        choices=[],
        validate_choice=True,
        description=_l("Events the narrative puts before this one, where the dates alone do not tell."),
    )
    when_ar = StringField(_l("“When?” question in Arabic"), validators=[max_length(500)])
    when_en = StringField(
        _l("“When?” question in English"),
        validators=[max_length(500)],
        description=_l("Optional: how questions ask for the date, e.g. “When did Trotsky arrive in Mexico?”"),
    )
    title_ar = StringField(_l("Title in Arabic"), validators=[DataRequired(REQUIRED), max_length(300)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(REQUIRED), max_length(300)])
    description_ar = TextAreaField(_l("Description in Arabic"), validators=[max_length(2000)])
    description_en = TextAreaField(_l("Description in English"), validators=[max_length(2000)])
    note_ar = TextAreaField(_l("Note in Arabic"), validators=[max_length(2000)])
    note_en = TextAreaField(_l("Note in English"), validators=[max_length(2000)])
    actors = PairsField(_l("People and groups"), description=_l("One per line: Arabic | English."))
    places = PairsField(_l("Places"), description=_l("One per line: Arabic | English."))
    evidence = TextAreaField(
        _l("Evidence"),
        validators=[max_length(5000)],
        description=_l("The source's own sentence, copied exactly, when the bank has a source text."),
    )
    tags = StringField(_l("Tags"), validators=[max_length(300)], description=_l("Separated by commas."))
    facts = FieldList(FormField(FactForm), max_entries=50)

    @classmethod
    def of(cls, event: Event | None, version: int, spare: int = 1) -> EventForm:
        """The form filled from an event (or empty), with spare slots for new facts."""
        data: dict[str, Any] = {"version": str(version)}
        if event is not None:
            data |= {
                "key": event.id,
                "date": event.date.iso(),
                "certainty": event.certainty,
                "margin": "" if event.margin is None else str(event.margin),
                "end": event.end.iso() if event.end else "",
                "provenance": event.provenance,
                "after": list(event.after),
                "title_ar": event.title.ar,
                "title_en": event.title.en,
                "actors": pairs_text(event.actors),
                "places": pairs_text(event.places),
                "evidence": event.evidence,
                "tags": ", ".join(event.tags),
                "facts": [FactForm.data_of(f) for f in event.facts],
            }
            for name in ("description", "note", "when"):
                text = getattr(event, name)
                if text:
                    data[f"{name}_ar"], data[f"{name}_en"] = text.ar, text.en
        form = cls(data=data)
        for _n in range(spare):
            form.facts.append_entry()
        return form

    def offer_events(self, events: Iterable[Event], key: str | None, lang: str) -> EventForm:
        """The events this one may come after: every other event of the bank, by its title in the
        teacher's language (an id, written in Latin letters, would break an Arabic option)."""
        self.after.choices = options((e.id, e.title.get(lang) or e.id) for e in events if e.id != key)
        return self

    def to_event(self, taken: set[str]) -> Event:
        """The event (after validate); an empty id is made from the English title."""
        key = (self.key.data or "").strip() or make_id(self.title_en.data or "", taken)
        self.fact_entries = [i for i, e in enumerate(self.facts.entries) if not e.form.skipped()]
        tags = [t.strip() for t in re.split(r"[,،]", self.tags.data or "") if t.strip()]
        return Event(
            id=key,
            date=self.date.date,  # type: ignore[arg-type]
            certainty=self.certainty.data or "exact",
            margin=self.margin.years,
            end=self.end.date,
            provenance=self.provenance.data or "source",
            after=tuple(self.after.data or ()),
            title=_text(self.title_ar.data, self.title_en.data),
            when=_optional_text(self.when_ar.data, self.when_en.data),
            evidence=(self.evidence.data or "").strip(),
            description=_optional_text(self.description_ar.data, self.description_en.data),
            note=_optional_text(self.note_ar.data, self.note_en.data),
            actors=self.actors.texts,
            places=self.places.texts,
            tags=tuple(dict.fromkeys(tags)),
            facts=tuple(self.facts.entries[i].form.to_fact() for i in self.fact_entries),
        )

    def field_for(self, where: str) -> Field | None:
        """The field a problem's where-path (relative to the event) is about."""
        m = re.match(r"facts\[(\d+)\](?:\.(.*))?$", where)
        if m:
            index = int(m.group(1))
            entries = getattr(self, "fact_entries", [])
            if index >= len(entries):
                return None
            return field_in(self.facts.entries[entries[index]].form, m.group(2) or "question")
        return field_in(self, where)


# --- hand-written question -------------------------------------------------------------------------


class QuestionForm(FlaskForm):
    """A hand-written question: multiple choice (options, the right one) or ordering (items)."""

    version = HiddenField()
    key = StringField(
        _l("Id"),
        validators=[max_length(80)],
        description=_l("Lower-case Latin letters, digits and hyphens; made from the English text if empty."),
    )
    prompt_ar = TextAreaField(_l("Question in Arabic"), validators=[DataRequired(REQUIRED), max_length(1000)])
    prompt_en = TextAreaField(
        _l("Question in English"), validators=[DataRequired(REQUIRED), max_length(1000)]
    )
    choices = PairsField(_l("Options"), description=_l("One per line: Arabic | English."))
    right = IntegerField(
        _l("Number of the right option"),
        validators=[Optional()],
        description=_l("1 for the first line, 2 for the second, ..."),
    )
    explanation_ar = TextAreaField(_l("Explanation in Arabic"), validators=[max_length(2000)])
    explanation_en = TextAreaField(_l("Explanation in English"), validators=[max_length(2000)])
    events = SelectMultipleField(_l("Events it is about"), choices=[], validate_choice=True)

    def setup(self, qtype: str, events: list[tuple[str, str]]) -> QuestionForm:
        """Fit the form to the question's type and the bank's events."""
        self.qtype = qtype
        self.events.choices = options(events)
        if qtype == "ordering":
            self.choices.label.text = _("Items, in the right order (earliest first)")
            self.choices.description = _("One per line: Arabic | English. At least two.")
        return self

    @classmethod
    def of(cls, q: AuthoredQuestion, version: int) -> dict[str, Any]:
        """The form's data for a question."""
        data: dict[str, Any] = {
            "version": str(version),
            "key": q.id,
            "prompt_ar": q.prompt.ar,
            "prompt_en": q.prompt.en,
            "choices": pairs_text(q.options if q.type == "mcq" else q.items),
            "right": (q.answer + 1) if q.type == "mcq" and q.answer is not None else None,
            "events": list(q.events),
        }
        if q.explanation:
            data["explanation_ar"], data["explanation_en"] = q.explanation.ar, q.explanation.en
        return data

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the right option's number for a multiple-choice question."""
        ok = super().validate(extra_validators)
        need = 2
        if ok and len(self.choices.texts) < need:
            self.choices.errors.append(_("Write at least two lines."))
            ok = False
        if self.qtype == "mcq" and not self.choices.errors:
            n = len(self.choices.texts)
            if self.right.data is None or not 1 <= self.right.data <= max(n, 1):
                self.right.errors.append(_("Give the number of the right option, from 1 to %(n)s.", n=n))
                ok = False
        return ok

    def to_question(self, taken: set[str]) -> AuthoredQuestion:
        """The question (after validate)."""
        key = (self.key.data or "").strip() or make_id(self.prompt_en.data or "", taken)
        texts = self.choices.texts
        mcq = self.qtype == "mcq"
        return AuthoredQuestion(
            id=key,
            type=self.qtype,  # type: ignore[arg-type]
            prompt=_text(self.prompt_ar.data, self.prompt_en.data),
            options=texts if mcq else (),
            answer=(self.right.data - 1) if mcq and self.right.data else None,
            items=() if mcq else texts,
            explanation=_optional_text(self.explanation_ar.data, self.explanation_en.data),
            events=tuple(self.events.data or ()),
        )

    def field_for(self, where: str) -> Field | None:
        """The field a problem's where-path (relative to the question) is about."""
        return field_in(self, where)


# --- quiz ------------------------------------------------------------------------------------------

FEEDBACK_LABELS = {
    "immediate": _l("At once, after each answer"),
    "end": _l("At the end, with the results"),
    "never": _l("Never: only the score"),
}


class ReleaseForm(FlaskForm):
    """Release a quiz's results (feedback "never"): the box confirms it, without JavaScript."""

    confirm = BooleanField(
        _l("I understand: each student who finished sees their score, their answers and the right ones."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class QuizForm(FlaskForm):
    """A quiz set from a bank."""

    title_ar = StringField(_l("Title in Arabic"), validators=[DataRequired(REQUIRED), max_length(300)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(REQUIRED), max_length(300)])
    count = IntegerField(
        _l("Number of questions"),
        default=10,
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=100)],
    )
    kinds = MultiCheckboxField(_l("Kinds of question"), choices=[])
    languages = MultiCheckboxField(  # the languages named in the teacher's language
        _l("Languages allowed"),
        choices=options([("ar", _l("Arabic")), ("en", _l("English"))]),
        default=list(LANGUAGES),
    )
    time_limit_minutes = IntegerField(
        _l("Time limit in minutes"),
        validators=[Optional(), NumberRange(min=1, max=600)],
        description=_l("Empty: no limit."),
    )
    closed_book = BooleanField(
        _l("Closed book: the bank's events, practice and review close during a student's attempt"),
        default=True,
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed"),
        validators=[Optional(), NumberRange(min=1, max=100)],
        description=_l("Empty: as many as the student likes."),
    )
    feedback = RadioField(
        _l("Show the right answers"),
        choices=options((m, FEEDBACK_LABELS[m]) for m in FEEDBACK_MODES),
        default="end",
    )
    ordering_method = SelectField(
        _l("Grading of ordering questions"),
        choices=options((m, m) for m in ORDERING_METHODS),
        default=ORDERING_METHODS[0],
    )
    arabic_months = RadioField(
        _l("Arabic month names"),
        # The Arabic examples are marked Arabic on an English page.
        choices=options(
            [
                ("eg", Marked(_l("Egyptian (%(example)s)"), example=in_lang("يناير", "ar"))),
                ("lev", Marked(_l("Levantine (%(example)s)"), example=in_lang("كانون الثاني", "ar"))),
            ]
        ),
        default="eg",
    )
    arabic_digits = BooleanField(_l("Arabic-Indic digits in Arabic (١٩٤٠)"))
    opens_at = LocalDateTimeField(_l("Opens at"), validators=[Optional()], description=_l("Empty: now."))
    closes_at = LocalDateTimeField(_l("Closes at"), validators=[Optional()], description=_l("Empty: never."))
    active = BooleanField(_l("Open to students"), default=True)
    # The teacher's classes (set per request); none chosen: anyone with the code may take the quiz.
    classes = MultiCheckboxField(
        _l("For the classes"),
        choices=[],
        coerce=int,
        description=_l("None chosen: anyone with the quiz's code may take it."),
    )
    due_at = LocalDateTimeField(
        _l("Due"), validators=[Optional()], description=_l("Shown to the classes' students. Empty: none.")
    )

    def setup(self, kinds: list[tuple[str, str]]) -> QuizForm:
        """Fill the kinds (with their labels) and the methods' labels in the teacher's language."""
        self.kinds.choices = options(kinds)
        if not self.kinds.data and not self.is_submitted():
            self.kinds.data = [k for k, _label in kinds]
        self.ordering_method.choices = method_choices()
        return self

    def validate_kinds(self, field: Field) -> None:
        """At least one kind."""
        if not field.data:
            raise ValidationError(_("Choose at least one kind of question."))

    def validate_languages(self, field: Field) -> None:
        """At least one language."""
        if not field.data:
            raise ValidationError(_("Choose at least one language."))

    def validate_closes_at(self, field: Field) -> None:
        """Closing comes after opening."""
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_("The quiz must close after it opens."))

    def settings(self) -> dict[str, Any]:
        """The settings, with the keys quizapp.attempts.QuizSettings reads."""
        return {
            "count": self.count.data,
            "kinds": list(self.kinds.data),
            "feedback": self.feedback.data,
            "ordering_method": self.ordering_method.data,
            "time_limit_minutes": self.time_limit_minutes.data,
            "attempts_allowed": self.attempts_allowed.data,
            "languages": list(self.languages.data),
            "arabic_months": self.arabic_months.data,
            "arabic_digits": bool(self.arabic_digits.data),
            "closed_book": bool(self.closed_book.data),
        }

    def title(self) -> Text:
        """The title in both languages."""
        return _text(self.title_ar.data, self.title_en.data)

    def fill(self, quiz: Any) -> QuizForm:
        """Show a quiz's stored values."""
        s = dict(quiz.settings or {})
        self.title_ar.data, self.title_en.data = quiz.title_ar, quiz.title_en
        for name in ("count", "feedback", "ordering_method", "time_limit_minutes", "attempts_allowed"):
            if s.get(name) is not None:
                self[name].data = s[name]
        if s.get("kinds"):
            self.kinds.data = list(s["kinds"])
        if s.get("languages"):
            self.languages.data = list(s["languages"])
        self.arabic_months.data = s.get("arabic_months", "eg")
        self.arabic_digits.data = bool(s.get("arabic_digits"))
        self.closed_book.data = QuizSettings.of(quiz).closed_book  # older quizzes: on when timed
        self.opens_at.set_utc(quiz.opens_at)
        self.closes_at.set_utc(quiz.closes_at)
        self.active.data = quiz.active
        return self


# --- problems of validate_bank, next to their fields -----------------------------------------------

_ALIASES = {"id": "key", "options": "choices", "items": "choices", "prompt": "prompt_ar"}


def field_in(form: Form, where: str) -> Field | None:
    """The field of a form a where-path names: title.en -> title_en, actors[2].ar -> actors."""
    m = re.match(r"(\w+)(?:\[\d+\])?(?:\.(\w+))?", where)
    if not m:
        return None
    name, sub = m.group(1), m.group(2)
    for candidate in (f"{name}_{sub}" if sub else "", _ALIASES.get(name, ""), name, f"{name}_ar"):
        if candidate and candidate in form._fields:
            return form[candidate]
    return None


def problem_text(problem: Problem | str) -> str:
    """A problem of the domain in the teacher's language: its template through gettext, then its
    parameters, the words among them (a language's name, a kind of fact) translated too.

    A plain string is a message already written, and comes back as it is.
    """
    if isinstance(problem, str):
        return problem
    params = {name: _ltr_date(value) for name, value in problem.params.items()}
    return replace(problem, params=params).render(_, get_locale() or "en")


#: A value that starts like an ISO date ("1940-13", "1940-08-21").
_ISO_DATE = re.compile(r"\d{4}-\d")


def _ltr_date(value: object) -> object:
    """A date as a file writes it, led by a left-to-right mark: in an Arabic sentence "1940-13"
    would show as "13-1940" (its digits count as Arabic numbers there, which a hyphen does not join)."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        return "\u200e" + value
    return value


def show_problems(form: Any, problems: list[Problem], prefix: str) -> list[str]:
    """Put each problem under `prefix` next to its field; return the others' messages."""
    rest = []
    for p in problems:
        field = None
        if prefix and p.where.startswith(prefix + "."):
            field = form.field_for(p.where[len(prefix) + 1 :])
        elif not prefix:
            field = form.field_for(p.where) if hasattr(form, "field_for") else field_in(form, p.where)
        text = problem_text(p)
        if field is not None:
            field.errors = [*field.errors, text] if isinstance(field.errors, list) else [text]
        else:
            rest.append(text)
    return rest
