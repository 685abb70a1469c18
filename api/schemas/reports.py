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


class SupervisionReport(BaseModel):
    bapas_id: str | None
    as_of: dt.date
    clients: int
    at_risk: int
    rows: list[SupervisionRow]
