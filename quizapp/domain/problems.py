"""What is wrong with a bank, and where: `Problem` (an English msgid with its parameters apart, see
messages.py, at a path, line and where-path), `BankFileError` that carries them, and the words
their messages name. Every format (bank file, GIFT, Moodle XML) and the rules on a bank speak it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from babel import Locale

from .messages import N_, Message, Translate, render

#: Each language's name, as a message parameter: translated with the message around it.
LANG_NAMES = {"ar": Message(N_("Arabic")), "en": Message(N_("English"))}
#: Each fact kind as a message names it ("a who fact needs an answer"): the kind a file writes, in
#: English; the reader's own question word in another language. (How-many's messages are its own.)
FACT_KIND_NAMES = {
    # TRANSLATORS: a kind of fact, the question it answers, as in "a who fact needs an answer".
    "who": Message(N_("who")),
    # TRANSLATORS: a kind of fact, the question it answers, as in "a where fact needs an answer".
    "where": Message(N_("where")),
    # TRANSLATORS: a kind of fact, the question it answers, as in "a what fact needs an answer".
    "what": Message(N_("what")),
}

#: where-paths of problems about the file as a whole, its YAML, and its top-level mapping.
WHERE_FILE = "file"
WHERE_YAML = "yaml"
WHERE_ROOT = "bank"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a bank: where it is and what is wrong.

    What is wrong is `template` (an English msgid marked N_, see messages.Message) filled with
    `params`; `message` is it in English, `render(gettext)` in the reader's language.
    """

    path: str
    line: int | None
    where: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return self.render()

    def render(self, translate: Translate | None = None, locale: Locale | str = "en") -> str:
        """What is wrong in a language: `translate` is its gettext, `locale` its Babel locale."""
        return render(self.template, self.params, translate, locale)

    def __str__(self) -> str:
        loc = self.path if self.line is None else f"{self.path}:{self.line}"
        return ": ".join(part for part in (loc, self.where, self.message) if part)


class BankFileError(ValueError):
    """A bank file that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
