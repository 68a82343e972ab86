"""Live class mode, the pure parts: points for an answer (right and fast, as Kahoot counts them),
the ranking of a class, and whether a nickname may be shown on a projector.

Points: an answer worth `score` (0 to 1, partial credit for an ordering) given `elapsed_ms` after
the question opened, out of `limit_ms`, earns round(1000 × score × (1 − elapsed / limit / 2)): a
right answer at once is worth 1000, at the last moment 500, a wrong one 0. The live service
computes the same sum inside Redis (quizapp/live_state.py, ANSWER), where the time is read; a test
checks the two agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_POINTS = 1000
NICKNAME_MAX = 20


def points(score: float, elapsed_ms: int, limit_ms: int, max_points: int = MAX_POINTS) -> int:
    """The points of an answer: `max_points` × score × (1 − elapsed/limit/2), never below 0."""
    if score <= 0 or limit_ms <= 0:
        return 0
    elapsed = min(max(elapsed_ms, 0), limit_ms)
    return int(max_points * min(score, 1.0) * (1 - elapsed / limit_ms / 2) + 0.5)


def ranking(scores: Iterable[tuple[str, float]]) -> list[tuple[int, str, float]]:
    """(rank, name, points), best first; equal points share a rank (1, 2, 2, 4), names break ties."""
    rows = sorted(scores, key=lambda r: (-r[1], r[0]))
    out: list[tuple[int, str, float]] = []
    for i, (name, pts) in enumerate(rows):
        rank = out[-1][0] if out and out[-1][2] == pts else i + 1
        out.append((rank, name, pts))
    return out


# -- nicknames -------------------------------------------------------------------------------------

#: Words a nickname may not contain (English, and Arabic without its short vowels), after the
#: folding below: a small list, enough for the usual attempts in a classroom, not a filter of record.
BLOCKED = frozenset(
    {
        "fuck", "shit", "bitch", "cunt", "dick", "cock", "pussy", "whore", "slut", "nigger", "nigga",
        "fag", "faggot", "bastard", "asshole", "wanker", "twat", "retard", "rape", "porn", "penis",
        "vagina", "sex", "nazi", "hitler", "kill",
        "كس", "زب", "شرموط", "شرموطة", "عاهرة", "عاهر", "منيوك", "متناك", "خول", "قحبة", "كلب",
        "حمار", "زاني", "زانية", "نيك", "طيز", "لوطي",
    }
)  # fmt: skip
#: Words checked as whole words only (they occur inside innocent names: "Dickens", "Sussex", "كلبس").
WHOLE_WORD = frozenset({"dick", "cock", "sex", "kill", "fag", "rape", "كس", "زب", "كلب", "نيك", "طيز", "خول"})

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_BLOCKED_FOLDED = {w.translate(_ARABIC_FOLD) for w in BLOCKED}
_WHOLE_FOLDED = {w.translate(_ARABIC_FOLD) for w in WHOLE_WORD}


def fold(name: str) -> str:
    """A nickname as it is compared: NFKC, case folded, short vowels and tatweel gone, one space
    between words. "Ali", "ALI" and " ali " are one nickname."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")  # harakat and accents
    return " ".join(text.translate(_ARABIC_FOLD).split())


def nickname_problem(name: str) -> str | None:
    """Why a nickname cannot be used ("empty", "long", "characters", "indecent"), or None."""
    text = unicodedata.normalize("NFKC", name).strip()
    if not text:
        return "empty"
    if len(text) > NICKNAME_MAX:
        return "long"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn") for c in text if c != " "):
        return "characters"  # controls, bidi overrides, invisible and unassigned characters
    folded = fold(text)
    words = re.findall(r"\w+", folded.translate(_LEET))
    squashed = "".join(words)
    for word in words:
        if word in _BLOCKED_FOLDED:
            return "indecent"
    if any(bad in squashed for bad in _BLOCKED_FOLDED - _WHOLE_FOLDED):
        return "indecent"  # "f u c k", "sh1t", "xXfuckXx"
    return None
