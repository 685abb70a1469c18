"""The FastAPI app: ``api.main:app`` (settings from the environment), or ``create_app``.

The database is migrated on start-up (Alembic, from code), so a new SQLite file is ready at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api import errors
from api.auth import TokenCache
from api.deps import Services
from api.files.policy import read_policy
from api.limits import BodyLimit
from api.routers import (
    admin,
    clients,
    health,
    jobs,
    matching,
    placements,
    reports,
    scenarios,
    sites,
)
from api.services.registry import RegistryCache
from api.settings import Settings, get_settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.web import install as install_pages
from api.worker import Queue

log = logging.getLogger("penempatan.api")

DESCRIPTION = """
Placement matching for community-service sentences (pidana kerja sosial, KUHP 2023 Pasal 85).

Every `/v1` route needs `Authorization: Bearer <token>`. Errors are RFC 9457
`application/problem+json`, in Indonesian by default or English with `Accept-Language: en`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app with its own database connection pool and caches; jobs go to the queue."""
    settings = settings or get_settings()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(db)
        yield
        db.dispose()

    # /docs serves Swagger UI's files from the fastapi-offline package: no CDN (offices may
    # have no internet); ReDoc is off (it fetches web fonts).
    app = FastAPIOffline(
        title="Penempatan",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.services = Services(
        settings=settings,
        db=db,
        policy=read_policy(settings.policy_path),
        tokens=TokenCache(),
        registry=RegistryCache(),
        queue=Queue(settings),
    )
    errors.install(app)
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        max_import_bytes=settings.max_import_bytes,
    )
    for module in (health, admin, sites, clients, matching, placements, reports, scenarios, jobs):
        app.include_router(module.router)
    install_pages(app)
    return app


app = create_app()
