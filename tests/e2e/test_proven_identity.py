"""Identity proven, not declared (issue 12, H1–H3), through the API and the pages.

H1 personal sign-up: the phone on record and a one-time code; identical answers whatever the
registry holds; throttled per ID, phone and address; nothing of the person's shown before the
code is confirmed. H2 enterprise accounts: only the legal representative, or an agent under a
scoped, revocable, expiring authorisation, checked on every request. H3 people named in an
application confirm before anything is issued in their name; an identity the registry does not
back never gets a licence and sends the task to review.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from e2e_support import Demo, TestClient
from sqlalchemy import select

from yiwang.accounts.signup import SIGNUP_PURPOSE, SIGNUP_READER
from yiwang.clock import SimulatedClock
from yiwang.db import tables as t
from yiwang.db import tables_identity as ti
from yiwang.db import tables_web as w
from yiwang.db.registries_repo import read_access_log, read_access_log_head
from yiwang.identity.numbers import make_id_number
from yiwang.identity.sms import MemorySmsGateway
from yiwang.ops.outbox import deliver
from yiwang.registries.audit import verify_chain
from yiwang.server import create_app

START = "/api/v1/registrations"
PASSWORD = "correct-horse-9"


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str
    phone: str


@dataclass
class World:
    demo: Demo
    client: TestClient
    sms: MemorySmsGateway
    clock: SimulatedClock

    def people(self) -> list[Person]:
        """Jinan people of the registry without an account, in a stable order."""
        with self.demo.platform.engine.connect() as connection:
            rows = connection.execute(
                select(t.people.c.id_number, t.people.c.name, t.people.c.phone)
                .where(t.people.c.region_code.startswith("3701"), t.people.c.birth_date < dt.date(2000, 1, 1))
                .order_by(t.people.c.id_number)
            ).all()
        taken = set(self.demo.accounts)
        return [Person(*row) for row in rows if row[0] not in taken]

    def enterprise_without_account(self) -> tuple[str, Person]:
        """An enterprise whose legal representative has no enterprise account yet."""
        with self.demo.platform.engine.connect() as connection:
            rows = connection.execute(
                select(t.enterprises.c.credit_code, t.people.c.id_number, t.people.c.name, t.people.c.phone)
                .join(t.people, t.people.c.id_number == t.enterprises.c.legal_rep_id)
                .order_by(t.enterprises.c.credit_code)
            ).all()
        code, *rep = next(row for row in rows if row[0] not in self.demo.accounts)
        return str(code), Person(*rep)

    def start(self, person: Person, *, name: str | None = None, phone: str | None = None, **extra: Any) -> Any:
        body = {"id_number": person.id_number, "name": name or person.name, "phone": phone or person.phone, **extra}
        return self.client.post(START, json=body)

    def sms_to(self, phone: str) -> list[str]:
        """What reached ``phone`` once the worker has run: a request only writes the outbox."""
        deliver(self.demo.platform, self.sms)
        return self.sms.to(phone)

    def code_sent_to(self, phone: str) -> str:
        texts = self.sms_to(phone)
        assert texts, f"no SMS to {phone}"
        match = re.search(r"验证码为 (\d{6})", texts[-1])
        assert match is not None, texts[-1]
        return match.group(1)

    def sign_up(self, person: Person, **extra: Any) -> str:
        started = self.start(person, **extra)
        assert started.status_code == 202, started.text
        code = self.code_sent_to(person.phone)
        confirmed = self.client.post(
            f"{START}/{started.json()['challenge_id']}/confirm", json={"code": code, "password": PASSWORD}
        )
        assert confirmed.status_code == 201, confirmed.text
        return str(confirmed.json()["account"]["username"])

    def token(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.client.post("/api/v1/tokens", json={"username": username, "password": password})
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def world(demo: Demo, clock: SimulatedClock) -> Iterator[World]:
    sms = MemorySmsGateway()
    with TestClient(create_app(demo.platform), raise_server_exceptions=False) as client:
        yield World(demo, client, sms, clock)


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


# --- H1: personal sign-up -------------------------------------------------------------------


def test_sign_up_needs_the_code_sent_to_the_phone_on_record(world: World) -> None:
    person = world.people()[0]
    started = world.start(person)
    assert started.status_code == 202
    # Before the code is confirmed there is no account: nothing of theirs can be read.
    refused = world.client.post("/api/v1/tokens", json={"username": person.id_number, "password": PASSWORD})
    assert refused.status_code == 401
    code = world.code_sent_to(person.phone)
    challenge = started.json()["challenge_id"]
    confirmed = world.client.post(f"{START}/{challenge}/confirm", json={"code": code, "password": PASSWORD})
    assert confirmed.status_code == 201, confirmed.text
    me = world.client.get("/api/v1/me", headers=world.token(person.id_number)).json()
    assert me["subject_id"] == person.id_number and me["display_name"] == person.name
    # The code opens one account once: a replay is refused like any wrong code.
    replay = world.client.post(f"{START}/{challenge}/confirm", json={"code": code, "password": PASSWORD})
    assert replay.status_code == 422 and replay.json()["error"]["code"] == "code_rejected"


def test_sign_up_answers_alike_whatever_the_registry_holds(world: World) -> None:
    """Right details, wrong name, wrong phone, unknown ID, existing account: one answer."""
    right, wrong_name, wrong_phone, registered = world.people()[:4]
    world.sign_up(registered)
    unknown = Person(make_id_number("370102", dt.date(1990, 3, 3), 517), "赵无名", "13900000001")
    attempts = {
        "right": (right, {}),
        "wrong name": (wrong_name, {"name": wrong_name.name + "甲"}),
        "wrong phone": (wrong_phone, {"phone": "13811112222"}),
        "unknown id": (unknown, {}),
        "registered": (registered, {}),
    }
    answers = {}
    timings: dict[str, list[float]] = {}
    already = len(world.sms.sent)  # the sign-up of `registered` above
    for label, (person, changes) in attempts.items():
        began = time.perf_counter()
        response = world.start(person, **changes)
        timings[label] = [time.perf_counter() - began]
        body = response.json()
        answers[label] = (response.status_code, body["message_zh"], body["message_en"], tuple(sorted(body)))
    assert len(set(answers.values())) == 1, answers
    # No answer waited on the gateway: each only wrote one outbox row, matched or not.
    assert len(world.sms.sent) == already
    with world.demo.platform.engine.connect() as connection:
        written = connection.execute(select(ti.outbox.c.recipient, ti.outbox.c.state).order_by(ti.outbox.c.id)).all()[-5:]
    assert [row.state for row in written] == ["pending", "void", "void", "void", "pending"]
    # Only the owner of the phone on record is told anything: a code, or "you already have one".
    assert world.code_sent_to(right.phone)
    assert world.sms_to(wrong_name.phone) == [] and world.sms_to("13811112222") == []
    assert world.sms_to(unknown.phone) == []
    assert "已有账号" in world.sms_to(registered.phone)[-1]
    # The page gives the same status and text too.
    client = world.client
    pages = []
    for person, changes in ((right, {}), (wrong_name, {"name": "钱多多"}), (unknown, {})):
        form = {"kind": "person", "id_number": person.id_number, "name": person.name, "phone": person.phone, **changes}
        response = client.post("/register", data={**form, "csrf_token": _csrf(client, "/register")})
        text = re.sub(r'name="(challenge|csrf_token)" value="[^"]+"', "", response.text)
        pages.append((response.status_code, text))
    assert len(set(pages)) == 1 and pages[0][0] == 202
    # Similar timing: the branches do the same reads, hashing and insert.
    for label, person_changes in attempts.items():
        person, changes = person_changes
        for _ in range(2):
            began = time.perf_counter()
            world.start(person, **changes)
            timings[label].append(time.perf_counter() - began)
    medians = [statistics.median(values) for values in timings.values()]
    assert max(medians) - min(medians) < 0.25, timings


def test_codes_cannot_be_guessed_and_expire(world: World) -> None:
    first, second = world.people()[:2]
    started = world.start(first)
    challenge = started.json()["challenge_id"]
    code = world.code_sent_to(first.phone)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        guess = world.client.post(f"{START}/{challenge}/confirm", json={"code": wrong, "password": PASSWORD})
        assert guess.status_code == 422
    # After five wrong guesses even the right code is refused: brute force stops at five.
    late = world.client.post(f"{START}/{challenge}/confirm", json={"code": code, "password": PASSWORD})
    assert late.status_code == 422
    # A code lives ten minutes.
    started = world.start(second)
    code = world.code_sent_to(second.phone)
    world.clock.advance(minutes=10, seconds=1)
    expired = world.client.post(f"{START}/{started.json()['challenge_id']}/confirm", json={"code": code, "password": PASSWORD})
    assert expired.status_code == 422 and expired.json()["error"]["code"] == "code_rejected"
    # Unknown or malformed challenges and codes: the same 422, never a 500.
    # (The JSON is written out so escapes such as a lone surrogate reach the server as sent.)
    for challenge_id, guess in (("sc_nope", "123456"), ("sc_%00x", "123456"), (challenge, "12\\u0000456"), (challenge, "\\ud800")):
        response = world.client.post(
            f"{START}/{challenge_id}/confirm",
            content=f'{{"code": "{guess}", "password": "{PASSWORD}"}}',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 422, (challenge_id, guess, response.text)


def test_malformed_sign_up_input_is_a_clear_422(world: World) -> None:
    person = world.people()[0]
    bad_check = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    cases = [
        {"id_number": bad_check},
        {"id_number": person.id_number[:17]},
        {"id_number": "3701021990010112\\u00003"},
        {"id_number": "x" * 31},
        {"phone": "12345"},
        {"name": "\\u0000"},
        {"name": "\\ud800"},
        {"kind": "enterprise", "credit_code": "91370100MA3C1234XY"},
    ]
    for changes in cases:
        body = {"id_number": person.id_number, "name": person.name, "phone": person.phone, **changes}
        # Written out by hand so escapes such as a lone surrogate reach the server as sent.
        text = "{" + ", ".join(f'"{key}": "{value}"' for key, value in body.items()) + "}"
        response = world.client.post(START, content=text.encode(), headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (changes, response.text)
        error = response.json()["error"]
        assert error["message_zh"] and error["message_en"]
    deliver(world.demo.platform, world.sms)
    assert world.sms.sent == []


def test_sign_up_is_throttled_per_id_phone_and_address_alike(world: World) -> None:
    people = world.people()
    known = people[0]
    unknown = Person(make_id_number("370102", dt.date(1985, 1, 1), 301), "孙不在", "13700000000")
    for person in (known, unknown):
        answers = [world.start(person).status_code for _ in range(6)]
        assert answers == [202] * 5 + [429], answers
    # Per phone, with different ID numbers.
    phone = "13600000000"
    answers = [world.start(p, phone=phone).status_code for p in people[1:7]]
    assert answers == [202] * 5 + [429]
    # Per address: 20 an hour whoever is asked about (15 counted above; refusals do not count).
    answers = [world.start(p).status_code for p in people[7:16]]
    assert answers == [202] * 5 + [429] * 4
    body = world.start(people[20]).json()["error"]
    assert body["code"] == "signup_throttled" and body["message_en"]
    # An hour later the limits reset.
    world.clock.advance(hours=1, minutes=1)
    assert world.start(people[20]).status_code == 202


def test_sign_up_by_the_pages_in_two_steps(world: World) -> None:
    person = world.people()[0]
    client = world.client
    form = {"kind": "person", "id_number": person.id_number, "name": person.name, "phone": person.phone}
    first = client.post("/register", data={**form, "csrf_token": _csrf(client, "/register")})
    assert first.status_code == 202 and "验证码" in first.text
    challenge = re.search(r'name="challenge" value="([^"]+)"', first.text)
    assert challenge is not None
    token = re.search(r'name="csrf_token" value="([^"]+)"', first.text)
    assert token is not None
    wrong = client.post(
        "/register/confirm",
        data={"challenge": challenge.group(1), "code": "000000", "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert wrong.status_code == 422 and "验证码错误" in wrong.text
    done = client.post(
        "/register/confirm",
        data={"challenge": challenge.group(1), "code": world.code_sent_to(person.phone), "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/me/cases"
    assert client.get("/me/cases").status_code == 200


def _signup_reads(world: World, subject_id: str) -> list[tuple[str, tuple[str, ...]]]:
    with world.demo.platform.engine.connect() as connection:
        entries = list(read_access_log(connection, subject_id))
    return [(e.record.dataset, e.record.fields) for e in entries if e.record.reader == SIGNUP_READER]


def _chain_verifies(world: World) -> bool:
    """What `yiwang audit verify` checks: every hash and link, and the head."""
    with world.demo.platform.engine.connect() as connection:
        return verify_chain(list(read_access_log(connection)), read_access_log_head(connection)).ok


def test_someone_trying_to_sign_up_as_a_person_shows_in_their_data_reads(world: World) -> None:
    person, other = world.people()[:2]
    unknown = Person(make_id_number("370102", dt.date(1990, 3, 3), 517), "赵无名", "13900000001")
    # A stranger tries the person's ID number under a wrong name and phone: the usual answer.
    tried = world.start(person, name="钱多多", phone="13811112222")
    assert tried.status_code == 202
    # An ID number no one has is logged too (so the write costs the same), under that number.
    assert world.start(unknown).status_code == 202
    assert _signup_reads(world, unknown.id_number) == [("population", ("name", "phone"))]
    assert _signup_reads(world, other.id_number) == []
    # The person signs up on the pages and finds both reads, the stranger's and their own.
    client = world.client
    form = {"kind": "person", "id_number": person.id_number, "name": person.name, "phone": person.phone}
    first = client.post("/register", data={**form, "csrf_token": _csrf(client, "/register")})
    challenge = re.search(r'name="challenge" value="([^"]+)"', first.text)
    token = re.search(r'name="csrf_token" value="([^"]+)"', first.text)
    assert challenge is not None and token is not None
    done = client.post(
        "/register/confirm",
        data={"challenge": challenge.group(1), "code": world.code_sent_to(person.phone), "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    reads = world.client.get("/api/v1/me/data-reads", headers=world.token(person.id_number)).json()
    signups = [r for r in reads if r["reader"] == SIGNUP_READER]
    assert len(signups) == 2
    assert all(r["purpose"] == SIGNUP_PURPOSE and r["dataset"] == "population" for r in signups)
    assert all(r["fields"] == ["name", "phone"] and r["case_id"] is None for r in signups)
    # The page names the reader and the purpose in words, not codes; no address is shown.
    page = client.get("/me/data-reads")
    assert page.status_code == 200
    assert "注册申请（未登录）" in page.text and "实名注册核验" in page.text
    assert ">signup<" not in page.text and "testclient" not in page.text
    english = client.get("/me/data-reads", headers={"Accept-Language": "en"}).text
    assert "a sign-up attempt (not signed in)" in english or "注册申请（未登录）" in english
    assert _chain_verifies(world)


def test_an_enterprise_sign_up_attempt_logs_the_legal_entity_read(world: World) -> None:
    credit_code, legal_rep = world.enterprise_without_account()
    stranger = world.people()[-1]
    assert world.start(stranger, kind="enterprise", credit_code=credit_code).status_code == 202
    assert _signup_reads(world, credit_code) == [("legal_entities", ("legal_rep_id",))]
    assert _signup_reads(world, stranger.id_number) == [("population", ("name", "phone"))]
    # The legal representative's sign-up reads the registry again at the confirmation.
    assert world.sign_up(legal_rep, kind="enterprise", credit_code=credit_code) == credit_code
    assert _signup_reads(world, credit_code) == [("legal_entities", ("legal_rep_id",))] * 2 + [
        ("legal_entities", ("legal_rep_id", "name"))
    ]
    assert _chain_verifies(world)


# --- H2: enterprise accounts ------------------------------------------------------------------


def test_an_unrelated_person_cannot_register_as_an_enterprise(world: World) -> None:
    credit_code, legal_rep = world.enterprise_without_account()
    stranger = world.people()[-1]
    assert stranger.id_number != legal_rep.id_number
    attempt = world.start(stranger, kind="enterprise", credit_code=credit_code)
    honest = world.start(legal_rep, kind="enterprise", credit_code=credit_code)
    assert attempt.status_code == honest.status_code == 202
    assert attempt.json()["message_zh"] == honest.json()["message_zh"]
    assert world.sms_to(stranger.phone) == []
    for guess in ("000000", "123456"):
        refused = world.client.post(
            f"{START}/{attempt.json()['challenge_id']}/confirm", json={"code": guess, "password": PASSWORD}
        )
        assert refused.status_code == 422
    # The real legal representative signs up (no 409 "该账号已注册") and sees the enterprise.
    code = world.code_sent_to(legal_rep.phone)
    confirmed = world.client.post(
        f"{START}/{honest.json()['challenge_id']}/confirm", json={"code": code, "password": PASSWORD}
    )
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["account"]["username"] == credit_code
    assert world.client.get("/api/v1/cases", headers=world.token(credit_code)).status_code == 200


def test_an_agent_acts_only_under_a_live_authorisation(world: World) -> None:
    demo = world.demo
    enterprise = demo.enterprise
    boss = demo.headers(enterprise)
    agent = world.people()[3]
    # Before any authorisation the agent cannot even get a code for the enterprise.
    world.start(agent, kind="enterprise", credit_code=enterprise)
    assert world.sms_to(agent.phone) == []
    # Validation of a grant: real name, scopes, duration.
    bad = world.client.post(
        "/api/v1/enterprise/authorisations",
        json={"agent_id": agent.id_number, "agent_name": "冒名", "scopes": ["read"], "days": 30},
        headers=boss,
    )
    assert bad.status_code == 422
    too_long = world.client.post(
        "/api/v1/enterprise/authorisations",
        json={"agent_id": agent.id_number, "agent_name": agent.name, "scopes": ["read"], "days": 400},
        headers=boss,
    )
    assert too_long.status_code == 422
    granted = world.client.post(
        "/api/v1/enterprise/authorisations",
        json={"agent_id": agent.id_number, "agent_name": agent.name, "scopes": ["read"], "days": 30},
        headers=boss,
    )
    assert granted.status_code == 201, granted.text
    grant = granted.json()
    assert grant["active"] and grant["agent_id"] != agent.id_number  # masked
    username = world.sign_up(agent, kind="enterprise", credit_code=enterprise)
    assert username == grant["agent_username"]
    headers = world.token(username)
    # Read scope: the enterprise's cases and data-access log, but no filing in its name.
    assert world.client.get("/api/v1/cases", headers=headers).status_code == 200
    assert world.client.get("/api/v1/me/data-reads", headers=headers).status_code == 200
    filing = world.client.post(
        "/api/v1/cases", json={"subject_code": "bundle.enterprise_startup", "form": {}}, headers=headers
    )
    assert filing.status_code == 403
    # Only the legal representative manages authorisations.
    assert world.client.get("/api/v1/enterprise/authorisations", headers=headers).status_code == 403
    # Revoked: refused at the next request, with the token it already holds.
    revoked = world.client.post(f"/api/v1/enterprise/authorisations/{grant['id']}/revoke", headers=boss)
    assert revoked.status_code == 200 and not revoked.json()["active"]
    lapsed = world.client.get("/api/v1/cases", headers=headers)
    assert lapsed.status_code == 403 and lapsed.json()["error"]["code"] == "authorisation_lapsed"
    assert world.client.post("/api/v1/enterprise/authorisations/au_nope/revoke", headers=boss).status_code == 404
    # A fresh grant that then expires.
    again = world.client.post(
        "/api/v1/enterprise/authorisations",
        json={"agent_id": agent.id_number, "agent_name": agent.name, "scopes": ["read", "file"], "days": 1},
        headers=boss,
    )
    assert again.status_code == 201
    assert world.client.get("/api/v1/cases", headers=headers).status_code == 200
    world.clock.advance(days=1, minutes=1)
    assert world.client.get("/api/v1/cases", headers=world.token(username)).status_code == 403


def test_the_legal_representative_grants_and_revokes_on_the_page(world: World) -> None:
    from e2e_support import page_client

    client, token = page_client(world.demo, world.demo.enterprise)
    agent = world.people()[5]
    page = client.get("/me/authorisations")
    assert page.status_code == 200 and "新增授权" in page.text
    granted = client.post(
        "/me/authorisations",
        data={"agent_id": agent.id_number, "agent_name": agent.name, "scopes": ["read", "file"], "days": "30", "csrf_token": token},
        follow_redirects=False,
    )
    assert granted.status_code == 303
    listing = client.get("/me/authorisations").text
    assert agent.name in listing and "有效" in listing
    grant_id = re.search(r'action="/me/authorisations/(au_[^/"]+)/revoke"', listing)
    assert grant_id is not None
    client.post(f"/me/authorisations/{grant_id.group(1)}/revoke", data={"csrf_token": token}, follow_redirects=False)
    assert "已撤销" in client.get("/me/authorisations").text
    # A person account has no enterprise to authorise for.
    person_client, _ = page_client(world.demo, world.demo.founder)
    assert person_client.get("/me/authorisations").status_code == 403


# --- H3: people named in an application ---------------------------------------------------------


def _startup(world: World, name: str, legal_rep_id: str, legal_rep_name: str) -> dict[str, Any]:
    return {
        "subject_code": "bundle.enterprise_startup",
        "form": {
            "company_name": name,
            "entity_type": "llc_natural_person_sole",
            "region_code": "370102",
            "address": "泉城路188号8层801室",
            "registered_capital": "100",
            "business_scope": ["I001"],
            "legal_rep_name": legal_rep_name,
            "legal_rep_id": legal_rep_id,
            "legal_rep_phone": "13905310000",
            "delivery": "pickup",
        },
    }


def _licences_of(world: World, case_id: str) -> list[Any]:
    with world.demo.platform.engine.connect() as connection:
        return list(connection.execute(select(t.licences.c.identifier).where(t.licences.c.case_id == case_id)).scalars())


def _approve_licence_task(world: World, case: dict[str, Any]) -> Any:
    task = next(task for task in case["tasks"] if task["item_code"] == "market.enterprise_registration")
    # Every material in hand, so that only the identity can stand in the way of the licence.
    for code in ("registration_application", "articles_of_association", "premises_proof"):
        uploaded = world.client.post(
            f"/api/v1/cases/{case['id']}/materials",
            data={"material_code": code},
            files={"file": (f"{code}.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")},
            headers=world.demo.headers(world.demo.founder),
        )
        assert uploaded.status_code == 201, uploaded.text
    return world.client.post(
        f"/api/v1/tasks/{task['id']}/actions",
        json={"action": "approve", "comment": "同意"},
        headers=world.demo.headers("reviewer.market.jinan"),
    )


def test_smart_approval_still_issues_when_the_founder_is_their_own_legal_rep(world: World) -> None:
    founder = world.demo.accounts[world.demo.founder]
    response = world.client.post(
        "/api/v1/cases",
        json=_startup(world, "济南市历下区本人数据科技有限公司", founder.username, founder.display_name),
        headers=world.demo.headers(world.demo.founder),
    )
    assert response.status_code == 201, response.text
    assert any(o["kind"] == "business_licence" for o in response.json()["outputs"])


@pytest.mark.parametrize("who", ["absent", "wrong_name", "no_consent"])
def test_no_licence_for_an_identity_the_registry_does_not_back_or_that_did_not_consent(world: World, who: str) -> None:
    other = world.people()[1]
    legal_rep_id, legal_rep_name = {
        "absent": (make_id_number("370102", dt.date(1980, 8, 8), 123), "周不存"),
        "wrong_name": (other.id_number, other.name + "乙"),
        "no_consent": (other.id_number, other.name),
    }[who]
    founder = world.demo.founder
    response = world.client.post(
        "/api/v1/cases",
        json=_startup(world, f"济南市历下区{ {'absent': '虚设', 'wrong_name': '错名', 'no_consent': '冒用'}[who] }科技有限公司", legal_rep_id, legal_rep_name),
        headers=world.demo.headers(founder),
    )
    assert response.status_code == 201, response.text
    case = response.json()
    # No instant decision: the registration waits for a reviewer, no licence exists.
    assert not case["outputs"] and _licences_of(world, case["id"]) == []
    timeline = world.client.get(f"/api/v1/cases/{case['id']}/timeline", headers=world.demo.headers(founder)).json()
    assert "AutomaticDecisionWithheld" in [event["kind"] for event in timeline]
    assert "AutomaticDecision" not in [event["kind"] for event in timeline]
    # Even a reviewer's approval cannot sign a licence in that name.
    refused = _approve_licence_task(world, case)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "identity_not_confirmed"
    assert _licences_of(world, case["id"]) == []
    # The applicant and the reviewer see why.
    expected = {"absent": "unproved", "wrong_name": "unproved", "no_consent": "pending"}[who]
    states = world.client.get(f"/api/v1/cases/{case['id']}/consents", headers=world.demo.headers(founder)).json()
    assert [(c["role"], c["status"]) for c in states] == [("legal_rep_id", expected)]
    from e2e_support import page_client

    reviewer, _ = page_client(world.demo, "reviewer.market.jinan")
    task = next(task for task in case["tasks"] if task["item_code"] == "market.enterprise_registration")
    assert "在全部人员核验并确认前，不能签发证照" in reviewer.get(f"/workbench/tasks/{task['id']}").text
    if who != "no_consent":
        return
    # The named person signs in, sees the request (API and page) and confirms; then it issues.
    username = world.sign_up(other)
    headers = world.token(username)
    requests = world.client.get("/api/v1/me/consents", headers=headers).json()
    assert [r["case_id"] for r in requests] == [case["id"]] and requests[0]["status"] == "pending"
    assert requests[0]["role_zh"] == "法定代表人"
    # Nobody else can answer it.
    stranger = world.client.post(
        f"/api/v1/me/consents/{requests[0]['id']}", json={"decision": "confirm"}, headers=world.demo.headers(founder)
    )
    assert stranger.status_code == 404
    client = TestClient(create_app(world.demo.platform), raise_server_exceptions=False)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": _csrf(client, "/login")})
    page = client.get("/me/consents")
    assert page.status_code == 200 and "待确认" in page.text and case["tracking_number"] in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post(f"/me/consents/{requests[0]['id']}", data={"decision": "confirm", "csrf_token": token.group(1)})
    assert world.client.get("/api/v1/me/consents", headers=headers).json()[0]["status"] == "confirmed"
    approved = _approve_licence_task(world, case)
    assert approved.status_code == 200, approved.text
    assert len(_licences_of(world, case["id"])) == 1


def test_a_declined_consent_blocks_the_licence_for_good(world: World) -> None:
    other = world.people()[2]
    response = world.client.post(
        "/api/v1/cases",
        json=_startup(world, "济南市历下区拒签科技有限公司", other.id_number, other.name),
        headers=world.demo.headers(world.demo.founder),
    )
    case = response.json()
    headers = world.token(world.sign_up(other))
    consent = world.client.get("/api/v1/me/consents", headers=headers).json()[0]
    declined = world.client.post(f"/api/v1/me/consents/{consent['id']}", json={"decision": "decline"}, headers=headers)
    assert declined.json()["status"] == "declined"
    # An answer is final.
    again = world.client.post(f"/api/v1/me/consents/{consent['id']}", json={"decision": "confirm"}, headers=headers)
    assert again.json()["status"] == "declined"
    assert _approve_licence_task(world, case).status_code == 409
    assert _licences_of(world, case["id"]) == []


def test_the_demo_enterprise_account_is_its_legal_representative(world: World) -> None:
    demo = world.demo
    with demo.platform.engine.connect() as connection:
        legal_rep = connection.execute(
            select(t.enterprises.c.legal_rep_id).where(t.enterprises.c.credit_code == demo.enterprise)
        ).scalar()
        agent = connection.execute(select(w.accounts.c.agent_id).where(w.accounts.c.username == demo.enterprise)).scalar()
    assert legal_rep is not None and agent == legal_rep
    assert world.client.get("/api/v1/me", headers=demo.headers(demo.enterprise)).status_code == 200


def test_the_person_the_demo_prints_can_sign_up_by_hand(world: World) -> None:
    from yiwang.demo.accounts import demo_signup_person
    from yiwang.demo.province import DEMO_SEED
    from yiwang.identity.population import generate_population

    regions = world.demo.platform.catalogs.current().regions
    trial = demo_signup_person(generate_population(regions, people=600, enterprises=200, seed=DEMO_SEED))
    username = world.sign_up(Person(trial.id_number, trial.name, trial.phone))
    assert world.client.get("/api/v1/me", headers=world.token(username)).json()["display_name"] == trial.name


def test_no_branch_licence_in_an_unrelated_company_s_name(world: World) -> None:
    """Issue 12 re-check: anyone could open a branch (分公司) of any registered company and get a
    signed licence at once (ENT-SMART-2 checks only that the parent exists). The parent's
    legal representative now confirms first; the parent itself (its account) needs no one."""
    with world.demo.platform.engine.connect() as connection:
        parent_code, parent_name, parent_rep = connection.execute(
            select(t.enterprises.c.credit_code, t.enterprises.c.name, t.enterprises.c.legal_rep_id)
            .where(t.enterprises.c.entity_type.startswith("llc"), t.enterprises.c.name.endswith("有限公司"))
            .order_by(t.enterprises.c.credit_code)
        ).first()
    founder = world.demo.accounts[world.demo.founder]
    assert parent_rep != founder.username
    body = _startup(world, f"{parent_name}济南历下分公司", founder.username, founder.display_name)
    body["form"] |= {"entity_type": "branch", "parent_credit_code": parent_code}
    response = world.client.post("/api/v1/cases", json=body, headers=world.demo.headers(world.demo.founder))
    assert response.status_code == 201, response.text
    case = response.json()
    assert not case["outputs"] and _licences_of(world, case["id"]) == []
    timeline = world.client.get(f"/api/v1/cases/{case['id']}/timeline", headers=world.demo.headers(world.demo.founder)).json()
    assert "AutomaticDecisionWithheld" in [event["kind"] for event in timeline]
    refused = _approve_licence_task(world, case)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "identity_not_confirmed"
    states = world.client.get(f"/api/v1/cases/{case['id']}/consents", headers=world.demo.headers(world.demo.founder)).json()
    assert [(c["role"], c["role_zh"], c["status"]) for c in states] == [
        ("legal_rep_id", "法定代表人", "confirmed"),
        ("parent_credit_code", "隶属企业法定代表人", "pending"),
    ]
