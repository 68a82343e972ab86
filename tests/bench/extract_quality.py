"""Precision and recall of quizapp.domain.extract against the annotated texts in tests/extract_corpus.

Run: .venv/bin/python tests/bench/extract_quality.py [-v]

A proposal counts as right when an annotation has the same date, its expression overlaps the
proposal's span, and the flags agree (relative, range, decade, hijri) and so does the proposed
certainty (with its end for "between"). Each annotation is matched once: proposing a date twice
costs precision. Scores are printed per text, per language, overall, and for the texts an issue
added (their annotation says "added": <issue>), so texts the rules were never tuned on stay visible.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "extract_corpus"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from quizapp.domain.extract import Proposal, extract  # noqa: E402


@dataclass
class Score:
    """Counts for one text, one language or the whole corpus."""

    proposed: int = 0
    expected: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add another score's counts and notes to this one."""
        self.proposed += other.proposed
        self.expected += other.expected
        self.right += other.right
        self.misses += other.misses
        self.wrong += other.wrong

    @property
    def precision(self) -> float:
        """Share of proposals that are right (1.0 when nothing was proposed)."""
        return self.right / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        """Share of annotated dates that were proposed (1.0 when none were expected)."""
        return self.right / self.expected if self.expected else 1.0


def _span(text: str, expr: str, nth: int) -> tuple[int, int]:
    """Where the nth occurrence of an annotated expression sits. :raise ValueError: if it is absent."""
    at = -1
    for _ in range(nth):
        at = text.find(expr, at + 1)
        if at < 0:
            raise ValueError(f"annotation {expr!r} (occurrence {nth}) is not in the text")
    return at, at + len(expr)


def _agrees(p: Proposal, note: dict, text: str) -> bool:
    """True when a proposal is the annotated date, at the annotated place, with the same flags."""
    start, end = _span(text, note["expr"], note.get("nth", 1))
    return (
        p.date.iso() == note["iso"]
        and p.start < end
        and start < p.end
        and p.relative == note.get("relative", False)
        and p.range == note.get("range")
        and p.decade == note.get("decade", False)
        and p.hijri == note.get("hijri")
        and p.certainty == note.get("certainty", "exact")
        and (p.certainty_end.iso() if p.certainty_end else None) == note.get("end")
    )


def score_file(annotation: Path) -> tuple[dict, Score]:
    """The annotation and score of one annotated text."""
    data = json.loads(annotation.read_text(encoding="utf-8"))
    source = annotation.parent / data.get("text", annotation.name.removesuffix(".json") + ".txt")
    text = source.read_text(encoding="utf-8")
    proposals = extract(text, data["lang"])
    notes = list(data["dates"])
    score = Score(proposed=len(proposals), expected=len(notes))
    for p in proposals:
        match = next((n for n in notes if _agrees(p, n, text)), None)
        if match is None:
            score.wrong.append(f"{annotation.name}: {p.date.iso()} {text[p.start : p.end]!r} {p.to_dict()}")
            continue
        notes.remove(match)
        score.right += 1
    score.misses += [f"{annotation.name}: {n}" for n in notes]
    return data, score


def evaluate(corpus: Path = CORPUS) -> dict[str, Score]:
    """Scores per text (its file name), per language ("ar", "en"), "all", and "new in #N" for the
    texts issue N added, over every annotation file in the corpus."""
    texts: dict[str, Score] = {}
    groups = {"ar": Score(), "en": Score(), "all": Score()}
    for annotation in sorted(corpus.glob("*.json")):
        data, score = score_file(annotation)
        texts[annotation.name.removesuffix(".json")] = score
        groups[data["lang"]].add(score)
        groups["all"].add(score)
        if "added" in data:
            groups.setdefault(f"new in #{data['added']}", Score()).add(score)
    return texts | groups


def main(argv: list[str]) -> None:
    """Print precision and recall per text, per language, overall and for newly added texts; -v
    lists misses and wrong proposals."""
    scores = evaluate()
    width = max(map(len, scores))
    for name, s in scores.items():
        if name == "ar":
            print("-" * (width + 50))
        print(
            f"{name:>{width}}: precision {s.precision:.3f} ({s.right}/{s.proposed})"
            f"  recall {s.recall:.3f} ({s.right}/{s.expected})"
        )
    if "-v" in argv:
        for line in scores["all"].misses:
            print("missed:", line)
        for line in scores["all"].wrong:
            print("wrong: ", line)


if __name__ == "__main__":
    main(sys.argv[1:])
