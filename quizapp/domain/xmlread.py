"""XML that someone uploads, read safely: no DTD (so no entity, no billion laughs, no external
reference), and the line of each element kept, so that a problem can name it.

defusedxml's parser refuses the DTD; expat reports where a file stops being XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError


class XmlRefused(ValueError):
    """A file that is not XML, declares a DTD (`forbidden`) or has too many elements (`too_many`).

    `line` is where the parser stopped, `detail` expat's own words (English).
    """

    def __init__(
        self, line: int | None, detail: str, forbidden: bool = False, too_many: bool = False
    ) -> None:
        super().__init__(f"line {line}: {detail}")
        self.line = line
        self.detail = detail
        self.forbidden = forbidden
        self.too_many = too_many  # more elements than the caller allows


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """A parsed file: its root element, and the line where each element starts."""

    root: ET.Element
    lines: dict[int, int]

    def line(self, element: ET.Element | None) -> int | None:
        """The line of an element's start tag (None for an element not from this file)."""
        return None if element is None else self.lines.get(id(element))


class _Builder:
    """ElementTree's builder, noting the parser's line as each element starts."""

    def __init__(self, max_elements: int) -> None:
        self.max_elements = max_elements
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.expat: object = None  # the expat parser, set once the parser exists

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        line = self.expat.CurrentLineNumber  # type: ignore[attr-defined]
        if len(self.lines) >= self.max_elements:
            raise XmlRefused(line, f"more than {self.max_elements} elements", too_many=True)
        element = self.builder.start(tag, attrs)
        self.lines[id(element)] = line
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def close(self) -> ET.Element:
        return self.builder.close()


#: Elements a document may have: a Moodle question takes about 20, so a 1 MB export has some
#: 15,000; a file of 150,000 tiny nested elements would take seconds of CPU to read.
MAX_ELEMENTS = 50_000


def parse_xml(data: bytes | str, max_elements: int = MAX_ELEMENTS) -> XmlDocument:
    """The document in `data` (bytes in the encoding they declare, or text).

    :raise XmlRefused: when it is not well-formed XML, declares a DTD (entities included), or has
        more than `max_elements` elements (it stops reading there).
    """
    builder = _Builder(max_elements)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except ParseError as err:
        line = err.position[0] if err.position else None
        raise XmlRefused(line, ErrorString(err.code)) from None
    except DefusedXmlException as err:
        line = parser.parser.CurrentLineNumber
        raise XmlRefused(line, type(err).__name__, forbidden=True) from None
    return XmlDocument(root, builder.lines)
