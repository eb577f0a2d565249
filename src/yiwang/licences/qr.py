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
from urllib.parse import urlsplit

import segno

ERROR_LEVEL = "M"
FIXED_MASK = 2
QUIET_ZONE = 4  # modules of light border the standard asks for
_DARK_RUN = re.compile(rb"\x01+")
_TRAILING_DIGITS = re.compile(r"[0-9]+\Z")


VERIFY_PATH = "/V/"


def verification_address(base_url: str, qr_text: str) -> str:
    """The address a QR code carries: the platform's verify page with the signed code in the
    path (``HTTP://HOST:PORT/V/YW1:…``), so a phone camera opens the result, while the code
    after the address still verifies offline on its own.

    Scheme and host are case-insensitive, so they are written in capitals: then the whole
    address before the digits fits the QR alphanumeric mode (5.5 bits a character) and the
    digits stay in numeric mode (see :func:`make_qr`). ``base_url`` without a scheme or
    host (or with a path, which the payload parser does not accept) gives the bare code.
    """
    parts = urlsplit(base_url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
        return qr_text
    return f"{parts.scheme.upper()}://{parts.netloc.upper()}{VERIFY_PATH}{qr_text}"


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
