"""The form of an event with its facts: what a person can get wrong in each field, then the event."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired

from ..domain.bank import FACT_KINDS, Event, Fact, Text
from ..formtools import max_length
from .fields import (
    REQUIRED,
    OptionalDateField,
    PairsField,
    PartialDateField,
    YearsField,
    make_id,
    options,
    pairs_text,
    parse_number,
    parse_pairs,
    to_optional_text,
    to_text,
)
from .problems import field_in

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
        question = to_text(self.question_ar.data, self.question_en.data)
        if self.kind.data == "how-many":
            return Fact(
                kind="how-many",
                question=question,
                number=self._number,
                unit=to_optional_text(self.unit_ar.data, self.unit_en.data),
                distractors=self._distractors,
            )
        return Fact(
            kind=self.kind.data,  # type: ignore[arg-type]
            question=question,
            answer=to_text(self.answer_ar.data, self.answer_en.data),
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
    evidence_translation = TextAreaField(
        _l("Evidence in translation"),
        validators=[max_length(5000)],
        description=_l("The same sentence in the bank's other language, shown beside the quote."),
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
                "evidence_translation": event.evidence_translation,
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
            title=to_text(self.title_ar.data, self.title_en.data),
            when=to_optional_text(self.when_ar.data, self.when_en.data),
            evidence=(self.evidence.data or "").strip(),
            evidence_translation=(self.evidence_translation.data or "").strip(),
            description=to_optional_text(self.description_ar.data, self.description_en.data),
            note=to_optional_text(self.note_ar.data, self.note_en.data),
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
