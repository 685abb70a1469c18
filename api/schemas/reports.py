"""The supervision report for the prosecutor (Pasal 85(8))."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class SupervisionRow(BaseModel):
    client_id: str
    placement_id: int | None
    site_id: str | None
    status: str = Field(description="placement status, or 'unplaced'")
    hours_ordered: int
    hours_done: float
    hours_remaining: float
    hours_per_day: int
    start_date: dt.date
    deadline: dt.date
    days_left: int = Field(description="calendar days from as_of to the deadline")
    workdays_left: int = Field(
        description="common working days left (client's days, site's open days, no holidays)"
    )
    at_risk: bool = Field(description="the remaining hours no longer fit before the deadline")
    state: str | None = Field(
        None, description="berjalan, pelanggaran or selesai (a confirmed placement)"
    )
    mangkir: int = Field(0, description="days absent without a valid reason")
    warnings: int = Field(0, description="written warnings the ladder produced")
    breach: bool = Field(False, description="a breach notice for the jaksa is due")
    next_day: dt.date | None = Field(None, description="the next day on the work calendar")
    shortfall: str | None = Field(None, description="'kurang N jam: ...' when hours stop fitting")


class SupervisionReport(BaseModel):
    bapas_id: str | None
    as_of: dt.date
    clients: int
    at_risk: int
    rows: list[SupervisionRow]


class OutcomeDays(BaseModel):
    hadir: int = 0
    izin: int = 0
    mangkir: int = 0
    dipulangkan: int = 0
    dibatalkan: int = 0


class SiteMonthClient(BaseModel):
    client_id: str
    days: OutcomeDays
    hours: float


class SiteMonth(BaseModel):
    site_id: str
    name: str
    days: OutcomeDays
    hours: float
    clients: list[SiteMonthClient]


class SiteMonthReport(BaseModel):
    """One month's attendance per site, for the site's own supervisor."""

    bapas_id: str | None
    month: str
    sites: list[SiteMonth]
