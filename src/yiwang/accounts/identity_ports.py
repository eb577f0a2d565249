"""What sign-up, enterprise authorisations and consent need from storage;
`yiwang.db.identity_repo` implements it. Each method is one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from yiwang.accounts.identity_models import Authorisation, Challenge, ConsentRequest
from yiwang.identity.consent import ConsentStatus
from yiwang.registries.models import AccessRecord


class IdentityStore(Protocol):
    # --- registries ------------------------------------------------------------------------

    def person(self, id_number: str) -> tuple[str, str] | None:
        """(name, phone on record) from the population registry."""

    def legal_rep_of(self, credit_code: str) -> str | None: ...

    def enterprise_name(self, credit_code: str) -> str | None: ...

    # --- sign-up -----------------------------------------------------------------------------

    def signup_counts(self, id_number: str, phone: str, client_ip: str, since: datetime) -> tuple[int, int, int]:
        """Challenges opened after `since` for this ID number, this phone, this address (as last
        committed: an early look, `add_challenge` decides)."""

    def username_taken(self, username: str) -> bool: ...

    def add_challenge(
        self,
        values: Mapping[str, Any],
        since: datetime,
        check: Callable[[tuple[int, int, int]], None],
        message: Mapping[str, Any],
        reads: Sequence[AccessRecord],
    ) -> None:
        """Stores the challenge, ``message`` in the outbox and ``reads`` in the access log, if ``check`` accepts `signup_counts` for its ID number, phone
        and client address as they stand just before the insert. Count and insert are one
        transaction, serialised against every other sign-up for the same ID number, phone or
        address, so a burst cannot pass the limits together. ``check`` refuses by raising;
        nothing is stored then."""

    def count_guess(self, challenge_id: str, max_attempts: int, now: datetime) -> Challenge | None:
        """Counts a guess on a live challenge (not used up, not expired, guesses left) and
        returns it; None when no guess may be made."""

    def create_account(
        self, challenge_id: str, now: datetime, values: Mapping[str, Any], reads: Sequence[AccessRecord] = ()
    ) -> int | None:
        """Marks the challenge used, inserts the account and logs ``reads`` (the registry reads
        the confirmation made), in one transaction; None when the
        challenge was already used; `AccountExists` when the user name is taken."""

    # --- authorisations ----------------------------------------------------------------------

    def grants(self, credit_code: str, agent_id: str | None = None) -> Sequence[Authorisation]: ...

    def add_grant(self, values: Mapping[str, Any]) -> Authorisation: ...

    def revoke_grant(self, grant_id: str, credit_code: str, now: datetime, by: str) -> Authorisation | None: ...

    # --- consent -------------------------------------------------------------------------------

    def consents_of_person(self, person_id: str) -> Sequence[ConsentRequest]: ...

    def answer_consent(self, consent_id: str, person_id: str, status: ConsentStatus, now: datetime) -> ConsentRequest | None: ...

    def consents_of_case(self, case_id: str) -> Sequence[ConsentRequest]: ...
