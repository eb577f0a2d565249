"""The app factory for several server processes (``yiwang serve --workers N``): each process
builds its own platform from the settings; the parent has migrated and seeded already."""

from __future__ import annotations

from fastapi import FastAPI


def create_from_settings() -> FastAPI:
    from yiwang.api.app import create_app
    from yiwang.bootstrap import bootstrap
    from yiwang.identity.population import DemoRealNameVerifier, RealNameVerifier
    from yiwang.ops.observability import configure_logging
    from yiwang.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_format == "json")
    platform = bootstrap(settings, migrate=False)
    verifier: RealNameVerifier | None = None
    if settings.demo_verifier:
        from yiwang.demo import seed_demo_province

        # Seeded by the parent already: this only regenerates the (deterministic) population.
        verifier = DemoRealNameVerifier(seed_demo_province(platform))
    return create_app(platform, verifier=verifier)
