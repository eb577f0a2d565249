"""Catalog errors.

CatalogError
 ├── CatalogInvalid      one or more problems in the catalog files (all listed at once)
 └── UnknownCatalogEntry an item or bundle code that the catalog does not hold
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CatalogProblem:
    """One problem, located by file, entry (item/bundle code) and field path."""

    file: str
    entry: str
    field: str
    message: str
    # Found by a check added after catalogs were first stored (a label cut at a comma, a file
    # nothing reads …): it refuses a catalog being checked or published, but a version
    # already stored, which running cases are pinned to, still loads as it did.
    authoring: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f" [{self.entry}]"
        if self.field:
            where += f" {self.field}"
        return f"{where}: {self.message}"


class CatalogError(Exception):
    """Base of catalog errors."""


class CatalogInvalid(CatalogError):
    def __init__(self, problems: list[CatalogProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(
            f"目录有 {len(problems)} 处错误 / catalog has {len(problems)} problem(s):\n{lines}"
        )


class UnknownCatalogEntry(CatalogError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"目录中没有事项 {code} / no catalog entry {code}")
