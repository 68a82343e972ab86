"""What the quiz pages show, computed from an attempt's frozen snapshots (never from the bank)."""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import get_translations
from markupsafe import Markup

from ..attempts import QuizSettings, answer_is_final, option_token, time_is_up
from ..domain.dates import format_number
from ..domain.messages import N_
from ..domain.scoring import OrderingExplanation, explain_ordering
from ..feedback import attempt_visible
from ..i18n import hijri_of, in_lang, show_hijri
from ..models import Attempt, AttemptQuestion, utcnow
from ..ui.answers import NEW_TYPES, answer_text, right_text
from ..ui.charts import timeline
from .kinds import kind_view


def _tr(text: dict | None, lang: str) -> str:
    return (text or {}).get(lang, "")


def question_view(attempt: Attempt, q: AttemptQuestion, lang: str) -> dict[str, Any]:
    """The question in a language, its options' tokens, and, once answered, its feedback.

    Before the attempt's feedback mode lets the student know (quizapp.feedback), a right and a wrong
    answer give the same page: the same classes and texts, the items in the question's own order
    (the position menus say the student's order), no score.
    """
    snap = q.snapshot
    view: dict[str, Any] = {"type": snap["type"], "prompt": _tr(snap["prompt"], lang), "lang": lang}
    answered = q.response is not None
    show_key = answered and attempt_visible(attempt, answered=answered)
    chosen = q.response.answer if answered else None
    if snap["type"] == "mcq":
        view["options"] = [
            {
                "index": i,  # the page's loop counter, without a Jinja loop object
                "token": option_token(attempt, q.position, i),
                "text": _tr(o, lang),
                "chosen": chosen == i,
                "right": show_key and i == snap["answer"],
            }
            for i, o in enumerate(snap["options"])
        ]
    elif snap["type"] in NEW_TYPES:
        view.update(kind_view(attempt, q, lang, show_key))
    else:
        ranks = {index: rank for rank, index in enumerate(chosen or (), start=1)}
        view["items"] = [
            {"token": option_token(attempt, q.position, i), "text": _tr(it, lang), "rank": ranks.get(i)}
            for i, it in enumerate(snap["items"])
        ]
        if show_key:
            view["review"] = ordering_review(q, lang)
            view["correct_items"] = [_tr(snap["items"][i], lang) for i in snap["answer"]]
        elif answered:  # the student's order, unmarked
            view["response_items"] = [_tr(snap["items"][i], lang) for i in chosen or ()]
    view["answered"] = answered
    view["show_key"] = show_key
    view["editable"] = not answer_is_final(attempt, q)
    view["flagged"] = q.flagged
    if show_key:
        hijri = show_hijri(attempt.quiz.bank.show_hijri)  # asked once, not per event
        view["score"] = q.response.score  # type: ignore[union-attr]
        view["explanation"] = _tr(snap.get("explanation"), lang)
        view["context"] = [
            {
                "title": _tr(c.get("title"), lang),
                "date": _tr(c.get("date_text"), lang),
                "evidence": c.get("evidence", ""),
                "evidence_lang": c.get("evidence_lang", ""),
                "evidence_translation": c.get("evidence_translation", ""),
                "hijri": hijri_of(c.get("date"), lang, True) if hijri else "",
            }
            for c in snap.get("context", [])
            if c.get("title")
        ]
    view.update(clock(attempt))
    return view


@functools.lru_cache(maxsize=64)
def _positions(count: int) -> frozenset[str]:
    return frozenset(str(n) for n in range(1, count + 1))


@functools.lru_cache(maxsize=1024)
def _rank_options(count: int, chosen: str) -> Markup:
    options = []
    for n in range(1, count + 1):
        options.append(f'<option value="{n}"{" selected" if str(n) == chosen else ""}>{n}</option>')
    return Markup("".join(options))


def rank_options(count: int, rank: object) -> Markup:
    """The options of an ordering item's position menu, 1 to `count`, the one `rank` names (the text
    posted or shown) selected: made once for each count and position, where the page's loop wrote
    each option of each item anew."""
    return _rank_options(count, rank if isinstance(rank, str) and rank in _positions(count) else "")


def clock(attempt: Attempt) -> dict[str, Any]:
    """The seconds left of a timed, open attempt (the page's countdown), or nothing."""
    if attempt.deadline and not attempt.finished:
        left = (attempt.deadline - utcnow()).total_seconds()
        return {"seconds_left": max(0, int(left)), "time_up": time_is_up(attempt)}
    return {}


class ReviewWords:
    """The words ordering reviews write around their events, translated once for a page of them (a
    results page reviews each of its ordering questions): what an item scored, a wrong pair's
    sentence, and a grading method's legend (translated when first asked for).

    The request's catalog is looked up once, here: Flask-Babel's gettext and ngettext look it up
    again for every text (the app, the domain, the request's context and locale, about 10 µs);
    `gettext` and `ngettext` below return what Flask-Babel's would."""

    __slots__ = ("before", "catalog", "legends", "said")

    def __init__(self) -> None:
        self.catalog = get_translations()
        self.said = self.gettext("(%(score)s of %(max)s)")
        self.before = self.gettext("%(first)s before %(second)s")
        self.legends: dict[str, str] = {}

    def gettext(self, string: str, **variables: Any) -> str:
        """Flask-Babel's gettext, from the page's catalog."""
        text = self.catalog.ugettext(string)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        """Flask-Babel's ngettext, from the page's catalog."""
        variables.setdefault("num", num)
        return self.catalog.ungettext(singular, plural, num) % variables

    def legend(self, method: str) -> str:
        found = self.legends.get(method)
        if found is None:
            found = self.legends[method] = self.gettext(METHOD_LEGENDS[method])
        return found


def ordering_review(q: AttemptQuestion, lang: str, words: ReviewWords | None = None) -> dict[str, Any] | None:
    """The student's order with each item marked only as the grading method counts it, the pairs
    that cost points (under pairs), and the credit in words ("4 of 6 pairs in the right order").

    `words`: the page's ReviewWords, when it reviews several questions. A wrong pair comes as its
    sentence, each event marked with its language (quizapp.i18n.in_lang), ready to print."""
    snap = q.snapshot
    if q.response is None or not q.response.answer:
        return None
    words = words or ReviewWords()
    method = q.attempt.settings.get("ordering_method", "pairs")
    exp = explain_ordering(q.response.answer, snap["answer"], method)
    texts = [_tr(item, lang) for item in snap["items"]]
    marked = []
    for m in exp.marks:
        marked.append(
            {
                "text": texts[m.item],
                "right": m.right,
                # Partial points show as "2/3": what the method counts of this item (see the legend).
                "points": (
                    f"{format_number(m.score, lang)}/{format_number(m.max_score, lang)}"
                    if m.right is False and m.score > 0
                    else ""
                ),
                "said": "" if m.right is None else words.said % {"score": m.score, "max": m.max_score},
            }
        )
    wrong_pairs = []
    if exp.wrong_pairs:
        events = {i: in_lang(texts[i], lang) for pair in exp.wrong_pairs for i in pair}
        # The events are Markup, escaped by in_lang, and the sentence is ours: formatted as text, what
        # Markup's % would give, which escapes each value again (a Markup's escape is itself).
        before = words.before
        wrong_pairs = [Markup(before % {"first": events[a], "second": events[b]}) for a, b in exp.wrong_pairs]
    return {
        "items": marked,
        "sentence": credit_sentence(exp, words),
        "legend": words.legend(exp.method),
        "wrong_pairs": wrong_pairs,
    }


def credit_sentence(exp: OrderingExplanation, words: ReviewWords | None = None) -> str:
    """The credit of an ordering answer in words, counted as its method counts (`words`: the page's
    ReviewWords, whose catalog translates it)."""
    words = words or ReviewWords()
    gettext, ngettext = words.gettext, words.ngettext
    points, num, percent = exp.points, exp.possible, exp.percent
    match exp.method:
        case "all_or_nothing":
            if points:
                return gettext("The order is exactly right: %(percent)s%%", percent=100)
            return gettext("The order is not exactly right: %(percent)s%%", percent=0)
        case "pairs":
            return ngettext(
                "%(points)s of %(num)s pair in the right order: %(percent)s%%",
                "%(points)s of %(num)s pairs in the right order: %(percent)s%%",
                num, points=points, percent=percent,
            )  # fmt: skip
        case "absolute_position":
            return ngettext(
                "%(points)s of %(num)s event in its right position: %(percent)s%%",
                "%(points)s of %(num)s events in their right positions: %(percent)s%%",
                num, points=points, percent=percent,
            )  # fmt: skip
        case "relative_next_exclude_last" | "relative_next_include_last":
            return ngettext(
                "%(points)s of %(num)s event followed by the right next one: %(percent)s%%",
                "%(points)s of %(num)s events followed by the right next one: %(percent)s%%",
                num, points=points, percent=percent,
            )  # fmt: skip
        case "relative_one_previous_and_next":
            return ngettext(
                "%(points)s of %(num)s neighbour right: %(percent)s%%",
                "%(points)s of %(num)s neighbours right: %(percent)s%%",
                num, points=points, percent=percent,
            )  # fmt: skip
        case "longest_ordered_subset" | "longest_contiguous_subset":
            return ngettext(
                "%(points)s of %(num)s event in the longest run in the right order: %(percent)s%%",
                "%(points)s of %(num)s events in the longest run in the right order: %(percent)s%%",
                num, points=points, percent=percent,
            )  # fmt: skip
    return ngettext(
        "%(points)s of %(num)s point: %(percent)s%%",
        "%(points)s of %(num)s points: %(percent)s%%",
        num, points=points, percent=percent,
    )  # fmt: skip


#: What the marks beside each event mean, per method (translated when shown).
METHOD_LEGENDS: dict[str, str] = {
    "pairs": N_("Beside each event: with how many of the others it is in the right order."),
    "all_or_nothing": N_("Only the whole order counts, not each event."),
    "absolute_position": N_("✓: the event is in its right position."),
    "relative_to_correct": N_("Beside each event: its points, one less for each place it is off."),
    "relative_next_exclude_last": N_(
        "✓: the right event comes next (the event that comes last is not counted)."
    ),
    "relative_next_include_last": N_("✓: the right event comes next (after the last one, nothing)."),
    "relative_one_previous_and_next": N_("Beside each event: how many of its two neighbours are right."),
    "relative_all_previous_and_next": N_("Beside each event: how many of the others are on its right side."),
    "longest_ordered_subset": N_("✓: the event is in the longest run of events in the right order."),
    "longest_contiguous_subset": N_(
        "✓: the event is in the longest run of consecutive events in the right order."
    ),
}


def mcq_answer_text(q: AttemptQuestion, lang: str) -> str:
    """The option the student chose, or an empty string."""
    if q.response is None or q.response.answer is None:
        return ""
    return _tr(q.snapshot["options"][q.response.answer], lang)


def results_view(attempt: Attempt, lang: str, show_key: bool) -> dict[str, Any]:
    """Everything the results page shows: the score and each answer's correctness only once the
    attempt's feedback mode lets the student see them (`show_key`: quizapp.feedback's answer, asked
    by the view, which reads the questions only then); until then the page shows neither the
    questions nor the timeline, and neither is made.

    A row's texts in the questions' language (its prompt, the answer given, the right one) come
    marked with that language (quizapp.i18n.in_lang), ready to print."""
    score = attempt.score or 0.0
    view: dict[str, Any] = {
        "content_lang": lang,  # the questions' language, which may not be the page's
        "rows": [],
        "show_key": show_key,
        "score": score,
        "percent": 100.0 * score / attempt.max_score if attempt.max_score else 0.0,
        "timeline": None,
    }
    if not show_key:
        return view
    style = None  # the quiz's digits, read for the first question of the new types
    hijri = show_hijri(attempt.quiz.bank.show_hijri)  # asked once, not per event
    rows = view["rows"]
    words: ReviewWords | None = None  # made for the first ordering question
    events: dict[str, dict[str, Any]] = {}
    for q in attempt.questions:
        snap = q.snapshot
        qtype = snap["type"]
        response = q.response
        row: dict[str, Any] = {
            "number": q.position + 1,
            "type": qtype,
            "prompt": in_lang(_tr(snap["prompt"], lang), lang),
            "score": response.score if response else 0.0,
            "answered": response is not None,
        }
        if qtype == "mcq":
            row["answer"] = in_lang(mcq_answer_text(q, lang), lang)
            row["right"] = in_lang(_tr(snap["options"][snap["answer"]], lang), lang)
        elif qtype in NEW_TYPES:
            style = style or QuizSettings.of(attempt.quiz).style
            given = answer_text(snap, response.answer if response else None, lang, style)
            row["answer"] = in_lang(given, lang)
            row["right"] = in_lang(right_text(snap, lang, style), lang)
        else:
            words = words or ReviewWords()
            row["review"] = ordering_review(q, lang, words)
            row["right_items"] = [_tr(snap["items"][i], lang) for i in snap["answer"]]
        rows.append(row)
        for c in snap.get("context", []):
            if c.get("date") and c["id"] not in events:
                events[c["id"]] = {**c, "hijri": hijri_of(c["date"], lang, True) if hijri else ""}
    view["timeline"] = timeline(list(events.values()), lang)
    return view
