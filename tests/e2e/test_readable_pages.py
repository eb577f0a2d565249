"""Readable everywhere (issue 10, item 5): every page each demo role reaches, in Chinese and in
English, shows names, never raw codes; every template string has its English."""

from __future__ import annotations

import html
import re
from collections import deque
from pathlib import Path

from e2e_support import Demo, page_client

from yiwang.web import i18n

# What a raw code looks like on a page: an identifier with underscores (llc_natural_person,
# premises_proof), a department code (civil_air_defence@370100), a business-scope code
# (I001), a canonical limit (0.5wd, 2h, instant), a bare region code (370104, 区域 3701).
RAW_CODES = {
    "identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "department": re.compile(r"[a-z_]+@\d{4,6}"),
    # A two-part dotted code (population.identity, market.enterprise_registration); user names
    # have three parts and published file names end in their format.
    "dotted": re.compile(r"(?<![\w.])[a-z]+(?:_[a-z]+)*\.(?!(?:csv|json|pdf|png|g)\b)[a-z]+(?:_[a-z]+)*\b(?!\.)"),
    "scope": re.compile(r"\bI\d{3}\b"),
    "limit": re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:wd|mwd|h)\b|\binstant\b"),
    "region": re.compile(r"区域\s*\d{4}(?!\d)|(?<![\w\-.:/])3[1-7]\d{4}(?![\w\-])"),
}
# In Chinese, any lower-case word on a page is a code that escaped (icbc, pickup,
# registration); the printable licence is bilingual by design.
ASCII_WORD = re.compile(r"(?<![\w.@/:-])[a-z]{3,}(?![\w.@/:-])")
SKIP = ("/static", "/lang", "/api", "/.well-known", "/materials/", "/logout", "/V/", "/v/")
PER_ROUTE = 2  # pages of each route shape (two cases, two tasks ...) are enough
ROLES = (
    None,
    "clerk.jinan",
    "reviewer.market.jinan",
    "reviewer.hrss.jinan",
    "lead.market.jinan",
    "supervisor.jinan",
    "admin",
    "bank.icbc.lixia",
)


def _visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style|svg|textarea|select)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _route(path: str) -> str:
    return re.sub(r"[0-9A-Za-z]*\d[0-9A-Za-z\-_.]*", "{id}", path.split("?")[0])


def _crawl(demo: Demo, username: str | None, language: str) -> tuple[list[str], int]:
    client, _csrf = page_client(demo, username)
    client.cookies.set("yw_lang", language)
    start = client.get("/", follow_redirects=True)
    queue = deque(["/", *( [str(start.url.path)] if username else [])])
    if username:
        queue.append(client.get("/login", follow_redirects=False).headers.get("location", "/"))
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    problems: list[str] = []
    # User names are what people sign in with (the administrator's account list shows them).
    allowed = set(demo.accounts)
    while queue and len(seen) < 60:
        path = queue.popleft()
        route = _route(path)
        if path in seen or per_route.get(route, 0) >= PER_ROUTE:
            continue
        seen.add(path)
        per_route[route] = per_route.get(route, 0) + 1
        response = client.get(path, follow_redirects=True)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        text = _visible_text(response.text)
        for name in sorted(allowed, key=len, reverse=True):  # whole user names, not their parts
            text = text.replace(name, " ")
        for kind, pattern in RAW_CODES.items():
            for found in set(pattern.findall(text)) - allowed:
                problems.append(f"{username or 'public'} {language} {path}: {kind} {found!r}")
        if language == "zh" and not path.startswith("/licences/"):
            for found in set(ASCII_WORD.findall(text)) - allowed:
                problems.append(f"{username or 'public'} {language} {path}: ascii {found!r}")
        for href in re.findall(r'href="(/[^"#]*)"', response.text):
            href = html.unescape(href)
            if not href.startswith(SKIP):
                queue.append(href)
    return problems, len(seen)


def test_no_raw_codes_on_any_page_of_any_role_in_either_language(demo: Demo) -> None:
    roles = [*ROLES, demo.founder, demo.enterprise]
    problems: list[str] = []
    pages = 0
    for username in roles:
        for language in ("zh", "en"):
            found, crawled = _crawl(demo, username, language)
            problems += found
            pages += crawled
    assert pages > 100  # the crawl reached the roles' pages, not only the home page
    assert not problems, "\n".join(sorted(problems)[:60])


def test_every_template_string_has_its_english() -> None:
    english = i18n.messages("en")
    templates = Path(i18n.__file__).resolve().parent / "templates"
    missing = sorted(
        {
            f"{path.name}: {text}"
            for path in templates.rglob("*.html")
            for text in re.findall(r"""_\(\s*["']([^"']+)["']\s*\)""", path.read_text(encoding="utf-8"))
            if text not in english
        }
    )
    assert not missing, "\n".join(missing)


def test_the_crawl_would_catch_a_raw_code() -> None:
    """The patterns catch each kind of code the issue saw (so the crawl can fail)."""
    page = "<p>llc_natural_person · civil_air_defence@370100 · I001、I002 · 0.5wd · 区域 3701 · 370104 · population.identity</p>"
    text = _visible_text(page)
    assert {kind for kind, pattern in RAW_CODES.items() if pattern.search(text)} == set(RAW_CODES)
    fine = _visible_text("<p>reviewer.market.jinan · selection.csv · e.g. 3</p>")
    assert not RAW_CODES["dotted"].search(fine)
    assert set(ASCII_WORD.findall(_visible_text("<td>icbc</td><td>pickup</td><td>registration</td>"))) == {
        "icbc",
        "pickup",
        "registration",
    }
