"""A bank's content: adding, editing and deleting its events and hand-written questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..banks import to_domain
from ..domain import bank as domain
from ..i18n import current_lang
from ..models import Bank
from . import services as svc
from .blueprint import bp
from .event_forms import EventForm
from .forms import ButtonForm
from .lookup import find_bank
from .problems import problem_text, show_problems
from .question_forms import QuestionForm


def _version(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- events ----------------------------------------------------------------------------------------


@bp.route("/banks/<int:bank_id>/events/new", methods=["GET", "POST"])
def new_event(bank_id: int):  # type: ignore[no-untyped-def]
    """Add an event to a bank."""
    return _event_page(find_bank(bank_id, edit=True), None)


@bp.route("/banks/<int:bank_id>/events/<key>/edit", methods=["GET", "POST"])
def edit_event(bank_id: int, key: str):  # type: ignore[no-untyped-def]
    """Edit an event. :raise 404: for an unknown event."""
    return _event_page(find_bank(bank_id, edit=True), key)


def _event_page(row: Bank, key: str | None):  # type: ignore[no-untyped-def]
    dbank = to_domain(row)
    event = None
    if key is not None:
        try:
            event = dbank.event(key)
        except KeyError:
            abort(404)
    form = EventForm.of(event, row.version) if request.method == "GET" else EventForm()
    form.offer_events(dbank.events, key, current_lang())
    errors: list[str] = []
    if form.validate_on_submit():
        new = form.to_event({e.id for e in dbank.events if e.id != key})
        failed = _save(form, row, lambda version: svc.save_event(row, key, new, version=version))
        if failed is None:
            flash(_("The event is saved."), "success")
            return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="events"))
        errors = failed
    status = 422 if form.is_submitted() else 200
    source_lang = dbank.source.lang if dbank.source else ""  # the evidence's language
    return (
        render_template(
            "teacher/event_form.html", form=form, row=row, key=key, errors=errors, source_lang=source_lang
        ),
        status,
    )


def _save(form: Any, row: Bank, save: Callable[[int | None], object]) -> list[str] | None:
    """Save an event or question form through `save(version)`: None once saved, else the errors to
    show above the form (problems that belong to a field are put next to it instead).

    A bank changed since the form was opened asks to check and save again (the form now carries the
    new version); the bank's own rules put each problem next to its field.
    """
    try:
        save(_version(form.version.data))
    except svc.Stale:
        form.version.data = str(row.version)
        return [_stale()]
    except svc.Invalid as err:
        return show_problems(form, err.problems, err.prefix)
    return None


def _stale() -> str:
    return _("The bank changed since you opened this page. Check the form, then save again to overwrite.")


@bp.route("/banks/<int:bank_id>/events/<key>/delete", methods=["GET", "POST"])
def delete_event(bank_id: int, key: str):  # type: ignore[no-untyped-def]
    """Remove an event (and its mention in hand-written questions), after a page that asks first
    (GET). :raise 404: for an unknown event."""
    row = find_bank(bank_id, edit=True)
    if request.method == "GET":
        try:
            event = to_domain(row).event(key)
        except KeyError:
            abort(404)
        return render_template(
            "confirm.html",
            heading=_("Delete this event?"),
            subject=event.title.get(current_lang()),
            text=_("It leaves the bank and the questions that name it; past attempts keep their answers."),
            action=url_for("teacher.delete_event", bank_id=row.id, key=key),
            fields={},
            button=_("Delete"),
            cancel=url_for("teacher.bank", bank_id=row.id, _anchor="events"),
            form=ButtonForm(),
        )
    try:
        svc.delete_event(row, key)
    except KeyError:
        abort(404)
    except svc.Invalid as err:
        for p in err.problems:
            flash(problem_text(p), "danger")
    else:
        flash(_("The event is deleted."), "success")
    return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="events"))


# --- hand-written questions ------------------------------------------------------------------------


@bp.route("/banks/<int:bank_id>/questions/new/<qtype>", methods=["GET", "POST"])
def new_question(bank_id: int, qtype: str):  # type: ignore[no-untyped-def]
    """Write a hand-written question of a type (bank.QUESTION_TYPES). :raise 404: for another type."""
    if qtype not in domain.QUESTION_TYPES:
        abort(404)
    return _question_page(find_bank(bank_id, edit=True), None, qtype)


@bp.route("/banks/<int:bank_id>/questions/<key>/edit", methods=["GET", "POST"])
def edit_question(bank_id: int, key: str):  # type: ignore[no-untyped-def]
    """Edit a hand-written question. :raise 404: for an unknown question."""
    row = find_bank(bank_id, edit=True)
    try:
        question = svc.find_question(row, key)
    except KeyError:
        abort(404)
    return _question_page(row, question, question.type)


def _question_page(row: Bank, question: domain.AuthoredQuestion | None, qtype: str):  # type: ignore[no-untyped-def]
    dbank = to_domain(row)
    lang = current_lang()
    choices = [(e.id, e.title.get(lang)) for e in dbank.events]
    if request.method == "GET":
        data = QuestionForm.of(question, row.version) if question else {"version": str(row.version)}
        form = QuestionForm(data=data).setup(qtype, choices)
    else:
        form = QuestionForm().setup(qtype, choices)
    key = question.id if question else None
    errors: list[str] = []
    if form.validate_on_submit():
        new = form.to_question({q.id for q in dbank.questions if q.id != key})
        failed = _save(form, row, lambda version: svc.save_question(row, key, new, version=version))
        if failed is None:
            flash(_("The question is saved."), "success")
            return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="questions"))
        errors = failed
    status = 422 if form.is_submitted() else 200
    return (
        render_template(
            "teacher/question_form.html", form=form, row=row, key=key, qtype=qtype, errors=errors
        ),
        status,
    )


@bp.post("/banks/<int:bank_id>/questions/<key>/delete")
def delete_question(bank_id: int, key: str):  # type: ignore[no-untyped-def]
    """Remove a hand-written question. :raise 404: for an unknown question."""
    row = find_bank(bank_id, edit=True)
    try:
        svc.delete_question(row, key)
    except KeyError:
        abort(404)
    flash(_("The question is deleted."), "success")
    return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="questions"))
