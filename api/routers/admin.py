"""Bapas, tokens and the audit log (admin; the Bapas list is open to every role)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.auth import issue_token
from api.deps import Admin, Caller, Svc
from api.errors import Problem, not_found
from api.schemas.admin import (
    AuditEntry,
    BapasCreate,
    BapasPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
)
from api.schemas.common import PROBLEM_RESPONSES
from api.services import audit
from api.storage.models import AuditRow, BapasRow, TokenRow

router = APIRouter(prefix="/v1", tags=["admin"], responses=PROBLEM_RESPONSES)


@router.get("/bapas", response_model=list[BapasPublic], summary="List the Bapas")
def list_bapas(services: Svc, who: Caller) -> list[dict[str, Any]]:
    with services.db.reading() as s:
        q = select(BapasRow).order_by(BapasRow.bapas_id)
        if who.bapas_id is not None:
            q = q.where(BapasRow.bapas_id == who.bapas_id)
        return [{"bapas_id": b.bapas_id, "name": b.name} for b in s.scalars(q)]


@router.post("/bapas", response_model=BapasPublic, status_code=201, summary="Add a Bapas")
def create_bapas(body: BapasCreate, services: Svc, who: Admin) -> dict[str, Any]:
    if who.bapas_id is not None:
        raise Problem(
            403,
            "forbidden",
            "Hanya admin semua Bapas yang boleh menambah Bapas.",
            "Only an admin of every Bapas may add a Bapas.",
        )
    with services.db.writing() as s:
        if s.get(BapasRow, body.bapas_id) is not None:
            raise Problem(
                409,
                "conflict",
                f"Bapas {body.bapas_id} sudah ada.",
                f"Bapas {body.bapas_id} already exists.",
            )
        s.add(BapasRow(bapas_id=body.bapas_id, name=body.name, sites_version=0))
        audit.record(s, who, "bapas.create", "bapas", body.bapas_id)
    return {"bapas_id": body.bapas_id, "name": body.name}


@router.post(
    "/tokens", response_model=TokenCreated, status_code=201, summary="Issue a token (shown once)"
)
def create_token(body: TokenCreate, services: Svc, who: Admin) -> dict[str, Any]:
    bapas = body.bapas_id
    if who.bapas_id is not None:
        bapas = bapas or who.bapas_id
        if bapas != who.bapas_id:
            raise not_found("Bapas", bapas)
    with services.db.reading() as s:
        if bapas is not None and s.get(BapasRow, bapas) is None:
            raise not_found("Bapas", bapas)
    if body.role != "admin" and bapas is None:
        raise Problem(
            422,
            "validation",
            f"Token {body.role} harus menyebut bapas_id.",
            f"A {body.role} token must name a bapas_id.",
            errors=[{"path": "body.bapas_id", "value": None, "rule": "required", "pasal": None}],
        )
    token_id, secret = issue_token(
        services.db, role=body.role, bapas_id=bapas, label=body.label, days=body.days
    )
    with services.db.writing() as s:
        audit.record(s, who, "token.create", "token", token_id, after={"role": body.role})
    return {"token_id": token_id, "role": body.role, "bapas_id": bapas, "token": secret}


@router.get("/tokens", response_model=list[TokenPublic], summary="List tokens (no secrets)")
def list_tokens(services: Svc, who: Admin) -> list[dict[str, Any]]:
    with services.db.reading() as s:
        q = select(TokenRow).order_by(TokenRow.token_id)
        if who.bapas_id is not None:
            q = q.where(TokenRow.bapas_id == who.bapas_id)
        return [
            {
                "token_id": t.token_id,
                "role": t.role,
                "bapas_id": t.bapas_id,
                "label": t.label,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "revoked": t.revoked_at is not None,
            }
            for t in s.scalars(q)
        ]


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke a token")
def revoke_token(token_id: int, services: Svc, who: Admin) -> None:
    with services.db.writing() as s:
        row = s.get(TokenRow, token_id)
        if row is None or (who.bapas_id is not None and row.bapas_id != who.bapas_id):
            raise not_found("Token", token_id)
        if row.revoked_at is None:
            row.revoked_at = datetime.now(UTC).replace(tzinfo=None)
            audit.record(s, who, "token.revoke", "token", token_id)
    services.tokens.forget(token_id)


@router.get("/audit", response_model=list[AuditEntry], summary="The audit log, newest first")
def list_audit(
    services: Svc,
    who: Admin,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> list[dict[str, Any]]:
    with services.db.reading() as s:
        q = select(AuditRow).order_by(AuditRow.audit_id.desc())
        if who.bapas_id is not None:
            q = q.where(AuditRow.bapas_id == who.bapas_id)
        if entity:
            q = q.where(AuditRow.entity == entity)
        if entity_id:
            q = q.where(AuditRow.entity_id == entity_id)
        return [
            {
                "audit_id": a.audit_id,
                "at": a.at,
                "token_id": a.token_id,
                "role": a.role,
                "bapas_id": a.bapas_id,
                "action": a.action,
                "entity": a.entity,
                "entity_id": a.entity_id,
                "before": a.before,
                "after": a.after,
            }
            for a in s.scalars(q.limit(limit).offset(offset))
        ]
