"""Typed answers: numbers in any of the digits students type, and texts compared as readers see them.

A year typed as ١٩٣٧ (Arabic-Indic), ۱۹۳۷ (Persian) or 1937 is the same number. Short answers are
compared after normalisation: Arabic diacritics (tashkeel) and tatweel are dropped, the alef forms
أ إ آ ٱ read as ا, ta marbuta ة as ه, alef maqsura ى as ي; case is ignored unless the question
says otherwise; spaces are squeezed. A `*` in an accepted answer matches any run of characters,
as in Moodle's short answer (`\\*` is a literal star).
"""

from __future__ import annotations

import math
import re
import unicodedata

from .dates import to_western_digits

#: Arabic decimal and thousands separators, and the minus signs students may type.
_SIGNS = str.maketrans(
    {
        "\u066b": ".",
        "\u066c": "",
        "\u060c": ",",
        "\u2212": "-",
        "\u200f": None,
        "\u200e": None,
        "\u061c": None,
    }
)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
#: Tashkeel (U+064B-U+065F), superscript alef (U+0670), Quranic marks, and tatweel (U+0640).
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_SPACE = re.compile(r"\s+")
#: The longest answer a student may type, in characters: a short answer is short.
MAX_TYPED = 200


def parse_number(text: str | None) -> int | float | None:
    """The number a student typed ("1937", "١٩٣٧", "۱۹۳۷", " 1,937 ", "-12.5", "١٢٫٥"); None when
    the text is no number. Whole numbers come back as int."""
    if text is None:
        return None
    raw = unicodedata.normalize("NFKC", to_western_digits(str(text))).translate(_SIGNS).strip()
    raw = raw.replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", raw):
        raw = raw.replace(",", "")  # thousands separators
    elif raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")  # a decimal comma
    if len(raw) > 40 or not _NUMBER.fullmatch(raw):
        return None
    value = float(raw)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and "." not in raw else value


def normalise(text: str, case_sensitive: bool = False) -> str:
    """A typed text as compared with the accepted answers (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text).translate(_LETTERS)
    text = to_western_digits(text)
    text = _SPACE.sub(" ", text).strip()
    return text if case_sensitive else text.casefold()


def text_matches(typed: str, accepted: str, case_sensitive: bool = False) -> bool:
    """True when the typed text is the accepted one once both are normalised; `*` in the accepted
    text matches any run of characters (Moodle's wildcard), `\\*` a star."""
    want = normalise(accepted, case_sensitive)
    got = normalise(typed, case_sensitive)
    if not want:
        return False
    if "*" not in want:
        return got == want
    parts = re.split(r"(?<!\\)\*", want)
    pattern = ".*".join(re.escape(p.replace("\\*", "*")) for p in parts)
    return re.fullmatch(pattern, got, flags=re.DOTALL) is not None
