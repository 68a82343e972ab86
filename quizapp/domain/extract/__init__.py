"""Propose the dated events of an Arabic or English history text, for a teacher to review.

`extract(text, lang)` returns one Proposal per date the text gives an event, in text order: the
date at its precision, the sentence as evidence, the offsets of the date expression in the whole
text, a suggested title and candidate actors and places. Rules built on Babel's month names, not a
general date parser: see notes.md "Arabic dates" for why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.domain.dates import PartialDate, to_western_digits

from . import arabic, english
from .certainty import qualify
from .names import candidates
from .resolver import attach_hijri, join_ranges, resolve, sentence_index
from .sentences import split_clauses, split_sentences
from .titles import title

__all__ = [
    "LANGS",
    "MAX_PROPOSALS",
    "MAX_TEXT_BYTES",
    "Proposal",
    "extract",
    "extract_first",
    "split_clauses",
    "split_sentences",
]

LANGS: tuple[str, ...] = ("ar", "en")
#: The limits of one extraction for a teacher (stated in questions/README.md). A text of at most this
#: many UTF-8 bytes: ~30,000 words of English, ~18,000 of Arabic, extracted in about half a second
#: (and posted back by the review page, percent-encoded, under the web's 2 MB request limit).
MAX_TEXT_BYTES = 200 * 1024
#: At most this many proposals, the first in text order: one page a teacher can review (a text of
#: nothing but dates gave 15,746 proposals, a 24 MB page).
MAX_PROPOSALS = 300


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed event: a date found in the text, the sentence it sits in, and guesses around it."""

    date: PartialDate
    evidence: str
    start: int
    end: int
    title: str
    relative: bool = False
    range: dict[str, str] | None = None
    decade: bool = False
    hijri: str | None = None
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    #: The certainty the date's words propose (dates.CERTAINTIES), for the teacher to confirm:
    #: `margin` years for "about", `certainty_end` for "between".
    certainty: str = "exact"
    certainty_end: PartialDate | None = None
    margin: int = 0

    def to_dict(self) -> dict:
        """The CLI's JSON contract: date, evidence, start, end, title, relative, range, then extras."""
        return {
            "date": self.date.iso(),
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "title": self.title,
            "relative": self.relative,
            "range": dict(self.range) if self.range else None,
            "actors": list(self.actors),
            "places": list(self.places),
            "decade": self.decade,
            "hijri": self.hijri,
            "certainty": self.certainty,
            "certainty_end": self.certainty_end.iso() if self.certainty_end else None,
            "margin": self.margin,
        }


def extract(
    text: str, lang: str, known_actors: Iterable[str] = (), known_places: Iterable[str] = ()
) -> list[Proposal]:
    """The dated events a text gives, in text order. :raise ValueError: for a language not ar/en."""
    return extract_first(text, lang, None, known_actors, known_places)[0]


def extract_first(
    text: str,
    lang: str,
    limit: int | None = MAX_PROPOSALS,
    known_actors: Iterable[str] = (),
    known_places: Iterable[str] = (),
) -> tuple[list[Proposal], int]:
    """The first `limit` dated events of a text (all when None), and how many more it gives.

    Only the proposals kept are built (titles and names are the costly part).
    :raise ValueError: for a language not ar/en.
    """
    if lang not in LANGS:
        raise ValueError(f'cannot extract dates from "{lang}" text (use one of {", ".join(LANGS)})')
    known_actors, known_places = tuple(known_actors), tuple(known_places)
    # One character for one character, so offsets in the plain text are offsets in the original.
    plain = to_western_digits(text)
    sentences = split_sentences(text)
    found = (arabic if lang == "ar" else english).find(plain)
    # Every date expression, kept out of every title.
    spans = [(f.start, f.end) for f in found]
    found = join_ranges(plain, attach_hijri(plain, found, sentences), lang)
    proposals: list[Proposal] = []
    items = qualify(plain, resolve(plain, found, sentences), lang)
    kept = items if limit is None else items[: max(limit, 0)]
    for item in kept:
        at = sentence_index(sentences, item.start)
        sentence = sentences[at] if at >= 0 else (item.start, item.end)
        evidence = text[sentence[0] : sentence[1]]
        actors, places = candidates(evidence, lang, known_actors, known_places)
        proposals.append(
            Proposal(
                date=item.date,
                evidence=evidence,
                start=item.start,
                end=item.end,
                title=title(text, sentence, (item.start, item.end), lang, spans),
                relative=item.relative,
                range=({"start": item.date.iso(), "end": item.range_end.iso()} if item.range_end else None),
                decade=item.decade,
                hijri=item.hijri,
                actors=tuple(actors),
                places=tuple(places),
                certainty=item.certainty,
                certainty_end=item.certainty_end,
                margin=item.margin,
            )
        )
    return proposals, len(items) - len(kept)
