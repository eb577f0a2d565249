"""Who may act for an enterprise (企业授权委托).

An enterprise account is used by a person: either the legal representative (法定代表人) the
legal-entity registry records today, or an agent (经办人) holding an authorisation the
enterprise granted through its legal representative. An authorisation is recorded (who
granted it, when), scoped (``read``: the enterprise's cases, forms, licences and data-access
log; ``file``: applications, uploads and supplements in its name), revocable and expiring.

Standing is checked on every request that resolves an enterprise account (`admit`), not only
at sign-up: a revoked or expired authorisation, or a legal representative replaced in the
registry, ends access at the next request.
"""

from __future__ import annotations

import logging
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from yiwang.accounts import policy
from yiwang.accounts.errors import Forbidden, InvalidAccountData
from yiwang.accounts.identity_models import Authorisation
from yiwang.accounts.identity_ports import IdentityStore
from yiwang.accounts.models import Account
from yiwang.accounts.proof_errors import AuthorisationLapsed, AuthorisationNotFound
from yiwang.identity.errors import FieldProblem, InvalidIdentifier
from yiwang.identity.numbers import validate_id_number

log = logging.getLogger(__name__)

SCOPES: dict[str, tuple[str, str]] = {
    "read": ("查看企业办件、表单、证照和数据访问记录", "read the enterprise's cases, forms, licences and data-access log"),
    "file": ("以企业名义申请、上传材料、答复补正", "file applications, upload materials and answer supplements in its name"),
}
ALL_SCOPES = frozenset(SCOPES)
# Assumption (no statute fixes it): an authorisation lasts at most one year, like the
# annual 授权委托书 banks and tax offices accept; the legal representative renews it.
MAX_DAYS = 366


def agent_username(credit_code: str, agent_id: str) -> str:
    """An agent's own login for an enterprise: the credit code and the agent's ID number."""
    return f"{credit_code}-{agent_id}".lower()


def active_grant(store: IdentityStore, credit_code: str, agent_id: str, now: datetime) -> Authorisation | None:
    grants = [grant for grant in store.grants(credit_code, agent_id) if grant.active(now)]
    if not grants:
        return None
    # Several live grants: the agent may do what any of them allows, until the last expires.
    scopes = frozenset().union(*(grant.scopes for grant in grants))
    latest = max(grants, key=lambda grant: grant.expires_at)
    return replace(latest, scopes=scopes)


def standing(store: IdentityStore, credit_code: str, person_id: str, now: datetime) -> frozenset[str]:
    """What ``person_id`` may do for the enterprise today: all for its legal representative,
    the granted scopes for an authorised agent, nothing otherwise."""
    if store.legal_rep_of(credit_code) == person_id:
        return ALL_SCOPES
    grant = active_grant(store, credit_code, person_id, now)
    return grant.scopes if grant is not None else frozenset()


class EnterpriseAuthority:
    def __init__(self, store: IdentityStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def admit(self, account: Account) -> Account:
        """The account as it may act now; refuses an enterprise user without standing."""
        if not account.is_enterprise or account.subject_id is None or account.agent_id is None:
            return account
        scopes = standing(self.store, account.subject_id, account.agent_id, self.clock())
        if not scopes:
            log.warning("enterprise account %s refused: no standing for its user", account.username)
            raise AuthorisationLapsed()
        return replace(account, enterprise_scopes=scopes)

    def _require_legal_rep(self, account: Account) -> str:
        legal_rep = self.store.legal_rep_of(account.subject_id) if account.is_enterprise and account.subject_id else None
        if not policy.can_manage_authorisations(account, legal_rep):
            raise Forbidden("只有企业的法定代表人可以授权或撤销授权", "only the enterprise's legal representative may grant or revoke")
        assert account.subject_id is not None  # the policy checked it
        return account.subject_id

    def list(self, account: Account) -> Sequence[Authorisation]:
        return self.store.grants(self._require_legal_rep(account))

    def grant(self, account: Account, agent_id: str, agent_name: str, scopes: Iterable[str], days: int) -> Authorisation:
        problems: list[FieldProblem] = []
        now = self.clock()
        try:
            agent_id = validate_id_number(agent_id, today=now.date())
        except InvalidIdentifier as error:
            problems.append(error.to_problem("agent_id"))
        agent_name = unicodedata.normalize("NFKC", agent_name).strip()
        if not agent_name or len(agent_name) > 60 or any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in agent_name):
            problems.append(FieldProblem("agent_name", "required", "请填写经办人姓名", "the agent's name is required"))
        chosen = frozenset(scopes)
        if not chosen or not chosen <= ALL_SCOPES:
            problems.append(FieldProblem("scopes", "invalid", "请选择授权范围：read（查看）或 file（办理）", "choose scopes from read, file"))
        if not 1 <= days <= MAX_DAYS:
            problems.append(FieldProblem("days", "out_of_range", f"授权期限为 1 至 {MAX_DAYS} 天", f"an authorisation lasts 1 to {MAX_DAYS} days"))
        if problems:
            raise InvalidAccountData(problems)
        credit_code = self._require_legal_rep(account)
        registered = self.store.person(agent_id)
        if registered is None or registered[0] != agent_name:
            # The legal representative is signed in and accountable; telling them the
            # agent's details do not match is what a bank's counter would say too.
            raise InvalidAccountData(
                [FieldProblem("agent_name", "real_name_rejected", "经办人姓名与公民身份号码不一致", "the agent's name does not match the ID number")]
            )
        if agent_id == account.agent_id:
            raise InvalidAccountData(
                [FieldProblem("agent_id", "self", "法定代表人无需授权本人", "the legal representative needs no authorisation")]
            )
        grant = self.store.add_grant(
            {
                "id": "au_" + secrets.token_urlsafe(18),
                "credit_code": credit_code,
                "agent_id": agent_id,
                "agent_name": agent_name,
                "scopes": sorted(chosen),
                "granted_by": account.agent_id,
                "granted_at": now,
                "expires_at": now + timedelta(days=days),
                "revoked_at": None,
                "revoked_by": None,
            }
        )
        log.info("enterprise %s authorised an agent for %s (%d days)", credit_code, sorted(chosen), days)
        return grant

    def revoke(self, account: Account, authorisation_id: str) -> Authorisation:
        if not is_token(authorisation_id):
            raise AuthorisationNotFound()
        credit_code = self._require_legal_rep(account)
        revoked = self.store.revoke_grant(authorisation_id, credit_code, self.clock(), account.agent_id or "")
        if revoked is None:
            raise AuthorisationNotFound()
        log.info("enterprise %s revoked authorisation %s", credit_code, authorisation_id)
        return revoked


def is_token(text: str) -> bool:
    """Identifiers this package hands out: letters, digits, ``-`` and ``_`` (nothing a
    database or a log could choke on)."""
    return 0 < len(text) <= 40 and text.isascii() and all(ch.isalnum() or ch in "-_" for ch in text)
