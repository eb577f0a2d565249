"""Every known error family maps to a 4xx with a message in both languages; none is a 500."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sqlite3
import warnings

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

import yiwang
from yiwang.calendar.errors import YearFileProblem
from yiwang.error_kinds import KNOWN_ERRORS, database_unavailable, describe, install_error_handlers
from yiwang.identity.errors import FieldProblem

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _error_classes() -> list[type[Exception]]:
    found: dict[str, type[Exception]] = {}
    for module_info in pkgutil.iter_modules(yiwang.__path__):
        try:
            module = importlib.import_module(f"yiwang.{module_info.name}.errors")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    # The edge's own error carries the status it was raised with.
    found.pop("yiwang.api.errors.ApiError", None)
    return [found[key] for key in sorted(found)]


def _instance(kind: type[Exception]) -> Exception:
    """An instance made with placeholder text for every required argument."""
    parameters = [
        p for p in inspect.signature(kind.__init__).parameters.values()
        if p.name != "self" and p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    arguments: list[object] = []
    for p in parameters:
        annotation = str(p.annotation)
        if "int" in annotation and "str" not in annotation:
            arguments.append(3)
        elif "YearFileProblem" in annotation:
            arguments.append((YearFileProblem(3, "日期有误", "bad date"),))
        elif "[str]" in annotation:
            arguments.append(["field"])
        elif "Sequence" in annotation or "tuple" in annotation or "list" in annotation:
            arguments.append((FieldProblem("field", "bad", "字段有误", "the field is wrong"),))
        else:
            arguments.append("说明 / detail")
    return kind(*arguments)


ERRORS = _error_classes()


def test_the_families_named_in_the_finding_are_known() -> None:
    names = {kind.__name__ for kind in KNOWN_ERRORS}
    assert {"LicenceError", "CreditError", "InspectionError", "RegistryError"} <= names
    assert len(ERRORS) > 60


@pytest.mark.parametrize("kind", ERRORS, ids=lambda k: f"{k.__module__.split('.')[1]}.{k.__name__}")
def test_every_error_of_every_context_is_a_4xx_with_both_languages(kind: type[Exception]) -> None:
    error = _instance(kind)
    app = FastAPI()
    install_error_handlers(app, lambda request, status, zh, en: HTMLResponse(f"{zh} / {en}", status_code=status))

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise error

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/boom")
    assert 400 <= response.status_code < 500, (kind, response.status_code)
    body = response.json()["error"]
    assert body["message_zh"] and body["message_en"] and body["code"] != "internal_error"
    assert describe(error)[0] == response.status_code


def _database_error(kind: type[DBAPIError], orig: Exception, *, invalidated: bool = False) -> DBAPIError:
    return kind("SELECT 1", {}, orig, connection_invalidated=invalidated)


UNAVAILABLE = [
    ("lost connection", _database_error(DBAPIError, Exception("server closed the connection"), invalidated=True)),
    ("postgresql shutting down", _database_error(OperationalError, psycopg.errors.AdminShutdown("terminating connection"))),
    ("postgresql refuses connections", _database_error(OperationalError, psycopg.OperationalError("connection refused"))),
    ("sqlite busy", _database_error(OperationalError, sqlite3.OperationalError("database is locked"))),
]
STILL_BUGS = [
    ("sqlite schema", _database_error(OperationalError, sqlite3.OperationalError("no such table: cases"))),
    ("postgresql syntax", _database_error(ProgrammingError, psycopg.errors.SyntaxError("syntax error"))),
]


def _answer(error: Exception, path: str) -> Response:
    app = FastAPI()
    install_error_handlers(app, lambda request, status, zh, en: HTMLResponse(f"{zh} / {en}", status_code=status))

    @app.get(path)
    def boom() -> None:
        raise error

    return TestClient(app, raise_server_exceptions=False).get(path)


@pytest.mark.parametrize(("what", "error"), UNAVAILABLE, ids=[what for what, _ in UNAVAILABLE])
def test_a_database_out_of_reach_is_a_503_with_retry_after(what: str, error: DBAPIError) -> None:
    assert database_unavailable(error), what
    api = _answer(error, "/api/v1/boom")
    assert api.status_code == 503 and api.headers["Retry-After"] == "2"
    body = api.json()["error"]
    assert body["code"] == "database_unavailable" and "数据库" in body["message_zh"] and "database" in body["message_en"]
    page = _answer(error, "/boom")
    assert page.status_code == 503 and page.headers["Retry-After"] == "2" and "数据库" in page.text


@pytest.mark.parametrize(("what", "error"), STILL_BUGS, ids=[what for what, _ in STILL_BUGS])
def test_other_database_errors_stay_500s(what: str, error: DBAPIError) -> None:
    assert not database_unavailable(error), what
    assert _answer(error, "/api/v1/boom").status_code == 500
