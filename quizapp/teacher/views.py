"""The teacher's pages: banks, their events and hand-written questions, bank files, and quizzes.

The blueprint's before_request lets in teachers and admins only; who may edit which bank or quiz is
decided here, once, by `_bank` and `_quiz` (403 for someone else's, 404 for what does not exist).
Views read the form, call quizapp.teacher.services, then flash, redirect or render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from .. import classes
from ..attempts import QuizSettings
from ..banks import to_domain
from ..domain import bank as domain
from ..domain.bankcheck import BankWarning, bank_warnings
from ..domain.bankfile import WHERE_FILE, WHERE_ROOT, WHERE_YAML, BankFileError, Problem, dump_bank
from ..domain.dates import format_dating
from ..domain.generate import KINDS, Kind, Settings, available_kinds, generate_quiz
from ..extensions import db
from ..formtools import as_code
from ..i18n import current_lang, language_name
from ..models import Bank, Quiz, User, utcnow
from ..quiz.present import timeline
from . import bp
from . import services as svc
from .forms import (
    BankForm,
    ButtonForm,
    EventForm,
    MoodleExportForm,
    MoodleImportForm,
    NewBankForm,
    QuestionForm,
    QuizForm,
    ReleaseForm,
    UploadForm,
    problem_text,
    show_problems,
)

PREVIEW_COUNT = 20
#: The most warnings an import flashes one by one (the rest are counted).
MAX_WARNINGS_SHOWN = 8


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _bank(bank_id: int, edit: bool = False) -> Bank:
    """A bank the user may see (or edit). :raise 404: when there is none. :raise 403: when not theirs."""
    row = db.session.get(Bank, bank_id)
    if row is None or row.deleted:
        abort(404)
    allowed = svc.may_edit if edit else svc.may_view
    if not allowed(_user(), row):
        abort(403)
    return row


def _quiz(quiz_id: int) -> Quiz:
    """A quiz of the user's. :raise 404: when there is none. :raise 403: when it is someone else's."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.practice:
        abort(404)
    if not svc.may_edit_quiz(_user(), quiz):
        abort(403)
    return quiz


def _version(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- the list of banks -----------------------------------------------------------------------------


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """The teacher's banks (own and published; all for admins) and quizzes."""
    return _index_page(UploadForm())


def _index_page(upload: UploadForm, problems: list[str] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    user = _user()
    banks = svc.visible_banks(user)
    return (
        render_template(
            "teacher/index.html",
            banks=banks,
            editable={b.id for b in banks if svc.may_edit(user, b)},
            quizzes=svc.own_quizzes(user),
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
            row = svc.create_bank(_user(), form.slug.data, form.title(), form.description())
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
        row = svc.upload_bank(_user(), file.filename or "bank.yaml", file.read(), source)
    except BankFileError as err:
        return _index_page(form, [_problem_line(p) for p in err.problems], 422)
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
    row = _bank(bank_id)
    user = _user()
    lang = current_lang()
    dbank = to_domain(row)
    return render_template(
        "teacher/bank.html",
        row=row,
        bank=dbank,
        can_edit=svc.may_edit(user, row),
        dates={e.id: format_dating(e.dating, lang) for e in dbank.events},
        warnings=[(w, warning_text(w, dbank, lang)) for w in bank_warnings(dbank)],
        timeline=events_timeline(dbank, lang),
        quizzes=svc.bank_quizzes(user, row),
        button=ButtonForm(),
        moodle=MoodleExportForm(formdata=None).setup(),
    )


@bp.route("/banks/<int:bank_id>/edit", methods=["GET", "POST"])
def edit_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Change a bank's title and description. :raise 403: :raise 404:"""
    row = _bank(bank_id, edit=True)
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
    row = _bank(bank_id)
    copy = svc.duplicate_bank(row, _user())
    flash(_("This is your copy of the bank: edit it as you like."), "success")
    return redirect(url_for("teacher.bank", bank_id=copy.id))


@bp.post("/banks/<int:bank_id>/publish")
def publish_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Publish a bank: students may practise it and teachers set quizzes from it."""
    svc.set_published(_bank(bank_id, edit=True), True)
    flash(_("The bank is published."), "success")
    return redirect(url_for("teacher.bank", bank_id=bank_id))


@bp.post("/banks/<int:bank_id>/unpublish")
def unpublish_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Take a bank back: only its owner and admins see it."""
    svc.set_published(_bank(bank_id, edit=True), False)
    flash(_("The bank is no longer published."), "success")
    return redirect(url_for("teacher.bank", bank_id=bank_id))


@bp.post("/banks/<int:bank_id>/hijri/<state>")
def bank_hijri(bank_id: int, state: str):  # type: ignore[no-untyped-def]
    """Turn the bank's Hijri dates on or off. :raise 404: for another state."""
    if state not in ("on", "off"):
        abort(404)
    on = state == "on"
    svc.set_hijri(_bank(bank_id, edit=True), on)
    flash(_("Hijri dates are shown with this bank.") if on else _("Hijri dates are hidden."), "success")
    return redirect(url_for("teacher.bank", bank_id=bank_id))


@bp.route("/banks/<int:bank_id>/delete", methods=["GET", "POST"])
def delete_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """Ask, then delete a bank; its past attempts and scores are kept."""
    row = _bank(bank_id, edit=True)
    form = ButtonForm()
    if form.validate_on_submit():
        svc.delete_bank(row)
        flash(_("The bank is deleted. Past attempts and their scores are kept."), "success")
        return redirect(url_for("teacher.index"))
    return render_template("teacher/delete_bank.html", row=row, form=form)


@bp.get("/banks/<int:bank_id>/preview")
def preview(bank_id: int):  # type: ignore[no-untyped-def]
    """The questions the bank generates from a seed, Arabic and English side by side."""
    row = _bank(bank_id)
    seed = (request.args.get("seed") or "1").strip()[:64] or "1"
    dbank = to_domain(row)
    generated = generate_quiz(dbank, seed, Settings(count=PREVIEW_COUNT))
    lang = current_lang()
    skipped = [Kind.registry[k].label.get(lang) for k in KINDS if k in generated.skipped]
    return render_template(
        "teacher/preview.html", row=row, seed=seed, questions=generated.questions, skipped=skipped
    )


@bp.get("/banks/<int:bank_id>/download.yaml")
def download_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """The bank as its YAML file."""
    row = _bank(bank_id)
    return _attachment(dump_bank(to_domain(row)), f"{row.slug}.yaml", "application/yaml")


def _attachment(text: str, name: str, mimetype: str) -> Response:
    return Response(
        text,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/banks/<int:bank_id>/moodle")
def export_moodle(bank_id: int):  # type: ignore[no-untyped-def]
    """The bank's questions for Moodle: GIFT (multiple choice) or Moodle XML (with ordering)."""
    from ..domain.moodle import export_gift, export_moodle_xml, generated_questions

    row = _bank(bank_id)
    form = MoodleExportForm(request.args).setup()
    fmt = request.args.get("format")
    if fmt not in ("gift", "moodle-xml") or not form.validate():
        abort(400)
    dbank = to_domain(row)
    extra = generated_questions(dbank, form.count.data or 0)
    if fmt == "gift":
        return _attachment(export_gift(dbank, extra), f"{row.slug}.gift", "text/plain")
    xml = export_moodle_xml(dbank, extra, ordering_method=form.method.data)
    return _attachment(xml, f"{row.slug}.xml", "application/xml")


@bp.route("/banks/<int:bank_id>/import-gift", methods=["GET", "POST"])
def import_gift(bank_id: int):  # type: ignore[no-untyped-def]
    """Add the questions of a GIFT or Moodle XML file (told apart by the domain): every problem by
    line, nothing saved on any; questions of kinds not imported are skipped with a warning (XML).

    The URL keeps its name from when only GIFT was read.
    """
    row = _bank(bank_id, edit=True)
    form = MoodleImportForm()
    problems: list[str] = []
    filename = ""
    if form.validate_on_submit():
        file = form.file.data
        filename = file.filename or "questions.gift"
        try:
            _saved, count, warnings = svc.import_moodle(row, file.read(), filename)
        except BankFileError as err:
            problems = [_problem_line(p) for p in err.problems]
        except svc.Invalid as err:
            problems = [_problem_line(p) for p in err.problems]
        else:
            flash(
                ngettext("%(num)s question is imported.", "%(num)s questions are imported.", count), "success"
            )
            # The first few only: flashes live in the session cookie, and a big Moodle export can
            # skip hundreds of questions.
            for p in warnings[:MAX_WARNINGS_SHOWN]:
                flash(_problem_line(p), "warning")
            if (more := len(warnings) - MAX_WARNINGS_SHOWN) > 0:
                flash(ngettext("and %(num)s more warning", "and %(num)s more warnings", more), "warning")
            return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="questions"))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "teacher/import_gift.html", form=form, row=row, problems=problems, filename=filename
    )
    return page, status


def _problem_line(p: Problem) -> str:
    """A file's problem as "Line 3, where: message" in the teacher's language.

    The where-path of a field is shown as the file writes it (events[2].date); one about the whole
    file, its YAML or its top mapping is left out, as the message says as much.
    """
    message = problem_text(p)
    where = "" if p.where in (WHERE_FILE, WHERE_YAML, WHERE_ROOT) else p.where
    if p.line:
        if where:
            return _("Line %(line)s, %(where)s: %(message)s", line=p.line, where=where, message=message)
        return _("Line %(line)s: %(message)s", line=p.line, message=message)
    return message


# --- events ----------------------------------------------------------------------------------------


@bp.route("/banks/<int:bank_id>/events/new", methods=["GET", "POST"])
def new_event(bank_id: int):  # type: ignore[no-untyped-def]
    """Add an event to a bank."""
    return _event_page(_bank(bank_id, edit=True), None)


@bp.route("/banks/<int:bank_id>/events/<key>/edit", methods=["GET", "POST"])
def edit_event(bank_id: int, key: str):  # type: ignore[no-untyped-def]
    """Edit an event. :raise 404: for an unknown event."""
    return _event_page(_bank(bank_id, edit=True), key)


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


@bp.post("/banks/<int:bank_id>/events/<key>/delete")
def delete_event(bank_id: int, key: str):  # type: ignore[no-untyped-def]
    """Remove an event (and its mention in hand-written questions). :raise 404: for an unknown event."""
    row = _bank(bank_id, edit=True)
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
    """Write a multiple-choice or ordering question. :raise 404: for another type."""
    if qtype not in domain.QUESTION_TYPES:
        abort(404)
    return _question_page(_bank(bank_id, edit=True), None, qtype)


@bp.route("/banks/<int:bank_id>/questions/<key>/edit", methods=["GET", "POST"])
def edit_question(bank_id: int, key: str):  # type: ignore[no-untyped-def]
    """Edit a hand-written question. :raise 404: for an unknown question."""
    row = _bank(bank_id, edit=True)
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
    row = _bank(bank_id, edit=True)
    try:
        svc.delete_question(row, key)
    except KeyError:
        abort(404)
    flash(_("The question is deleted."), "success")
    return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="questions"))


# --- quizzes ---------------------------------------------------------------------------------------


def _quiz_form(row: Bank) -> QuizForm:
    lang = current_lang()
    usable = available_kinds(to_domain(row))
    kinds = []
    for k in KINDS:
        label = Kind.registry[k].label.get(lang)
        if usable[k] is not None:
            label = _("%(kind)s (not available in this bank)", kind=label)
        kinds.append((k, label))
    form = QuizForm().setup(kinds)
    form.usable = {k for k, why in usable.items() if why is None}  # type: ignore[attr-defined]
    return form


def _quiz_page(row: Bank, quiz: Quiz | None):  # type: ignore[no-untyped-def]
    form = _quiz_form(row)
    owner_id = quiz.owner_id if quiz is not None and quiz.owner_id is not None else _user().id
    form.classes.choices = [(c.id, c.name) for c in classes.teacher_classes(owner_id, include_archived=True)]
    if request.method == "GET":
        if quiz is not None:
            form.fill(quiz)
            form.classes.data = classes.assigned_class_ids(quiz)
            form.due_at.set_utc(classes.assigned_due(quiz))
        else:
            form.title_ar.data, form.title_en.data = row.title_ar, row.title_en
            form.kinds.data = [k for k in KINDS if k in form.usable]  # type: ignore[attr-defined]
    if form.validate_on_submit():
        if not set(form.kinds.data) & form.usable:  # type: ignore[attr-defined]
            form.kinds.errors.append(_("This bank cannot make questions of the kinds chosen."))
        else:
            quiz = svc.save_quiz(
                quiz,
                row,
                _user(),
                title=form.title(),
                settings=form.settings(),
                opens_at=form.opens_at.utc(),
                closes_at=form.closes_at.utc(),
                active=bool(form.active.data),
            )
            classes.assign(quiz, form.classes.data or [], form.due_at.utc())  # the owner's classes only
            db.session.commit()
            saved = Markup(_("The quiz is saved. Its code is %(code)s."))  # our own text: safe
            flash(saved % {"code": as_code(quiz.code)}, "success")
            return redirect(url_for("teacher.quiz", quiz_id=quiz.id))
    status = 422 if form.is_submitted() else 200
    return render_template("teacher/quiz_form.html", form=form, row=row, quiz=quiz), status


@bp.route("/banks/<int:bank_id>/quizzes/new", methods=["GET", "POST"])
def new_quiz(bank_id: int):  # type: ignore[no-untyped-def]
    """Set a quiz from a bank the teacher can see."""
    return _quiz_page(_bank(bank_id), None)


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
def edit_quiz(quiz_id: int):  # type: ignore[no-untyped-def]
    """Change a quiz's settings and times. :raise 403: :raise 404:"""
    quiz = _quiz(quiz_id)
    return _quiz_page(quiz.bank, quiz)


@bp.get("/quizzes/<int:quiz_id>")
def quiz(quiz_id: int):  # type: ignore[no-untyped-def]
    """A quiz: its code, its link, and who took it with their scores."""
    quiz = _quiz(quiz_id)
    never = QuizSettings.of(quiz).feedback == "never"
    return render_template(
        "teacher/quiz.html",
        quiz=quiz,
        attempts=svc.quiz_attempts(quiz),
        link=url_for("quiz.landing", code=quiz.code, _external=True),
        assigned=classes.quiz_classes(quiz),
        release_form=ReleaseForm() if never or quiz.results_released_at else None,
    )


@bp.post("/quizzes/<int:quiz_id>/release")
def release_results(quiz_id: int):  # type: ignore[no-untyped-def]
    """Release a quiz's results (feedback "never"): from now, each student who finished sees their
    score and answers. Releasing twice keeps the first time. :raise 403: :raise 404:"""
    quiz = _quiz(quiz_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm."), "warning")
    elif quiz.results_released_at is None:
        quiz.results_released_at = utcnow()
        db.session.commit()
        flash(_("The results are released."), "success")
    return redirect(url_for("teacher.quiz", quiz_id=quiz.id))
