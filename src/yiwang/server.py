"""The application factory: one FastAPI app serving the REST API under ``/api/v1`` and the
server-rendered pages. It lives outside both ``api/`` and ``web/`` so that neither imports the
other. Nothing is built at import time."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from yiwang.api.routers import (
    auth,
    cases,
    catalog,
    licences,
    oversight,
    sharing,
    supervision,
    tasks,
)
from yiwang.bootstrap import Platform, build_services
from yiwang.error_kinds import error_body, install_error_handlers
from yiwang.identity.population import RealNameVerifier
from yiwang.materials.services import MAX_BYTES
from yiwang.ops import observability
from yiwang.web.pages import error_page
from yiwang.web.pages import router as pages
from yiwang.web.trust import router as trust

log = logging.getLogger("yiwang.server")

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"
# Multipart overhead on top of the largest accepted file.
MAX_REQUEST_BYTES = MAX_BYTES + 256 * 1024

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Everything is served by the platform itself; no inline script anywhere.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
}


def create_app(platform: Platform, *, verifier: RealNameVerifier | None = None) -> FastAPI:
    app = FastAPI(
        title="Yiwang 一网 API",
        version="1",
        description="一网通办 one-stop government services: catalog, applications, reviews, supervision.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI would load assets from a CDN; the JSON is enough
        redoc_url=None,
    )
    app.state.services = build_services(platform, verifier)
    install_error_handlers(app, error_page)
    # Request ids, JSON access logs, /healthz, /readyz and /metrics (before the page routes).
    observability.install(app, platform.engine, platform.clock)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_REQUEST_BYTES:
            return JSONResponse(
                error_body("file_too_large", "请求过大，单个文件不超过 5 MB", "the request is too large; at most 5 MB per file"),
                status_code=413,
            )
        response = await call_next(request)
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", tags=["health"], summary="Liveness")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for module in (auth, catalog, cases, tasks, supervision, licences, sharing, oversight):
        api.include_router(module.router)
    app.include_router(api)

    app.include_router(pages, include_in_schema=False)
    app.include_router(trust, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
