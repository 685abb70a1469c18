"""Bapas, tokens and the audit log: what an admin manages (the Bapas list is open to all).

A Bapas-scoped caller sees and touches only its own Bapas, tokens and audit entries.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Principal, issue_token
from api.errors import Problem, not_found
from api.schemas.admin import AuditEntry, BapasPublic, TokenCreated, TokenPublic
from api.services import audit
from api.services.scope import where_given
from api.storage.db import Database
from api.storage.models import AuditRow, BapasRow, TokenRow
from matcher.rules import V


def list_bapas(s: Session, who: Principal) -> list[BapasPublic]:
    q = where_given(select(BapasRow).order_by(BapasRow.bapas_id), (BapasRow.bapas_id, who.bapas_id))
    return [BapasPublic.model_validate(b, from_attributes=True) for b in s.scalars(q)]


def create_bapas(s: Session, who: Principal, *, bapas_id: str, name: str) -> BapasPublic:
    if s.get(BapasRow, bapas_id) is not None:
        raise Problem(
            409,
            "conflict",
            f"Bapas {bapas_id} sudah ada.",
            f"Bapas {bapas_id} already exists.",
        )
    s.add(BapasRow(bapas_id=bapas_id, name=name, sites_version=0))
    audit.record(s, who, "bapas.create", "bapas", bapas_id)
    return BapasPublic(bapas_id=bapas_id, name=name)


def create_token(
    db: Database, who: Principal, *, role: str, bapas_id: str | None, label: str
) -> TokenCreated:
    """A new token (its secret shown once); a Bapas-scoped admin issues only for its Bapas."""
    bapas = bapas_id
    if who.bapas_id is not None:
        bapas = bapas or who.bapas_id
        if bapas != who.bapas_id:
            raise not_found("Bapas", bapas)
    with db.reading() as s:
        if bapas is not None and s.get(BapasRow, bapas) is None:
            raise not_found("Bapas", bapas)
    if role != "admin" and bapas is None:
        raise Problem(
            422,
            "validation",
            f"Token {role} harus menyebut bapas_id.",
            f"A {role} token must name a bapas_id.",
            errors=[{"path": "body.bapas_id", "value": None, "rule": V["required"].say()}],
        )
    token_id, secret = issue_token(db, role=role, bapas_id=bapas, label=label)
    with db.writing() as s:
        audit.record(s, who, "token.create", "token", token_id, after={"role": role})
    return TokenCreated(token_id=token_id, role=role, bapas_id=bapas, token=secret)


def list_tokens(s: Session, who: Principal) -> list[TokenPublic]:
    q = where_given(select(TokenRow).order_by(TokenRow.token_id), (TokenRow.bapas_id, who.bapas_id))
    return [
        TokenPublic(
            token_id=t.token_id,
            role=t.role,
            bapas_id=t.bapas_id,
            label=t.label,
            created_at=t.created_at,
            revoked=t.revoked_at is not None,
        )
        for t in s.scalars(q)
    ]


def revoke_token(s: Session, who: Principal, token_id: int) -> None:
    row = s.get(TokenRow, token_id)
    if row is None or (who.bapas_id is not None and row.bapas_id != who.bapas_id):
        raise not_found("Token", token_id)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC).replace(tzinfo=None)
        audit.record(s, who, "token.revoke", "token", token_id)


def list_audit(
    s: Session,
    who: Principal,
    *,
    entity: str | None,
    entity_id: str | None,
    limit: int,
    offset: int,
) -> list[AuditEntry]:
    """The audit log, newest first (what was done, by which token; never sensitive values)."""
    q = where_given(
        select(AuditRow).order_by(AuditRow.audit_id.desc()),
        (AuditRow.bapas_id, who.bapas_id),
        (AuditRow.entity, entity),
        (AuditRow.entity_id, entity_id),
    )
    rows = s.scalars(q.limit(limit).offset(offset))
    return [AuditEntry.model_validate(a, from_attributes=True) for a in rows]
