"""Placement and hours bodies."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.common import Body, Day, Id, PlacementStatus, Real, UtcDateTime
from matcher.attendance import IzinReason, Outcome


class PlacementCreate(Body):
    """Propose one client at one site (usually a suggestion the officer chose)."""

    client_id: Id
    site_id: Id
    pk_anak: str | None = Field(
        None,
        min_length=2,
        max_length=200,
        description="the PK Anak guiding a child's placement (children's policy)",
    )


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
    pk_anak: str | None = None


class HoursEntry(BaseModel):
    log_id: int
    date: dt.date
    hours: float
    outcome: Outcome = "hadir"
    reason: IzinReason | None = None


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


class AttendanceCreate(Body):
    """One scheduled day's outcome. Hours only for hadir (and dipulangkan, part of a day); izin
    needs a reason. The calendar's rules decide (each refusal names its rule and Pasal)."""

    date: dt.date = Field(description="the scheduled day (not in the future)")
    outcome: Outcome
    hours: float = Field(0, ge=0, le=8, description="hours worked that day")
    reason: IzinReason | None = Field(
        None, description="for izin: sakit, bekerja, keluarga, sidang"
    )


class CalendarDay(BaseModel):
    date: dt.date
    hours: int


class ShortfallOut(BaseModel):
    hours: float = Field(description="hours that no longer fit before the deadline")
    since: dt.date | None = Field(description="the first day the record left the order short")
    extra_weekday: str | None
    extra_days: int | None
    message_id: str
    message_en: str
    rule: str
    pasal: str
    rule_text: str


class CalendarPublic(BaseModel):
    """The remaining hours on the earliest working days (client's days, site's open days, no
    public holidays, a child's school), at most ``day_limit`` hours a day."""

    placement_id: int
    client_id: str
    site_id: str
    sentence: str
    start: dt.date
    deadline: dt.date
    day_limit: int
    client_days: list[str]
    site_days: list[str]
    hours: float
    hours_done: float
    remaining: float
    from_day: dt.date
    days: list[CalendarDay]
    finishes: dt.date | None = Field(description="the last scheduled day, when every hour fits")
    shortfall: ShortfallOut | None


class LadderStep(BaseModel):
    count: int = Field(description="the n-th mangkir")
    date: dt.date
    kind: str = Field(description="peringatan, pelanggaran or catat (policy ladder)")
    number: int = Field(description="the warning's number (0 for a breach)")


class AttendanceState(BaseModel):
    placement_id: int
    as_of: dt.date
    status: str = Field(description="berjalan, pelanggaran or selesai")
    hours_ordered: float
    hours_done: float
    remaining: float
    counts: dict[str, int]
    steps: list[LadderStep]
    breach: LadderStep | None
    calendar: CalendarPublic


class WarningLetter(BaseModel):
    number: int
    date: dt.date
    text: str


class Letters(BaseModel):
    """The letters the record calls for (Indonesian): warnings for the client, the breach notice
    for the jaksa, the completion statement for the jaksa and the court."""

    placement_id: int
    as_of: dt.date
    status: str
    warnings: list[WarningLetter]
    breach_notice: str | None
    completion_statement: str | None
