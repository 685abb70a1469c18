"""The officers' and planners' pages: server-rendered HTML (Jinja2) over the same services as
the API, Indonesian by default and English on request, every asset served by this app.

``install(app)`` mounts the pages and their static files (``/static``) on the FastAPI app.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web import officer, pages, registry
from api.web.core import HERE


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (pages, officer, registry):
        app.include_router(module.router)
