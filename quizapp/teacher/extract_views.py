"""Extraction pages: paste or upload a text, review its proposed events, accept some into a bank.

No state is kept between the steps: the review page posts the text back and the text is extracted
again (about 0.3 s for 10,000 words), so what is saved never rests on offsets sent by the browser.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from ..domain.bank import Text
from ..i18n import current_lang, text_direction
from . import extract_service as svc
from .blueprint import bp
from .extract_forms import AcceptForm, PasteForm, not_text_message
from .problems import problem_text


@bp.route("/extract", methods=["GET", "POST"])
def extract():  # type: ignore[no-untyped-def]
    """Paste or upload a text; a valid post shows its proposals for review."""
    form = PasteForm()
    if form.validate_on_submit():
        text = form.content
        lang = form.lang.data if form.lang.data in ("ar", "en") else svc.detect_lang(text)
        marked, left_out = svc.propose(text, lang)
        return _review(_fresh_accept_form(text, lang, marked), text, lang, marked, left_out)
    return render_template("teacher/extract.html", form=form)


def _say_left_out(left_out: int) -> None:
    """Tell the teacher that the text gives more dates than one review shows."""
    if left_out:
        message = ngettext(
            "Only the first %(max)s dates are proposed: %(num)s more date of this text was left out. "
            "Paste the rest of the text on its own to review it.",
            "Only the first %(max)s dates are proposed: %(num)s more dates of this text were left out. "
            "Paste the rest of the text on its own to review them.",
            left_out,
            max=svc.MAX_PROPOSALS,
        )
        flash(message, "warning")


@bp.post("/extract/accept")
def extract_accept():  # type: ignore[no-untyped-def]
    """Save the accepted proposals in a new or existing bank; on any problem, nothing is saved."""
    form = AcceptForm()
    form.bank.choices = _bank_choices()
    try:
        text = svc.clean_text(form.text.data or "")
    except svc.NotText as err:
        flash(not_text_message(err.reason), "danger")
        return redirect(url_for("teacher.extract"))
    lang = form.lang.data if form.lang.data in ("ar", "en") else svc.detect_lang(text)
    marked, left_out = svc.propose(text, lang)
    if len(form.rows) != len(marked):
        # The text or the extractor changed since the page was made: the rows no longer match.
        flash(_("The proposals have changed since the page was made: review them again."), "warning")
        return _review(_fresh_accept_form(text, lang, marked), text, lang, marked, left_out)
    if form.validate_on_submit():
        accepted = form.accepted([m.proposal.evidence for m in marked])
        events = [event for _row, event in accepted]
        try:
            if form.target.data == "new":
                title = Text(ar=form.bank_title_ar.data, en=form.bank_title_en.data)
                bank = svc.save_to_new_bank(
                    text, lang, events, slug=form.slug.data, title=title, owner_id=current_user.id
                )
            else:
                target = svc.editable_bank(current_user, int(form.bank.data))
                if target is None:  # gone since the choices were listed
                    form.bank.errors.append(_("Choose one of your banks."))
                    return _review(form, text, lang, marked, left_out)
                bank = svc.save_to_bank(target, text, lang, events)
        except svc.SlugTaken:
            form.slug.errors.append(_("Another bank already has this short name."))
        except svc.SourceConflict:
            form.bank.errors.append(
                _(
                    "This bank keeps no source text, and its events' evidence is not in this text: "
                    "save these events in a new bank."
                )
            )
        except svc.BankInvalid as err:
            for index, problem in err.problems:
                if index is None:  # an older part of the bank: say where
                    message = f"{problem.where}: {problem_text(problem)}"
                    form.form_errors.append(_("This cannot be saved: %(problem)s", problem=message))
                else:
                    shown = _("This cannot be saved: %(problem)s", problem=problem_text(problem))
                    accepted[index][0].accept.errors.append(shown)
        else:
            flash(
                ngettext(
                    "%(num)s event added to the bank “%(title)s”.",
                    "%(num)s events added to the bank “%(title)s”.",
                    len(events),
                    title=bank.title(current_lang()),
                ),
                "success",
            )
            return redirect(url_for("teacher.bank", bank_id=bank.id))
    return _review(form, text, lang, marked, left_out)


def _bank_choices() -> list[SelectChoice]:
    lang = current_lang()
    return [SelectChoice(str(b.id), f"{b.title(lang)} ({b.slug})") for b in svc.editable_banks(current_user)]


def _fresh_accept_form(text: str, lang: str, marked: list[svc.Marked]) -> AcceptForm:
    """The review form as first shown: nothing ticked, the title prefilled in the text's language."""
    other = "en" if lang == "ar" else "ar"
    rows = [
        {
            "accept": False,
            "date": m.proposal.date.iso(),
            "certainty": m.proposal.certainty,
            "margin": str(m.proposal.margin) if m.proposal.certainty == "about" else "",
            "end": m.proposal.certainty_end.iso() if m.proposal.certainty_end else "",
            f"title_{lang}": m.proposal.title,
            f"title_{other}": "",
        }
        for m in marked
    ]
    form = AcceptForm(formdata=None, data={"text": text, "lang": lang, "rows": rows, "target": "new"})
    form.bank.choices = _bank_choices()
    return form


def _review(form: AcceptForm, text: str, lang: str, marked: list[svc.Marked], left_out: int):  # type: ignore[no-untyped-def]
    """The review page: the proposals beside their editable rows, and a word on those left out."""
    _say_left_out(left_out)
    paste = PasteForm(formdata=None, data={"text": text, "lang": lang})
    return render_template(
        "teacher/extract_review.html",
        form=form,
        paste=paste,
        rows=list(zip(form.rows, marked, strict=True)),
        text_lang=lang,
        text_dir=text_direction(lang),
    )
