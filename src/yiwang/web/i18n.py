"""Translations: the pages are written in Chinese; English comes from a gettext catalog
(``locale/en/LC_MESSAGES/*.po``: ``messages.po`` and one file per later area, so parallel
work does not collide in one file), read at start-up with Babel (no compile step)."""

from __future__ import annotations

import contextvars
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")

current_language: contextvars.ContextVar[str] = contextvars.ContextVar("yiwang_language", default="zh")


@lru_cache(maxsize=4)
def messages(language: str) -> dict[str, str]:
    if language == "zh":
        return {}
    found: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        found.update({str(m.id): str(m.string) for m in catalog if m.id and m.string and isinstance(m.id, str)})
    return found


def gettext(message: str) -> str:
    return messages(current_language.get()).get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def pick(zh: str, en: str) -> str:
    """Catalog data carries both languages; choose by the current one."""
    return en if current_language.get() == "en" and en else zh
