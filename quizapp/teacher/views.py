"""The teacher's pages about banks: the list of banks, a new or uploaded bank, one bank with its
warnings and timeline, its settings, and a preview of the questions it generates.

The blueprint's before_request lets in teachers and admins only; who may see or edit which bank or
quiz is decided once, in lookup.py (403 for someone else's, 404 for what does not exist). Views
read the form, call quizapp.teacher.services, then flash, redirect or render. The other pages of
the blueprint are content_views (events and questions), file_views (bank and Moodle files),
quiz_views (quizzes), classes_views, extract_views and print_views.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import reads
from ..banks import to_domain
from ..domain import bank as domain
from ..domain.bankcheck import BankWarning, bank_warnings
from ..domain.dates import format_dating
from ..domain.generate import ALL_KINDS, Kind, Settings, generate_quiz
from ..domain.problems import BankFileError
from ..domain.validate import SLUG_RE
from ..i18n import current_lang, language_name, number_style
from ..models import Bank
from ..ui.answers import NEW_TYPES, right_text
from ..ui.charts import timeline
from ..ui.kept import Printed, kept_part
from . import services as svc
from .blueprint import bp
from .forms import BankForm, ButtonForm, MoodleExportForm, NewBankForm, UploadForm
from .lookup import find_bank, the_user, view_bank
from .problems import problem_line, problem_text, show_problems

PREVIEW_COUNT = 20


# --- the list of banks -----------------------------------------------------------------------------


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """The teacher's banks (own and published; all for admins) and quizzes."""
    return _index_page(UploadForm())


def _index_page(upload: UploadForm, problems: list[str] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    user = the_user()
    banks = svc.visible_banks(user)
    quizzes = svc.own_quizzes(user)
    return (
        render_template(
            "teacher/index.html",
            banks=banks,
            editable={b.id for b in banks if svc.may_edit(user, b)},
            quizzes=quizzes,
            counts=svc.attempt_counts([q.id for q in quizzes]),
            upload=upload,
            problems=problems or [],
            button=ButtonForm(),
        ),
        status,
    )


@bp.route("/banks/new", methods=["GET", "POST"])
def new_bank():  # type: ignore[no-untyped-def]
    """Create an empty bank, unpublished, owned by the teacher."""
    form = NewBankForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            row = svc.create_bank(the_user(), form.slug.data, form.title(), form.description())
        except svc.SlugTaken:
            form.slug.errors.append(_("Another bank already has this short name."))
        except svc.Invalid as err:
            errors = show_problems(form, err.problems, "")
        else:
            flash(_("The bank is created. Add its events."), "success")
            return redirect(url_for("teacher.bank", bank_id=row.id))
    status = 422 if form.is_submitted() else 200
    return render_template("teacher/bank_form.html", form=form, row=None, errors=errors), status


@bp.post("/banks/upload")
def upload_bank():  # type: ignore[no-untyped-def]
    """Create or replace a bank from a YAML file: every problem by line, nothing saved unless valid."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _index_page(form, status=422)
    file = form.file.data
    source = form.source.data.read() if form.source.data else None
    try:
        row = svc.upload_bank(the_user(), file.filename or "bank.yaml", file.read(), source)
    except BankFileError as err:
        return _index_page(form, [problem_line(p) for p in err.problems], 422)
    except svc.SlugTaken as err:
        form.file.errors.append(
            _("The bank %(slug)s belongs to someone else: change the slug in the file.", slug=err)
        )
        return _index_page(form, status=422)
    except svc.Invalid as err:  # pragma: no cover - parse_bank already ran validate_bank
        return _index_page(form, [problem_text(p) for p in err.problems], 422)
    flash(_("The bank %(title)s is saved from the file.", title=row.title(current_lang())), "success")
    return redirect(url_for("teacher.bank", bank_id=row.id))


# --- one bank --------------------------------------------------------------------------------------


def warning_text(w: BankWarning, bank: domain.Bank, lang: str) -> str:
    """A warning of bankcheck in the teacher's language."""

    def title(event_id: str) -> str:
        return bank.event(event_id).title.get(lang)

    p = w.params
    if w.code == "missing-language":
        fields = {
            "title": _("title"),
            "description": _("description"),
            "note": _("note"),
            "actors": _("people"),
            "places": _("places"),
            "facts": _("facts"),
        }
        return _(
            "%(event)s: the %(language)s text of its %(field)s is missing or not in %(language)s.",
            event=title(p["event"]),
            language=language_name(p["lang"]),
            field=fields.get(p["field"], p["field"]),
        )
    if w.code == "same-date":
        listed = "، ".join if lang == "ar" else "; ".join
        events = listed(f"{title(e)} ({format_dating(bank.event(e).dating, lang)})" for e in p["events"])
        return _(
            "These events overlap in time, so they are never ordered together: %(events)s.", events=events
        )
    if w.code == "few-events-for-ordering":
        return ngettext(
            "Only %(num)s event lies apart in time from the others; ordering questions need %(need)s.",
            "Only %(num)s events lie apart in time from each other; ordering questions need %(need)s.",
            p["have"],
            need=p["need"],
        )
    if w.code == "few-distractors":
        if p["usable"]:
            return _(
                "%(event)s, fact %(fact)s: only %(have)s of %(need)s wrong answers are written.",
                event=title(p["event"]),
                fact=p["fact"],
                have=p["have"],
                need=p["need"],
            )
        return _(
            "%(event)s, fact %(fact)s: too few wrong answers (%(have)s of %(need)s), so it is never asked.",
            event=title(p["event"]),
            fact=p["fact"],
            have=p["have"],
            need=p["need"],
        )
    return w.code  # pragma: no cover - every code is handled above


def events_timeline(bank: domain.Bank, lang: str) -> dict[str, Any] | None:
    """The bank's events on the quiz pages' timeline."""
    items = [
        {
            "id": e.id,
            "date": e.date.iso(),
            "title": e.title.to_dict(),
            "date_text": {lg: format_dating(e.dating, lg) for lg in ("ar", "en")},
        }
        for e in bank.events
    ]
    return timeline(items, lang)


@bp.get("/banks/<int:bank_id>")
def bank(bank_id: int):  # type: ignore[no-untyped-def]
    """A bank: its events, what to act on, its timeline, its questions and quizzes."""
    user = the_user()
    reads.ahead(reads.get_read(Bank, bank_id), svc.bank_quizzes_read(user, bank_id))  # one round trip
    row = view_bank(bank_id)
    lang = current_lang()
    dbank = to_domain(row)
    can_edit = svc.may_edit(user, row)
    return render_template(
        "teacher/bank.html",
        row=row,
        bank=dbank,
        can_edit=can_edit,
        body=bank_body(row.id, dbank, lang, can_edit),
        new_question_urls=UrlPattern("teacher.new_question", "qtype", bank_id=row.id),
        edit_question_urls=UrlPattern("teacher.edit_question", "key", bank_id=row.id),
        delete_question_urls=UrlPattern("teacher.delete_question", "key", bank_id=row.id),
        quizzes=svc.bank_quizzes(user, row),
        button=ButtonForm(),
    )


#: The template of the part of a bank's page kept with the parsed bank (see bank_body).
BANK_BODY = "teacher/_bank_body.html"
#: How many renderings of it a parsed bank keeps (languages, editors or not, URL prefixes).
BANK_BODY_KEPT = 8


def bank_body(bank_id: int, bank: domain.Bank, lang: str, can_edit: bool) -> Printed:
    """The Moodle form, what to act on, the events and their timeline of a bank's page: the part that
    follows from the bank's version alone, rendered once for each language, number style, editor or
    not and URL prefix, and kept with the parsed bank (a new version is a new parse). Its dates,
    warnings, timeline, form and links cost more than the rest of the page together.

    The URL of the page's Moodle export is part of the key: whatever changes a URL the part writes (a
    prefix the site is served under) changes it too. Kept as every kept part is (quizapp.ui.kept).
    """
    key = (bank_id, lang, number_style(), can_edit, url_for("teacher.export_moodle", bank_id=bank_id))
    store: dict[tuple, Any] = bank.derived("teacher.bank_body", lambda _bank: {})
    return kept_part(
        store,
        BANK_BODY,
        key,
        BANK_BODY_KEPT,
        lambda: {
            "bank_id": bank_id,
            "bank": bank,
            "can_edit": can_edit,
            "dates": {e.id: format_dating(e.dating, lang) for e in bank.events},
            "warnings": [(w, warning_text(w, bank, lang)) for w in bank_warnings(bank)],
            "timeline": events_timeline(bank, lang),
            "moodle": MoodleExportForm(formdata=None).setup(),
        },
    )


class UrlPattern:
    """`url_for(endpoint, **values, <name>=value)` for many values of one argument, built once with
    url_for and then written around each value (a page's links to each of its questions). A value
    that is not a slug, which a URL might write otherwise (quoted), goes through url_for itself."""

    PLACEHOLDER = "url-pattern-value"

    def __init__(self, endpoint: str, name: str, **values: Any) -> None:
        self.endpoint, self.name, self.values = endpoint, name, values
        self.around: tuple[str, str] | None = None  # built at the first call: a page may make none

    def __call__(self, value: str) -> str:
        if not SLUG_RE.match(value):
            return url_for(self.endpoint, **self.values, **{self.name: value})
        if self.around is None:
            url = url_for(self.endpoint, **self.values, **{self.name: self.PLACEHOLDER})
            head, _sep, tail = url.rpartition(self.PLACEHOLDER)
            self.around = (head, tail)
        return f"{self.around[0]}{value}{self.around[1]}"


@bp.route("/banks/<int:bank_id>/edit", methods=["GET", "POST"])
def edit_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Change a bank's title and description. :raise 403: :raise 404:"""
    row = find_bank(bank_id, edit=True)
    dbank = to_domain(row)
    if request.method == "GET":
        desc = dbank.description or domain.Text("", "")
        form = BankForm(
            data={
                "title_ar": dbank.title.ar,
                "title_en": dbank.title.en,
                "description_ar": desc.ar,
                "description_en": desc.en,
            }
        )
    else:
        form = BankForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            svc.update_bank(row, form.title(), form.description())
        except svc.Invalid as err:
            errors = show_problems(form, err.problems, "")
        else:
            flash(_("The bank is saved."), "success")
            return redirect(url_for("teacher.bank", bank_id=row.id))
    status = 422 if form.is_submitted() else 200
    return render_template("teacher/bank_form.html", form=form, row=row, errors=errors), status


@bp.post("/banks/<int:bank_id>/duplicate")
def duplicate_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Copy a bank the teacher can see into a new bank of their own."""
    row = find_bank(bank_id)
    copy = svc.duplicate_bank(row, the_user())
    flash(_("This is your copy of the bank: edit it as you like."), "success")
    return redirect(url_for("teacher.bank", bank_id=copy.id))


@bp.post("/banks/<int:bank_id>/publish")
def publish_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Publish a bank: students may practise it and teachers set quizzes from it."""
    svc.set_published(find_bank(bank_id, edit=True), True)
    flash(_("The bank is published."), "success")
    return redirect(url_for("teacher.bank", bank_id=bank_id))


@bp.post("/banks/<int:bank_id>/unpublish")
def unpublish_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Take a bank back: only its owner and admins see it."""
    svc.set_published(find_bank(bank_id, edit=True), False)
    flash(_("The bank is no longer published."), "success")
    return redirect(url_for("teacher.bank", bank_id=bank_id))


@bp.post("/banks/<int:bank_id>/hijri/<state>")
def bank_hijri(bank_id: int, state: str):  # type: ignore[no-untyped-def]
    """Turn the bank's Hijri dates on or off. :raise 404: for another state."""
    if state not in ("on", "off"):
        abort(404)
    on = state == "on"
    svc.set_hijri(find_bank(bank_id, edit=True), on)
    flash(_("Hijri dates are shown with this bank.") if on else _("Hijri dates are hidden."), "success")
    return redirect(url_for("teacher.bank", bank_id=bank_id))


@bp.route("/banks/<int:bank_id>/delete", methods=["GET", "POST"])
def delete_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Ask, then delete a bank; its past attempts and scores are kept."""
    row = find_bank(bank_id, edit=True)
    form = ButtonForm()
    if form.validate_on_submit():
        svc.delete_bank(row)
        flash(_("The bank is deleted. Past attempts and their scores are kept."), "success")
        return redirect(url_for("teacher.index"))
    return render_template("teacher/delete_bank.html", row=row, form=form)


@bp.get("/banks/<int:bank_id>/preview")
def preview(bank_id: int):  # type: ignore[no-untyped-def]
    """The questions the bank generates from a seed, Arabic and English side by side."""
    row = find_bank(bank_id)
    seed = (request.args.get("seed") or "1").strip()[:64] or "1"
    dbank = to_domain(row)
    generated = generate_quiz(dbank, seed, Settings(count=PREVIEW_COUNT))
    lang = current_lang()
    skipped = [Kind.registry[k].label.get(lang) for k in ALL_KINDS if k in generated.skipped]
    return render_template(
        "teacher/preview.html",
        row=row,
        seed=seed,
        questions=generated.questions,
        skipped=skipped,
        new_types=NEW_TYPES,
        key_text=lambda q, lg: right_text(q.to_dict(), lg),
    )
