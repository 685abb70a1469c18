"""Client bodies: a pseudonymous id and the court order's terms; no names."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import Body, Day, Flag, Id, PlacementStatus, Real, Religion, Whole
from api.schemas.sites import LAT, LON, bounds
from matcher.law import Sentence
from matcher.vocab import Demand, Gender, HealthFlag, Offence, Weekday, WorkType


class Zone(Body):
    """A victim-protection exclusion zone."""

    lat: Real = Field(json_schema_extra=LAT)
    lon: Real = Field(json_schema_extra=LON)
    radius_km: Real = Field(json_schema_extra=bounds(0, 100, exclusive_low=True))


class ClientFields(Body):
    lat: Real = Field(description="home, WGS84 degrees", json_schema_extra=LAT)
    lon: Real = Field(description="home, WGS84 degrees", json_schema_extra=LON)
    gender: Gender
    age: Whole | None = Field(None, json_schema_extra=bounds(12, 120))
    offence: Offence
    sentence: Sentence = Field(
        "kerja_sosial",
        description="the order: kerja_sosial (KUHP Pasal 85) or pelayanan_masyarakat (a child, "
        "UU No. 11 Tahun 2012 Pasal 76)",
    )
    hours: Whole = Field(
        description="hours ordered: 8-240 for kerja_sosial (Pasal 85(4) KUHP), 7-120 for "
        "pelayanan_masyarakat (Pasal 76(3) UU No. 11 Tahun 2012)",
        json_schema_extra=bounds(7, 240),
    )
    hours_per_day: Whole = Field(
        description="hours a day from the verdict, 1-8 (Pasal 85(5))",
        json_schema_extra=bounds(1, 8),
    )
    start_date: Day
    deadline: Day = Field(description="at most 6 months after start_date (Pasal 85(5))")
    available_days: list[Weekday] = Field(min_length=1, max_length=7)
    school_days: list[Weekday] = Field(
        default_factory=list, max_length=7, description="a child's school days"
    )
    fitness: Demand = "moderate"
    health: list[HealthFlag] = Field(default_factory=list, max_length=5)
    religion: Religion = ""
    worship_site_consent: Flag = False
    skills: list[WorkType] = Field(default_factory=list, max_length=9)
    max_travel_km: Real | None = Field(None, json_schema_extra=bounds(0, 200, exclusive_low=True))
    needs_female_supervisor: Flag = False
    exclusion_zones: list[Zone] = Field(default_factory=list, max_length=20)
    separate_from: list[Id] = Field(default_factory=list, max_length=50)
    fixed_site_id: Id | None = Field(None, description="a site named by the court")
    threatened_max_years: Whole | None = Field(
        None, ge=0, le=1000, description="under 5 (Pasal 85(1))"
    )
    imposed_prison_months: Whole | None = Field(
        None, ge=0, le=1200, description="at most 6 (Pasal 85(1))"
    )
    imposed_fine_rp: Whole | None = Field(
        None, ge=0, le=10**15, description="at most Rp10,000,000 (Pasal 85(1))"
    )


class ClientCreate(ClientFields):
    client_id: Id = Field(description="pseudonymous id; never a name")
    bapas_id: Id | None = Field(None, description="only an admin of every Bapas names one")


class ClientUpdate(Body):
    """The fields to change; the others keep their value (``null`` clears an optional one)."""

    lat: Real | None = Field(None, json_schema_extra=LAT)
    lon: Real | None = Field(None, json_schema_extra=LON)
    gender: Gender | None = None
    age: Whole | None = Field(None, json_schema_extra=bounds(12, 120))
    offence: Offence | None = None
    sentence: Sentence | None = None
    school_days: list[Weekday] | None = Field(None, max_length=7)
    hours: Whole | None = Field(None, json_schema_extra=bounds(7, 240))
    hours_per_day: Whole | None = Field(None, json_schema_extra=bounds(1, 8))
    start_date: Day | None = None
    deadline: Day | None = None
    available_days: list[Weekday] | None = Field(None, min_length=1, max_length=7)
    fitness: Demand | None = None
    health: list[HealthFlag] | None = Field(None, max_length=5)
    religion: Religion | None = None
    worship_site_consent: Flag | None = None
    skills: list[WorkType] | None = Field(None, max_length=9)
    max_travel_km: Real | None = Field(None, json_schema_extra=bounds(0, 200, exclusive_low=True))
    needs_female_supervisor: Flag | None = None
    exclusion_zones: list[Zone] | None = Field(None, max_length=20)
    separate_from: list[Id] | None = Field(None, max_length=50)
    fixed_site_id: Id | None = None
    threatened_max_years: Whole | None = Field(None, ge=0, le=1000)
    imposed_prison_months: Whole | None = Field(None, ge=0, le=1200)
    imposed_fine_rp: Whole | None = Field(None, ge=0, le=10**15)


class CurrentPlacement(BaseModel):
    placement_id: int
    site_id: str
    status: PlacementStatus


class ClientPublic(ClientFields):
    client_id: str
    bapas_id: str
    placement: CurrentPlacement | None = Field(None, description="the open placement, if any")


class ClientPage(BaseModel):
    items: list[ClientPublic]
    total: int
    limit: int
    offset: int


class ClientImportReport(BaseModel):
    """A successful import: every row was valid, and all were created in one transaction."""

    created: int
    client_ids: list[str]
