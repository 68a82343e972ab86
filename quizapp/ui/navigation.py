"""Where a page sends the user next: ids read from a request, and the way back to a page of this
site, never to another (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request

#: The largest id the database holds: ids are INTEGER columns, 32-bit signed on PostgreSQL (SQLite's
#: hold 64 bits, and Python's ints more: past that SQLite raised OverflowError).
MAX_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """An id read from a query string or a form ("12"), or None when it is not one a database holds."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def safe_next(target: str, default: str) -> str:
    """A path on this site to go back to, or the default: never an open redirect."""
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or parts.netloc
        or parts.scheme
    ):
        return default
    return target


def next_page(default: str) -> str:
    """The `next` field of a form (or of the query string): a page of this site, or the default."""
    return safe_next(request.values.get("next", ""), default)
