"""Errors of the double-random inspection context.

Hierarchy::

    InspectionError
    ├── PlanError           an inspection plan is malformed or breaks the rules of plan 9
    ├── RosterError         a roster (enterprises or inspectors) is malformed or inconsistent
    ├── DrawError           a draw cannot be made (bad seed, roster/plan mismatch)
    ├── PublicationError    published draw files are missing or unreadable
    ├── ResultError         an inspection result is invalid (unknown item, missing severity …)
    └── NotPublished        (404) no published draw of that plan, or no such published file

Messages are Chinese first, then English, and name the plan, enterprise, line or file concerned.
"""

from __future__ import annotations

from yiwang.errors import BilingualError


class InspectionError(Exception):
    """Root of the inspections context's errors."""


class PlanError(InspectionError):
    """An inspection plan is invalid."""


class RosterError(InspectionError):
    """A roster of enterprises or inspectors is invalid."""


class DrawError(InspectionError):
    """A draw cannot be made."""


class PublicationError(InspectionError):
    """Published draw files are missing or malformed."""


class ResultError(InspectionError):
    """An inspection result is invalid."""


class NotPublished(InspectionError, BilingualError):
    """Asked of the public pages: a draw not (yet) published, or a file a draw does not have."""

    code = "draw_not_found"

    def __init__(self, message_zh: str, message_en: str, code: str = "draw_not_found") -> None:
        self.code = code
        super().__init__(message_zh, message_en)
