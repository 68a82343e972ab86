"""The teacher's quizzes: setting one from a bank, changing it, its page, releasing its results."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from .. import classes
from ..attempts import QuizSettings
from ..banks import to_domain
from ..domain.generate import ALL_KINDS, EXTRA_KINDS, KINDS, Kind, available_kinds
from ..extensions import db
from ..formtools import as_code
from ..i18n import current_lang
from ..models import Bank, Quiz, utcnow
from ..ui.qr import qr_svg
from . import services as svc
from .blueprint import bp
from .lookup import find_bank, find_quiz, the_user
from .quiz_forms import QuizForm, ReleaseForm

# --- quizzes ---------------------------------------------------------------------------------------


def _quiz_form(row: Bank) -> QuizForm:
    lang = current_lang()
    usable = available_kinds(to_domain(row))
    kinds = []
    for k in ALL_KINDS:  # the kinds after Moodle's (EXTRA_KINDS) too: a quiz asks for them by name
        label = Kind.registry[k].label.get(lang)
        if usable[k] is not None:
            label = _("%(kind)s (not available in this bank)", kind=label)
        kinds.append((k, label))
    form = QuizForm().setup(kinds)
    form.usable = {k for k, why in usable.items() if why is None}  # type: ignore[attr-defined]
    return form


def _quiz_page(row: Bank, quiz: Quiz | None):  # type: ignore[no-untyped-def]
    form = _quiz_form(row)
    owner_id = quiz.owner_id if quiz is not None and quiz.owner_id is not None else the_user().id
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
                the_user(),
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
    return _quiz_page(find_bank(bank_id), None)


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
def edit_quiz(quiz_id: int):  # type: ignore[no-untyped-def]
    """Change a quiz's settings and times. :raise 403: :raise 404:"""
    quiz = find_quiz(quiz_id)
    return _quiz_page(quiz.bank, quiz)


@bp.get("/quizzes/<int:quiz_id>")
def quiz(quiz_id: int):  # type: ignore[no-untyped-def]
    """A quiz: its code, its link, and who took it with their scores."""
    quiz = find_quiz(quiz_id)
    settings = QuizSettings.of(quiz)
    # A quiz asking for the kinds after Moodle's prints them too (the default mix needs no list).
    print_kinds = list(settings.kinds) if set(settings.kinds or ()) & set(EXTRA_KINDS) else None
    never = settings.feedback == "never"
    link = url_for("quiz.landing", code=quiz.code, _external=True)
    return render_template(
        "teacher/quiz.html",
        quiz=quiz,
        attempts=svc.quiz_attempts(quiz),
        link=link,
        qr=qr_svg(link),
        # the quiz's bank on paper, as many questions as the quiz, its code as the seed
        print_url=url_for(
            "teacher.print_quiz", slug=quiz.bank.slug, count=settings.count, seed=quiz.code, kind=print_kinds
        ),
        assigned=classes.quiz_classes(quiz),
        release_form=ReleaseForm() if never or quiz.results_released_at else None,
    )


@bp.post("/quizzes/<int:quiz_id>/release")
def release_results(quiz_id: int):  # type: ignore[no-untyped-def]
    """Release a quiz's results (feedback "never"): from now, each student who finished sees their
    score and answers. Releasing twice keeps the first time. :raise 403: :raise 404:"""
    quiz = find_quiz(quiz_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm."), "warning")
    elif quiz.results_released_at is None:
        quiz.results_released_at = utcnow()
        db.session.commit()
        flash(_("The results are released."), "success")
    return redirect(url_for("teacher.quiz", quiz_id=quiz.id))
