"""What the report pages show: each table as a Table (shown as HTML and exported as CSV by the same
code), and the histogram as bars of an inline SVG, mirrored in Arabic."""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from flask import Response, stream_with_context, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..domain.dates import PartialDate, format_number, format_partial, format_percent
from ..domain.generate import Kind
from ..i18n import language_name
from ..models import Attempt
from ..ui.answers import NEW_TYPES, PARTIAL_TYPES, answer_text


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere on the page; its CSV cell is the text."""

    text: str
    url: str


@dataclass(frozen=True)
class Column:
    """A column: its heading and how its values are shown (text, code, int, pct, num, datetime, date, bool);
    a code (a quiz's join code, a question's key) is no word of any language: the page sets it in <code>."""

    label: str
    kind: str = "text"


@dataclass
class Table:
    """A report table: a name (the CSV's file name), a caption, columns and rows of raw values."""

    name: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""

    def csv_url(self, endpoint: str, **args: Any) -> str:
        """The URL of this table as CSV."""
        return url_for(endpoint, table=self.name, **args)

    def body(self, lang: str) -> Markup:
        """The rows as HTML, every value escaped: the first cell of a row heads it, numbers sit in
        cells of class "num". Built here as plain strings and marked safe once: not in a Jinja
        loop (which took half of a quiz report's time for its few thousand cells), nor as a Markup
        per cell (the table of a quiz's 134 questions took 1.4 ms that way, 0.55 ms this way)."""
        kinds = [c.kind for c in self.columns]
        # Each cell names its column, which a phone shows above the value (the rows become cards).
        opens = [
            f'<td class={_CLASS[k in NUMERIC]} data-label="{escape(c.label)}">'
            for c, k in zip(self.columns, kinds, strict=True)
        ]
        out = []
        for row in self.rows:
            cells = [f'<tr><th scope="row">{_cell(row[0], kinds[0], lang)}</th>']
            cells += [
                f"{td}{_cell(value, kind, lang)}</td>"
                for value, kind, td in zip(row[1:], kinds[1:], opens[1:], strict=False)
            ]
            cells.append("</tr>")
            out.append("".join(cells))
        return Markup("\n".join(out))


#: The kinds of column whose cells are numbers (aligned as numbers).
NUMERIC = ("int", "pct", "num")
#: A body cell's class attribute, by whether its column is numeric.
_CLASS = {False: '""', True: '"num"'}


def cell_html(value: Any, kind: str, lang: str) -> Markup:
    """A cell's content as HTML: a link, a code (set left to right), or the value as `show` writes it."""
    return Markup(_cell(value, kind, lang))


def _cell(value: Any, kind: str, lang: str) -> str:
    """cell_html as a plain string (escaped): what Table.body joins, a Markup made once a table.
    Numbers are formatted and escaped once a value and language (they repeat hundreds of times)."""
    if value is None:
        return "–"  # show's dash; nothing to escape
    if isinstance(value, Link):
        return f'<a href="{_escape(value.url)}">{_escape(value.text)}</a>'
    if kind == "pct":
        return _percent_html(value, lang)
    if kind == "num":
        return _number_html(round(value, 2), lang)
    if kind == "int":
        return _number_html(value, lang)
    if kind == "code":
        return f'<code dir="ltr">{_escape(value)}</code>'
    return _escape(show(value, kind, lang))


def _escape(value: Any) -> str:
    """str(markupsafe.escape(value)); a plain string is escaped here as markupsafe escapes it (its
    five characters, the same entities), without making a Markup of it first."""
    if type(value) is str:
        return (
            value.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )
    return str(escape(value))


@functools.lru_cache(maxsize=4096, typed=True)
def _number_html(value: int | float, lang: str) -> str:
    return _escape(number(value, lang))


@functools.lru_cache(maxsize=4096, typed=True)
def _percent_html(value: float, lang: str) -> str:
    return _escape(percent(value, lang))


@functools.lru_cache(maxsize=4096, typed=True)
def number(value: int | float, lang: str) -> str:
    """format_number, remembered: a report's tables repeat a few figures hundreds of times, and
    Babel takes about 40 µs for each (a quiz report of 30 students spent a third of its time there)."""
    return format_number(value, lang)


@functools.lru_cache(maxsize=4096, typed=True)
def percent(value: float, lang: str) -> str:
    """format_percent to one decimal (the sign where CLDR puts it), remembered as `number` is."""
    return format_percent(value, lang, decimals=1)


def show(value: Any, kind: str, lang: str) -> str:
    """A cell as the page shows it: numbers in the locale's format, empty cells as a dash."""
    if value is None:
        return "–"
    if isinstance(value, Link):
        return value.text
    if kind == "pct":
        return percent(value, lang)
    if kind == "num":
        return number(round(value, 2), lang)
    if kind == "int":
        return number(value, lang)
    if kind == "datetime":
        return format_datetime(value, "medium", rebase=False)
    if kind == "date":  # an event's ISO date ("0762-07-30"), as the reader writes it ("30 July 762")
        return format_partial(PartialDate.parse(value), lang)
    if kind == "bool":
        return _("yes") if value else _("no")
    return str(value)


# -- CSV -----------------------------------------------------------------------------------------

#: A cell starting with one of these would run as a formula in a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell for a CSV file: text that could start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Link):
        value = value.text
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    yield codecs.BOM_UTF8.decode("utf-8")  # so that Excel reads the file as UTF-8 (Arabic intact)
    writer.writerow([csv_cell(h) for h in header])
    for i, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(v) for v in row])
        if i % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def csv_response(filename: str, header: list[str], rows: Iterable[list[Any]]) -> Response:
    """A CSV download, streamed: UTF-8 with a byte-order mark, formula-safe cells."""
    response = Response(stream_with_context(_csv_lines(header, rows)), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_csv(table: Table, prefix: str) -> Response:
    """A table as a CSV download named prefix-name.csv."""
    return csv_response(f"{prefix}-{table.name}", [c.label for c in table.columns], table.rows)


# -- charts --------------------------------------------------------------------------------------


def bar_chart(counts: list[int], labels: list[str], lang: str) -> dict:
    """Horizontal bars, one row per label, for an SVG drawn at the page's own scale (no viewBox):
    its labels keep their 12-14 px on a phone, and they read as in the table beside it, from the
    start of the line (the right, in Arabic). Positions are percents of the chart's width."""
    top = max(counts, default=0) or 1
    row_h, label_w, bar_w = 28, 24.0, 62.0  # px per row; label column and longest bar, in %
    rows = []
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        w = bar_w * count / top
        start = label_w + 2
        rows.append(
            {
                "y": i * row_h + 4,
                "text_y": i * row_h + 19,
                "label": label,
                "count": number(count, lang),
                # x of the label's end, the bar's left edge, the count's start; mirrored in Arabic
                "label_x": label_w if lang != "ar" else 100 - label_w,
                "bar_x": start if lang != "ar" else 100 - start - w,
                "bar_w": round(w, 2),
                "count_x": start + w + 1.5 if lang != "ar" else 100 - start - w - 1.5,
            }
        )
    return {"height": len(rows) * row_h + 8, "rows": rows}


def histogram_labels(bins: int, lang: str) -> list[str]:
    """The bins' ranges in percent: "0–10", ..., "90–100"."""
    step = 100 // bins
    return [f"{number(i * step, lang)}–{number((i + 1) * step, lang)}" for i in range(bins)]


# -- tables of each report -----------------------------------------------------------------------


def quiz_table(rows: list[dict], lang: str) -> Table:
    """The front page's table of quizzes."""
    table = Table(
        "quizzes",
        _("Quizzes"),
        [
            Column(_("Quiz")),
            Column(_("Code"), "code"),
            Column(_("Attempts"), "int"),
            Column(_("Finished"), "int"),
            Column(_("Completion rate"), "pct"),
            Column(_("Mean score"), "pct"),
        ],
    )
    for r in rows:
        link = Link(r["title"][lang], url_for("reports.quiz", quiz_id=r["quiz_id"]))
        table.rows.append([link, r["code"], r["attempts"], r["finished"], r["completion"], r["mean"]])
    return table


def student_table(rows: list[dict]) -> Table:
    """The front page's table of students."""
    table = Table(
        "students",
        _("Students"),
        [
            Column(_("Student")),
            Column(_("Username")),
            Column(_("Attempts"), "int"),
            Column(_("Finished"), "int"),
            Column(_("Mean score"), "pct"),
            Column(_("Last attempt"), "datetime"),
        ],
    )
    for r in rows:
        link = Link(r["name"], url_for("reports.student", user_id=r["user_id"]))
        table.rows.append([link, r["username"], r["attempts"], r["finished"], r["mean"], r["last"]])
    return table


def summary_table(report: dict) -> Table:
    """A quiz's attempts, completion, score summary and time spent, one figure per row."""
    s, t = report["scores"], report["time"]
    table = Table("summary", _("Summary"), [Column(_("Figure")), Column(_("Value"), "num")])
    table.rows = [
        [_("Attempts"), report["attempts"]],
        [_("Finished attempts"), report["finished"]],
        [_("Completion rate (%)"), report["completion"]],
        [_("Mean score (%)"), s["mean"]],
        [_("Median score (%)"), s["median"]],
        [_("Standard deviation (%)"), s["sd"]],
        [_("Lowest score (%)"), s["min"]],
        [_("Highest score (%)"), s["max"]],
        [_("Mean time spent (minutes)"), t["mean"] / 60 if t["mean"] is not None else None],
        [_("Median time spent (minutes)"), t["median"] / 60 if t["median"] is not None else None],
    ]
    return table


def histogram_table(report: dict, lang: str) -> Table:
    """The histogram's figures, for screen readers and CSV."""
    table = Table(
        "histogram", _("Scores by range"), [Column(_("Score range (%)")), Column(_("Attempts"), "int")]
    )
    labels = histogram_labels(report["bins"], lang)
    table.rows = [[label, count] for label, count in zip(labels, report["histogram"], strict=True)]
    return table


def _stat_columns() -> list[Column]:
    return [
        Column(_("Facility index"), "pct"),
        Column(_("Standard deviation"), "num"),
        Column(_("Discrimination index"), "pct"),
        Column(_("Discriminative efficiency"), "pct"),
    ]


def _stat_cells(q: dict) -> list[Any]:
    return [q["facility"], q["sd"], q["discrimination_index"], q["discriminative_efficiency"]]


def slot_table(analysis: dict, lang: str) -> Table:
    """Moodle's per-slot item analysis."""
    table = Table(
        "slots",
        _("Item analysis by position in the quiz"),
        [Column(_("Position"), "int"), Column(_("Attempts"), "int"), *_stat_columns()],
        note=_(
            "Moodle's analysis by position. Each attempt of a generated quiz may show a different "
            "question at a position, so read these figures as describing the quiz as a whole."
        ),
    )
    table.rows = [[q["slot"] + 1, q["n"], *_stat_cells(q)] for q in analysis["slots"]]
    return table


#: What url_for leaves unquoted in a query string (werkzeug.urls._urlencode).
QUERY_SAFE = "!$'()*,/:;?@"


def question_table(questions: list[dict], quiz_id: int, lang: str) -> Table:
    """The item analysis per question (by key): the figures a teacher judges a question by."""
    table = Table(
        "questions",
        _("Item analysis by question"),
        [
            Column(_("Question")),
            Column(_("Kind")),
            Column(_("Answers"), "int"),
            Column(_("Fully right"), "pct"),
            Column(_("Mean partial credit"), "num"),
            *_stat_columns(),
        ],
        note=_(
            "The same question (same key) across attempts, wherever it stood in the quiz. The "
            "discrimination index is its correlation with the rest of each attempt's score."
        ),
    )
    # The questions' page once, its ?key= per row as url_for writes it (a url_for a row took a
    # tenth of the report's time).
    page = url_for("reports.question", quiz_id=quiz_id) + "?key="
    kinds = Kind.registry
    for q in sorted(questions, key=lambda q: (q["facility"] is None, q["facility"] or 0)):
        prompt = q["prompt"].get(lang) or q["key"]
        link = Link(prompt, page + quote_plus(str(q["key"]), safe=QUERY_SAFE))  # urlencode's ?key=
        credit = q["mean"] if q["type"] in PARTIAL_TYPES else None
        kind = kinds[q["kind"]].label.get(lang) if q["kind"] in kinds else q["kind"]
        # The question's key ("date-event:lenin-dies") is no word for a reader: its prompt names it.
        table.rows.append([link, kind, q["n"], q["right"], credit, *_stat_cells(q)])
    return table


def test_table(analysis: dict) -> Table:
    """The quiz's statistics as a test (Moodle's names; marks are question counts)."""
    t = analysis["test"]
    table = Table("test", _("The quiz as a test"), [Column(_("Figure")), Column(_("Value"), "num")])
    table.rows = [
        [_("Attempts analysed"), t["n"]],
        [_("Questions per attempt"), analysis["slot_count"]],
        [_("Mean (marks)"), t["mean"]],
        [_("Median (marks)"), t["median"]],
        [_("Standard deviation (marks)"), t["sd"]],
        [_("Skewness"), t["skewness"]],
        [_("Kurtosis"), t["kurtosis"]],
        [_("Coefficient of internal consistency (%)"), t["cic"]],
        [_("Error ratio (%)"), t["error_ratio"]],
        [_("Standard error (marks)"), t["standard_error"]],
    ]
    return table


def option_table(rows: list[dict], qtype: str = "mcq") -> Table:
    """How often each option of a question was chosen (each answer given, for the types after
    Moodle's: options ticked, stems matched, answers typed)."""
    given = qtype not in ("mcq", "multi")
    table = Table(
        "options",
        _("Answers given") if given else _("Options chosen"),
        [
            Column(_("Answer") if given else _("Option")),
            Column(_("Right answer"), "bool"),
            Column(_("Chosen"), "int"),
            Column(_("Share of answers"), "pct"),
        ],
    )
    table.rows = [[r["option"], r["right"], r["chosen"], r["percent"]] for r in rows]
    return table


def attempt_table(attempts: list[Attempt], lang: str) -> Table:
    """A student's attempts, oldest first."""
    table = Table(
        "attempts",
        _("Attempts"),
        [
            Column(_("Quiz")),
            Column(_("Language")),
            Column(_("Started"), "datetime"),
            Column(_("Finished at"), "datetime"),
            Column(_("Score"), "pct"),
        ],
    )
    for a in attempts:
        pct = 100.0 * a.score / a.max_score if a.score is not None and a.max_score else None
        language = language_name(a.lang)  # in the reader's language, like the other cells
        table.rows.append([a.quiz.title(lang), language, a.started_at, a.finished_at, pct])
    return table


def event_table(rows: list[dict], lang: str, caption: str) -> Table:
    """Per event: how often questions on it were answered right, worst first."""
    table = Table(
        "events",
        caption,
        [
            Column(_("Event")),
            Column(_("Date"), "date"),
            Column(_("Answers"), "int"),
            Column(_("Answered right"), "int"),
            Column(_("Right (%)"), "pct"),
            Column(_("Mean mark (%)"), "pct"),
        ],
    )
    for r in rows:
        table.rows.append(
            [r["title"][lang], r["date"], r["answered"], r["right"], r["right_rate"], r["mean"]]
        )
    return table


def response_csv_rows(rows: Iterable[Any], lang: str) -> Iterator[list[Any]]:
    """One CSV row per response, keyed by the question's id and key (not its position)."""
    for public_id, username, a_lang, started, qid, key, kind, snap, answer, score, answered_at in rows:
        yield [
            public_id,
            username,
            a_lang,
            started,
            qid,
            key,
            kind,
            (snap.get("prompt") or {}).get(lang, ""),
            json.dumps(answer, ensure_ascii=False),
            _answer_text(snap, answer, lang),
            score,
            answered_at,
        ]


def response_csv_header() -> list[str]:
    """The columns of the detailed export."""
    return [
        _("Attempt"),
        _("Username"),
        _("Language"),
        _("Started"),
        _("Question id"),
        _("Question key"),
        _("Kind"),
        _("Question"),
        _("Answer"),
        _("Answer text"),
        _("Mark"),
        _("Answered at"),
    ]


def _answer_text(snap: dict, answer: Any, lang: str) -> str:
    def text(items: list, i: Any) -> str:
        return (items[i] or {}).get(lang, "") if isinstance(i, int) and 0 <= i < len(items) else ""

    if snap.get("type") == "mcq":
        return text(snap.get("options") or [], answer)
    if snap.get("type") in NEW_TYPES:
        return answer_text(snap, answer, lang)
    if isinstance(answer, list):
        return " | ".join(text(snap.get("items") or [], i) for i in answer)
    return ""


TableBuilder = Callable[[], Table]
