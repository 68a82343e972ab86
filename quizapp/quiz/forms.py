"""The forms of a quiz page. Answer forms are built per question: their choices are the attempt's
opaque option tokens, so the page says nothing about which option is right."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice
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


class OrderingForm(FlaskForm):
    """One position select per item (rank_<token>), read from the posted data by hand, as a
    SelectField over the positions with InputRequired would read it: a position is valid when it is
    posted, not empty, and one of 1..n. No class is made per question (its fields named by the
    question's tokens were, at a WTForms class's cost, on every post).

    `ranks` (token -> position, as posted; an item's own place when nothing is) fills the selects
    again on a page sent back with an error.
    """

    def setup(self, tokens: list[str], formdata) -> OrderingForm:  # type: ignore[no-untyped-def]
        self.tokens = tokens
        self.valid_ranks = posted_ranks(tokens, formdata)
        self.ranks = {}  # as posted (an item's own place when nothing is), to show again
        for i, t in enumerate(tokens):
            raw = formdata.getlist(f"rank_{t}")
            self.ranks[t] = raw[0] if raw else str(i + 1)
        return self

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)  # CSRF
        if self.valid_ranks is None:
            return False
        if ok and len(set(self.ranks.values())) != len(self.ranks):
            self.form_errors.append(_l("Give each event a different position."))
            return False
        return ok

    def order(self) -> list[str]:
        """The tokens, earliest first, as the student ranked them."""
        return in_order(self.tokens, self.ranks)


def posted_ranks(tokens: list[str], formdata) -> dict[str, str] | None:  # type: ignore[no-untyped-def]
    """Each token's posted position (rank_<token>) when every one is posted and one of 1..n, else
    None."""
    positions = {str(i + 1) for i in range(len(tokens))}
    ranks = {}
    for t in tokens:
        raw = formdata.getlist(f"rank_{t}")
        if not raw or raw[0] not in positions:
            return None
        ranks[t] = raw[0]
    return ranks


def in_order(tokens: list[str], ranks: dict[str, str]) -> list[str]:
    """The tokens, earliest first, by their positions."""
    return sorted(tokens, key=lambda t: int(ranks[t]))


def ordering_form(tokens: list[str], formdata) -> OrderingForm:  # type: ignore[no-untyped-def]
    """The posted form of an ordering question: one position per item (works without JavaScript;
    the script drives the selects)."""
    return OrderingForm(formdata=formdata).setup(tokens, formdata)


class ValidAnswer:
    """A posted multiple-choice or ordering answer that is valid, read without a WTForms form.

    Made only when CSRFProtect has checked the request's token (g.csrf_valid, which the forms' own
    CSRF check accepts too) and every field is as the form's validators want it (valid_choice,
    valid_order); otherwise the WTForms form is built, which finds what is wrong and says so.
    """

    form_errors = ()

    def __init__(self, choice: str | None = None, tokens: list[str] | None = None,
                 ranks: dict[str, str] | None = None) -> None:  # fmt: skip
        self.choice = ShownChoice(choice)
        self.tokens = tokens or []
        self.ranks = ranks or {}

    def validate_on_submit(self) -> bool:
        return True

    def order(self) -> list[str]:
        """The tokens, earliest first, as the student ranked them."""
        return in_order(self.tokens, self.ranks)


def valid_choice(tokens: list[str], formdata) -> ValidAnswer | None:  # type: ignore[no-untyped-def]
    """The posted choice when McqForm would take it: posted, and one of the options' tokens."""
    raw = formdata.getlist("choice")
    return ValidAnswer(choice=raw[0]) if raw and raw[0] in tokens else None


def valid_order(tokens: list[str], formdata) -> ValidAnswer | None:  # type: ignore[no-untyped-def]
    """The posted positions when OrderingForm would take them: each posted, one of 1..n, and no
    two the same."""
    ranks = posted_ranks(tokens, formdata)
    if ranks is None or len(set(ranks.values())) != len(ranks):
        return None
    return ValidAnswer(tokens=tokens, ranks=ranks)


class ShownChoice:
    """The radio group of a ShownForm: the option chosen (its token) or None; no errors."""

    __slots__ = ("data",)
    errors = ()

    def __init__(self, data: str | None) -> None:
        self.data = data


class ShownForm:
    """An answer form as a question page shows it when nothing is posted: the attributes the
    template reads of the posted forms (McqForm's choice, OrderingForm's ranks, KindForm's
    checked, typed and matched), filled with the stored answer if any, and no errors. No WTForms
    form is built for it (the page writes its CSRF field out)."""

    form_errors = ()

    def __init__(
        self,
        choice: str | None = None,
        ranks: dict[str, str] | None = None,
        checked: set[str] | None = None,
        typed: str = "",
        matched: dict[str, str] | None = None,
    ) -> None:
        self.choice = ShownChoice(choice)
        self.ranks = ranks or {}
        self.checked = checked or set()
        self.typed = typed
        self.matched = matched or {}


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
