"""Sign-up proven by the registry and a one-time code (实名注册 + 短信验证码).

Step one (`start`) takes the ID number, name and mobile phone (and, for an enterprise, its
credit code). Whatever the registries hold, the caller gets the same answer: a challenge id
and "if the details match, a code was sent to the phone on record". A code goes out only when
the population registry has this person under this name *with this phone*, no account exists
yet, and, for an enterprise, the person is its legal representative in the legal-entity
registry or holds a live authorisation. Otherwise the challenge is a dud no code opens, so
the form is no oracle for either registry. Every attempt's registry reads are written to the
access log all the same (reader `signup`), so the person sees that someone tried to register
as them. Step two (`confirm`) creates the account when the
code is right: before that nothing of the person's (their window-filed cases) is shown.

Limits, counted on the request alone so they also reveal nothing: per ID number and per phone
`PER_IDENTITY` challenges an hour, per client address `PER_ADDRESS`; a code lives `CODE_LIFETIME`
and allows `MAX_ATTEMPTS` guesses, then the challenge is dead; a code opens one account once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from yiwang.accounts import services as account_services
from yiwang.accounts.authority import agent_username, is_token, standing
from yiwang.accounts.errors import InvalidAccountData
from yiwang.accounts.identity_ports import IdentityStore
from yiwang.accounts.models import Account, Role
from yiwang.accounts.proof_errors import CodeRejected, SignupThrottled
from yiwang.accounts.services import MIN_PASSWORD, AccountServices
from yiwang.identity.errors import FieldProblem, InvalidIdentifier
from yiwang.identity.numbers import (
    mask_id_number,
    validate_credit_code,
    validate_id_number,
    validate_mobile_phone,
)
from yiwang.registries.models import AccessRecord

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)
PER_IDENTITY = 5
PER_ADDRESS = 20
CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5

# The access log's reader and purpose for the registry reads a sign-up makes. The caller is
# nobody yet: the reader is "an anonymous sign-up", and the caller's address is not written
# to the log (docs/security.md, "Sign-up"): the log is shown to the person read and can never
# be edited, so a third party's address does not belong in it; the challenge row keeps the
# address for the limits and an investigation.
SIGNUP_READER = "signup"
SIGNUP_PURPOSE = "实名注册核验 / real-name check at sign-up"

SENT_ZH = "如所填信息与登记信息一致，验证码已发送至登记的手机号码，10 分钟内有效"
SENT_EN = "if the details match the registry, a code was sent to the phone on record; it is valid for 10 minutes"


@dataclass(frozen=True, slots=True)
class SignupRequest:
    kind: str  # person | enterprise
    id_number: str
    name: str
    phone: str
    credit_code: str = ""


def _code_digest(challenge_id: str, code: str) -> str:
    return hashlib.sha256(f"{challenge_id}:{code}".encode()).hexdigest()


def _clean_name(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


class SignupServices:
    def __init__(
        self,
        store: IdentityStore,
        clock: Callable[[], datetime],
        accounts: AccountServices,
        nudge: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.accounts = accounts
        # Wakes the outbox's deliverer (the worker thread of `yiwang serve`); called after
        # every challenge alike, backed or not.
        self.nudge = nudge

    def _validate(self, request: SignupRequest) -> SignupRequest:
        problems: list[FieldProblem] = []
        kind = request.kind if request.kind in ("person", "enterprise") else "person"
        id_number = request.id_number
        phone = request.phone
        credit_code = ""
        try:
            id_number = validate_id_number(request.id_number, today=self.clock().date())
        except InvalidIdentifier as error:
            problems.append(error.to_problem("id_number"))
        try:
            phone = validate_mobile_phone(request.phone)
        except InvalidIdentifier as error:
            problems.append(error.to_problem("phone"))
        name = _clean_name(request.name)
        if not name or len(name) > 60 or any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in name):
            problems.append(FieldProblem("name", "required", "请填写与身份证一致的姓名", "the name as on the ID card is required"))
        if kind == "enterprise":
            try:
                credit_code = validate_credit_code(request.credit_code)
            except InvalidIdentifier as error:
                problems.append(error.to_problem("credit_code"))
        if problems:
            raise InvalidAccountData(problems)
        return SignupRequest(kind, id_number, name, phone, credit_code)

    def _username(self, request: SignupRequest, legal_rep: bool) -> str:
        if request.kind == "person":
            return request.id_number
        return request.credit_code if legal_rep else agent_username(request.credit_code, request.id_number)

    def start(self, request: SignupRequest, client_ip: str) -> str:
        """Open a challenge; returns its id. Raises only on malformed input or throttling."""
        request = self._validate(request)
        client_ip = (client_ip or "unknown")[:64]
        now = self.clock()
        challenge_id = "sc_" + secrets.token_urlsafe(24)
        code = f"{secrets.randbelow(10**6):06d}"
        since = now - WINDOW

        def check(counts: tuple[int, int, int]) -> None:
            if counts[0] >= PER_IDENTITY or counts[1] >= PER_IDENTITY or counts[2] >= PER_ADDRESS:
                log.warning("sign-up throttled for %s from %s", mask_id_number(request.id_number), client_ip)
                raise SignupThrottled()

        # An early look spares the registries a throttled request; the decision is taken again
        # where the challenge is stored, serialised against a concurrent burst.
        check(self.store.signup_counts(request.id_number, request.phone, client_ip, since))
        person = self.store.person(request.id_number)
        matches = person is not None and person == (request.name, request.phone)
        legal_rep = False
        allowed = True
        if request.kind == "enterprise":
            allowed = bool(standing(self.store, request.credit_code, request.id_number, now))
            legal_rep = self.store.legal_rep_of(request.credit_code) == request.id_number
        username = self._username(request, legal_rep)
        exists = self.store.username_taken(account_services.normalise_username(username))
        backed = matches and allowed and not exists
        # Every attempt's reads are logged, found or not, matched or not: a person sees in
        # "who read my data" that someone tried to sign up as them. The entries depend on the
        # request alone, so the log write costs the same whatever the registries hold.
        # In UTC, as every entry: the chain hashes the time as written, and SQLite keeps no zone.
        at = now.astimezone(UTC)
        reads = [AccessRecord(at, SIGNUP_READER, request.id_number, "population", ("name", "phone"), SIGNUP_PURPOSE, None)]
        if request.kind == "enterprise":
            reads.append(
                AccessRecord(at, SIGNUP_READER, request.credit_code, "legal_entities", ("legal_rep_id",), SIGNUP_PURPOSE, None)
            )
        # Both branches hash and insert alike, so the time taken says nothing either. The
        # message is only written down, in the same transaction: the worker sends it later
        # through the SMS port, so no gateway's delay or failure shows in this answer.
        digest = _code_digest(challenge_id, code if backed else secrets.token_hex(16))
        body: str | None = None
        if backed:
            body = f"【一网】您的注册验证码为 {code}，10 分钟内有效，请勿告诉他人。/ Yiwang sign-up code {code}, valid 10 minutes."
        elif matches and allowed and exists:
            # Only the owner of the phone on record reads this; the caller's answer is unchanged.
            body = "【一网】有人尝试用您的身份注册，您已有账号，可直接登录；如非本人操作请忽略。/ Someone tried to sign up as you; you already have an account."
        self.store.add_challenge(
            {
                "id": challenge_id,
                "kind": request.kind,
                "id_number": request.id_number,
                "name": request.name,
                "phone": request.phone,
                "credit_code": request.credit_code or None,
                "client_ip": client_ip,
                "code_hash": digest,
                "backed": backed,
                "attempts": 0,
                "created_at": now,
                "expires_at": now + CODE_LIFETIME,
                "consumed_at": None,
            },
            since,
            check,
            {
                "channel": "sms",
                "recipient": request.phone,
                "body": body,
                # A row with nothing to send all the same: one insert whatever the registry said.
                "state": "void" if body is None else "pending",
                "attempts": 0,
                "last_error": None,
                "created_at": now,
                "due_at": now,
                "expires_at": now + CODE_LIFETIME,
                "sent_at": None,
            },
            reads,
        )
        self.nudge()
        log.info("sign-up challenge for %s (backed=%s)", mask_id_number(request.id_number), backed)
        return challenge_id

    def confirm(self, challenge_id: str, code: str, password: str) -> Account:
        if len(password) < MIN_PASSWORD:
            raise InvalidAccountData(
                [FieldProblem("password", "too_short", f"密码至少 {MIN_PASSWORD} 位", f"password needs at least {MIN_PASSWORD} characters")]
            )
        challenge_id = challenge_id.strip()[:40]
        code = code.strip()[:12]
        if not is_token(challenge_id) or not (code.isascii() and code.isdigit()):
            raise CodeRejected()
        now = self.clock()
        row = self.store.count_guess(challenge_id, MAX_ATTEMPTS, now)
        if row is None or not row.backed or not hmac.compare_digest(row.code_hash, _code_digest(challenge_id, code)):
            log.info("sign-up code rejected for challenge %s", challenge_id[:12])
            raise CodeRejected()
        request = SignupRequest(row.kind, row.id_number, row.name, row.phone, row.credit_code)
        reads: list[AccessRecord] = []
        values: dict[str, Any] = {
            "role": Role.APPLICANT.value,
            "phone": request.phone,
            "password_hash": account_services._hasher.hash(password),
            "active": True,
            "created_at": now,
        }
        if request.kind == "person":
            values |= {"username": request.id_number, "display_name": request.name, "subject_id": request.id_number}
        else:
            # Standing is checked again: a grant may have been revoked in the meantime.
            if not standing(self.store, request.credit_code, request.id_number, now):
                raise CodeRejected()
            legal_rep = self.store.legal_rep_of(request.credit_code) == request.id_number
            reads.append(
                AccessRecord(
                    now.astimezone(UTC),
                    SIGNUP_READER,
                    request.credit_code,
                    "legal_entities",
                    ("legal_rep_id", "name"),
                    SIGNUP_PURPOSE,
                    None,
                )
            )
            values |= {
                "username": account_services.normalise_username(self._username(request, legal_rep)),
                "display_name": self.store.enterprise_name(request.credit_code) or request.credit_code,
                "subject_id": request.credit_code,
                "agent_id": request.id_number,
                "agent_name": request.name,
            }
        new_id = self.store.create_account(challenge_id, now, values, reads)
        if new_id is None:
            raise CodeRejected()
        account = self.accounts.get(int(new_id))
        assert account is not None
        log.info("account %s created after a confirmed code", account.username)
        return account

