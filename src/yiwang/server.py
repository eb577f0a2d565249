"""The application factory: one FastAPI app serving the REST API under ``/api/v1`` and the
server-rendered pages. It lives outside both ``api/`` and ``web/`` so that neither imports the
other. Nothing is built at import time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from yiwang.api.routers import (
    auth,
    cases,
    catalog,
    identity,
    legal,
    licences,
    oversight,
    sharing,
    supervision,
    tasks,
)
from yiwang.bootstrap import Platform, build_services
from yiwang.error_kinds import install_error_handlers
from yiwang.http_guard import HttpGuard, refuse_unsafe_settings
from yiwang.identity.population import RealNameVerifier
from yiwang.ops import observability
from yiwang.web import (
    account_pages,
    admin_pages,
    applicant_pages,
    identity_pages,
    legal_pages,
    public_pages,
    supervision_pages,
    window_pages,
    work_pages,
)
from yiwang.web.page_support import error_page
from yiwang.web.trust import router as trust

log = logging.getLogger("yiwang.server")

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"


def create_app(
    platform: Platform, *, verifier: RealNameVerifier | None = None, nudge: Callable[[], None] | None = None
) -> FastAPI:
    refuse_unsafe_settings(platform.settings)
    app = FastAPI(
        title="Yiwang 一网 API",
        version="1",
        description="一网通办 one-stop government services: catalog, applications, reviews, supervision.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI would load assets from a CDN; the JSON is enough
        redoc_url=None,
    )
    app.state.services = build_services(platform, verifier, nudge)
    # Build the working calendar before the first request: built lazily, it needs a second
    # pooled connection while a request already holds one, and a burst at start-up could
    # exhaust the pool (500s) before it exists.
    platform.calendars.current()
    install_error_handlers(app, error_page)
    # Request ids, JSON access logs, /healthz, /readyz and /metrics (before the page routes).
    observability.install(app, platform.engine, platform.clock)

    # Outermost: counts body bytes as they stream, checks Origin, adds the response headers.
    app.add_middleware(HttpGuard, production=platform.settings.environment == "production")

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", tags=["health"], summary="Liveness")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for module in (auth, identity, catalog, cases, tasks, supervision, licences, sharing, oversight, legal):
        api.include_router(module.router)
    app.include_router(api)

    # One router per role or area; the paths do not overlap, so the order is not a precedence.
    for pages in (
        public_pages,
        applicant_pages,
        window_pages,
        work_pages,
        supervision_pages,
        admin_pages,
        identity_pages,
        account_pages,
        legal_pages,
    ):
        app.include_router(pages.router, include_in_schema=False)
    app.include_router(trust, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
