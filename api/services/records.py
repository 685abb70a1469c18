"""Mapping between stored records, domain objects (``matcher.model``) and public bodies.

A stored ``record`` is the data-contract dict of a site or client as validated; loading it goes
through ``matcher.validate`` again, so the domain objects are always built the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.errors import InvalidInput
from api.storage.models import ClientRow, SiteRow
from matcher.model import Client, Site
from matcher.validate import INDONESIA, Extent, parse_client, parse_site
from matcher.vocab import WEEKDAYS

COURT_ORDER_EXTRAS = ("threatened_max_years", "imposed_prison_months", "imposed_fine_rp")


def _days(days: frozenset[str]) -> list[str]:
    return [d for d in WEEKDAYS if d in days]


def site_record(site: Site) -> dict[str, Any]:
    """A domain site as its data-contract dict (lists sorted, weekdays in week order)."""
    return {
        "site_id": site.site_id,
        "name": site.name,
        "kind": site.kind,
        "lat": site.lat,
        "lon": site.lon,
        "capacity": site.capacity,
        "open_days": _days(site.open_days),
        "hours_per_day": site.hours_per_day,
        "approved": site.approved,
        "commercial": site.commercial,
        "population": sorted(site.population),
        "hazards": sorted(site.hazards),
        "physical_demand": site.physical_demand,
        "gender_policy": site.gender_policy,
        "supervisor_gender": site.supervisor_gender,
        "religion": site.religion,
        "work_types": sorted(site.work_types),
        "district": site.district,
        "subdistrict": site.subdistrict,
        "child_suitable": site.child_suitable,
    }


def client_record(client: Client, extras: Mapping[str, Any]) -> dict[str, Any]:
    """A domain client (plus the Pasal 85(1) fields given) as its data-contract dict."""
    rec: dict[str, Any] = {
        "client_id": client.client_id,
        "lat": client.lat,
        "lon": client.lon,
        "gender": client.gender,
        "age": client.age,
        "offence": client.offence,
        "hours": client.hours,
        "hours_per_day": client.hours_per_day,
        "start_date": client.start_date.isoformat(),
        "deadline": client.deadline.isoformat(),
        "available_days": _days(client.available_days),
        "fitness": client.fitness,
        "health": sorted(client.health),
        "religion": client.religion,
        "worship_site_consent": client.worship_site_consent,
        "skills": sorted(client.skills),
        "max_travel_km": client.max_travel_km,
        "needs_female_supervisor": client.needs_female_supervisor,
        "exclusion_zones": [
            {"lat": z.lat, "lon": z.lon, "radius_km": z.radius_km} for z in client.exclusion_zones
        ],
        "separate_from": sorted(client.separate_from),
        "fixed_site_id": client.fixed_site_id,
        "sentence": client.sentence,
        "school_days": _days(client.school_days),
    }
    for k in COURT_ORDER_EXTRAS:
        rec[k] = extras.get(k)
    return rec


WORLD = Extent(min_lon=-180.0, min_lat=-90.0, max_lon=180.0, max_lat=90.0)
"""Stored records were checked against the extent when written; reading them back must not
fail because a later policy moved it."""


def validate_site(
    values: Mapping[str, Any], *, source: str = "body", extent: Extent = INDONESIA
) -> Site:
    """A site by the same rules as the CLI, or 422 with every problem."""
    site, problems = parse_site(values, source, extent)
    if problems or site is None:
        raise InvalidInput(problems)
    return site


def validate_client(
    values: Mapping[str, Any], *, source: str = "body", extent: Extent = INDONESIA
) -> Client:
    """A client by the same Pasal 85 rules as the CLI, or 422 with every problem."""
    values = {k: v for k, v in values.items() if k != "current_site_id"}
    client, problems = parse_client(values, source, extent)
    if problems or client is None:
        raise InvalidInput(problems)
    return client


def load_site(row: SiteRow) -> Site:
    site, problems = parse_site(row.record, f"site {row.site_id}", WORLD)
    if site is None:  # stored records were validated; this means the rules changed
        raise RuntimeError(f"stored site {row.site_id} no longer validates: {problems[0]}")
    return site


def load_client_record(record: Mapping[str, Any]) -> Client:
    client, _ = parse_client(record, f"client {record.get('client_id')}", WORLD)
    if client is None:
        raise RuntimeError(f"stored client {record.get('client_id')} no longer validates")
    return client


def load_client(row: ClientRow) -> Client:
    return load_client_record(row.record)


def site_public(row: SiteRow, active: int) -> dict[str, Any]:
    return {
        **row.record,
        "site_id": row.site_id,
        "bapas_id": row.bapas_id,
        "active": row.active,
        "active_placements": active,
        "free": max(row.capacity - active, 0),
    }


def client_public(row: ClientRow, placement: Mapping[str, Any] | None) -> dict[str, Any]:
    rec = {k: v for k, v in row.record.items() if v is not None}
    return {**rec, "client_id": row.client_id, "bapas_id": row.bapas_id, "placement": placement}


def fill_site_row(row: SiteRow, site: Site) -> SiteRow:
    """Store a validated site on its row: the columns the service queries, and the record."""
    row.name = site.name
    row.kind = site.kind
    row.subdistrict = site.subdistrict
    row.lat, row.lon = site.lat, site.lon
    row.capacity = site.capacity
    row.record = site_record(site)
    return row


def new_site_row(site: Site, bapas_id: str) -> SiteRow:
    return fill_site_row(SiteRow(site_id=site.site_id, bapas_id=bapas_id, active=True), site)


def new_client_row(client: Client, bapas_id: str, extras: Mapping[str, Any]) -> ClientRow:
    """A validated client (and its court order) as a new row."""
    return ClientRow(
        client_id=client.client_id,
        bapas_id=bapas_id,
        hours=client.hours,
        hours_per_day=client.hours_per_day,
        start_date=client.start_date,
        deadline=client.deadline,
        record=client_record(client, extras),
    )
