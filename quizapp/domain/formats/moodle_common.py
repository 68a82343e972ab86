"""What both Moodle formats share: the limits, the questions that go out, and the imported
questions' result, names and merge into a bank.

Moodle's formats: GIFT and Moodle XML out, and both back in.

Both languages travel in Moodle's multi-language form, which its "Multi-language content" filter
shows in the reader's language: `<span lang="ar" class="multilang">…</span><span lang="en"
class="multilang">…</span>`. A text is therefore HTML (`[html]` in GIFT, `format="html"` in XML):
our plain texts are HTML-escaped and their line breaks become `<br>`, and reading back undoes both.
Reading also understands the other filter's form, `{mlang ar}…{mlang}{mlang en}…{mlang}`
(filter_multilang2).

GIFT is read as Moodle's own reader (question/format/gift/format.php) reads it, quirks included:
questions are separated by blank lines; `//` starts a comment line; `\\~ \\= \\# \\{ \\} \\: \\\\` and
`\\n` are escapes; the first `{` and the first `}` delimit the answers; the kind of question follows
from the answers (`~` anywhere: multiple choice; `T`/`F`: true/false; ...). Only multiple choice
with exactly one right answer and true/false become questions here; everything else is reported as
`path:line: message` and skipped. Messages are English msgids with their parameters apart
(messages.py), shown in the teacher's language on the web.

Ordering questions go to Moodle XML in the format of the ordering plugin (qtype_ordering, part of
Moodle since 4.4): its grading methods by the names its XML import reads (`MOODLE_GRADING`).

Moodle XML is read as Moodle's qformat_xml reads it, through xmlread (no DTD, so no entity):
`multichoice` with one right answer (fraction 100) and `truefalse` become multiple choice,
`ordering` an ordering question with its answers in the right order, `category` entries are noted.
A question of any other type, or one that lets students choose several answers, is skipped with a
warning that names it (its type says plainly what it is, unlike GIFT's braces); a question of a
type read here that cannot be imported is a problem, as in GIFT. `import_moodle` tells the two
formats apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from ..bank import Accepted, AuthoredQuestion, Bank, Pair, Text
from ..generate import KINDS, Question, Settings, generate_quiz
from ..limits import MAX_BANK_BYTES
from ..messages import N_, Choices
from ..problems import BankFileError, Problem
from ..validate import SLUG_RE, validate_bank
from .multilang import split_multilang

#: A GIFT file bigger than this is refused before it is read.
MAX_GIFT_BYTES = MAX_BANK_BYTES


#: A Moodle XML file bigger than this is refused before it is read.
MAX_XML_BYTES = MAX_BANK_BYTES


#: The most a caller reads of a file that may be either.
MAX_IMPORT_BYTES = max(MAX_GIFT_BYTES, MAX_XML_BYTES)


#: Our ordering methods -> the qtype_ordering `gradingtype` names its XML import accepts
#: (its numeric codes, -1 to 7, in comments). `pairs` has no name there, but Moodle's
#: RELATIVE_ALL_PREVIOUS_AND_NEXT counts every pair twice, once from each item, so it gives
#: exactly the same score.
MOODLE_GRADING: dict[str, str] = {
    "pairs": "RELATIVE_ALL_PREVIOUS_AND_NEXT",  # 4
    "all_or_nothing": "ALL_OR_NOTHING",  # -1
    "absolute_position": "ABSOLUTE_POSITION",  # 0
    "relative_next_exclude_last": "RELATIVE_NEXT_EXCLUDE_LAST",  # 1
    "relative_next_include_last": "RELATIVE_NEXT_INCLUDE_LAST",  # 2
    "relative_one_previous_and_next": "RELATIVE_ONE_PREVIOUS_AND_NEXT",  # 3
    "relative_all_previous_and_next": "RELATIVE_ALL_PREVIOUS_AND_NEXT",  # 4
    "longest_ordered_subset": "LONGEST_ORDERED_SUBSET",  # 5
    "longest_contiguous_subset": "LONGEST_CONTIGUOUS_SUBSET",  # 6
    "relative_to_correct": "RELATIVE_TO_CORRECT",  # 7
}


#: The two options of a GIFT true/false question.
TRUE = Text(ar="صح", en="True")


FALSE = Text(ar="خطأ", en="False")


#: The most answers a multiple-choice question may have (more is a mistake, or hostile).
MAX_OPTIONS = 50


#: Moodle's longest question name.
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class _Out:
    """A question on its way out: its Moodle name and the question (a generated one as if written)."""

    name: str
    question: AuthoredQuestion

    @property
    def type(self) -> str:
        return self.question.type


def as_authored(g: Question) -> AuthoredQuestion:
    """A generated question as the hand-written question it amounts to (its events: those it tests)."""
    name = g.key or g.kind
    base = AuthoredQuestion(
        id=name, type=g.type, prompt=g.prompt, explanation=g.explanation, events=tuple(g.about or ())
    )
    if g.type == "mcq":
        return replace(base, options=g.options, answer=int(g.answer))  # type: ignore[arg-type]
    if g.type == "ordering":
        return replace(base, items=tuple(g.items[i] for i in g.answer))  # type: ignore[union-attr]
    if g.type == "multi":
        return replace(base, options=g.options, fractions=g.fractions)
    if g.type == "truefalse":
        return replace(base, correct=bool(g.answer))
    if g.type in ("numerical", "shortanswer"):
        return replace(base, answers=g.answers, case_sensitive=g.case_sensitive)
    # matching: each stem (items) with its answer among the options; options no stem takes are
    # extra wrong answers.
    taken = list(g.answer)  # type: ignore[arg-type]
    pairs = [Pair(stem, g.options[k]) for stem, k in zip(g.items, taken, strict=False)]
    pairs += [Pair(None, o) for k, o in enumerate(g.options) if k not in taken]
    return replace(base, pairs=tuple(pairs))


def _outgoing(bank: Bank, questions: Iterable[Question] | None) -> list[_Out]:
    """The bank's hand-written questions, then the generated ones."""
    out = [_Out(q.id, q) for q in bank.questions]
    out += [_Out(g.key or g.kind, as_authored(g)) for g in questions or ()]
    return out


def event_tags(q: AuthoredQuestion, case_tag: bool = False) -> list[str]:
    """The Moodle tags a question goes out with: its own tags, then `event:<id>` per event it tests
    (and, with `case_tag`, CASE_TAG for a case-sensitive short answer, which GIFT cannot say)."""
    case = [CASE_TAG] if case_tag and q.type == "shortanswer" and q.case_sensitive else []
    return [*q.tags, *(f"{EVENT_TAG}{e}" for e in q.events), *case]


#: The tag that says a short answer is case-sensitive, in GIFT (Moodle XML has <usecase>).
CASE_TAG = "case-sensitive"


def carriable(q: AuthoredQuestion) -> bool:
    """Whether a question has what its kind needs to go to Moodle at all (else it is left out, with
    a comment saying so)."""
    if q.type == "mcq":
        return q.answer is not None and 0 <= q.answer < len(q.options)
    if q.type == "multi":
        return len(q.options) >= 2
    if q.type == "truefalse":
        return q.correct is not None
    if q.type == "numerical":
        return any(a.value is not None for a in q.answers)
    if q.type == "shortanswer":
        return any(a.text is not None and (a.text.ar.strip() or a.text.en.strip()) for a in q.answers)
    if q.type == "matching":
        return any(p.left is not None for p in q.pairs)
    if q.type == "ordering":
        return len(q.items) >= 2
    return False


#: The tag that carries a question's link to one of the bank's events across Moodle.
EVENT_TAG = "event:"


def category_tag(path: str) -> str:
    """A Moodle category path as a tag: without its context ($course$/, $system$/ ...) and `top/`,
    a doubled / (Moodle's escape) read as one."""
    path = " ".join(path.split())
    path = re.sub(r"^\$[a-z]+\$/", "", path)
    path = re.sub(r"^top(?:/|$)", "", path)
    return path.replace("//", "/").strip("/ ")[:MAX_TAG]


#: The longest tag kept (Moodle's tag names are at most 50 characters; categories longer).
MAX_TAG = 100


def generated_questions(bank: Bank, count: int, seed: int | str = 1) -> list[Question]:
    """Questions generated from the bank's events (not its hand-written ones), to export with them.

    :raise ValueError: when count is negative.
    """
    kinds = tuple(k for k in KINDS if k != "authored")
    return list(generate_quiz(bank, seed, Settings(count=count, kinds=kinds)).questions)


def _category(bank: Bank) -> str:
    """The category path Moodle creates: the title in both languages, `/` doubled as Moodle wants."""
    en, ar = (" ".join(t.split()) for t in (bank.title.en, bank.title.ar))
    title = en if en == ar else f"{en} — {ar}"
    return "$course$/top/" + title[:200].replace("/", "//")  # Moodle keeps 255 characters


@dataclass(frozen=True, slots=True)
class MoodleImport:
    """What a GIFT or Moodle XML file gave.

    `problems`: the questions that cannot be imported, and why; `warnings`: caveats about questions
    imported (a weight or a feedback dropped, no multilang spans) and, in Moodle XML, the questions
    of other types skipped; `categories`: the categories met ($CATEGORY: lines, category entries).
    """

    questions: tuple[AuthoredQuestion, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    categories: tuple[str, ...] = ()


def _in_question(where: str) -> str:
    """A where-path of the one-question bank an imported question is checked in, made the question's."""
    return where.replace("questions[0].", "")


def _refused(question: AuthoredQuestion, path: str, line: int | None) -> list[Problem]:
    """What the bank's rules find wrong with an imported question, at its line in the file."""
    found = validate_bank(Bank(slug="import", title=Text("import", "import"), questions=(question,)))
    out = []
    for p in found:
        # The bank's where-paths, as the file has them: options[1], not questions[0].options[1].
        params = {k: _in_question(v) if isinstance(v, str) else v for k, v in p.params.items()}
        out.append(replace(p, path=path, line=line, where=_in_question(p.where), params=params))
    return out


def _slug(text: str, words: int = 8) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    return "-".join(parts)[:60].strip("-")


#: The longest id kept as a file gives it (longer ones are made into a shorter slug).
MAX_ID = 120


def _question_id(name: str, prompt: Text, line: int | None, fmt: str = "gift") -> str:
    """The name when it is an id already (as our exports write it), else a slug from it, else from
    the English text, else from the line."""
    if SLUG_RE.match(name) and len(name) <= MAX_ID:
        return name
    slug = _slug(name) or _slug(prompt.en, words=6)
    return slug if SLUG_RE.match(slug) else f"{fmt}-{line or 0}"


def _unique(questions: Iterable[AuthoredQuestion], taken: set[str]) -> list[AuthoredQuestion]:
    out = []
    tried: dict[str, int] = {}  # the last suffix tried per id, so that many repeats stay linear
    for q in questions:
        qid, n = q.id, tried.get(q.id, 1)
        while qid in taken:
            n += 1
            qid = f"{q.id}-{n}"
        tried[q.id] = n
        taken.add(qid)
        out.append(q if qid == q.id else replace(q, id=qid))
    return out


def merge_questions(bank: Bank, questions: Iterable[AuthoredQuestion]) -> Bank:
    """The bank with the questions added after its own; an id already taken gets -2, -3, ..."""
    added = _unique(questions, {q.id for q in bank.questions})
    return replace(bank, questions=bank.questions + tuple(added))


# --- texts on their way in: Moodle's formats, and what plain text cannot keep ---------------------------


@dataclass(slots=True)
class Losses:
    """What a text loses on its way to plain text: files (images, sounds, @@PLUGINFILE@@), links
    (their text is kept) and formatting (the tags' names)."""

    files: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    formatting: list[str] = field(default_factory=list)

    def add(self, other: Losses) -> None:
        for mine, theirs in ((self.files, other.files), (self.links, other.links)):
            mine.extend(x for x in theirs if x not in mine)
        self.formatting.extend(x for x in other.formatting if x not in self.formatting)

    def __bool__(self) -> bool:
        return bool(self.files or self.links or self.formatting)

    def problems(self, path: str, line: int | None) -> list[Problem]:
        """One warning per kind of loss, naming what is lost (at most a few of each)."""
        out = []

        def shown(values: list[str]) -> Choices:
            cut = [v if len(v) <= _LOSS_SHOWN else v[: _LOSS_SHOWN - 1] + "…" for v in values[:_LOSSES_SHOWN]]
            if len(values) > _LOSSES_SHOWN:
                cut.append("…")
            return Choices(tuple(cut), style="standard-narrow")

        if self.files:
            out.append(
                Problem(
                    path, line, "",
                    N_("images and other files are dropped (only the text is imported): %(files)s"),
                    {"files": shown(self.files)},
                )
            )  # fmt: skip
        if self.links:
            out.append(
                Problem(
                    path, line, "",
                    N_("links are dropped, their text is kept: %(links)s"),
                    {"links": shown(self.links)},
                )
            )  # fmt: skip
        if self.formatting:
            out.append(
                Problem(
                    path, line, "",
                    N_("formatting is dropped (the text is kept as plain text): %(tags)s"),
                    {"tags": shown(self.formatting)},
                )
            )  # fmt: skip
        return out


#: The most files, links or tags one warning names, and the longest name it quotes.
_LOSSES_SHOWN = 5


_LOSS_SHOWN = 60


#: Moodle's text formats by the names GIFT gives them ([html], [moodle], [plain], [markdown]); Moodle
#: XML's names map onto them (moodle_auto_format: moodle, plain_text: plain, wiki_like: plain).
TEXT_FORMATS = ("moodle", "html", "plain", "markdown")


#: Tags that carry no formatting a plain text loses: paragraphs, line breaks, plain spans.
_HARMLESS = {"p", "div", "br", "span", "bdi", "bdo", "html", "body", "section", "article", "nobr", "wbr"}


#: Tags whose content is a file (src) rather than text.
_MEDIA = {"img", "audio", "video", "source", "track", "iframe", "embed", "object", "image"}


_OPEN_TAG = re.compile(r"<\s*([A-Za-z][A-Za-z0-9]*)\b([^<>]*)>")


_ATTRS = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\s\"'<>?#)]*)")


_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|table)\s*>", re.IGNORECASE)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _file_name(src: str) -> str:
    """A file as a teacher knows it: the name after @@PLUGINFILE@@/, else the address itself."""
    src = src.strip()
    if src.startswith("@@PLUGINFILE@@/"):
        return unquote(src[len("@@PLUGINFILE@@/") :]) or src
    if src.startswith("data:"):
        return src[: src.find(",")] if "," in src else src[:30]
    return src


def html_losses(markup: str) -> Losses:
    """What the HTML holds that plain text cannot: files, links and formatting, each named once."""
    losses = Losses()
    if "<" not in markup and "@@PLUGINFILE@@" not in markup:
        return losses
    for m in _OPEN_TAG.finditer(markup):
        tag = m[1].lower()
        attrs = {
            a[1].lower(): next((v for v in a.groups()[1:] if v is not None), "")
            for a in _ATTRS.finditer(m[2])
        }
        if tag in _MEDIA:
            src = attrs.get("src") or attrs.get("data") or attrs.get("href") or attrs.get("xlink:href") or tag
            name = _file_name(src)
            if name not in losses.files:
                losses.files.append(name)
        elif tag == "a":
            href = attrs.get("href", "").strip()
            if href.startswith("@@PLUGINFILE@@"):
                name = _file_name(href)
                if name not in losses.files:
                    losses.files.append(name)
            elif href and href not in losses.links:
                losses.links.append(href)
        elif tag == "span" and "style" in attrs:
            if "<span style>" not in losses.formatting:
                losses.formatting.append("<span style>")
        elif tag not in _HARMLESS and f"<{tag}>" not in losses.formatting:
            losses.formatting.append(f"<{tag}>")
    for m in _PLUGINFILE.finditer(markup):
        name = unquote(m[1]) or "@@PLUGINFILE@@"
        if name not in losses.files:
            losses.files.append(name)
    return losses


def drop_comments(markup: str) -> str:
    """HTML comments taken out (an unclosed one runs to the end); one pass."""
    if "<!--" not in markup:
        return markup
    parts, pos = [], 0
    while (start := markup.find("<!--", pos)) != -1:
        parts.append(markup[pos:start])
        end = markup.find("-->", start + 4)
        pos = len(markup) if end == -1 else end + 3
    parts.append(markup[pos:])
    return "".join(parts)


_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([ \t]*([^)\s\[(]{0,300})(?:[ \t][^)\n(\[]{0,300})?\)")


_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\([ \t]*([^)\s\[(]{0,300})(?:[ \t][^)\n(\[]{0,300})?\)")


_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)([^\n]{1,300}?)(?<=\S)\1")


_MD_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


_MD_CODE = re.compile(r"`([^`\n]+)`")


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+([^\n]*?)[ \t]*#*[ \t]*$", re.MULTILINE)


def _markdown(markup: str) -> tuple[str, Losses]:
    """Markdown as the plain text it shows: paragraphs (a blank line) kept as lines, a line break
    within one a space, emphasis, code and headings as their text, links as their text, images
    dropped; each kind of markup named as formatting lost. HTML inside is read as HTML."""
    losses = Losses()
    for m in _MD_IMAGE.finditer(markup):
        losses.files.append(_file_name(m[2]) or m[1] or "image")
    text = _MD_IMAGE.sub("", markup)
    for m in _MD_LINK.finditer(text):
        if m[2] and m[2] not in losses.links:
            losses.links.append(m[2])
    text = _MD_LINK.sub(lambda m: m[1], text)
    for pattern, name in ((_MD_STRONG, "**"), (_MD_EM, "*"), (_MD_CODE, "`"), (_MD_HEADING, "#")):
        if pattern.search(text):
            losses.formatting.append(name)
    text = _MD_STRONG.sub(lambda m: m[2], text)
    text = _MD_EM.sub(lambda m: m[1], text)
    text = _MD_CODE.sub(lambda m: m[1], text)
    text = _MD_HEADING.sub(lambda m: m[1], text)
    paragraphs = re.split(r"\n\s*\n", _LINE_BREAK.sub("\n", text))
    joined = "\n".join(" ".join(p.split("\n")).strip() for p in paragraphs if p.strip())
    html_part = html_losses(joined)
    losses.add(html_part)
    return joined, losses


def read_text(fmt: str, markup: str) -> tuple[Text, bool, Losses]:
    """A Moodle text in its format (one of TEXT_FORMATS) as Arabic and English plain text:
    (text, found, losses).

    html: as a browser shows it (a line break in the source is a space; a paragraph or another
    block ends a line; tags and comments go). moodle (Moodle's auto-format): HTML whose line breaks
    are breaks. markdown: see _markdown. plain: the text as written. `found` as in split_multilang;
    `losses` names the files, links and formatting that plain text cannot keep.
    """
    if fmt == "plain":
        text, found = split_multilang(markup, is_html=False)
        return text, found, Losses()
    if fmt == "markdown":
        markup, losses = _markdown(markup)
        markup = _LINE_BREAK.sub("<br>", markup)
    else:
        markup = drop_comments(markup)
        losses = html_losses(markup)
        if fmt != "moodle":
            markup = _LINE_BREAK.sub(" ", markup)
    markup = _MEDIA_TAG.sub("", markup)
    pieces = _BLOCK_END.split(markup)
    if len(pieces) > 1:
        markup = "\n".join(piece.strip(" \t\r\n") for piece in pieces)
    text, found = split_multilang(markup)
    return text, found, losses


#: A media element's opening tag, taken out (its file is named among the losses).
_MEDIA_TAG = re.compile(
    r"<\s*(?:img|audio|video|source|track|iframe|embed|object|image)\b[^<>]*>[ \t]*", re.IGNORECASE
)


# --- questions on their way in ---------------------------------------------------------------------------

#: A text on its way in: (format, markup), the format one of TEXT_FORMATS.
Marked = tuple[str, str]


@dataclass(slots=True)
class Reader:
    """What every Moodle reader collects: questions kept, questions skipped (problems, each with its
    line and why), warnings on the questions kept, and the categories met."""

    path: str
    questions: list[AuthoredQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def problem(self, line: int | None, template: str, **params: object) -> None:
        self.problems.append(Problem(self.path, line, "", template, params))

    def warn(self, line: int | None, template: str, **params: object) -> None:
        self.warnings.append(Problem(self.path, line, "", template, params))

    def texts(self, parts: Iterable[Marked | Text | None]) -> tuple[list[Text | None], bool, Losses]:
        """Each marked text read (read_text); Texts and Nones as they are. Returns the texts,
        whether any lacked multilang spans, and everything lost on the way."""
        out: list[Text | None] = []
        plain, losses = False, Losses()
        for part in parts:
            if part is None or isinstance(part, Text):
                out.append(part)
                continue
            text, found, lost = read_text(*part)
            out.append(text)
            plain = plain or not found
            losses.add(lost)
        return out, plain, losses

    def keep(
        self,
        question: AuthoredQuestion,
        line: int | None,
        plain: bool,
        losses: Losses,
        tags: Iterable[str] = (),
    ) -> bool:
        """Keep a question the bank's rules accept (warning of what it lost); else its problems.

        `tags` are Moodle's (its category's among them): `event:<id>` ones become the question's
        events (checked against the bank when it is merged), the others its tags.
        """
        events: list[str] = []
        labels: list[str] = []
        for raw in tags:
            tag = " ".join(raw.split())
            if tag.startswith(EVENT_TAG) and tag[len(EVENT_TAG) :].strip():
                events.append(tag[len(EVENT_TAG) :].strip())
            elif tag:
                labels.append(tag[:MAX_TAG])
        if question.type == "shortanswer" and CASE_TAG in labels:
            question = replace(question, case_sensitive=True)
            labels = [label for label in labels if label != CASE_TAG]
        question = replace(question, events=tuple(dict.fromkeys(events)), tags=tuple(dict.fromkeys(labels)))
        found = _refused(replace(question, events=()), self.path, line)
        if found:
            self.problems += found
            return False
        self.warnings += losses.problems(self.path, line)
        if plain:
            self.warn(line, N_("no multilang spans: the same text serves Arabic and English"))
        self.questions.append(question)
        return True

    def result(self, nothing: list[Problem] | None = None) -> MoodleImport:
        """What the file gave. :raise BankFileError: when no question was kept (with every reason)."""
        questions = _unique(self.questions, set())  # ids unique within the file: -2, -3, ...
        if not questions:
            found = sorted((*self.problems, *self.warnings), key=lambda p: p.line or 0)
            raise BankFileError(found or nothing or [Problem(self.path, None, "", N_("no question found"))])
        return MoodleImport(
            tuple(questions), tuple(self.problems), tuple(self.warnings), tuple(self.categories)
        )


def too_big(data: str | bytes, path: str, limit: int) -> None:
    """:raise BankFileError: when a file is bigger than `limit` bytes."""
    size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    if size > limit:
        template = N_("the file is too big (%(size)s bytes; at most %(limit)s KB)")
        raise BankFileError([Problem(path, None, "", template, {"size": size, "limit": limit // 1024})])


def decoded(data: str | bytes, path: str) -> str:
    """A file's text (UTF-8, a byte-order mark dropped). :raise BankFileError: when not UTF-8."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            # The codec's words stay English, in a translated frame.
            template, params = N_("not UTF-8 text: %(detail)s"), {"detail": err.reason}
            raise BankFileError([Problem(path, None, "", template, params)]) from None
    return data.removeprefix("\ufeff")


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _is_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def bilingual(ar: str, en: str) -> Text | None:
    """Two plain answers that are one answer in both languages: one in Arabic script, the other
    not (the order does not matter); None otherwise."""
    if _is_arabic(ar) and not _is_arabic(en):
        return Text(ar, en)
    if _is_arabic(en) and not _is_arabic(ar):
        return Text(en, ar)
    return None


def split_pair(text: str) -> Text:
    """A plain text written "عربي / English" (as matching answers go out) as its two languages;
    any other text serves both."""
    parts = text.split(" / ")
    if len(parts) == 2 and (pair := bilingual(parts[0].strip(), parts[1].strip())):
        return pair
    return Text(text, text)


def join_pair(text: Text) -> str:
    """A text as one plain line in both languages: "عربي / English", or the one text if they agree."""
    return " / ".join(dict.fromkeys(" ".join(t.split()) for t in (text.ar, text.en) if t.strip()))


def merge_answers(answers: list[Accepted]) -> list[Accepted]:
    """Short answers as Moodle holds them (one language each) paired back into both languages: an
    answer in Arabic script next to one that is not, with the same credit, is one answer (scoring
    accepts either language)."""
    out: list[Accepted] = []
    k = 0
    while k < len(answers):
        a = answers[k]
        b = answers[k + 1] if k + 1 < len(answers) else None
        if (
            b is not None and a.text is not None and b.text is not None
            and a.fraction == b.fraction and a.feedback == b.feedback
            and (pair := bilingual(a.text.ar, b.text.ar))
        ):  # fmt: skip
            out.append(replace(a, text=pair))
            k += 2
        else:
            out.append(a)
            k += 1
    return out
