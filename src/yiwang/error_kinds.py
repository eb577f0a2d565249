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
from sqlalchemy.exc import DBAPIError, OperationalError
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
    SignInThrottled,
)
from yiwang.accounts.proof_errors import (
    AuthorisationNotFound,
    CodeRejected,
    ConsentNotFound,
    SignupThrottled,
)
from yiwang.calendar.errors import CalendarError
from yiwang.cases.errors import (
    CaseClosed,
    CaseError,
    CaseNotFound,
    ConcurrentUpdate,
    DuplicateSubmission,
    EntityNameTaken,
    IdempotencyKeyReused,
    IdentityNotConfirmed,
    InvalidAction,
    InvalidForm,
    MaterialsMissing,
    ReasonRequired,
    TaskNotFound,
)
from yiwang.catalog.errors import CatalogError, UnknownCatalogEntry
from yiwang.credit.errors import (
    CommitmentNotAllowed,
    CreditError,
    ListingError,
    NotAnEnterprise,
    RepairNotAllowed,
)
from yiwang.errors import Refused
from yiwang.http_guard import TOO_LARGE_EN, TOO_LARGE_ZH
from yiwang.identity.errors import FieldProblem, IdentityError, InvalidIdentifier
from yiwang.inspections.errors import DrawError, InspectionError, NotPublished, PublicationError
from yiwang.licences.errors import (
    AlreadyRevoked,
    KeyNotFound,
    LicenceError,
    RevocationError,
    SigningKeyError,
)
from yiwang.materials.errors import (
    EmptyFile,
    FileTooLarge,
    MaterialError,
    MaterialNotFound,
    QuotaExceeded,
    UnsupportedFileType,
)
from yiwang.registries.errors import (
    ConditionalSharing,
    DataRequestAnswered,
    DataRequestNotFound,
    InvalidDataRequest,
    NoDataSubject,
    NotShared,
    RefusalWithoutReason,
    RegistryError,
    UnknownDataset,
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
    (EntityNameTaken, 409),
    (DuplicateSubmission, 409),
    (NotAuthenticated, 401),
    (InvalidCredentials, 401),
    (AccountLocked, 429),
    (SignInThrottled, 429),
    (Forbidden, 403),
    (RealNameRejected, 422),
    (AccountExists, 409),
    (InvalidAccountData, 422),
    (SignupThrottled, 429),
    (CodeRejected, 422),
    (AuthorisationNotFound, 404),
    (ConsentNotFound, 404),
    (IdentityNotConfirmed, 409),
    (FileTooLarge, 413),
    (EmptyFile, 422),
    (UnsupportedFileType, 415),
    (QuotaExceeded, 413),
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
    (KeyNotFound, 404),
    (AlreadyRevoked, 409),
    (RevocationError, 422),
    # A department without a usable signing key is a state the request cannot change.
    (SigningKeyError, 409),
    (LicenceError, 422),
    (ListingError, 409),
    (RepairNotAllowed, 409),
    (CommitmentNotAllowed, 422),
    (CreditError, 422),
    (DrawError, 409),
    (PublicationError, 409),
    (InspectionError, 422),
    (UnknownDataset, 404),
    (NotShared, 403),
    (ConditionalSharing, 409),
    (RegistryError, 422),
    # Text that cannot be encoded (a lone surrogate such as "\ud800") is bad input.
    (UnicodeError, 422),
)


def _snake(name: str) -> str:
    return "".join(f"_{ch.lower()}" if ch.isupper() and i else ch.lower() for i, ch in enumerate(name))


def _messages(error: Exception) -> tuple[str, str]:
    """(zh, en): from the error's own fields, else from its "中文 / English" text."""
    zh = getattr(error, "message_zh", None)
    en = getattr(error, "message_en", None)
    if isinstance(zh, str) and zh and isinstance(en, str) and en:
        return zh, en
    if isinstance(error, UnicodeError):
        return "提交的文字含有无效字符", "the submitted text contains characters that are not valid Unicode"
    text = str(error)
    if " / " in text:
        first, _, second = text.partition(" / ")
        return first, second
    return "请求有误", text or type(error).__name__


def describe(error: Exception) -> tuple[int, str, str, str, tuple[FieldProblem, ...]]:
    """(status, code, message_zh, message_en, problems) of a known error."""
    if isinstance(error, ApiError):
        return error.status, error.code, error.message_zh, error.message_en, error.problems
    status = next((code for kind, code in _STATUS if isinstance(error, kind)), 400)
    code = getattr(error, "code", None)
    code = code if isinstance(code, str) else _snake(type(error).__name__)
    if isinstance(error, UnknownCatalogEntry):
        return status, "unknown_catalog_entry", f"目录中没有事项 {error.code}", f"no catalog entry {error.code}", ()
    if isinstance(error, UnicodeError):
        code = "invalid_text"
    zh, en = _messages(error)
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
    LicenceError,
    CreditError,
    InspectionError,
    RegistryError,
    UnicodeError,
)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


ErrorPage = Callable[[Request, int, str, str], Response]


def install_error_handlers(app: FastAPI, error_page: ErrorPage) -> None:
    """JSON for ``/api/`` paths; for every other path, `error_page` (the pages' own)."""

    async def known(request: Request, error: Exception) -> Response:
        status, code, zh, en, problems = describe(error)
        retry_after = getattr(error, "retry_after", None)
        if not _is_api(request):
            page = error_page(request, status, zh, en)
            if isinstance(retry_after, int):
                page.headers["Retry-After"] = str(retry_after)
            return page
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
        if isinstance(retry_after, int):
            headers["Retry-After"] = str(retry_after)
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
            413: ("request_too_large", TOO_LARGE_ZH, TOO_LARGE_EN),
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

    async def database(request: Request, error: Exception) -> Response:
        assert isinstance(error, DBAPIError)
        if not database_unavailable(error):
            raise error  # a bug, not an outage: on to `unexpected` (logged, 500) as before
        # Every write is one transaction, so the one this request was in has been rolled back
        # (or, if the connection was lost while committing, may have committed: submissions
        # carry an Idempotency-Key, so the client's retry is answered with the same result).
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, type(error.orig).__name__)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if not _is_api(request):
            page = error_page(request, 503, UNAVAILABLE_ZH, UNAVAILABLE_EN)
            page.headers.update(headers)
            return page
        return JSONResponse(
            error_body("database_unavailable", UNAVAILABLE_ZH, UNAVAILABLE_EN), status_code=503, headers=headers
        )

    app.add_exception_handler(DBAPIError, database)


RETRY_AFTER_SECONDS = 2
UNAVAILABLE_ZH = "数据库暂时无法连接，请稍后重试"
UNAVAILABLE_EN = "the database is briefly unavailable; please try again in a moment"


def database_unavailable(error: DBAPIError) -> bool:
    """Whether a database error says the database is out of reach for now (its connection was
    lost, it is restarting or shutting down, it refuses connections, SQLite stayed locked past
    its busy timeout) rather than that the request or the code is wrong: a 503, not a 500."""
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    if type(error.orig).__module__.startswith("psycopg"):
        # psycopg's OperationalError is SQLSTATE classes 08 (connection), 53 (insufficient
        # resources), 57 (operator intervention: shutdown, cancel) and 58 (system error).
        return True
    return "database is locked" in str(error.orig)
