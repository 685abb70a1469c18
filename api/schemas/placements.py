"""Placement and hours bodies."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.common import Body, Day, Id, PlacementStatus, Real, UtcDateTime


class PlacementCreate(Body):
    """Propose one client at one site (usually a suggestion the officer chose)."""

    client_id: Id
    site_id: Id


class PlacementPublic(BaseModel):
    placement_id: int
    client_id: str
    site_id: str
    bapas_id: str
    status: PlacementStatus
    distance_km: float | None
    hours_ordered: int
    hours_done: float
    created_at: UtcDateTime
    confirmed_at: UtcDateTime | None
    closed_at: UtcDateTime | None
    revoke_reason: str | None


class HoursEntry(BaseModel):
    log_id: int
    date: dt.date
    hours: float


class PlacementDetail(PlacementPublic):
    hours_log: list[HoursEntry]


class HoursCreate(Body):
    date: Day = Field(description="the day worked (not in the future)")
    hours: Real = Field(
        gt=0, le=8, description="hours worked that day: at most the verdict's hours a day"
    )


class RevokeRequest(Body):
    reason: str = Field(min_length=3, max_length=500, description="why (kept in the record)")


class PlacementPage(BaseModel):
    items: list[PlacementPublic]
    total: int
    limit: int
    offset: int
