"""Bapas, tokens and the audit log (admin; the Bapas list is open to every role)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import Admin, Caller, Svc
from api.schemas.admin import (
    AuditEntry,
    BapasCreate,
    BapasPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
)
from api.schemas.common import MAX_ROW_ID, PROBLEM_RESPONSES
from api.services import admin

router = APIRouter(prefix="/v1", tags=["admin"], responses=PROBLEM_RESPONSES)


@router.get("/bapas", response_model=list[BapasPublic], summary="List the Bapas")
def list_bapas(services: Svc, who: Caller) -> list[BapasPublic]:
    with services.db.reading() as s:
        return admin.list_bapas(s, who)


@router.post("/bapas", response_model=BapasPublic, status_code=201, summary="Add a Bapas")
def create_bapas(body: BapasCreate, services: Svc, who: Admin) -> BapasPublic:
    with services.db.writing() as s:
        return admin.create_bapas(s, who, bapas_id=body.bapas_id, name=body.name)


@router.post(
    "/tokens", response_model=TokenCreated, status_code=201, summary="Issue a token (shown once)"
)
def create_token(body: TokenCreate, services: Svc, who: Admin) -> TokenCreated:
    return admin.create_token(
        services.db, who, role=body.role, bapas_id=body.bapas_id, label=body.label
    )


@router.get("/tokens", response_model=list[TokenPublic], summary="List tokens (no secrets)")
def list_tokens(services: Svc, who: Admin) -> list[TokenPublic]:
    with services.db.reading() as s:
        return admin.list_tokens(s, who)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke a token")
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], services: Svc, who: Admin
) -> None:
    with services.db.writing() as s:
        admin.revoke_token(s, who, token_id)
    services.tokens.forget(token_id)


@router.get("/audit", response_model=list[AuditEntry], summary="The audit log, newest first")
def list_audit(
    services: Svc,
    who: Admin,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[AuditEntry]:
    with services.db.reading() as s:
        return admin.list_audit(
            s, who, entity=entity, entity_id=entity_id, limit=limit, offset=offset
        )
