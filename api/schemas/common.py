"""Vocabularies of the data contract as types, and shared bodies (problems, pages, terms)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


UtcDateTime = Annotated[dt.datetime, AfterValidator(_as_utc)]
"""A timestamp; the database keeps UTC without an offset, the API states it (RFC 3339)."""

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="an id: letters, digits, . _ : -")]
PathId = Annotated[str, Path(pattern=ID_PATTERN)]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SiteKind = Literal[
    "place_of_worship",
    "school",
    "park",
    "market",
    "health_facility",
    "social_institution",
    "government_office",
    "village_office",
    "roads_drains",
    "pesantren",
    "tourism",
    "other",
]
Population = Literal["children", "elderly", "patients", "disabled"]
Hazard = Literal["cash_handling", "medicines", "heights", "chemicals", "heavy_lifting", "traffic"]
Demand = Literal["light", "moderate", "heavy"]
Gender = Literal["female", "male"]
GenderPolicy = Literal["any", "female_only", "male_only"]
SupervisorGender = Literal["female", "male", "mixed"]
Religion = Literal["", "islam", "kristen", "katolik", "hindu", "buddha", "konghucu"]
WorkType = Literal[
    "cleaning",
    "gardening",
    "administration",
    "teaching_assist",
    "construction",
    "cooking",
    "care_support",
    "maintenance",
    "other",
]
Offence = Literal[
    "property_theft",
    "fraud_embezzlement",
    "minor_assault",
    "domestic_violence",
    "sexual_offence",
    "narcotics_use",
    "gambling",
    "traffic",
    "defamation_ite",
    "public_order",
    "vandalism",
    "environment",
    "other",
]
HealthFlag = Literal["epilepsy", "pregnancy", "respiratory", "mobility", "other"]
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
