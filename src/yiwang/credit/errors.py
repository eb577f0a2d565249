"""Errors of the credit context.

Hierarchy::

    CreditError
    ├── CreditRulesError        the declared rules (YAML) are malformed or inconsistent
    ├── CreditRecordError       a credit record or flag is invalid (bad date, kind, severity …)
    ├── ListingError            blacklist listing / lifting refused (already lifted, too early …)
    ├── RepairNotAllowed        credit repair refused (kind not repairable, period not over …)
    └── CommitmentNotAllowed    a credit commitment cannot replace the missing materials

Messages are Chinese first, then English, and name the record, rule or item concerned.
"""

from __future__ import annotations


class CreditError(Exception):
    """Root of the credit context's errors."""


class CreditRulesError(CreditError):
    """The classification rules document is invalid."""


class CreditRecordError(CreditError):
    """A credit record, flag or input file is invalid."""


class ListingError(CreditError):
    """A blacklist or abnormal-operation listing change is refused."""


class RepairNotAllowed(CreditError):
    """Credit repair is refused for a record."""


class CommitmentNotAllowed(CreditError):
    """A credit commitment (告知承诺) may not be used for this submission."""
