"""Catalog search by Chinese text: names, aliases and pinyin initials (开公司 = kgs).

One index per catalog version, built on first use; a query is a scan of a few hundred short
strings, well under a millisecond.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from yiwang.catalog.models import CatalogSpec


@dataclass(frozen=True, slots=True)
class SearchHit:
    code: str
    kind: str  # "bundle" | "item"
    name_zh: str
    name_en: str
    matched: str
    score: int


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    kind: str
    name_zh: str
    name_en: str
    texts: tuple[str, ...]
    initials: tuple[str, ...]


def _initials(text: str) -> str:
    return "".join(part[:1] for part in lazy_pinyin(text, style=Style.FIRST_LETTER) if part).lower()


def _normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


class SearchIndex:
    def __init__(self) -> None:
        self._entries: dict[str, list[_Entry]] = {}
        self._lock = threading.Lock()

    def _build(self, catalog: CatalogSpec) -> list[_Entry]:
        entries = []
        for bundle in catalog.bundles.values():
            texts = (bundle.name.zh, *bundle.aliases)
            entries.append(
                _Entry(bundle.code, "bundle", bundle.name.zh, bundle.name.en, texts, tuple(_initials(x) for x in texts))
            )
        for item in catalog.items.values():
            texts = (item.name.zh, *item.aliases)
            entries.append(
                _Entry(item.code, "item", item.name.zh, item.name.en, texts, tuple(_initials(x) for x in texts))
            )
        return entries

    def entries(self, catalog: CatalogSpec) -> list[_Entry]:
        with self._lock:
            found = self._entries.get(catalog.version)
            if found is None:
                found = self._build(catalog)
                self._entries[catalog.version] = found
            return found

    def search(self, catalog: CatalogSpec, query: str, limit: int = 20) -> list[SearchHit]:
        needle = _normalise(query)[:50]
        if not needle:
            return []
        ascii_query = needle.isascii() and needle.isalpha()
        hits = []
        for entry in self.entries(catalog):
            best: tuple[int, str] | None = None
            for text, initials in zip(entry.texts, entry.initials, strict=True):
                key = _normalise(text)
                score = 0
                if key == needle:
                    score = 100
                elif key.startswith(needle):
                    score = 80
                elif needle in key:
                    score = 60
                elif ascii_query and initials.startswith(needle):
                    score = 50
                elif ascii_query and needle in initials:
                    score = 40
                elif needle in entry.name_en.lower() or needle in entry.code:
                    score = 30
                if score and (best is None or score > best[0]):
                    best = (score, text)
            if best is not None:
                # Bundles first at equal score: one application covers the whole event.
                bonus = 5 if entry.kind == "bundle" else 0
                hits.append(SearchHit(entry.code, entry.kind, entry.name_zh, entry.name_en, best[1], best[0] + bonus))
        hits.sort(key=lambda hit: (-hit.score, hit.kind != "bundle", hit.code))
        return hits[:limit]
