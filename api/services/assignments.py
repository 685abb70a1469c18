"""A cohort matched optimally against the free places, keeping active placements.

Free places for the plan: capacity - active placements - proposals held by clients outside the
cohort (so that two plans do not propose the same last place). A client of the cohort with an
active placement keeps it. A co-offender outside the cohort who works somewhere enters the
solve pinned to that site, so that the separation rule holds against it too. Unless ``dry_run``,
the plan's proposals (and any inline clients) are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.errors import InvalidInput, Problem
from api.services import audit
from api.services import clients as client_svc
from api.services.jobs import Progress
from api.services.records import load_client, validate_client
from api.services.registry import Registry, counts_by_site
from api.services.suggestions import reason_out
from api.storage.db import Database
from api.storage.models import ClientRow, PlacementRow, SeparationRow
from matcher import explain
from matcher.model import Client
from matcher.pipeline import match
from matcher.policy import Policy
from matcher.result import Result
from matcher.rules import V
from matcher.solver import SolveParams
from matcher.validate import InputProblem


class Cohort:
    """The clients to place, read and checked before any solving."""

    def __init__(self) -> None:
        self.clients: list[Client] = []
        self.inline: list[tuple[Client, dict[str, Any]]] = []
        self.kept: list[dict[str, Any]] = []
        self.unplaced: list[tuple[str, Any]] = []


@dataclass(frozen=True)
class CohortRequest:
    """Who to place: stored clients by id, inline new clients, and/or every waiting client."""

    client_ids: Sequence[str]
    inline: Sequence[dict[str, Any]]
    pending: bool
    dry_run: bool


def cohort_ids(s: Session, bapas: str, req: CohortRequest, max_cohort: int) -> list[str]:
    """The stored clients of the cohort (named, then waiting ones); 413 over ``max_cohort``."""
    ids = list(dict.fromkeys(req.client_ids))
    if req.pending:
        known = set(ids)
        ids += [c for c in client_svc.pending_ids(s, bapas) if c not in known]
    size = len(ids) + len(req.inline)
    if size > max_cohort:
        raise Problem(
            413,
            "cohort-too-large",
            f"Kohort {size} klien melebihi batas {max_cohort}; bagi menjadi beberapa kohort.",
            f"A cohort of {size} clients exceeds the limit of {max_cohort}; split it.",
            cohort=size,
            max_cohort=max_cohort,
        )
    return ids


def read_cohort(
    s: Session, who: Principal, bapas: str, req: CohortRequest, max_cohort: int
) -> Cohort:
    ids = cohort_ids(s, bapas, req, max_cohort)
    inline, dry_run = req.inline, req.dry_run
    if len(ids) + len(inline) == 0:
        raise InvalidInput(
            [
                InputProblem(
                    "body",
                    "client_ids",
                    [],
                    V["cohort_empty"].say(),
                )
            ]
        )
    rows = {
        r.client_id: r for r in s.scalars(select(ClientRow).where(ClientRow.client_id.in_(ids)))
    }
    problems = [
        InputProblem(f"body.client_ids.{i}", "client_id", cid, V["no_client_of_bapas"].say())
        for i, cid in enumerate(ids)
        if cid not in rows or rows[cid].bapas_id != bapas
    ]
    cohort = Cohort()
    seen = set(ids)
    for i, values in enumerate(inline):
        source = f"body.clients.{i}"
        try:
            client = validate_client(values, source=source)
        except InvalidInput as exc:
            problems += exc.problems
            continue
        if client.client_id in seen:
            problems.append(
                InputProblem(
                    source, "client_id", client.client_id, V["duplicate_id"].say(first="body")
                )
            )
            continue
        seen.add(client.client_id)
        cohort.inline.append((client, values))
    if problems:
        raise InvalidInput(problems, prefix=None)
    if not dry_run:
        taken = set(
            s.scalars(
                select(ClientRow.client_id).where(
                    ClientRow.client_id.in_([c.client_id for c, _ in cohort.inline])
                )
            )
        )
        if taken:
            raise Problem(
                409,
                "conflict",
                f"Klien sudah ada: {', '.join(sorted(taken))}; sebut dengan client_ids.",
                f"Clients already exist: {', '.join(sorted(taken))}; name them in client_ids.",
            )
    active = {
        p.client_id: p
        for p in s.scalars(
            select(PlacementRow).where(
                PlacementRow.client_id.in_(ids), PlacementRow.status == "active"
            )
        )
    }
    for cid in ids:
        if cid in active:
            p = active[cid]
            cohort.kept.append(
                {"client_id": cid, "site_id": p.site_id, "placement_id": p.placement_id}
            )
        else:
            cohort.clients.append(load_client(rows[cid]))
    cohort.clients += [c for c, _ in cohort.inline]
    return cohort


def _co_offenders(s: Session, cohort_ids: set[str], reg: Registry) -> list[Client]:
    """Co-offenders outside the cohort with an active placement, pinned to their site."""
    pairs = s.execute(
        select(SeparationRow.client_id, SeparationRow.other_id).where(
            or_(SeparationRow.client_id.in_(cohort_ids), SeparationRow.other_id.in_(cohort_ids))
        )
    ).all()
    links: dict[str, set[str]] = {}
    for a, b in pairs:
        if a in cohort_ids and b not in cohort_ids:
            links.setdefault(b, set()).add(a)
        elif b in cohort_ids and a not in cohort_ids:
            links.setdefault(a, set()).add(b)
    if not links:
        return []
    out = []
    for p in s.scalars(
        select(PlacementRow).where(
            PlacementRow.client_id.in_(list(links)), PlacementRow.status == "active"
        )
    ):
        if p.site_id not in reg.index:
            continue
        other = load_client(s.get_one(ClientRow, p.client_id))
        out.append(
            replace(
                other,
                fixed_site_id=p.site_id,
                current_site_id=None,
                separate_from=frozenset(links[p.client_id]),
            )
        )
    return out


def plan(
    db: Database,
    who: Principal,
    reg_of: Callable[[Session, str], Registry],
    policy: Policy,
    *,
    bapas: str,
    request: CohortRequest,
    max_cohort: int,
    time_limit_s: float,
    lang: str,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Solve the cohort; unless ``dry_run``, write its proposals. Returns the result body."""

    def step(stage: str, fraction: float) -> None:
        if progress is not None:
            progress(stage, fraction)

    step("reading", 0.05)
    with db.reading() as s:
        cohort = read_cohort(s, who, bapas, request, max_cohort)
        reg = reg_of(s, bapas)
        cohort_ids = {c.client_id for c in cohort.clients}
        active = counts_by_site(s, "active", bapas_id=bapas)
        held: dict[str, int] = {}
        for p in s.scalars(
            select(PlacementRow).where(
                PlacementRow.bapas_id == bapas, PlacementRow.status == "proposed"
            )
        ):
            if p.client_id not in cohort_ids:
                held[p.site_id] = held.get(p.site_id, 0) + 1
        pinned = _co_offenders(s, cohort_ids, reg)
    room = np.array(
        [
            site.capacity - active.get(site.site_id, 0) - held.get(site.site_id, 0)
            for site in reg.sites
        ],
        np.int64,
    )
    for other in pinned:
        room[reg.index[str(other.fixed_site_id)]] += 1
    room = np.maximum(room, 0)
    solvable = []
    for c in cohort.clients:
        if c.fixed_site_id is not None and c.fixed_site_id not in reg.index:
            cohort.unplaced.append((c.client_id, explain.fixed_site_inactive(c.fixed_site_id)))
        else:
            solvable.append(c)
    step("solving", 0.2)
    result: Result = match(
        list(reg.sites),
        solvable + pinned,
        policy,
        SolveParams(time_limit_s=time_limit_s),
        capacity=room,
    )
    pinned_ids = {c.client_id for c in pinned}
    placements = [p for p in result.placements if p.client_id not in pinned_ids]
    unplaced = [u for u in result.unplaced if u.client_id not in pinned_ids]
    step("writing", 0.8)
    ids: dict[str, int] = {}
    superseded: list[int] = []
    if not request.dry_run:
        ids, superseded = _write(db, who, bapas, cohort, placements)
    dist = [p.distance_km for p in placements]
    body = {
        "dry_run": request.dry_run,
        "summary": {
            "clients": len(cohort.clients) + len(cohort.kept),
            "placed": len(placements),
            "unplaced": len(unplaced) + len(cohort.unplaced),
            "kept": len(cohort.kept),
            "total_distance_km": round(sum(dist), 3),
            "max_distance_km": round(max(dist), 3) if dist else 0.0,
            "status": result.summary.status,
            "objective": sum(p.terms.cost_m for p in placements),
            "runtime_s": result.summary.runtime_s,
        },
        "placements": [{**p.to_dict(), "placement_id": ids.get(p.client_id)} for p in placements],
        "kept": cohort.kept,
        "unplaced": [
            {"client_id": u.client_id, "reason": reason_out(u.reasons[0], lang).model_dump()}
            for u in unplaced
        ]
        + [
            {"client_id": cid, "reason": reason_out(r, lang).model_dump()}
            for cid, r in cohort.unplaced
        ],
        "superseded": superseded,
    }
    step("done", 1.0)
    return body


def _write(
    db: Database, who: Principal, bapas: str, cohort: Cohort, placements: Sequence[Any]
) -> tuple[dict[str, int], list[int]]:
    """Inline clients and the plan's proposals, in one transaction (all or nothing)."""
    ids: dict[str, int] = {}
    superseded: list[int] = []
    with db.writing() as s:
        for client, values in cohort.inline:
            extras = {k: values.get(k) for k in client_svc.COURT_ORDER_EXTRAS}
            client_svc.insert_client(s, who, client, extras, bapas)
        s.flush()
        placed = [p.client_id for p in placements]
        open_rows = {
            r.client_id: r
            for r in s.scalars(
                select(PlacementRow).where(
                    PlacementRow.client_id.in_(placed),
                    PlacementRow.status.in_(("proposed", "active")),
                )
            )
        }
        for p in placements:
            current = open_rows.get(p.client_id)
            if current is not None and current.status == "active":
                continue  # confirmed elsewhere while this plan was solved: keep it
            if current is not None:
                current.status, current.revoke_reason = "revoked", "superseded"
                current.closed_at = datetime.now(UTC).replace(tzinfo=None)
                superseded.append(current.placement_id)
        s.flush()
        rows = []
        for p in placements:
            current = open_rows.get(p.client_id)
            if current is not None and current.status == "active":
                continue
            row = PlacementRow(
                client_id=p.client_id,
                site_id=p.site_id,
                bapas_id=bapas,
                status="proposed",
                distance_km=p.distance_km,
            )
            s.add(row)
            rows.append(row)
        s.flush()
        for row in rows:
            ids[row.client_id] = row.placement_id
            audit.record(
                s,
                who,
                "placement.propose",
                "placement",
                row.placement_id,
                after={"client_id": row.client_id, "site_id": row.site_id, "plan": True},
            )
    return ids, superseded
