"""The FastAPI app: ``api.main:app`` (settings from the environment), or ``create_app``.

The database is migrated on start-up (Alembic, from code), so a new SQLite file is ready at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api import errors
from api.auth import TokenCache
from api.deps import Services
from api.files.policy import read_policy
from api.limits import BodyLimit
from api.routers import admin, clients, health, matching, placements, reports, scenarios, sites
from api.services.jobs import JobRunner
from api.services.registry import RegistryCache
from api.settings import Settings, get_settings
from api.storage.db import Database
from api.storage.migrate import upgrade

log = logging.getLogger("penempatan.api")

DESCRIPTION = """
Placement matching for community-service sentences (pidana kerja sosial, KUHP 2023 Pasal 85).

Every `/v1` route needs `Authorization: Bearer <token>`. Errors are RFC 9457
`application/problem+json`, in Indonesian by default or English with `Accept-Language: en`.
"""


def _job_error(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, errors.Problem):
        body: dict[str, Any] = {
            "type": f"/problems/{exc.code}",
            "title": exc.code,
            "status": exc.status,
            "detail": exc.detail_en,
            "instance": "/v1/assignments",
        }
        if isinstance(exc, errors.InvalidInput):
            body["errors"] = errors.input_problems(exc.problems, prefix=exc.prefix, lang="en")
        return body
    log.error("assignment job failed", exc_info=exc)
    return {
        "type": "/problems/internal",
        "title": "internal",
        "status": 500,
        "detail": "The job failed; the error has been logged on the server.",
        "instance": "/v1/assignments",
    }


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app with its own database connection pool, caches and job runner."""
    settings = settings or get_settings()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(db)
        yield
        app.state.services.jobs.stop()
        db.dispose()

    app = FastAPI(
        title="Penempatan",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.services = Services(
        settings=settings,
        db=db,
        policy=read_policy(settings.policy_path),
        tokens=TokenCache(),
        registry=RegistryCache(),
        jobs=JobRunner(on_error=_job_error),
    )
    errors.install(app)
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        max_import_bytes=settings.max_import_bytes,
    )
    for module in (health, admin, sites, clients, matching, placements, reports, scenarios):
        app.include_router(module.router)
    return app


app = create_app()
