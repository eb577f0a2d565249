"""The application factory: one FastAPI app serving the REST API under ``/api/v1`` and the
server-rendered pages. Nothing is built at import time."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from yiwang.accounts.services import AccountServices
from yiwang.api.deps import Services
from yiwang.api.errors import install_error_handlers
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
from yiwang.api.search import SearchIndex
from yiwang.bootstrap import Platform
from yiwang.http_guard import HttpGuard, refuse_unsafe_settings
from yiwang.identity.population import RealNameVerifier
from yiwang.materials.services import MaterialStore

log = logging.getLogger("yiwang.api")

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
def create_app(platform: Platform, *, verifier: RealNameVerifier | None = None) -> FastAPI:
    refuse_unsafe_settings(platform.settings)
    app = FastAPI(
        title="Yiwang 一网 API",
        version="1",
        description="一网通办 one-stop government services: catalog, applications, reviews, supervision.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI would load assets from a CDN; the JSON is enough
        redoc_url=None,
    )
    app.state.services = Services(
        platform=platform,
        accounts=AccountServices(platform.engine, platform.clock, verifier),
        materials=MaterialStore(platform.engine, Path(platform.settings.data_dir) / "uploads", platform.clock),
        search=SearchIndex(),
    )
    install_error_handlers(app)

    # Outermost: counts body bytes as they stream, checks Origin, adds the response headers.
    app.add_middleware(HttpGuard, production=platform.settings.environment == "production")

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", tags=["health"], summary="Liveness")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for module in (auth, catalog, cases, tasks, supervision, licences, sharing, oversight):
        api.include_router(module.router)
    app.include_router(api)

    from yiwang.web.pages import router as pages
    from yiwang.web.trust import router as trust

    app.include_router(pages, include_in_schema=False)
    app.include_router(trust, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
