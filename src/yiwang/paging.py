"""Pages of a list: shared by the read models (db/) and the use cases that show them, so a
use case can speak of a page without importing the database layer."""

from __future__ import annotations

from typing import TypeVar

from yiwang.errors import Refused

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

_Row = TypeVar("_Row")


class Page(list[_Row]):
    """One page of a list, most urgent first; `after` is the opaque position of the next page
    (None on the last page). A list, so callers that only show rows need not change."""

    after: str | None = None


def page_size(limit: int | None) -> int:
    if limit is None:
        return PAGE_SIZE
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise Refused(422, "invalid_limit", f"每页条数须在 1 到 {MAX_PAGE_SIZE} 之间", f"limit must be between 1 and {MAX_PAGE_SIZE}")
    return limit
