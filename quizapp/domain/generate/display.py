"""What a reader sees as the same text: the key by which options and titles are told apart."""

from __future__ import annotations

_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u200b"), None)


def display_key(text: str) -> str:
    """What a reader sees as the same option: case, spacing and direction marks ignored."""
    return " ".join(text.translate(_MARKS).split()).casefold()
