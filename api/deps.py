"""The app's shared state and the ``Annotated`` dependencies the routers declare.

The dependencies themselves never block (``async def``): a sync dependency would cost each
request one more trip through the thread pool. The one that may read the database (a token
not in the cache) does so in the thread pool.

``Officer``, ``Planner``, ``Reporter``, ``Admin`` and ``Caller`` are principals already checked
for a role (admin passes every check); ``Lang`` is the language of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, TokenCache, authenticate, require_role
from api.messages import pick_language
from api.services.registry import RegistryCache
from api.settings import Settings
from api.storage.db import Database
from api.worker import Queue
from matcher.policy import Policy


@dataclass
class Services:
    """Everything a request may need, built once per app."""

    settings: Settings
    db: Database
    policy: Policy
    tokens: TokenCache
    registry: RegistryCache
    queue: Queue


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


Svc = Annotated[Services, Depends(get_services)]

_bearer = HTTPBearer(auto_error=False, description="a token from `penempatan token create`")


async def get_principal(
    services: Svc,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller: from the token cache when it can, else from the database (in a thread)."""
    header = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    cached = services.tokens.lookup(header)
    if cached is not None:
        return cached
    return await run_in_threadpool(authenticate, services.db, services.tokens, header)


Caller = Annotated[Principal, Depends(get_principal)]


def _role(*roles: str) -> object:
    async def check(principal: Caller) -> Principal:
        require_role(principal, roles)
        return principal

    return Depends(check)


Officer = Annotated[Principal, _role("officer")]
Planner = Annotated[Principal, _role("planner")]
Reporter = Annotated[Principal, _role("officer", "planner")]
Admin = Annotated[Principal, _role("admin")]


async def get_lang(accept_language: Annotated[str | None, Header()] = None) -> str:
    return pick_language(accept_language)


Lang = Annotated[str, Depends(get_lang)]
