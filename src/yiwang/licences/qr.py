"""QR codes for licence codes (segno), as inline SVG for pages and PNG for print.

The prefix (``YW1:``) goes into an alphanumeric segment and the digits into a numeric
segment, which is what makes the decimal payload compact (see :mod:`.payload`).

Mask choice: the QR standard asks the encoder to try all eight masks and keep the one with
the lowest penalty; segno does that in pure Python, which costs three quarters of the time of
making a symbol (~17 of 22 ms at version 19). A licence payload is high-entropy (decimal
digits of a byte string ending in a 64-byte signature), so the eight masks score alike: over
random payloads of licence size the fixed mask scores within a few per cent of the best one.
Readers read the mask from the format information, so any mask decodes; we use a fixed mask
by default and keep ``best_mask=True`` for callers that prefer the standard's search.
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any, cast

import segno

ERROR_LEVEL = "M"
FIXED_MASK = 2
QUIET_ZONE = 4  # modules of light border the standard asks for
_DARK_RUN = re.compile(rb"\x01+")
_TRAILING_DIGITS = re.compile(r"[0-9]+\Z")


def make_qr(text: str, *, best_mask: bool = False) -> segno.QRCode:
    """The QR symbol of ``text`` at error correction M or better (segno raises the level when
    the same version has room for it)."""
    digits = _TRAILING_DIGITS.search(text)
    content: str | list[tuple[str, None]]
    if digits is not None and digits.start() > 0:
        content = [(text[: digits.start()], None), (digits.group(), None)]
    else:
        content = text
    return segno.make(
        cast(Any, content),  # segno's hints omit its documented list-of-segments form
        error=ERROR_LEVEL,
        micro=False,
        mask=None if best_mask else FIXED_MASK,
        boost_error=True,
    )


def matrix_svg(
    matrix: tuple[bytearray, ...] | list[bytearray],
    *,
    border: int = QUIET_ZONE,
    label: str = "QR code",
    css_class: str = "qr",
) -> str:
    """A compact, standalone SVG of a QR matrix: one path of dark runs, scalable by CSS."""
    size = len(matrix) + 2 * border
    runs = []
    for y, row in enumerate(matrix, start=border):
        for run in _DARK_RUN.finditer(bytes(row)):
            runs.append(
                f"M{run.start() + border} {y}h{run.end() - run.start()}v1H{run.start() + border}z"
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(label)}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def qr_svg(text: str, *, label: str = "QR code", best_mask: bool = False) -> str:
    """Inline SVG markup of the QR code of ``text``."""
    return matrix_svg(make_qr(text, best_mask=best_mask).matrix, label=label)


def qr_png(text: str, scale: int = 4, *, best_mask: bool = False) -> bytes:
    """PNG bytes of the QR code of ``text``, ``scale`` pixels a module, with quiet zone."""
    buffer = io.BytesIO()
    make_qr(text, best_mask=best_mask).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()
