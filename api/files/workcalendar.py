"""A work calendar as files: iCalendar (.ics, for the client's phone) and CSV.

The .ics is written with the ``icalendar`` library: one all-day event per scheduled day (the
hours are the site's to arrange, so no clock time is invented), a stable UID per placement and
day, so that a re-imported calendar after a recomputation replaces the days instead of adding.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import icalendar

from matcher.calendar import DAY_NAMES_ID, WorkCalendar

CSV_COLUMNS = ("date", "weekday", "hours", "cumulative_hours")


def calendar_csv(cal: WorkCalendar) -> str:
    """One row per scheduled day: date, Indonesian weekday, hours, hours done by the day's end."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    total = cal.hours_done
    for s in cal.slots:
        total += s.hours
        w.writerow([s.day.isoformat(), DAY_NAMES_ID[s.day.weekday()], s.hours, f"{total:g}"])
    return out.getvalue()


def calendar_ics(
    cal: WorkCalendar, *, placement_id: int | str, site_name: str, stamp: datetime | None = None
) -> bytes:
    """An iCalendar file of the scheduled days. ``stamp`` (DTSTAMP) defaults to the start of the
    calendar's first day, so that the same calendar always gives the same bytes."""
    ical = icalendar.Calendar()
    ical.add("prodid", "-//Penempatan//Kalender kerja sosial//ID")
    ical.add("version", "2.0")
    ical.add("x-wr-calname", f"Kerja sosial: {site_name}")
    when = stamp or datetime(cal.from_day.year, cal.from_day.month, cal.from_day.day, tzinfo=UTC)
    for s in cal.slots:
        ev = icalendar.Event()
        ev.add("uid", f"penempatan-{placement_id}-{s.day.isoformat()}@penempatan")
        ev.add("dtstamp", when)
        ev.add("dtstart", s.day)
        ev.add("dtend", s.day + timedelta(days=1))
        ev.add("summary", f"Kerja sosial {s.hours} jam: {site_name}")
        ev.add("description", f"Penempatan {placement_id}. Sisa jam diperbarui setiap hari kerja.")
        ical.add_component(ev)
    return ical.to_ical()
