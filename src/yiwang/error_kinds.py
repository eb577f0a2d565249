"""The error kinds mapped to HTTP, shared by the API and the pages. Errors at the edge: every domain error becomes JSON with a stable code and a message in
Chinese and English (``{"error": {"code", "message_zh", "message_en", "problems"}}``), or an
HTML page for the pages. No traceback ever reaches a user: anything unexpected is logged in
English and answered with a generic 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from yiwang.accounts.errors import (
    AccountError,
    AccountExists,
    AccountLocked,
    Forbidden,
    InvalidAccountData,
    InvalidCredentials,
    NotAuthenticated,
    RealNameRejected,
)
from yiwang.calendar.errors import CalendarError
from yiwang.cases.errors import (
    CaseClosed,
    CaseError,
    CaseNotFound,
    ConcurrentUpdate,
    IdempotencyKeyReused,
    InvalidAction,
    InvalidForm,
    MaterialsMissing,
    ReasonRequired,
    TaskNotFound,
)
from yiwang.catalog.errors import CatalogError, UnknownCatalogEntry
from yiwang.credit.errors import NotAnEnterprise
from yiwang.errors import Refused
from yiwang.identity.errors import FieldProblem, IdentityError, InvalidIdentifier
from yiwang.inspections.errors import NotPublished
from yiwang.materials.errors import (
    EmptyFile,
    FileTooLarge,
    MaterialError,
    MaterialNotFound,
    UnsupportedFileType,
)
from yiwang.registries.errors import (
    DataRequestAnswered,
    DataRequestNotFound,
    InvalidDataRequest,
    NoDataSubject,
    RefusalWithoutReason,
)

log = logging.getLogger("yiwang.api")


# The name the edge has always used for a refusal with its own status.
ApiError = Refused


_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (CaseNotFound, 404),
    (TaskNotFound, 404),
    (MaterialNotFound, 404),
    (UnknownCatalogEntry, 404),
    (InvalidForm, 422),
    (ReasonRequired, 422),
    (InvalidAction, 409),
    (CaseClosed, 409),
    (MaterialsMissing, 409),
    (ConcurrentUpdate, 409),
    (IdempotencyKeyReused, 409),
    (NotAuthenticated, 401),
    (InvalidCredentials, 401),
    (AccountLocked, 429),
    (Forbidden, 403),
    (RealNameRejected, 422),
    (AccountExists, 409),
    (InvalidAccountData, 422),
    (FileTooLarge, 413),
    (EmptyFile, 422),
    (UnsupportedFileType, 415),
    (InvalidIdentifier, 422),
    (DataRequestNotFound, 404),
    (NotPublished, 404),
    (NotAnEnterprise, 403),
    (DataRequestAnswered, 409),
    (NoDataSubject, 403),
    (InvalidDataRequest, 422),
    (RefusalWithoutReason, 422),
    (CaseError, 422),
    (MaterialError, 422),
    (AccountError, 400),
    (CalendarError, 422),
    (IdentityError, 422),
    (CatalogError, 422),
)


def describe(error: Exception) -> tuple[int, str, str, str, tuple[FieldProblem, ...]]:
    """(status, code, message_zh, message_en, problems) of a known error."""
    if isinstance(error, ApiError):
        return error.status, error.code, error.message_zh, error.message_en, error.problems
    status = next((code for kind, code in _STATUS if isinstance(error, kind)), 400)
    code = str(getattr(error, "code", type(error).__name__))
    if isinstance(error, UnknownCatalogEntry):
        return status, "unknown_catalog_entry", f"目录中没有事项 {error.code}", f"no catalog entry {error.code}", ()
    zh = str(getattr(error, "message_zh", "") or "请求有误")
    en = str(getattr(error, "message_en", "") or str(error))
    problems: tuple[FieldProblem, ...] = tuple(getattr(error, "problems", ()) or ())
    if not all(isinstance(p, FieldProblem) for p in problems):
        problems = ()
    return status, code, zh, en, problems


def error_body(code: str, zh: str, en: str, problems: Sequence[FieldProblem] = ()) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message_zh": zh,
            "message_en": en,
            "problems": [
                {"field": p.field, "code": p.code, "message_zh": p.message_zh, "message_en": p.message_en}
                for p in problems
            ],
        }
    }


KNOWN_ERRORS: tuple[type[Exception], ...] = (
    ApiError,
    # The refusals of the sharing, credit and inspection use cases; the rest of those
    # families is not mapped yet.
    DataRequestNotFound,
    DataRequestAnswered,
    NoDataSubject,
    NotPublished,
    NotAnEnterprise,
    InvalidDataRequest,
    RefusalWithoutReason,
    CaseError,
    CatalogError,
    AccountError,
    MaterialError,
    IdentityError,
    CalendarError,
)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


ErrorPage = Callable[[Request, int, str, str], Response]


def install_error_handlers(app: FastAPI, error_page: ErrorPage) -> None:
    """JSON for ``/api/`` paths; for every other path, `error_page` (the pages' own)."""

    async def known(request: Request, error: Exception) -> Response:
        status, code, zh, en, problems = describe(error)
        if not _is_api(request):
            return error_page(request, status, zh, en)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(code, zh, en, problems), status_code=status, headers=headers)

    for kind in KNOWN_ERRORS:
        app.add_exception_handler(kind, known)

    async def validation(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = []
        for item in error.errors()[:20]:
            where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "header"))
            problems.append(
                FieldProblem(where or "request", str(item.get("type", "invalid")), f"{where or '请求'}：格式不正确", f"{where or 'request'}: {item.get('msg', 'invalid')}")
            )
        if not _is_api(request):
            return error_page(request, 422, "提交的内容格式不正确", "the submitted data is not valid")
        return JSONResponse(
            error_body("invalid_request", "请求格式不正确", "the request is not valid", problems), status_code=422
        )

    app.add_exception_handler(RequestValidationError, validation)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        status = error.status_code
        texts = {
            404: ("not_found", "页面或资源不存在", "not found"),
            405: ("method_not_allowed", "不支持该请求方法", "method not allowed"),
        }
        code, zh, en = texts.get(status, ("http_error", "请求无法处理", str(error.detail)))
        if not _is_api(request):
            return error_page(request, status, zh, en)
        return JSONResponse(error_body(code, zh, en), status_code=status, headers=getattr(error, "headers", None))

    app.add_exception_handler(StarletteHTTPException, http_error)

    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        zh, en = "系统繁忙，请稍后再试；问题已记录", "something went wrong on our side; it has been logged"
        if not _is_api(request):
            return error_page(request, 500, zh, en)
        return JSONResponse(error_body("internal_error", zh, en), status_code=500)

    app.add_exception_handler(Exception, unexpected)
