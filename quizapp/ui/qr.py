"""QR codes drawn on the server (segno), as inline SVG: no script, no outside service."""

from __future__ import annotations

import io

import segno
from markupsafe import Markup


def qr_svg(text: str) -> Markup:
    """A QR code of `text` as inline SVG; it scales with its box (viewBox, no size), and its dark
    modules are one path."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=1, border=4, xmldecl=False, svgclass="qr-code", lineclass=None, omitsize=True
    )
    svg = out.getvalue().decode("ascii")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
