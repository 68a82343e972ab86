"""Sentences and clauses, as character spans of the text they come from.

A sentence ends at ". ! ? ؟" or a line break. The Arabic comma "،" ends a clause, not a sentence:
the evidence a teacher reviews must be a whole sentence, and the source text puts a comma after
nearly every date ("في 24 مايو 1940 ، نجا تروتسكي ...").
"""

from __future__ import annotations

import re

from .common import wordset

Span = tuple[int, int]

# A full stop after one of these words (or a lone capital, "U.S.") does not end the sentence.
_ABBREVIATIONS = wordset(
    "mr mrs ms dr st gen col lt capt sgt jr sr vs etc c ca no jan feb mar apr aug sept sep oct nov dec"
    " mt ft prof rev gov pres"
)
_END = re.compile(r"[.!?؟]+[\"'»”)\]]*(?=\s|$)|\n+")
_CLAUSE = re.compile(r"[،,؛;:]")


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The span without its surrounding whitespace, or None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_sentences(text: str) -> list[Span]:
    """The sentences of a text as (start, end) spans, in order, whitespace trimmed."""
    spans: list[Span] = []
    start = 0
    for m in _END.finditer(text):
        if m.group().startswith("."):
            word = re.search(r"(\w+)$", text[start : m.start()])
            if word and (word.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
        end = m.start() if m.group().startswith("\n") else m.end()
        if span := _trimmed(text, start, end):
            spans.append(span)
        start = m.end()
    if span := _trimmed(text, start, len(text)):
        spans.append(span)
    return spans


def split_clauses(text: str, start: int, end: int, keep: Span | None = None) -> list[Span]:
    """The clauses of text[start:end], cut at commas (Arabic and Latin), semicolons and colons.

    `keep` is a span never cut, such as the comma inside "August 21, 1940".
    """
    spans: list[Span] = []
    cursor = start
    for m in _CLAUSE.finditer(text, start, end):
        if keep and keep[0] <= m.start() < keep[1]:
            continue
        # A comma inside a number ("300,000") is not a clause end.
        if m.group() == "," and (
            text[m.start() - 1 : m.start()].isdigit() and text[m.end() : m.end() + 1].isdigit()
        ):
            continue
        if span := _trimmed(text, cursor, m.start()):
            spans.append(span)
        cursor = m.end()
    if span := _trimmed(text, cursor, end):
        spans.append(span)
    return spans
