"""The rules on a Bank, whatever format it came in: ids, one right answer, evidence found in the
source, certainty and narrative order, and the limits on its size. `validate_bank` needs only a
Bank, so the bank file reader, the Moodle importers and the teacher's forms all use it."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable

from .bank import FACT_KINDS, LANGS, QUESTION_TYPES, AuthoredQuestion, Bank, Event, Fact, Text
from .dates import CERTAINTIES, PROVENANCES
from .limits import over_limits
from .messages import N_, Choices
from .problems import FACT_KIND_NAMES, LANG_NAMES, Problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- the rules on a Bank --------------------------------------------------------------------------


def validate_bank(bank: Bank) -> list[Problem]:
    """The content problems of a bank (ids, answers, evidence, ...), with `where` but no line,
    and the limits on its size it passes (limits.py)."""
    out: list[Problem] = []

    def add(where: str, template: str, **params: object) -> None:
        out.append(Problem("", None, where, template, params))

    _check_slug(add, "slug", bank.slug, "slug")
    _check_text(add, "title", bank.title)
    _check_text(add, "description", bank.description)
    source_text = None
    if bank.source is not None:
        _check_text(add, "source.title", bank.source.title)
        if bank.source.lang not in LANGS:
            add("source.lang", N_('"%(value)s" is not a language: use ar or en'), value=bank.source.lang)
        if bank.source.text is not None:
            source_text = _squash(bank.source.text)

    seen: dict[str, str] = {}
    for i, event in enumerate(bank.events):
        _check_event(add, f"events[{i}]", event, seen, source_text)
    _check_dating(add, bank)

    seen = {}
    for i, question in enumerate(bank.questions):
        _check_question(add, f"questions[{i}]", question, seen, bank)
    for where, template, params in over_limits(bank):
        add(where, template, **params)
    return out


#: add(where, template, **params): records one problem.
_Add = Callable[..., None]


def _check_event(add: _Add, w: str, event: Event, seen: dict[str, str], source_text: str | None) -> None:
    _check_slug(add, f"{w}.id", event.id, "id")
    if event.id in seen:
        add(f"{w}.id", N_('duplicate event id "%(id)s" (also %(other)s)'), id=event.id, other=seen[event.id])
    elif event.id:
        seen[event.id] = w
    _check_text(add, f"{w}.title", event.title)
    _check_text(add, f"{w}.when", event.when)
    _check_text(add, f"{w}.description", event.description)
    _check_text(add, f"{w}.note", event.note)
    for field_name in ("actors", "places"):
        for k, text in enumerate(getattr(event, field_name)):
            _check_text(add, f"{w}.{field_name}[{k}]", text)
    for k, tag in enumerate(event.tags):
        if not tag.strip():
            add(f"{w}.tags[{k}]", N_("the tag is empty"))
    if source_text is not None:
        evidence = _squash(event.evidence)
        if not evidence:
            add(
                f"{w}.evidence",
                N_('event "%(id)s" has no evidence: quote the source\'s sentence'),
                id=event.id,
            )
        elif evidence not in source_text:
            _add_evidence_problem(add, f"{w}.evidence", event.id, evidence, source_text)
    for j, fact in enumerate(event.facts):
        _check_fact(add, f"{w}.facts[{j}]", fact)


def _add_evidence_problem(add: _Add, w: str, event_id: str, evidence: str, source_text: str) -> None:
    # The longest prefix found in the source shows where a copied sentence goes astray; a prefix
    # found implies every shorter one is, so a binary search needs only a few substring scans.
    lo, hi = 0, len(evidence)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if evidence[:mid] in source_text:
            lo = mid
        else:
            hi = mid - 1
    if lo >= 10:
        add(
            w,
            N_(
                'event "%(id)s": the evidence is not found in the source text; it follows the source '
                'up to "…%(excerpt)s", then differs'
            ),
            id=event_id,
            excerpt=evidence[max(0, lo - 30) : lo],
        )
    else:
        add(w, N_('event "%(id)s": the evidence is not found in the source text'), id=event_id)


def _check_fact(add: _Add, w: str, fact: Fact) -> None:
    _check_text(add, f"{w}.question", fact.question)
    if fact.kind not in FACT_KINDS:
        _not_one_of(
            add, f"{w}.kind", fact.kind, FACT_KINDS, "kinds",
            plain=N_('"%(value)s" is not a fact kind: use %(kinds)s'),
            hinted=N_('"%(value)s" is not a fact kind: use %(kinds)s (did you mean "%(close)s"?)'),
        )  # fmt: skip
        return
    if fact.kind == "how-many":
        if fact.number is None:
            add(f"{w}.number", N_("a how-many fact needs a number"))
        elif not _is_number(fact.number):
            add(f"{w}.number", N_("%(value)s is not a number"), value=repr(fact.number))
        if fact.answer is not None:
            add(f"{w}.answer", N_("a how-many fact takes a number, not an answer"))
        _check_text(add, f"{w}.unit", fact.unit)
        for k, d in enumerate(fact.distractors):
            dw = f"{w}.distractors[{k}]"
            if not _is_number(d):
                add(dw, N_("a how-many fact's distractors are numbers"))
            elif d == fact.number:
                add(dw, N_("%(value)s is the answer itself"), value=d)
            elif d in fact.distractors[:k]:
                add(dw, N_("%(value)s is given twice"), value=d)
        return
    kind = FACT_KIND_NAMES[fact.kind]
    if fact.answer is None:
        add(f"{w}.answer", N_("a %(kind)s fact needs an answer"), kind=kind)
    else:
        _check_text(add, f"{w}.answer", fact.answer)
    if fact.number is not None:
        add(f"{w}.number", N_("a %(kind)s fact takes an answer, not a number"), kind=kind)
    if fact.unit is not None:
        add(f"{w}.unit", N_("a %(kind)s fact has no unit"), kind=kind)
    texts: list[Text] = []
    for k, d in enumerate(fact.distractors):
        dw = f"{w}.distractors[{k}]"
        if not isinstance(d, Text):
            add(dw, N_("a %(kind)s fact's distractors are texts {ar: ..., en: ...}, not numbers"), kind=kind)
            continue
        _check_text(add, dw, d)
        if fact.answer is not None and (lang := _same_in(d, fact.answer)):
            add(
                dw,
                N_("the distractor is the answer itself (same %(language)s text)"),
                language=LANG_NAMES[lang],
            )
        else:
            _check_unique(add, dw, d, texts, f"{w}.distractors")
        texts.append(d)


def _check_question(add: _Add, w: str, q: AuthoredQuestion, seen: dict[str, str], bank: Bank) -> None:
    _check_slug(add, f"{w}.id", q.id, "id")
    if q.id in seen:
        add(f"{w}.id", N_('duplicate question id "%(id)s" (also %(other)s)'), id=q.id, other=seen[q.id])
    elif q.id:
        seen[q.id] = w
    _check_text(add, f"{w}.prompt", q.prompt)
    _check_text(add, f"{w}.explanation", q.explanation)
    if q.type == "mcq":
        if q.items:
            add(f"{w}.items", N_("a multiple-choice question has options, not items"))
        if len(q.options) < 2:
            add(
                f"{w}.options",
                N_("a multiple-choice question needs 2 options or more, it has %(count)s"),
                count=len(q.options),
            )
        elif q.answer is None or not 0 <= q.answer < len(q.options):
            add(f"{w}.options", N_("no option is marked correct: mark exactly one (correct: true)"))
        _check_list(add, f"{w}.options", q.options)
    elif q.type == "ordering":
        if q.options:
            add(f"{w}.options", N_("an ordering question has items, not options"))
        if len(q.items) < 2:
            add(
                f"{w}.items",
                N_("an ordering question needs at least 2 items, it has %(count)s"),
                count=len(q.items),
            )
        _check_list(add, f"{w}.items", q.items)
    elif q.type in _NEW_TYPES:
        _check_new_type(add, w, q)
    else:
        _not_one_of(
            add, f"{w}.type", q.type, QUESTION_TYPES, "types",
            plain=N_('"%(value)s" is not a question type: use %(types)s'),
            hinted=N_('"%(value)s" is not a question type: use %(types)s (did you mean "%(close)s"?)'),
        )  # fmt: skip
    ids = [e.id for e in bank.events]
    for k, ref in enumerate(q.events):
        if ref in ids:
            continue
        if close := closest(ref, ids):
            add(
                f"{w}.events[{k}]",
                N_('unknown event "%(id)s" (did you mean "%(close)s"?)'),
                id=ref,
                close=close,
            )
        else:
            add(f"{w}.events[{k}]", N_('unknown event "%(id)s"'), id=ref)


_NEW_TYPES = ("multi", "truefalse", "numerical", "shortanswer", "matching")
#: How far the positive fractions of a multi question may stray from 100% (Moodle's 83.33333 + 16.66667).
_FRACTION_SLACK = 0.001


def _check_new_type(add: _Add, w: str, q: AuthoredQuestion) -> None:
    """multi, truefalse, numerical, shortanswer and matching: the fields each needs (Moodle's rules)."""
    if q.type != "multi" and q.options:
        add(f"{w}.options", N_("this type of question has no options"))
    if q.items:
        add(f"{w}.items", N_("only an ordering question has items"))
    if q.type == "multi":
        if len(q.options) < 2:
            add(
                f"{w}.options",
                N_("a multiple-choice question needs 2 options or more, it has %(count)s"),
                count=len(q.options),
            )
        _check_list(add, f"{w}.options", q.options)
        for k, f in enumerate(q.fractions):
            if not _is_number(f) or not -1 <= f <= 1:
                add(
                    f"{w}.options[{k}].fraction",
                    N_("a fraction lies between -1 and 1, not %(value)s"),
                    value=f,
                )
        positive = sum(f for f in q.fractions if _is_number(f) and f > 0)
        if abs(positive - 1) > _FRACTION_SLACK:
            add(
                f"{w}.options",
                N_("the positive fractions add up to %(total)s: they must add up to 1"),
                total=round(positive, 4),
            )
    elif q.type == "truefalse":
        if q.correct is None:
            add(f"{w}.correct", N_("say whether the statement is true: correct: true or correct: false"))
    elif q.type in ("numerical", "shortanswer"):
        if not q.answers:
            add(f"{w}.answers", N_("give at least one accepted answer"))
        for k, a in enumerate(q.answers):
            aw = f"{w}.answers[{k}]"
            if not _is_number(a.fraction) or not 0 <= a.fraction <= 1:
                add(f"{aw}.fraction", N_("a fraction lies between 0 and 1, not %(value)s"), value=a.fraction)
            if q.type == "numerical":
                if not _is_number(a.value):
                    add(f"{aw}.value", N_("a numerical answer needs a number"))
                if not _is_number(a.tolerance) or a.tolerance < 0:
                    add(f"{aw}.tolerance", N_("a tolerance is a number of 0 or more"))
            elif a.text is None or not (a.text.ar.strip() or a.text.en.strip()):
                add(f"{aw}.text", N_("an accepted answer needs a text in at least one language"))
        if q.answers and not any(_is_number(a.fraction) and a.fraction >= 1 for a in q.answers):
            add(f"{w}.answers", N_("no accepted answer earns full credit (fraction: 1)"))
    elif q.type == "matching":
        stems = [p.left for p in q.pairs if p.left is not None]
        if len(stems) < 2:
            add(
                f"{w}.pairs",
                N_("a matching question needs 2 pairs or more, it has %(count)s"),
                count=len(stems),
            )
        for k, p in enumerate(q.pairs):
            if p.left is not None:
                _check_text(add, f"{w}.pairs[{k}].left", p.left)
                earlier = [e.left for e in q.pairs[:k] if e.left is not None]
                _check_unique(add, f"{w}.pairs[{k}].left", p.left, earlier, f"{w}.pairs")
            _check_text(add, f"{w}.pairs[{k}].right", p.right)


def _check_list(add: _Add, w: str, texts: tuple[Text, ...]) -> None:
    for k, text in enumerate(texts):
        _check_text(add, f"{w}[{k}]", text)
        _check_unique(add, f"{w}[{k}]", text, texts[:k], w)


def _check_unique(add: _Add, w: str, text: Text, earlier: list[Text] | tuple[Text, ...], listw: str) -> None:
    for m, other in enumerate(earlier):
        if lang := _same_in(text, other):
            add(
                w,
                N_("the same %(language)s text as %(other)s"),
                language=LANG_NAMES[lang],
                other=f"{listw}[{m}]",
            )
            return


def _check_text(add: _Add, w: str, text: Text | None) -> None:
    if text is None:
        return
    for lang in text.missing():
        add(f"{w}.{lang}", N_("the %(language)s text is empty"), language=LANG_NAMES[lang])


#: What is wrong with an id or a slug: (empty, not valid, not valid with an example of a valid one).
_SLUG_MESSAGES = {
    "id": (
        N_("the id is empty"),
        N_('"%(value)s" is not a valid id: use lower-case letters, digits and hyphens'),
        N_('"%(value)s" is not a valid id: use lower-case letters, digits and hyphens (e.g. "%(example)s")'),
    ),
    "slug": (
        N_("the slug is empty"),
        N_('"%(value)s" is not a valid slug: use lower-case letters, digits and hyphens'),
        N_(
            '"%(value)s" is not a valid slug: use lower-case letters, digits and hyphens (e.g. "%(example)s")'
        ),
    ),
}


def _check_slug(add: _Add, w: str, value: str, what: str) -> None:
    empty, invalid, invalid_example = _SLUG_MESSAGES[what]
    if not value:
        add(w, empty)
    elif not SLUG_RE.match(value):
        example = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        if example:
            add(w, invalid_example, value=value, example=example)
        else:
            add(w, invalid, value=value)


def _same_in(a: Text, b: Text) -> str | None:
    """The first language in which two texts read the same, ignoring case and spacing."""
    for lang in LANGS:
        x = _squash(a.get(lang)).casefold()
        if x and x == _squash(b.get(lang)).casefold():
            return lang
    return None


def _squash(text: str) -> str:
    """Text compared as a reader sees it: NFC, runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _not_one_of(
    add: _Add, where: str, value: str, allowed: tuple[str, ...], name: str, *, plain: str, hinted: str
) -> None:
    """A value outside its allowed list: `plain` names the list (as the parameter `name`), `hinted`
    also the allowed value it most likely meant, when one is close."""
    params = {"value": value, name: Choices(allowed)}
    if close := closest(value, allowed):
        add(where, hinted, **params, close=close)
    else:
        add(where, plain, **params)


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The choice a misspelt word most likely meant, if any is close."""
    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None


# --- certainty, provenance and narrative order ---------------------------------------------------


def _check_dating(add: _Add, bank: Bank) -> None:
    """Each event's certainty, margin, end and provenance, and its `after` list: known events,
    no contradiction with the dates (through chains of `after` too), no cycle."""
    ids = [e.id for e in bank.events]
    index = {e.id: i for i, e in enumerate(bank.events)}
    for i, event in enumerate(bank.events):
        w = f"events[{i}]"
        if event.certainty not in CERTAINTIES:
            _not_one_of(
                add, f"{w}.certainty", event.certainty, CERTAINTIES, "certainties",
                plain=N_('"%(value)s" is not a certainty: use %(certainties)s'),
                hinted=N_('"%(value)s" is not a certainty: use %(certainties)s (did you mean "%(close)s"?)'),
            )  # fmt: skip
        if event.certainty == "between" and event.end is None:
            add(f"{w}.end", N_('a "between" date needs an end (end: YYYY, YYYY-MM or YYYY-MM-DD)'))
        elif event.certainty != "between" and event.end is not None:
            add(f"{w}.end", N_('only a "between" date has an end (certainty: between)'))
        elif event.end is not None and not event.date.before(event.end):
            add(
                f"{w}.end",
                N_("the end %(end)s does not come after the date %(date)s"),
                end=event.end.iso(),
                date=event.date.iso(),
            )
        margin = event.margin
        if event.certainty == "about" and margin is None:
            add(f"{w}.margin", N_('an "about" date needs a margin in years (margin: 5)'))
        elif event.certainty != "about" and margin is not None:
            add(f"{w}.margin", N_('only an "about" date has a margin (certainty: about)'))
        elif margin is not None and (not isinstance(margin, int) or isinstance(margin, bool) or margin < 1):
            add(
                f"{w}.margin",
                N_("the margin is a whole number of years, 1 or more, not %(value)s"),
                value=margin,
            )
        if event.provenance not in PROVENANCES:
            _not_one_of(
                add, f"{w}.provenance", event.provenance, PROVENANCES, "provenances",
                plain=N_('"%(value)s" is not a provenance: use %(provenances)s'),
                hinted=N_('"%(value)s" is not a provenance: use %(provenances)s (did you mean "%(close)s"?)'),
            )  # fmt: skip
        elif event.provenance == "outside" and event.note is None:
            add(
                f"{w}.note",
                N_('event "%(id)s": a date from outside the source needs a note saying where it comes from'),
                id=event.id,
            )
        for k, ref in enumerate(event.after):
            aw = f"{w}.after[{k}]"
            if ref == event.id:
                add(aw, N_("an event cannot come after itself"))
            elif ref not in index:
                if close := closest(ref, ids):
                    add(aw, N_('unknown event "%(id)s" (did you mean "%(close)s"?)'), id=ref, close=close)
                else:
                    add(aw, N_('unknown event "%(id)s"'), id=ref)
            elif ref in event.after[:k]:
                add(aw, N_('"%(id)s" is named twice'), id=ref)
    _check_order(add, bank, index)


def _check_order(add: _Add, bank: Bank, index: dict[str, int]) -> None:
    """Cycles in `after`, and events put after one whose date begins after theirs ends."""
    chron = bank.chronology
    cyclic: set[str] = set()
    for node, pred, loop in chron.cycles:
        if not cyclic.intersection(loop):
            i = index[node]
            add(
                f"events[{i}].after[{bank.events[i].after.index(pred)}]",
                N_("the events come after one another in a circle: %(cycle)s"),
                cycle=" → ".join(loop),
            )
        cyclic.update(loop)
    # The earliest each event may begin, given the chains before it, and the event that says so.
    starts = {e.id: (e.dating.span.start, e.id) for e in bank.events}
    for i in chron.order:  # every event after those it follows
        if i in cyclic:
            continue
        event = bank.events[index[i]]
        own_end = event.dating.span.end
        for k, p in enumerate(event.after):
            if p not in starts or p in cyclic or p == i:
                continue
            begin, origin = starts[p]
            if begin > own_end:
                add(
                    f"events[{index[i]}].after[{k}]",
                    N_('comes after "%(id)s", whose date %(other)s begins after this date %(date)s ends'),
                    id=origin,
                    other=bank.event(origin).date.iso(),
                    date=event.date.iso(),
                )
            elif begin > starts[i][0]:
                starts[i] = (begin, origin)
