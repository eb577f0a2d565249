"""Errors of the credit context.

Hierarchy::

    CreditError
    ├── CreditRulesError        the declared rules (YAML) are malformed or inconsistent
    ├── CreditRecordError       a credit record or flag is invalid (bad date, kind, severity …)
    ├── ListingError            blacklist listing / lifting refused (already lifted, too early …)
    ├── RepairNotAllowed        credit repair refused (kind not repairable, period not over …)
    ├── CommitmentNotAllowed    a credit commitment cannot replace the missing materials
    └── NotAnEnterprise         (403) a credit class asked for by an account that is no enterprise

Messages are Chinese first, then English, and name the record, rule or item concerned.
"""

from __future__ import annotations

from yiwang.errors import BilingualError


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


class NotAnEnterprise(CreditError, BilingualError):
    code = "not_an_enterprise"

    def __init__(self) -> None:
        super().__init__("信用分类只适用于企业等市场主体账号", "credit classes apply to enterprise accounts only")
