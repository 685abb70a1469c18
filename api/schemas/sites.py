"""Site bodies."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from api.schemas.common import Body, Flag, Id, Real, Religion, Whole
from matcher.vocab import (
    Demand,
    GenderPolicy,
    Hazard,
    Population,
    SiteKind,
    SupervisorGender,
    Weekday,
    WorkType,
)


def bounds(low: float, high: float, *, exclusive_low: bool = False) -> JsonDict:
    """Documented bounds: the validator (``matcher.validate``) enforces them with the Pasal."""
    lo_key = "exclusiveMinimum" if exclusive_low else "minimum"
    return {lo_key: low, "maximum": high}


LAT = bounds(-90, 90)
LON = bounds(-180, 180)


class SiteFields(Body):
    name: str = Field("", max_length=200)
    kind: SiteKind = "other"
    lat: Real = Field(description="WGS84 degrees", json_schema_extra=LAT)
    lon: Real = Field(description="WGS84 degrees", json_schema_extra=LON)
    capacity: Whole = Field(ge=0, le=10_000, description="clients at the same time")
    open_days: list[Weekday] = Field(max_length=7)
    hours_per_day: Whole = Field(
        8,
        description="1-8 (Pasal 85(5): at most 8 hours a day)",
        json_schema_extra=bounds(1, 8),
    )
    approved: Flag = True
    commercial: Flag = Field(False, description="a commercial site is never eligible (85(3))")
    population: list[Population] = Field(default_factory=list, max_length=4)
    hazards: list[Hazard] = Field(default_factory=list, max_length=6)
    physical_demand: Demand = "light"
    gender_policy: GenderPolicy = "any"
    supervisor_gender: SupervisorGender = "mixed"
    religion: Religion = ""
    work_types: list[WorkType] = Field(default_factory=list, max_length=9)
    district: str = Field("", max_length=100)
    subdistrict: str = Field("", max_length=100, description="kecamatan")
    child_suitable: bool = Field(
        False, description="marked suitable for children (children's policy, not statute)"
    )


class SiteCreate(SiteFields):
    site_id: Id
    bapas_id: Id | None = Field(None, description="only an admin of every Bapas names one")


class SiteUpdate(Body):
    """The fields to change; the others keep their value."""

    name: str | None = Field(None, max_length=200)
    kind: SiteKind | None = None
    lat: Real | None = Field(None, json_schema_extra=LAT)
    lon: Real | None = Field(None, json_schema_extra=LON)
    capacity: Whole | None = Field(None, ge=0, le=10_000)
    open_days: list[Weekday] | None = Field(None, max_length=7)
    hours_per_day: Whole | None = Field(None, json_schema_extra=bounds(1, 8))
    approved: Flag | None = None
    commercial: Flag | None = None
    population: list[Population] | None = Field(None, max_length=4)
    hazards: list[Hazard] | None = Field(None, max_length=6)
    physical_demand: Demand | None = None
    gender_policy: GenderPolicy | None = None
    supervisor_gender: SupervisorGender | None = None
    religion: Religion | None = None
    work_types: list[WorkType] | None = Field(None, max_length=9)
    district: str | None = Field(None, max_length=100)
    subdistrict: str | None = Field(None, max_length=100)
    child_suitable: bool | None = None


class SitePublic(BaseModel):
    site_id: str
    bapas_id: str
    active: bool
    name: str
    kind: str
    lat: float
    lon: float
    capacity: int
    open_days: list[str]
    hours_per_day: int
    approved: bool
    commercial: bool
    population: list[str]
    hazards: list[str]
    physical_demand: str
    gender_policy: str
    supervisor_gender: str
    religion: str
    work_types: list[str]
    district: str
    subdistrict: str
    child_suitable: bool = False
    active_placements: int = Field(description="clients working there now")
    free: int = Field(description="places left: capacity - active placements, at least 0")


class SitePage(BaseModel):
    items: list[SitePublic]
    total: int
    limit: int
    offset: int


class Occupancy(BaseModel):
    site_id: str
    capacity: int
    active: int = Field(description="active placements")
    proposed: int = Field(description="proposals waiting for confirmation (they hold no place)")
    free: int


class ImportReport(BaseModel):
    """A successful import: every row was valid, and all were applied in one transaction."""

    created: int
    updated: int
    site_ids: list[str]
