"""Interface text the domain writes, translated where it is shown.

The domain imports no Flask, so it cannot know the reader's language: it marks each English message
with `N_` (pybabel extracts it, see the README) and keeps the message's parameters apart, as a
`Message`. The command line renders it in English (the msgid itself); the web layer renders it with
gettext in the reader's language. A parameter that is itself a word of the interface (a language's
name, a kind of fact) is a Message too, translated along with its frame; values a file writes as
they are (`mcq`, `how-many`, field names) stay as they are, and only the list that joins them
follows the language (`Choices`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from babel.lists import format_list

#: gettext's shape: an English msgid in, the text in the reader's language out.
Translate = Callable[[str], str]


def N_(text: str) -> str:  # noqa: N802  (gettext's name for "mark for translation, translate later")
    """Mark a string for the catalogs; whoever shows it translates it then."""
    return text


def _english(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Choices:
    """Values written as they are, joined as the language joins a list: "mcq or ordering".

    `style` is a Babel list style: "or" for alternatives, "standard-narrow" for a plain list.
    """

    values: tuple[str, ...]
    style: str = "or"

    def render(self, locale: Locale | str = "en") -> str:
        """The list in a locale's words and punctuation."""
        return format_list(list(self.values), style=self.style, locale=locale)


@dataclass(frozen=True, slots=True)
class Message:
    """An English msgid (marked N_) and its parameters, rendered in any language later.

    The template is a %-format string with named placeholders (`%(id)s`; a literal % is written
    %%). Parameters are shown as they are, except Messages and Choices, rendered in the same
    language as the frame around them.
    """

    template: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def render(self, translate: Translate | None = None, locale: Locale | str = "en") -> str:
        """The text in a language: `translate` is gettext for it (none: English)."""
        return render(self.template, self.params, translate, locale)

    def __str__(self) -> str:
        return self.render()


def render(
    template: str,
    params: Mapping[str, Any],
    translate: Translate | None = None,
    locale: Locale | str = "en",
) -> str:
    """A template translated, then filled with its parameters rendered in the same language.

    Without `translate` the text is English: the msgid itself.
    """
    translate = translate or _english
    values = {name: _render_value(value, translate, locale) for name, value in params.items()}
    return translate(template) % values


def _render_value(value: Any, translate: Translate, locale: Locale | str) -> Any:
    if isinstance(value, Message):
        return value.render(translate, locale)
    if isinstance(value, Choices):
        return value.render(locale)
    return value
