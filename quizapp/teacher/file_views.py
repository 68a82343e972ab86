"""A bank's files: the bank as YAML, its questions for Moodle (GIFT or Moodle XML), and questions
imported from a Moodle file.
"""

from __future__ import annotations

import base64
import zlib

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..banks import to_domain
from ..domain.formats.bankfile import dump_bank
from ..domain.formats.moodle_common import MAX_IMPORT_BYTES
from ..domain.problems import BankFileError
from . import services as svc
from .blueprint import bp
from .forms import MoodleConfirmForm, MoodleExportForm, MoodleImportForm
from .lookup import find_bank
from .problems import problem_line

#: The most warnings an import flashes one by one (the rest are counted).
MAX_WARNINGS_SHOWN = 8


@bp.get("/banks/<int:bank_id>/download.yaml")
def download_bank(bank_id: int):  # type: ignore[no-untyped-def]
    """The bank as its YAML file."""
    row = find_bank(bank_id)
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
    from ..domain.formats.gift import export_gift
    from ..domain.formats.moodle_common import generated_questions
    from ..domain.formats.moodle_xml import export_moodle_xml

    row = find_bank(bank_id)
    form = MoodleExportForm(request.args).setup()
    fmt = request.args.get("format")
    if fmt not in ("gift", "moodle-xml") or not form.validate():
        abort(400)
    dbank = to_domain(row)
    extra = generated_questions(dbank, form.count.data or 0)
    if fmt == "gift":
        try:
            gift = export_gift(dbank, extra, ordering_method=form.method.data)
        except ValueError:  # a grading method Moodle's GIFT reader cannot read: XML carries it
            gift = export_gift(dbank, extra)
        return _attachment(gift, f"{row.slug}.gift", "text/plain")
    xml = export_moodle_xml(dbank, extra, ordering_method=form.method.data)
    return _attachment(xml, f"{row.slug}.xml", "application/xml")


#: What a teacher calls each type of question, on the import's preview.
KIND_LABELS = {
    "mcq": _l("Multiple choice, one right answer"),
    "multi": _l("Multiple choice, several right answers"),
    "truefalse": _l("True or false"),
    "numerical": _l("Numerical"),
    "shortanswer": _l("Short answer"),
    "matching": _l("Matching"),
    "ordering": _l("Ordering"),
}


#: How long a previewed file may wait for its teacher's confirmation.
PREVIEW_SECONDS = 2 * 60 * 60


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="moodle-import-preview")


def _carry(bank_id: int, name: str, data: bytes) -> str:
    """The uploaded file, compressed and signed for the confirm step: only this teacher, this bank,
    within PREVIEW_SECONDS, and only as uploaded (the signature covers it)."""
    packed = base64.urlsafe_b64encode(zlib.compress(data, 6)).decode("ascii")
    return _signer().dumps({"b": bank_id, "u": current_user.id, "n": name, "d": packed})


def _carried(bank_id: int, payload: str) -> tuple[str, bytes] | None:
    """The file _carry packed (name, bytes); None when it is not this teacher's for this bank, has
    been tampered with, or waited too long."""
    try:
        found = _signer().loads(payload, max_age=PREVIEW_SECONDS)
        if found.get("b") != bank_id or found.get("u") != current_user.id:
            return None
        limit = MAX_IMPORT_BYTES + 1
        inflate = zlib.decompressobj()
        data = inflate.decompress(base64.urlsafe_b64decode(found["d"]), limit)
        if inflate.unconsumed_tail:
            return None
        return str(found["n"]), data
    except (BadSignature, KeyError, TypeError, ValueError, AttributeError, zlib.error):
        return None


@bp.route("/banks/<int:bank_id>/import-gift", methods=["GET", "POST"])
def import_gift(bank_id: int):  # type: ignore[no-untyped-def]
    """Upload a GIFT, Moodle XML or Aiken file, and see what it would add before saving: every
    question that can be imported, every one that cannot and why, and what the kept ones lose.

    The URL keeps its name from when only GIFT was read.
    """
    row = find_bank(bank_id, edit=True)
    form = MoodleImportForm()
    problems: list[str] = []
    filename = ""
    if form.validate_on_submit():
        file = form.file.data
        filename = file.filename or "questions.gift"
        data = file.read(MAX_IMPORT_BYTES + 1)
        try:
            _bank, result, refused = svc.moodle_preview(row, data, filename)
        except BankFileError as err:
            problems = [problem_line(p) for p in err.problems]
        else:
            confirm = MoodleConfirmForm(formdata=None, payload=_carry(row.id, filename, data))
            page = render_template(
                "teacher/import_preview.html",
                row=row,
                filename=filename,
                result=result,
                refused=[problem_line(p) for p in refused],
                skipped=[problem_line(p) for p in result.problems],
                warnings=[problem_line(p) for p in result.warnings],
                kinds=KIND_LABELS,
                confirm=confirm,
            )
            return page, 200
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "teacher/import_gift.html", form=form, row=row, problems=problems, filename=filename
    )
    return page, status


@bp.post("/banks/<int:bank_id>/import-gift/confirm")
def import_gift_confirm(bank_id: int):  # type: ignore[no-untyped-def]
    """Save what the preview showed: the file carried from it, read again against the bank as it
    is now (what it adds, renamed where an id is taken since)."""
    row = find_bank(bank_id, edit=True)
    form = MoodleConfirmForm()
    carried = _carried(row.id, form.payload.data or "") if form.validate_on_submit() else None
    if carried is None:
        flash(_("The preview has expired or is not valid: upload the file again."), "danger")
        return redirect(url_for("teacher.import_gift", bank_id=row.id))
    filename, data = carried
    try:
        _saved, count, warnings = svc.import_moodle(row, data, filename)
    except (BankFileError, svc.Invalid) as err:
        for p in err.problems[:MAX_WARNINGS_SHOWN]:
            flash(problem_line(p), "danger")
        return redirect(url_for("teacher.import_gift", bank_id=row.id))
    flash(ngettext("%(num)s question is imported.", "%(num)s questions are imported.", count), "success")
    # The first few only: flashes live in the session cookie, and the preview showed them all.
    for p in warnings[:MAX_WARNINGS_SHOWN]:
        flash(problem_line(p), "warning")
    if (more := len(warnings) - MAX_WARNINGS_SHOWN) > 0:
        flash(ngettext("and %(num)s more warning", "and %(num)s more warnings", more), "warning")
    return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="questions"))
