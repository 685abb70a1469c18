"""Vocabularies of the data contract as types (from matcher.vocab), and shared bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from matcher.vocab import ReligionName


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


UtcDateTime = Annotated[dt.datetime, AfterValidator(_as_utc)]
"""A timestamp; the database keeps UTC without an offset, the API states it (RFC 3339)."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="an id: letters, digits, . _ : -")]
PathId = Annotated[str, Path(pattern=ID_PATTERN)]
# Row ids are Integer columns: 32 bits on PostgreSQL (SQLite's hold 64), so no id above this exists
# and a larger one must not reach the database (PostgreSQL refuses it: "integer out of range").
MAX_ROW_ID = 2**31 - 1

Religion = Literal["", ReligionName]
Role = Literal["officer", "planner", "admin"]
PlacementStatus = Literal["proposed", "active", "completed", "revoked"]


class Body(BaseModel):
    """A request body: unknown fields are an error (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid")


class ErrorItem(BaseModel):
    path: str = Field(description="where: body.field, row N.field, query.name")
    value: Any = Field(None, description="the value given")
    rule: str = Field(description="the rule it breaks, in the request's language")
    pasal: str | None = Field(None, description="the Pasal of the KUHP when the law is the rule")
    source: str | None = Field(None, description="the row or feature of an imported file")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ErrorItem] | None = None


class Terms(BaseModel):
    """Cost terms of one client-site pair: ``cost_m = distance_m - skill_bonus_m``."""

    distance_m: int
    skill_match: bool
    skill_bonus_m: int
    cost_m: int


class ReasonOut(BaseModel):
    """Why a client has no site: a machine code, a sentence, and details for programs."""

    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "model": ProblemDetails,
        "content": {"application/problem+json": {}},
        "description": text,
    }
    for code, text in (
        (400, "a body that is not valid JSON"),
        (401, "missing or invalid token"),
        (403, "role not allowed"),
        (404, "unknown id (or another Bapas' row)"),
        (409, "conflict with the current state"),
        (413, "body or cohort too large"),
        (422, "invalid data: each field path, value and rule"),
    )
}
