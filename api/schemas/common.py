"""Vocabularies of the data contract as types (from matcher.vocab), and shared bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, AllowInfNan, BaseModel, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from matcher.rules import V
from matcher.validate import DATE_MAX, DATE_MIN
from matcher.validate import ID_PATTERN as ID_PATTERN
from matcher.vocab import ReligionName


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


UtcDateTime = Annotated[dt.datetime, AfterValidator(_as_utc)]
"""A timestamp; the database keeps UTC without an offset, the API states it (RFC 3339)."""

Real = Annotated[float, Strict(), AllowInfNan(False)]
"""A number in a body: finite (no NaN, no Infinity, no 1e400), never a boolean."""
Whole = Annotated[int, Strict()]
"""A whole number in a body: never a boolean (``true`` is not 1) nor a string."""
Flag = Annotated[bool, Strict()]
"""A boolean in a body: ``true`` or ``false``, never 0 or 1."""


def _plausible_day(value: dt.date) -> dt.date:
    if not DATE_MIN <= value <= DATE_MAX:
        lo, hi = DATE_MIN.isoformat(), DATE_MAX.isoformat()
        raise PydanticCustomError(
            "date_range", V["date_range"].say(lo=lo, hi=hi).english, {"lo": lo, "hi": hi}
        )
    return value


Day = Annotated[dt.date, AfterValidator(_plausible_day)]
"""A date from 2000 to 2099 (year 9999 is a typo; ``0`` is not 1970-01-01 here)."""

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
        (429, "too many failed requests (401 or 404) from this address or token: Retry-After"),
    )
}
