"""Clients of a Bapas: create, read, update, list. Validated by the Pasal 85 rules of the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import JSON, String, delete, func, or_, select, text
from sqlalchemy.orm import Session

from api.auth import Principal
from api.errors import InvalidInput, Problem, not_found
from api.services import audit
from api.services.records import (
    COURT_ORDER_EXTRAS,
    client_public,
    client_record,
    load_client_record,
    new_client_row,
    validate_client,
)
from api.services.scope import target_bapas, visible_row
from api.storage.models import ClientRow, PlacementRow, SeparationRow, SiteRow
from matcher.model import Client
from matcher.rules import V
from matcher.validate import InputProblem

OPEN = ("proposed", "active")


def get_row(s: Session, who: Principal, client_id: str) -> ClientRow:
    """The client, or 404 (also for another Bapas' client)."""
    row: ClientRow = visible_row(s, who, ClientRow.client_id, client_id, "Client")
    return row


_FOR_MATCHING = text("SELECT bapas_id, record FROM clients WHERE client_id = :c").columns(
    bapas_id=String, record=JSON
)


def for_matching(s: Session, who: Principal, client_id: str) -> tuple[Client, str]:
    """The domain client and its Bapas (404 as ``get_row``), by the cheapest read."""
    row = s.connection().execute(_FOR_MATCHING, {"c": client_id}).first()
    if row is None or not who.can_see(row.bapas_id):
        raise not_found("Client", client_id)
    return load_client_record(row.record), row.bapas_id


def open_placement(s: Session, client_id: str) -> PlacementRow | None:
    return s.scalars(
        select(PlacementRow).where(
            PlacementRow.client_id == client_id, PlacementRow.status.in_(OPEN)
        )
    ).first()


def _placement_summary(p: PlacementRow | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"placement_id": p.placement_id, "site_id": p.site_id, "status": p.status}


def check_fixed_site(s: Session, client: Client, bapas_id: str, *, source: str = "body") -> None:
    """A court-fixed site must be an active site of the client's Bapas (422 otherwise)."""
    if client.fixed_site_id is None:
        return
    site = s.get(SiteRow, client.fixed_site_id)
    if site is None or site.bapas_id != bapas_id or not site.active:
        raise InvalidInput(
            [
                InputProblem(
                    source,
                    "fixed_site_id",
                    client.fixed_site_id,
                    V["no_active_site_of_bapas"].say(),
                )
            ]
        )


def set_separations(s: Session, client_id: str, others: Iterable[str]) -> None:
    """Store this client's own ``separate_from`` list (replacing the one before)."""
    s.execute(delete(SeparationRow).where(SeparationRow.client_id == client_id))
    s.add_all(SeparationRow(client_id=client_id, other_id=o) for o in sorted(set(others)))


def partners(s: Session, client_id: str) -> set[str]:
    """Clients this one must be kept apart from (either side named the other)."""
    named = select(SeparationRow.other_id).where(SeparationRow.client_id == client_id)
    naming = select(SeparationRow.client_id).where(SeparationRow.other_id == client_id)
    return set(s.scalars(named)) | set(s.scalars(naming))


def _extras(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: values.get(k) for k in COURT_ORDER_EXTRAS}


def insert_client(
    s: Session, who: Principal, client: Client, extras: Mapping[str, Any], bapas_id: str
) -> ClientRow:
    """Add a validated client (409 when the id is taken) with its separations and audit."""
    if s.get(ClientRow, client.client_id) is not None:
        raise Problem(
            409,
            "conflict",
            f"Klien dengan id {client.client_id} sudah ada.",
            f"A client with id {client.client_id} already exists.",
        )
    check_fixed_site(s, client, bapas_id)
    row = new_client_row(client, bapas_id, extras)
    s.add(row)
    set_separations(s, client.client_id, client.separate_from)
    audit.record(s, who, "client.create", "client", client.client_id, after={"bapas_id": bapas_id})
    return row


def create_client(
    s: Session, who: Principal, *, values: Mapping[str, Any], bapas_id: str | None
) -> dict[str, Any]:
    client = validate_client(values)
    bapas = target_bapas(s, who, bapas_id)
    row = insert_client(s, who, client, _extras(values), bapas)
    s.flush()
    return client_public(row, None)


def read_client(s: Session, who: Principal, client_id: str) -> dict[str, Any]:
    row = get_row(s, who, client_id)
    return client_public(row, _placement_summary(open_placement(s, client_id)))


def update_client(
    s: Session, who: Principal, client_id: str, *, changes: Mapping[str, Any]
) -> dict[str, Any]:
    row = get_row(s, who, client_id)
    merged = {**row.record, **changes, "client_id": client_id}
    client = validate_client(merged)
    check_fixed_site(s, client, row.bapas_id)
    row.record = client_record(client, _extras(merged))
    row.hours, row.hours_per_day = client.hours, client.hours_per_day
    row.start_date, row.deadline = client.start_date, client.deadline
    set_separations(s, client_id, client.separate_from)
    audit.record(s, who, "client.update", "client", client_id, after={"fields": sorted(changes)})
    return client_public(row, _placement_summary(open_placement(s, client_id)))


def list_clients(
    s: Session,
    who: Principal,
    *,
    bapas_id: str | None,
    unplaced: bool | None,
    limit: int,
    offset: int,
    search: str | None = None,
) -> dict[str, Any]:
    q = select(ClientRow).order_by(ClientRow.client_id)
    if search:
        q = q.where(ClientRow.client_id.contains(search.strip(), autoescape=True))
    scope = who.bapas_id or bapas_id
    if who.bapas_id is not None and bapas_id not in (None, who.bapas_id):
        raise not_found("Bapas", bapas_id)
    if scope is not None:
        q = q.where(ClientRow.bapas_id == scope)
    open_q = select(PlacementRow.client_id).where(PlacementRow.status.in_(OPEN))
    if unplaced is True:
        q = q.where(ClientRow.client_id.not_in(open_q))
    elif unplaced is False:
        q = q.where(ClientRow.client_id.in_(open_q))
    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = s.scalars(q.limit(limit).offset(offset)).all()
    ids = [r.client_id for r in rows]
    placements = {
        p.client_id: p
        for p in s.scalars(
            select(PlacementRow).where(
                PlacementRow.client_id.in_(ids), PlacementRow.status.in_(OPEN)
            )
        )
    }
    return {
        "items": [client_public(r, _placement_summary(placements.get(r.client_id))) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


def pending_ids(s: Session, bapas_id: str) -> list[str]:
    """Clients of the Bapas with no open placement and hours still to do."""
    open_q = select(PlacementRow.client_id).where(
        or_(PlacementRow.status.in_(OPEN), PlacementRow.status == "completed")
    )
    return list(
        s.scalars(
            select(ClientRow.client_id)
            .where(ClientRow.bapas_id == bapas_id, ClientRow.client_id.not_in(open_q))
            .order_by(ClientRow.client_id)
        )
    )
