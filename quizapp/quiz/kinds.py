"""The quiz page of the types after Moodle's (multi, truefalse, numerical, shortanswer, matching):
what the question shows, and once answered its feedback, read from the attempt's snapshot."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from ..attempts import QuizSettings, option_token
from ..domain.scoring import matching_answer
from ..models import Attempt, AttemptQuestion
from ..ui.answers import accepted_numbers, accepted_texts, number_text, right_text, tr, truth_word
from .forms import KindForm, ShownForm


def kind_view(attempt: Attempt, q: AttemptQuestion, lang: str, show_key: bool) -> dict[str, Any]:
    """The parts of the question page particular to the new types (see question_view)."""
    snap = q.snapshot
    qtype = snap["type"]
    answered = q.response is not None
    chosen = q.response.answer if answered else None
    style = QuizSettings.of(attempt.quiz).style
    view: dict[str, Any] = {}
    if qtype == "multi":
        fractions = snap.get("fractions") or []
        view["options"] = [
            {
                "token": option_token(attempt, q.position, i),
                "text": tr(o, lang),
                "chosen": isinstance(chosen, list) and i in chosen,
                "right": show_key and i < len(fractions) and fractions[i] > 0,
                "penalty": show_key and i < len(fractions) and fractions[i] < 0,
            }
            for i, o in enumerate(snap["options"])
        ]
    elif qtype == "truefalse":
        view["options"] = [
            {"token": token, "text": truth_word(value), "chosen": chosen is value,
             "right": show_key and bool(snap["answer"]) is value}
            for token, value in (("true", True), ("false", False))
        ]  # fmt: skip
    elif qtype in ("numerical", "shortanswer"):
        numeric = qtype == "numerical"
        if answered:
            view["typed"] = number_text(chosen, lang, style) if numeric else str(chosen)
        if show_key:
            view["accepted"] = accepted_numbers(snap, lang, style) if numeric else accepted_texts(snap, lang)
            view["right"] = right_text(snap, lang, style)
            found = matching_answer(
                chosen, snap.get("answers") or [], numeric, bool(snap.get("case_sensitive"))
            )
            view["matched"] = found
            answers = snap.get("answers") or []
            if found is not None and answers[found].get("feedback"):  # the teacher's word on that answer
                view["answer_feedback"] = tr(answers[found]["feedback"], lang)
            for k, a in enumerate(view["accepted"]):
                a["matched"] = k == found
    elif qtype == "matching":
        items, options, key = snap["items"], snap["options"], snap["answer"]
        view["choices"] = [tr(o, lang) for o in options]
        view["stems"] = [
            {
                "token": option_token(attempt, q.position, k),
                "text": tr(it, lang),
                "chosen": chosen[k] if isinstance(chosen, list) and k < len(chosen) else None,
                "chosen_text": tr(options[chosen[k]], lang)
                if isinstance(chosen, list) and k < len(chosen) and chosen[k] is not None
                else "",
                "right_text": tr(options[key[k]], lang),
                "right": show_key and isinstance(chosen, list) and k < len(chosen) and chosen[k] == key[k],
            }
            for k, it in enumerate(items)
        ]
    view["help"] = help_text(qtype)
    return view


def help_text(qtype: str) -> str:
    """What the student is asked to do, under the prompt."""
    return {
        "multi": _("Choose every right answer: a wrong one can cost marks."),
        "truefalse": _("Is this statement true or false?"),
        "numerical": _("Type the number in digits (0-9 or ٠-٩)."),
        "shortanswer": _("Type a short answer."),
        "matching": _("Choose the matching answer for each item."),
    }.get(qtype, "")


def kind_form(attempt: Attempt, q: AttemptQuestion, view: dict, formdata=None) -> KindForm | ShownForm:  # type: ignore[no-untyped-def]
    """The question's answer form: the posted one, or on a page (no form data) a ShownForm filled
    with the stored answer, if any."""
    snap = q.snapshot
    qtype = snap["type"]
    if formdata is None:
        return _shown(q, view)
    tokens = {o["token"]: i for i, o in enumerate(view.get("options", []))} if qtype == "multi" else {}
    stems = [s["token"] for s in view.get("stems", [])]
    form = KindForm(formdata=formdata)
    form.setup(qtype, tokens, stems, len(view.get("choices", [])), formdata)
    if qtype == "truefalse":
        form.checked = {formdata.get("choice", "")}
    return form


def _shown(q: AttemptQuestion, view: dict) -> ShownForm:
    """A page's form: the stored answer's options ticked, its text typed, its matches chosen."""
    if q.response is None:
        return ShownForm()
    qtype = q.snapshot["type"]
    if qtype == "multi":
        return ShownForm(checked={o["token"] for o in view["options"] if o["chosen"]})
    if qtype == "truefalse":
        return ShownForm(checked={"true" if q.response.answer else "false"})
    if qtype in ("numerical", "shortanswer"):
        return ShownForm(typed=view.get("typed", ""))
    if qtype == "matching":
        return ShownForm(
            matched={s["token"]: str(s["chosen"] + 1) for s in view["stems"] if s["chosen"] is not None}
        )
    return ShownForm()
