"""A bank's files: the bank as YAML, its questions for Moodle (GIFT or Moodle XML), and questions
imported from a Moodle file.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from ..banks import to_domain
from ..domain.formats.bankfile import dump_bank
from ..domain.problems import BankFileError
from . import services as svc
from .blueprint import bp
from .forms import MoodleExportForm, MoodleImportForm
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
        return _attachment(export_gift(dbank, extra), f"{row.slug}.gift", "text/plain")
    xml = export_moodle_xml(dbank, extra, ordering_method=form.method.data)
    return _attachment(xml, f"{row.slug}.xml", "application/xml")


@bp.route("/banks/<int:bank_id>/import-gift", methods=["GET", "POST"])
def import_gift(bank_id: int):  # type: ignore[no-untyped-def]
    """Add the questions of a GIFT or Moodle XML file (told apart by the domain): every problem by
    line, nothing saved on any; questions of kinds not imported are skipped with a warning (XML).

    The URL keeps its name from when only GIFT was read.
    """
    row = find_bank(bank_id, edit=True)
    form = MoodleImportForm()
    problems: list[str] = []
    filename = ""
    if form.validate_on_submit():
        file = form.file.data
        filename = file.filename or "questions.gift"
        try:
            _saved, count, warnings = svc.import_moodle(row, file.read(), filename)
        except BankFileError as err:
            problems = [problem_line(p) for p in err.problems]
        except svc.Invalid as err:
            problems = [problem_line(p) for p in err.problems]
        else:
            flash(
                ngettext("%(num)s question is imported.", "%(num)s questions are imported.", count), "success"
            )
            # The first few only: flashes live in the session cookie, and a big Moodle export can
            # skip hundreds of questions.
            for p in warnings[:MAX_WARNINGS_SHOWN]:
                flash(problem_line(p), "warning")
            if (more := len(warnings) - MAX_WARNINGS_SHOWN) > 0:
                flash(ngettext("and %(num)s more warning", "and %(num)s more warnings", more), "warning")
            return redirect(url_for("teacher.bank", bank_id=row.id, _anchor="questions"))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "teacher/import_gift.html", form=form, row=row, problems=problems, filename=filename
    )
    return page, status
