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
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

from yiwang.accounts.errors import Forbidden, InvalidAccountData
from yiwang.accounts.models import Account, Role
from yiwang.accounts.proof_errors import AuthorisationLapsed, AuthorisationNotFound
from yiwang.db import tables as t
from yiwang.db import tables_identity as ti
from yiwang.db.engine import read_connection
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


@dataclass(frozen=True, slots=True)
class Authorisation:
    id: str
    credit_code: str
    agent_id: str
    agent_name: str
    scopes: frozenset[str]
    granted_by: str
    granted_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        return "revoked" if self.revoked_at is not None else "granted"


def agent_username(credit_code: str, agent_id: str) -> str:
    """An agent's own login for an enterprise: the credit code and the agent's ID number."""
    return f"{credit_code}-{agent_id}".lower()


def _row(row: Row[Any]) -> Authorisation:
    return Authorisation(
        id=row.id,
        credit_code=row.credit_code,
        agent_id=row.agent_id,
        agent_name=row.agent_name,
        scopes=frozenset(row.scopes),
        granted_by=row.granted_by,
        granted_at=row.granted_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


def legal_rep_of(connection: Connection, credit_code: str) -> str | None:
    value = connection.execute(
        select(t.enterprises.c.legal_rep_id).where(t.enterprises.c.credit_code == credit_code)
    ).scalar()
    return str(value) if value is not None else None


def active_grant(connection: Connection, credit_code: str, agent_id: str, now: datetime) -> Authorisation | None:
    rows = connection.execute(
        select(ti.enterprise_authorisations).where(
            ti.enterprise_authorisations.c.credit_code == credit_code,
            ti.enterprise_authorisations.c.agent_id == agent_id,
            ti.enterprise_authorisations.c.revoked_at.is_(None),
            ti.enterprise_authorisations.c.expires_at > now,
        )
    ).all()
    grants = [_row(row) for row in rows]
    if not grants:
        return None
    # Several live grants: the agent may do what any of them allows, until the last expires.
    scopes = frozenset().union(*(grant.scopes for grant in grants))
    latest = max(grants, key=lambda grant: grant.expires_at)
    return replace(latest, scopes=scopes)


def standing(connection: Connection, credit_code: str, person_id: str, now: datetime) -> frozenset[str]:
    """What ``person_id`` may do for the enterprise today: all for its legal representative,
    the granted scopes for an authorised agent, nothing otherwise."""
    if legal_rep_of(connection, credit_code) == person_id:
        return ALL_SCOPES
    grant = active_grant(connection, credit_code, person_id, now)
    return grant.scopes if grant is not None else frozenset()


class EnterpriseAuthority:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def admit(self, account: Account) -> Account:
        """The account as it may act now; refuses an enterprise user without standing."""
        if not account.is_enterprise or account.subject_id is None or account.agent_id is None:
            return account
        with read_connection(self.engine) as connection:
            scopes = standing(connection, account.subject_id, account.agent_id, self.clock())
        if not scopes:
            log.warning("enterprise account %s refused: no standing for its user", account.username)
            raise AuthorisationLapsed()
        return replace(account, enterprise_scopes=scopes)

    def _require_legal_rep(self, connection: Connection, account: Account) -> str:
        if (
            account.role is not Role.APPLICANT
            or not account.is_enterprise
            or account.subject_id is None
            or legal_rep_of(connection, account.subject_id) != account.agent_id
        ):
            raise Forbidden("只有企业的法定代表人可以授权或撤销授权", "only the enterprise's legal representative may grant or revoke")
        return account.subject_id

    def list(self, account: Account) -> Sequence[Authorisation]:
        with read_connection(self.engine) as connection:
            credit_code = self._require_legal_rep(connection, account)
            rows = connection.execute(
                select(ti.enterprise_authorisations)
                .where(ti.enterprise_authorisations.c.credit_code == credit_code)
                .order_by(ti.enterprise_authorisations.c.granted_at.desc())
            ).all()
        return [_row(row) for row in rows]

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
        with self.engine.begin() as connection:
            credit_code = self._require_legal_rep(connection, account)
            registered = connection.execute(select(t.people.c.name).where(t.people.c.id_number == agent_id)).scalar()
            if registered != agent_name:
                # The legal representative is signed in and accountable; telling them the
                # agent's details do not match is what a bank's counter would say too.
                raise InvalidAccountData(
                    [FieldProblem("agent_name", "real_name_rejected", "经办人姓名与公民身份号码不一致", "the agent's name does not match the ID number")]
                )
            if agent_id == account.agent_id:
                raise InvalidAccountData(
                    [FieldProblem("agent_id", "self", "法定代表人无需授权本人", "the legal representative needs no authorisation")]
                )
            values = {
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
            connection.execute(insert(ti.enterprise_authorisations), values)
            row = connection.execute(
                select(ti.enterprise_authorisations).where(ti.enterprise_authorisations.c.id == values["id"])
            ).one()
        log.info("enterprise %s authorised an agent for %s (%d days)", credit_code, sorted(chosen), days)
        return _row(row)

    def revoke(self, account: Account, authorisation_id: str) -> Authorisation:
        if not (0 < len(authorisation_id) <= 40 and authorisation_id.isascii() and authorisation_id.replace("_", "").replace("-", "").isalnum()):
            raise AuthorisationNotFound()
        now = self.clock()
        with self.engine.begin() as connection:
            credit_code = self._require_legal_rep(connection, account)
            table = ti.enterprise_authorisations
            connection.execute(
                update(table)
                .where(table.c.id == authorisation_id[:40], table.c.credit_code == credit_code, table.c.revoked_at.is_(None))
                .values(revoked_at=now, revoked_by=account.agent_id)
            )
            row = connection.execute(
                select(table).where(table.c.id == authorisation_id[:40], table.c.credit_code == credit_code)
            ).first()
        if row is None:
            raise AuthorisationNotFound()
        log.info("enterprise %s revoked authorisation %s", credit_code, authorisation_id[:40])
        return _row(row)

