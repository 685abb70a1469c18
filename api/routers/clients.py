"""Clients of a Bapas (officers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Officer, Svc
from api.schemas.clients import ClientCreate, ClientPage, ClientPublic, ClientUpdate
from api.schemas.common import ID_PATTERN, PROBLEM_RESPONSES, PathId
from api.services import audit
from api.services import clients as svc

router = APIRouter(prefix="/v1/clients", tags=["clients"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=ClientPage, summary="The Bapas' clients")
def list_clients(
    services: Svc,
    who: Officer,
    unplaced: Annotated[
        bool | None, Query(description="only clients without (or with) an open placement")
    ] = None,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    with services.db.reading() as s:
        return svc.list_clients(
            s, who, bapas_id=bapas_id, unplaced=unplaced, limit=limit, offset=offset
        )


@router.post(
    "",
    response_model=ClientPublic,
    status_code=201,
    summary="Add a client and the court order (checked against Pasal 85)",
)
def create_client(body: ClientCreate, services: Svc, who: Officer) -> dict[str, Any]:
    values = body.model_dump(mode="json", exclude={"bapas_id"})
    with services.db.writing() as s:
        return svc.create_client(
            s, who, values=values, bapas_id=body.bapas_id, extent=services.policy.extent
        )


@router.get("/{client_id}", response_model=ClientPublic, summary="One client")
def get_client(client_id: PathId, services: Svc, who: Officer) -> dict[str, Any]:
    """The record carries health, religion and offence: every read is audited (ids only)."""
    with services.db.reading() as s:
        body = svc.read_client(s, who, client_id)
    with services.db.writing() as s:
        audit.record(s, who, "client.read", "client", client_id)
    return body


@router.patch("/{client_id}", response_model=ClientPublic, summary="Change some fields")
def update_client(
    client_id: PathId, body: ClientUpdate, services: Svc, who: Officer
) -> dict[str, Any]:
    changes = body.model_dump(mode="json", exclude_unset=True)
    with services.db.writing() as s:
        return svc.update_client(s, who, client_id, changes=changes, extent=services.policy.extent)
