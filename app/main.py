"""The FastAPI application: `create_app()` wires settings, database, routers and errors.

Nothing happens at import: the engine and sessionmaker are built in the lifespan, which also
applies the migrations when `PFP_MIGRATE_ON_STARTUP` is true (the default).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from app.audit.router import router as audit_router
from app.auth import rules
from app.auth.router import router as auth_router
from app.auth.rules import allow
from app.availability.router import router as availability_router
from app.calendar_conflicts.router import router as calendar_conflicts_router
from app.calendars.jobs import solve_jobs
from app.calendars.router import router as calendars_router
from app.conflicts.router import router as conflicts_router
from app.db import create_db_engine, make_sessionmaker
from app.db.migrate import upgrade
from app.docs_ui import mount_docs
from app.errors import problem_response, register_error_handlers
from app.exercises.router import router as exercises_router
from app.exports.router import router as exports_router
from app.middleware import install_middleware
from app.nation_calendar.router import router as nation_calendar_router
from app.nations.router import router as nations_router
from app.openapi import problem_openapi
from app.scenario.router import router as scenario_router
from app.scenario.rules import LIMITS_KEY, ScenarioLimits
from app.settings import Settings
from app.sites.router import router as sites_router
from app.units.router import router as units_router
from app.web import mount_web

API_PREFIX = "/api/v1"
log = logging.getLogger("app")


def api_routers() -> list[APIRouter]:
    """Every router under /api/v1, one per domain."""
    return [
        nations_router,
        units_router,
        sites_router,
        exercises_router,
        availability_router,
        scenario_router,
        conflicts_router,
        exports_router,
        nation_calendar_router,
        calendars_router,
        calendar_conflicts_router,
        auth_router,
        audit_router,
    ]


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application; `settings` default to the environment (PFP_*)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_db_engine(
            settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms
        )
        try:
            if settings.migrate_on_startup:
                await run_in_threadpool(upgrade, engine)
            app.state.engine = engine
            app.state.sessionmaker = make_sessionmaker(engine)
            # every request's session carries the programme's size limits (app.scenario.rules)
            app.state.sessionmaker.configure(
                info={LIMITS_KEY: ScenarioLimits.from_settings(settings)}
            )
            async with solve_jobs(app, settings):
                yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="pfp-scheduler",
        version="0.1.0",
        summary="Partnership for Peace exercise scheduling: availability in, a calendar out.",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are app.docs_ui's, from files the app serves
        redoc_url=None,
    )
    app.state.settings = settings
    register_error_handlers(app)
    install_middleware(app, settings)

    @app.get("/healthz", tags=["health"], dependencies=[allow(rules.PUBLIC)])
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        responses={503: {"description": "database unreachable"}},
        dependencies=[allow(rules.PUBLIC)],
    )
    def readyz(request: Request) -> JSONResponse:
        """The database answers."""
        try:
            with request.app.state.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            log.warning("readiness check failed: %s", error)
            return problem_response(
                request,
                status=503,
                slug="not-ready",
                detail="the database cannot be reached",
                headers={"Retry-After": "5"},
            )
        return JSONResponse({"status": "ready", "database": "ok"})

    for router in api_routers():
        app.include_router(router, prefix=API_PREFIX)
    mount_web(app)  # the pages and /static
    mount_docs(app)  # /docs, /redoc and their files (/docs-assets)
    app.openapi = problem_openapi(app)  # type: ignore[method-assign]
    return app


__all__ = ["API_PREFIX", "create_app"]
