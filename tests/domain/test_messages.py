"""Messages the domain writes in English and a reader sees in their own language."""

from __future__ import annotations

from quizapp.domain.messages import N_, Choices, Message
from quizapp.domain.problems import LANG_NAMES, Problem

FRENCH = {
    "the %(language)s text is empty": "le texte %(language)s est vide",
    "Arabic": "arabe",
    "use %(kinds)s (or ~%%100%%)": "utilisez %(kinds)s (ou ~%%100%%)",
}


def test_english_is_the_msgid_filled_in() -> None:
    p = Problem("b.yaml", 3, "title.ar", N_("the %(language)s text is empty"), {"language": LANG_NAMES["ar"]})
    assert p.message == "the Arabic text is empty"
    assert str(p) == "b.yaml:3: title.ar: the Arabic text is empty"
    # A literal % is doubled in a template, as gettext's python-format wants, and shown once.
    assert str(Message("use %(kinds)s (or ~%%100%%)", {"kinds": Choices(("a", "b", "c"))})) == (
        "use a, b, or c (or ~%100%)"
    )


def test_a_translation_reaches_the_words_among_the_parameters() -> None:
    p = Problem("", None, "title.ar", "the %(language)s text is empty", {"language": LANG_NAMES["ar"]})
    assert p.render(FRENCH.get) == "le texte arabe est vide"  # type: ignore[arg-type]
    m = Message("use %(kinds)s (or ~%%100%%)", {"kinds": Choices(("a", "b", "c"))})
    assert m.render(FRENCH.get, "fr") == "utilisez a, b ou c (ou ~%100%)"  # type: ignore[arg-type]
    assert Choices(("mcq", "ordering")).render("ar") == "mcq أو ordering"
