"""A QR code for a web address, as SVG inside the page (segno: maintained, pure Python, no image files)."""

from __future__ import annotations

import segno
from markupsafe import Markup, escape


def qr_svg(address: str, name: str) -> Markup:
    """`address` as a QR code at error level M (still reads with a fold or a pin through it), named for screen
    readers; its address is written beside it on the page for anyone who cannot scan it. A viewBox and no fixed
    size, so the stylesheet sizes it whole (on screen, and 35 mm on paper)."""
    code = segno.make_qr(address, error="m", boost_error=False)
    svg = code.svg_inline(border=4, dark="#0b0c0c", light="#ffffff", svgclass="coprod-qr", omitsize=True)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(name)}" ', 1))
