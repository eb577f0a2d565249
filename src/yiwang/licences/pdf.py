"""A licence as PDF: the printable page printed by a headless Chromium.

Chinese text needs a CJK font, and a PDF library with font embedding adds a large dependency.
Debian's Chromium with fonts-noto-cjk (what `make test` installs for the browser tests)
already lays the page out exactly as the browser shows it, so the PDF is that print. Without
a Chromium the caller gets `PdfUnavailable` and can offer the printable page instead.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from yiwang.licences.errors import LicenceError

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class PdfUnavailable(LicenceError):
    """No Chromium on this machine to print the page with."""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str, *, chromium: str | None = None, timeout: float = 60) -> bytes:
    binary = chromium or find_chromium()
    if binary is None:
        raise PdfUnavailable(
            "本机没有 Chromium，无法生成 PDF，请使用可打印页面 / no Chromium here to print the PDF; use the printable page"
        )
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "licence.html"
        out = Path(tmp) / "licence.pdf"
        page.write_text(html, encoding="utf-8")
        result = subprocess.run(
            [
                binary,
                *_FLAGS,
                f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0 or not out.exists():
            raise PdfUnavailable(
                f"Chromium 打印失败 / Chromium could not print the page (exit {result.returncode})"
            )
        return out.read_bytes()
