"""Bapas, tokens and audit bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.schemas.common import Body, Id, Role, UtcDateTime


class BapasCreate(Body):
    bapas_id: Id
    name: str = Field(min_length=1, max_length=200)


class BapasPublic(BaseModel):
    bapas_id: str
    name: str


class TokenCreate(Body):
    role: Role
    bapas_id: Id | None = Field(None, description="required for officer and planner")
    label: str = Field("", max_length=200)
    days: int = Field(90, ge=1, le=3650, description="days the token is valid")


class TokenCreated(BaseModel):
    token_id: int
    role: str
    bapas_id: str | None
    token: str = Field(description="the secret: shown once, stored only as its hash")


class TokenPublic(BaseModel):
    token_id: int
    role: str
    bapas_id: str | None
    label: str
    created_at: UtcDateTime
    expires_at: UtcDateTime | None = Field(None, description="None: issued before expiry existed")
    revoked: bool


class AuditEntry(BaseModel):
    audit_id: int
    at: UtcDateTime
    token_id: int | None
    role: str
    bapas_id: str | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class Health(BaseModel):
    status: str
    version: str | None = None
