"""The forms of a quiz page. Answer forms are built per question: their choices are the attempt's
opaque option tokens, so the page says nothing about which option is right."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms.validators import AnyOf, InputRequired

from ..domain.answers import MAX_TYPED, parse_number


class FinishForm(FlaskForm):
    """Finish an attempt: the confirmation page's button carries confirm=yes; anything else shows
    that page (no exam ends in one click)."""

    confirm = HiddenField(default="yes")


class FlagForm(FlaskForm):
    """Flag a question for review ("1") or take the flag off ("0")."""

    flagged = HiddenField(validators=[AnyOf(["0", "1"])])


class McqForm(FlaskForm):
    """One radio group over a question's option tokens (set per question by mcq_form)."""

    choice = RadioField(_l("Your answer"), validators=[InputRequired(message=_l("Choose an answer."))])


def mcq_form(choices: list[tuple[str, str]], formdata=None) -> McqForm:  # type: ignore[no-untyped-def]
    """The multiple-choice form of a question: its choices are the options' tokens and texts."""
    form = McqForm(formdata=formdata) if formdata is not None else McqForm()
    form.choice.choices = [SelectChoice(value, label) for value, label in choices]
    return form


def ordering_form(tokens: list[str], labels: list[str], formdata=None, ranks=None) -> FlaskForm:  # type: ignore[no-untyped-def]
    """A form with one position select per item: works without JavaScript; the script drives it.

    `ranks` (one per token) fill the selects with a stored answer; the items keep their order.
    """
    positions = [str(i + 1) for i in range(len(tokens))]
    choices = [SelectChoice(p, p) for p in positions]
    defaults = ranks or positions

    class OrderingForm(FlaskForm):
        def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
            ok = super().validate(extra_validators)
            ranks = [self[f"rank_{t}"].data for t in tokens]
            if ok and len(set(ranks)) != len(ranks):
                self.form_errors.append(_l("Give each event a different position."))
                return False
            return ok

        def order(self) -> list[str]:
            """The tokens, earliest first, as the student ranked them."""
            return sorted(tokens, key=lambda t: int(self[f"rank_{t}"].data))

    for i, (token, label) in enumerate(zip(tokens, labels, strict=True)):
        setattr(
            OrderingForm,
            f"rank_{token}",
            SelectField(label, choices=choices, default=defaults[i], validators=[InputRequired()]),
        )
    return OrderingForm(formdata=formdata) if formdata is not None else OrderingForm()


class KindForm(FlaskForm):
    """The answer form of a multi, truefalse, numerical, shortanswer or matching question.

    Its inputs are named by the question (option tokens, one select per stem), so they are read
    from the posted data by hand: `choice` (the option tokens ticked, or "true"/"false"), `typed`
    (a number or a short text), `match_<stem token>` (the number of the answer chosen, from 1).
    After validation `answer` holds the answer as stored (Response.answer); `stray` is true when
    the data names an option the question does not have (a stale or forged page).
    """

    def setup(self, qtype: str, tokens: dict[str, int], stems: list[str], n_choices: int,
              formdata=None) -> KindForm:  # type: ignore[no-untyped-def]  # fmt: skip
        """The question's type, its option tokens (token -> index), its stems' tokens, the number
        of answers a stem chooses from, and the posted data (None on a page)."""
        self.qtype, self.tokens, self.stems, self.n_choices = qtype, tokens, stems, n_choices
        self.posted = formdata
        self.answer: object = None
        self.stray = False
        self.checked: set[str] = set(formdata.getlist("choice")) if formdata is not None else set()
        self.typed: str = (formdata.get("typed") or "")[:MAX_TYPED] if formdata is not None else ""
        self.matched: dict[str, str] = (
            {s: formdata.get(f"match_{s}", "") for s in stems} if formdata is not None else {}
        )
        return self

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        """CSRF, then the answer: at least one option, a number, a text, every stem matched."""
        if not super().validate(extra_validators) or self.posted is None:
            return False
        error = self._read()
        if error:
            self.form_errors.append(error)
            return False
        return True

    def _read(self) -> object:
        if self.qtype == "multi":
            if not self.checked:
                return _l("Choose at least one answer.")
            if not self.checked <= set(self.tokens):
                self.stray = True
            self.answer = sorted(self.tokens[t] for t in self.checked if t in self.tokens)
        elif self.qtype == "truefalse":
            value = self.posted.get("choice")
            if value not in ("true", "false"):
                return _l("Choose an answer.")
            self.answer = value == "true"
        elif self.qtype == "numerical":
            if not self.typed.strip():
                return _l("Type your answer.")
            number = parse_number(self.typed)
            if number is None:
                return _l("Type a number in digits, such as 1937.")
            self.answer = number
        elif self.qtype == "shortanswer":
            text = " ".join(self.typed.split())
            if not text:
                return _l("Type your answer.")
            self.answer = text
        elif self.qtype == "matching":
            chosen = []
            for stem in self.stems:
                raw = self.matched.get(stem, "")
                if not raw:
                    return _l("Choose an answer for each item.")
                if not raw.isdigit() or not 1 <= int(raw) <= self.n_choices:
                    self.stray = True
                    return None
                chosen.append(int(raw) - 1)
            self.answer = chosen
        return None
