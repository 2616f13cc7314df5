"""Check-in links as QR codes, drawn as inline SVG: no image files, no script, sharp in print."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup

# Medium error correction survives a creased or smudged printout; never a Micro QR, which
# ordinary phone cameras do not read.
ERROR_LEVEL = "m"


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


@lru_cache(maxsize=4096)
def qr_svg(url: str, scale: int = 3) -> Markup:
    """The link's QR code as an <svg> element to put straight into a page.

    Cached: encoding is the slow part of a 130-hall sheet, and a link only changes when renewed.
    """
    svg = qr_code(url).svg_inline(scale=scale, svgclass="qr", title=url)
    return Markup(svg)  # segno escapes the title; the rest is markup it generated
