"""Moodle's multi-language texts: both languages in one string, and back."""

from __future__ import annotations

import html
import re

from ..bank import LANGS, Text


def multilang(text: Text) -> str:
    """Both languages as Moodle's multilang spans; the texts HTML-escaped, line breaks as <br>."""
    return "".join(
        f'<span lang="{lang}" class="multilang">{_to_html(text.get(lang))}</span>' for lang in LANGS
    )


def _to_html(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=False).replace("\n", "<br>")


_SPAN = re.compile(r"<span\b([^<>]*)>", re.IGNORECASE)


_ATTR = re.compile(r"""([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


_CLOSE = "</span>"


_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _span_lang(attributes: str) -> str | None:
    """The lang of a multilang span's attributes; None when it is some other span."""
    attrs = {m[1].lower(): m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(attributes)}
    if "multilang" not in attrs.get("class", "").split() or not attrs.get("lang"):
        return None
    return attrs["lang"].strip().lower()


def _lang_blocks(text: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """Moodle's "lang blocks": two or more multilang spans apart only by whitespace.

    (start, end, [(lang, content), ...]) each; a span's content ends at the first </span>, as in
    Moodle's filter. One pass: every search starts past the previous block.
    """
    blocks = []
    pos = 0
    while m := _SPAN.search(text, pos):
        lang = _span_lang(m[1])
        if lang is None:
            pos = m.end()
            continue
        close = text.find(_CLOSE, m.end())
        if close == -1:
            break
        spans = [(lang, text[m.end() : close])]
        end = close + len(_CLOSE)
        while True:
            k = end
            while k < len(text) and text[k] in " \t\r\n":
                k += 1
            nxt = _SPAN.match(text, k)
            other = _span_lang(nxt[1]) if nxt else None
            close = text.find(_CLOSE, nxt.end()) if nxt and other else -1
            if close == -1:
                break
            spans.append((other, text[nxt.end() : close]))  # type: ignore[arg-type, union-attr]
            end = close + len(_CLOSE)
        if len(spans) >= 2:
            blocks.append((m.start(), end, spans))
        pos = end
    return blocks


def _pick(spans: list[tuple[str, str]], lang: str) -> str:
    """As the filter does: the spans in the language, else in a variant of it, else the first."""
    for match in (lambda code: code == lang, lambda code: re.split(r"[_-]", code)[0] == lang):
        chosen = [content for code, content in spans if match(code)]
        if chosen:
            return "".join(chosen)
    return spans[0][1]


_MLANG_OPEN = re.compile(r"\{\s*mlang\s+([a-z0-9_-]+(?:\s*,\s*[a-z0-9_-]+)*)\s*\}", re.IGNORECASE)


_MLANG_CLOSE = re.compile(r"\{\s*mlang\s*\}", re.IGNORECASE)


def _mlang_blocks(text: str) -> list[tuple[int, int, list[str], str]]:
    """filter_multilang2's blocks, `{mlang xx,yy}…{mlang}`: (start, end, languages, content) each.

    A block ends at the first {mlang} after it opens, as the filter's lazy pattern does; an opening
    without its end is text. One pass: every search starts past the previous block.
    """
    blocks = []
    pos = 0
    while m := _MLANG_OPEN.search(text, pos):
        close = _MLANG_CLOSE.search(text, m.end())
        if close is None:
            break
        langs = [code.strip().lower().replace("-", "_") for code in m[1].split(",")]
        blocks.append((m.start(), close.end(), langs, text[m.end() : close.start()]))
        pos = close.end()
    return blocks


def _mlang_pick(text: str, blocks: list[tuple[int, int, list[str], str]], lang: str) -> str:
    """As filter_multilang2 shows it: the blocks in the language (or a variant), else the `other`
    blocks; every other block is dropped."""

    def shown(wanted: str) -> tuple[str, bool]:
        parts, pos, hit = [], 0, False
        for start, end, langs, content in blocks:
            match = any(code == wanted or code.split("_")[0] == wanted for code in langs)
            parts += [text[pos:start], content if match else ""]
            hit, pos = hit or match, end
        parts.append(text[pos:])
        return "".join(parts), hit

    out, hit = shown(lang)
    return out if hit else shown("other")[0]


def split_multilang(markup: str, is_html: bool = True) -> tuple[Text, bool]:
    """The Arabic and English a text shows through Moodle's filters, as plain text.

    Both forms are read: multilang spans and `{mlang xx}…{mlang}` blocks. Returns (text, found):
    `found` is False when the text has neither, and then both languages get the same text. With
    `is_html`, tags are dropped (<br> kept as a line break) and entities decoded.
    """
    mlang = _mlang_blocks(markup)
    spans: dict[str, list] = {}
    out = []
    for lang in LANGS:
        text = _mlang_pick(markup, mlang, lang) if mlang else markup
        if text not in spans:
            spans[text] = _lang_blocks(text)
        parts, pos = [], 0
        for start, end, block in spans[text]:
            parts += [text[pos:start], _pick(block, lang)]
            pos = end
        parts.append(text[pos:])
        shown = "".join(parts)
        if is_html:
            shown = html.unescape(_TAG.sub("", _BR.sub("\n", shown)))
        out.append(shown.strip())
    return Text(ar=out[0], en=out[1]), bool(mlang) or any(spans.values())
