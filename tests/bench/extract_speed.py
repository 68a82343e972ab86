"""How long quizapp.domain.extract takes on a 10,000-word text, per language.

Run: .venv/bin/python tests/bench/extract_speed.py [WORDS]

The text is the annotated corpus repeated until it holds the number of words asked for (10,000 by
default), so it is as dense in dates as real history prose. The target is well under a second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "extract_corpus"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from quizapp.domain.extract import extract  # noqa: E402


def build_text(lang: str, words: int = 10_000) -> str:
    """The corpus texts of a language, repeated paragraph by paragraph up to `words` words."""
    paragraphs = [
        line
        for path in sorted(CORPUS.glob(f"*.{lang}.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out: list[str] = []
    count = 0
    while count < words:
        for paragraph in paragraphs:
            out.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                break
    return "\n".join(out)


def timed(lang: str, words: int = 10_000, runs: int = 3) -> tuple[float, int]:
    """The best of a few runs, in seconds, and how many proposals the text gave."""
    text = build_text(lang, words)
    extract(text[:2000], lang)  # warm the compiled patterns
    best, found = float("inf"), 0
    for _ in range(runs):
        began = time.perf_counter()
        found = len(extract(text, lang))
        best = min(best, time.perf_counter() - began)
    return best, found


def main(argv: list[str]) -> None:
    """Print the time per language for a text of WORDS words (default 10,000)."""
    words = int(argv[0]) if argv else 10_000
    for lang in ("ar", "en"):
        seconds, found = timed(lang, words)
        print(f"{lang}: {words} words, {found} proposals in {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
