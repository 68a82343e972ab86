"""Explore a bank's events; see how well you know each; review what is due."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import access
from .. import attempts as svc
from ..banks import to_domain
from ..domain.dates import format_dating
from ..domain.evidence import segments
from ..domain.hijri import ARITHMETICAL_NOTE, format_hijri, hijri_span
from ..extensions import db
from ..i18n import current_lang, show_hijri
from ..login import own_user
from ..models import Bank, Quiz, utcnow
from ..reviews import bank_states, review_focus
from ..ui.charts import timeline
from ..ui.closed_book import closed_book
from ..ui.forms import StartForm
from ..ui.navigation import next_page
from .blueprint import bp

LEVELS = {
    "new": _l("not seen yet"),
    "learning": _l("learning"),
    "known": _l("known"),
    "mastered": _l("mastered"),
}


def _bank(slug: str) -> Bank:
    """A bank the user may explore (quizapp.access). :raise 404: otherwise, as for an unknown one."""
    bank = db.session.scalar(select(Bank).where(Bank.slug == slug, Bank.deleted.is_(False)))
    if bank is None or not access.may_explore_bank(current_user, bank):
        abort(404)
    return bank


def _event_rows(bank: Bank, lang: str, levels: dict[str, str] | None = None) -> list[dict]:
    hijri = show_hijri(bank.show_hijri)
    rows = []
    domain_bank = to_domain(bank)
    source_lang = domain_bank.source.lang if domain_bank.source else ""
    for e in domain_bank.events:
        rows.append(
            {
                "id": e.id,
                "date": e.date.iso(),
                "date_text": {lg: format_dating(e.dating, lg) for lg in ("ar", "en")},
                "hijri": format_hijri(e.date, lang) if hijri else "",
                "hijri_arithmetical": hijri and hijri_span(e.date).arithmetical,
                "title": e.title.to_dict(),
                "description": e.description.get(lang) if e.description else "",
                "note": e.note.get(lang) if e.note else "",
                "actors": [a.get(lang) for a in e.actors],
                "places": [p.get(lang) for p in e.places],
                "evidence": e.evidence,
                # The evidence in the page's language, where the source is in the other one.
                "evidence_translation": e.evidence_translation
                if source_lang and source_lang != lang
                else "",
                "level": (levels or {}).get(e.id, ""),
                "level_label": str(LEVELS[levels[e.id]]) if levels and e.id in levels else "",
            }
        )
    return rows


@bp.get("/<slug>")
def explore(slug: str):  # type: ignore[no-untyped-def]
    """A bank's events on a timeline, each with its people, places and evidence in the source.

    :raise 404: for an unknown, deleted or unpublished bank. :raise 403: during a closed-book quiz.
    """
    bank = _bank(slug)
    blocked = closed_book(bank.id)
    if blocked:
        return blocked
    lang = current_lang()
    domain_bank = to_domain(bank)
    levels = None
    if current_user.is_authenticated:
        levels = {s.event: s.level for s in bank_states(current_user.id, bank)}
    rows = _event_rows(bank, lang, levels)
    source = domain_bank.source.text if domain_bank.source and domain_bank.source.text else ""
    return render_template(
        "learn/explore.html",
        bank=bank,
        rows=rows,
        timeline=timeline(rows, lang),
        source=segments(source, domain_bank.events) if source else [],
        source_lang=domain_bank.source.lang if domain_bank.source else "",
        hijri=show_hijri(bank.show_hijri),
        hijri_note=ARITHMETICAL_NOTE[lang] if any(r["hijri_arithmetical"] for r in rows) else "",
    )


@bp.get("/mastery")
@login_required
def mastery():  # type: ignore[no-untyped-def]
    """How well the student knows each event, bank by bank, and what is due for review."""
    lang = current_lang()
    now = utcnow()
    banks = db.session.scalars(
        select(Bank).where(Bank.published.is_(True), Bank.deleted.is_(False)).order_by(Bank.title_en)
    ).all()
    sections = []
    for bank in banks:
        running = svc.closed_book_attempt(current_user.id, bank.id, now)
        if running is not None:  # closed during a closed-book quiz on the bank
            sections.append({"bank": bank, "closed": running})
            continue
        event_states = bank_states(current_user.id, bank)
        by_id = {s.event: s for s in event_states}
        rows = _event_rows(bank, lang, {s.event: s.level for s in event_states})
        for row in rows:
            st = by_id[row["id"]]
            row.update(seen=st.seen, right=st.right, mastery=st.mastery, due=st.seen > 0 and st.is_due(now))
        sections.append(
            {
                "bank": bank,
                "rows": rows,
                "timeline": timeline(rows, lang),
                "due": sum(1 for r in rows if r["due"]),
                "seen": sum(1 for r in rows if r["seen"]),
            }
        )
    return render_template("learn/mastery.html", sections=sections, form=StartForm())


@bp.post("/review/<slug>")
@login_required
def review(slug: str):  # type: ignore[no-untyped-def]
    """Start a practice quiz drawn from the events missed or due, then the unseen ones."""
    if not StartForm().validate_on_submit():
        abort(400)
    bank = _bank(slug)
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.practice.is_(True)))
    if quiz is None:
        abort(404)
    blocked = closed_book(bank.id)
    if blocked:
        return blocked
    focus = review_focus(current_user.id, bank, utcnow())
    try:
        attempt = svc.start_attempt(quiz, current_lang(), user_id=current_user.id, focus=focus)
    except svc.NoQuestions:
        flash(_("Nothing to review in this bank now."), "info")
        return redirect(url_for("learn.mastery"))
    return redirect(url_for("quiz.question", public_id=attempt.public_id, number=1))


@bp.post("/hijri/<state>")
def hijri(state: str):  # type: ignore[no-untyped-def]
    """Show Hijri dates beside Gregorian ones, or stop (a form with CSRF). :raise 404: another state."""
    if state not in ("on", "off"):
        abort(404)
    on = state == "on"
    session["hijri"] = on
    if current_user.is_authenticated:
        own_user().show_hijri = on
        db.session.commit()
    return redirect(next_page(url_for("main.home")))
