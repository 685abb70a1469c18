"""Scenarios: a base registry plus edits, solved exactly, measured, and compared with the base.

An edit changes the registry or the policy, never the demand:

* :class:`AddSite`: a new site with its attributes at a point;
* :class:`ApproveSite`: a site waiting for the Pemda's approval is approved (a commercial site
  stays unusable: Pasal 85(3));
* :class:`CloseSite`: the site stays in the registry (so that court-fixed and current placements
  still name it) with capacity 0, so the ``no_capacity`` rule keeps everyone out;
* :class:`SetCapacity`: a new capacity, absolute or as a change (``add``);
* :class:`SetOpenDays`: new open weekdays;
* :class:`SetTravelLimit`: the default travel limit for clients without their own;
* :class:`ChangePolicy`: a policy override table (same layout as ``policy.toml``), merged onto
  the base's own overrides.

Every scenario is solved by the same exact pipeline as a real cohort (``matcher.pipeline``) and
measured the same way (:class:`Outcome`): placed, unplaced by reason and by kecamatan, travel
(mean, p90, max), site utilisation, and women's access, the share of female clients with at
least one eligible site in reach (capacity aside: a full site still counts as access).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matcher.model import Client, Site
from matcher.pipeline import assignment_problem, explain_assignment, prepare
from matcher.planning.areas import OUTSIDE, Areas
from matcher.policy import Policy, merge_tables, policy_with
from matcher.solver import SolveParams, solve
from matcher.vocab import WEEKDAYS


class ScenarioError(ValueError):
    """An edit that cannot be applied (unknown site, duplicate id, bad value)."""


@dataclass(frozen=True)
class AddSite:
    """Open a new site (with all its attributes) at a point."""

    site: Site

    def describe(self) -> str:
        s = self.site
        return f"buka lokasi baru {s.site_id} ({s.name}, {s.kind}, {s.capacity} tempat)"


@dataclass(frozen=True)
class ApproveSite:
    """Approve a site (the Pemda signs it off)."""

    site_id: str

    def describe(self) -> str:
        return f"setujui lokasi {self.site_id}"


@dataclass(frozen=True)
class CloseSite:
    """Close a site: it keeps its id, with capacity 0."""

    site_id: str

    def describe(self) -> str:
        return f"tutup lokasi {self.site_id}"


@dataclass(frozen=True)
class SetCapacity:
    """Change a site's capacity: to ``capacity`` when given, else by ``add`` (never below 0)."""

    site_id: str
    capacity: int | None = None
    add: int = 0

    def describe(self) -> str:
        if self.capacity is not None:
            return f"kapasitas {self.site_id} menjadi {self.capacity}"
        return f"kapasitas {self.site_id} {self.add:+d}"


@dataclass(frozen=True)
class SetOpenDays:
    """Change a site's open weekdays."""

    site_id: str
    open_days: frozenset[str]

    def describe(self) -> str:
        days = ", ".join(d for d in WEEKDAYS if d in self.open_days)
        return f"hari buka {self.site_id}: {days}"


@dataclass(frozen=True)
class SetTravelLimit:
    """Change the default travel limit (road km) of clients without their own."""

    km: float

    def describe(self) -> str:
        return f"batas jarak tempuh {self.km:g} km"


@dataclass(frozen=True)
class ChangePolicy:
    """Override the policy (a table like ``policy.toml``: matching, offence, health)."""

    overrides: Mapping[str, Any]

    def describe(self) -> str:
        parts = [f"{sec}.{k}" for sec, table in sorted(self.overrides.items()) for k in table]
        return "ubah kebijakan: " + ", ".join(parts)


Edit = AddSite | ApproveSite | CloseSite | SetCapacity | SetOpenDays | SetTravelLimit | ChangePolicy


@dataclass(frozen=True)
class EditSet:
    """A named scenario: the edits applied, in order, to the base."""

    name: str
    edits: tuple[Edit, ...]
    description: str = ""

    def describe(self) -> str:
        return self.description or "; ".join(e.describe() for e in self.edits)


def apply_edits(
    sites: Sequence[Site],
    policy_overrides: Mapping[str, Any],
    edits: Sequence[Edit],
) -> tuple[list[Site], Policy]:
    """The registry and policy after the edits (the inputs are not changed).

    ``policy_overrides`` is the base's own override table (``{}`` for the packaged policy);
    a :class:`ChangePolicy` is merged onto it, then a :class:`SetTravelLimit` applies.

    Raises
    ------
    ScenarioError
        An edit naming no site, adding a duplicate site id, or a value out of range.
    """
    out = list(sites)
    index = {site.site_id: j for j, site in enumerate(out)}
    overrides: dict[str, Any] = dict(policy_overrides)
    travel: float | None = None

    def at(site_id: str, what: str) -> int:
        if site_id not in index:
            raise ScenarioError(f"{what}: no site {site_id!r} in the registry")
        return index[site_id]

    for e in edits:
        if isinstance(e, AddSite):
            if e.site.site_id in index:
                raise ScenarioError(f"add_site: site_id {e.site.site_id!r} already exists")
            index[e.site.site_id] = len(out)
            out.append(e.site)
        elif isinstance(e, ApproveSite):
            j = at(e.site_id, "approve")
            out[j] = replace(out[j], approved=True)
        elif isinstance(e, CloseSite):
            j = at(e.site_id, "close")
            out[j] = replace(out[j], capacity=0)
        elif isinstance(e, SetCapacity):
            j = at(e.site_id, "capacity")
            cap = e.capacity if e.capacity is not None else out[j].capacity + e.add
            if e.capacity is not None and e.capacity < 0:
                raise ScenarioError(f"capacity: {e.site_id} = {e.capacity}: must be >= 0")
            out[j] = replace(out[j], capacity=max(cap, 0))
        elif isinstance(e, SetOpenDays):
            j = at(e.site_id, "open_days")
            bad = sorted(e.open_days - set(WEEKDAYS))
            if bad or not e.open_days:
                raise ScenarioError(
                    f"open_days: {e.site_id}: {bad[0] if bad else 'empty'!r}; use mon..sun"
                )
            out[j] = replace(out[j], open_days=frozenset(e.open_days))
        elif isinstance(e, SetTravelLimit):
            if not 0 < e.km <= 200:
                raise ScenarioError(f"travel_limit_km = {e.km}: must be within (0, 200]")
            travel = e.km
        elif isinstance(e, ChangePolicy):
            overrides = merge_tables(overrides, e.overrides)
    policy = policy_with(overrides)
    if travel is not None:
        policy = replace(policy, max_travel_km=travel)
    return out, policy


# --------------------------------------------------------------------------------------------
# Measuring one scenario


@dataclass(frozen=True)
class AreaMetrics:
    """One kecamatan in one scenario (clients by home, sites by location)."""

    name: str
    clients: int
    placed: int
    unplaced: int
    mean_km: float
    women: int
    women_with_access: int
    sites: int
    places: int
    used: int


@dataclass(frozen=True)
class SiteUse:
    site_id: str
    name: str
    kind: str
    area: str
    lat: float
    lon: float
    capacity: int
    used: int
    usable: bool


@dataclass(frozen=True)
class Outcome:
    """What a planner reads about one scenario (``placements``: client id -> site id)."""

    name: str
    description: str
    clients: int
    placed: int
    unplaced: int
    unplaced_by_reason: Mapping[str, int]
    mean_km: float
    p90_km: float
    max_km: float
    total_km: float
    places: int
    used: int
    full_sites: int
    women: int
    women_with_access: int
    areas: tuple[AreaMetrics, ...]
    sites: tuple[SiteUse, ...]
    placements: Mapping[str, str] = field(repr=False)
    status: str = "OPTIMAL"
    runtime_s: float = 0.0

    @property
    def utilisation(self) -> float:
        """Places in use / places at usable sites (approved, non-commercial, capacity > 0)."""
        return self.used / self.places if self.places else 0.0

    @property
    def women_access(self) -> float:
        return self.women_with_access / self.women if self.women else 1.0

    def headline(self) -> dict[str, float]:
        """The numbers compared side by side."""
        return {
            "placed": self.placed,
            "unplaced": self.unplaced,
            "placed_share": round(self.placed / self.clients, 4) if self.clients else 0.0,
            "mean_km": self.mean_km,
            "p90_km": self.p90_km,
            "max_km": self.max_km,
            "places": self.places,
            "used": self.used,
            "utilisation": round(self.utilisation, 4),
            "full_sites": self.full_sites,
            "women_access": round(self.women_access, 4),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "clients": self.clients,
            **self.headline(),
            "total_km": self.total_km,
            "women": self.women,
            "women_with_access": self.women_with_access,
            "unplaced_by_reason": dict(self.unplaced_by_reason),
            "status": self.status,
            "runtime_s": self.runtime_s,
            "areas": [asdict(a) for a in self.areas],
            "sites": [asdict(site) for site in self.sites],
        }


def _round(x: float) -> float:
    return round(float(x), 3)


def run_scenario(
    name: str,
    sites: Sequence[Site],
    clients: Sequence[Client],
    policy: Policy,
    areas: Areas,
    description: str = "",
    params: SolveParams | None = None,
) -> Outcome:
    """Solve one scenario exactly and measure it."""
    t0 = time.perf_counter()
    pre = prepare(sites, clients, policy)
    problem, arc_idx = assignment_problem(pre)
    assignment = solve(problem, params)
    result = explain_assignment(pre, problem, arc_idx, assignment, runtime_start=t0)

    elig = pre.elig
    n = len(clients)
    has_access = np.bincount(elig.arcs.client[elig.eligible], minlength=n) > 0
    female = np.array([c.gender == "female" for c in clients], np.bool_)
    km = np.array([p.distance_km for p in result.placements], np.float64)
    site_idx = {site.site_id: j for j, site in enumerate(sites)}
    client_idx = {c.client_id: i for i, c in enumerate(clients)}
    used = np.zeros(len(sites), np.int64)
    client_km = np.full(n, np.nan)
    for p in result.placements:
        used[site_idx[p.site_id]] += 1
        client_km[client_idx[p.client_id]] = p.distance_km
    placed = ~np.isnan(client_km)
    usable = np.array([site.usable for site in sites], np.bool_)
    capacity = np.array([site.capacity for site in sites], np.int64)

    c_area = _area_index(areas, [c.lat for c in clients], [c.lon for c in clients])
    s_area = _area_index(areas, [site.lat for site in sites], [site.lon for site in sites])
    names = [*areas.names, OUTSIDE]
    k = len(names)
    per_area = []
    for a in range(k):
        mine = c_area == a
        here = s_area == a
        if a == k - 1 and not mine.any() and not here.any():
            continue  # nothing outside the areas: no row for it
        kms = client_km[mine & placed]
        per_area.append(
            AreaMetrics(
                name=names[a],
                clients=int(mine.sum()),
                placed=int((mine & placed).sum()),
                unplaced=int((mine & ~placed).sum()),
                mean_km=_round(kms.mean()) if kms.size else 0.0,
                women=int((mine & female).sum()),
                women_with_access=int((mine & female & has_access).sum()),
                sites=int((here & usable).sum()),
                places=int(capacity[here & usable].sum()),
                used=int(used[here].sum()),
            )
        )
    site_use = tuple(
        SiteUse(
            site_id=site.site_id,
            name=site.name,
            kind=site.kind,
            area=names[int(s_area[j])],
            lat=site.lat,
            lon=site.lon,
            capacity=site.capacity,
            used=int(used[j]),
            usable=bool(usable[j]),
        )
        for j, site in enumerate(sites)
    )
    reasons = Counter(u.reasons[0].code for u in result.unplaced)
    return Outcome(
        name=name,
        description=description,
        clients=n,
        placed=result.summary.placed,
        unplaced=result.summary.unplaced,
        unplaced_by_reason=dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        mean_km=_round(km.mean()) if km.size else 0.0,
        p90_km=_round(np.percentile(km, 90)) if km.size else 0.0,
        max_km=_round(km.max()) if km.size else 0.0,
        total_km=_round(km.sum()),
        places=int(capacity[usable].sum()),
        used=int(used.sum()),
        full_sites=int((usable & (used >= capacity)).sum()),
        women=int(female.sum()),
        women_with_access=int((female & has_access).sum()),
        areas=tuple(per_area),
        sites=site_use,
        placements=result.site_of(),
        status=result.summary.status,
        runtime_s=round(time.perf_counter() - t0, 3),
    )


def _area_index(areas: Areas, lats: Sequence[float], lons: Sequence[float]) -> NDArray[np.int64]:
    """Area index per point, with points outside every area counted under the last index."""
    idx = areas.index_of(np.array(lats, np.float64), np.array(lons, np.float64))
    return np.where(idx >= 0, idx, len(areas)).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Comparing with the base


@dataclass(frozen=True)
class Comparison:
    """The base and every scenario, measured the same way, with differences to the base."""

    base: Outcome
    scenarios: tuple[Outcome, ...]

    def outcomes(self) -> tuple[Outcome, ...]:
        return (self.base, *self.scenarios)

    def difference(self, other: Outcome) -> dict[str, Any]:
        """``other`` minus the base: headline numbers, unplaced by reason, placed by area."""
        b = self.base
        head = {
            k: round(v - b.headline()[k], 4) if isinstance(v, float) else v - b.headline()[k]
            for k, v in other.headline().items()
        }
        reasons = sorted(set(b.unplaced_by_reason) | set(other.unplaced_by_reason))
        by_reason = {
            r: other.unplaced_by_reason.get(r, 0) - b.unplaced_by_reason.get(r, 0) for r in reasons
        }
        base_area = {a.name: a for a in b.areas}
        by_area = {
            a.name: a.placed - (base_area[a.name].placed if a.name in base_area else 0)
            for a in other.areas
        }
        return {
            **head,
            "unplaced_by_reason": {k: v for k, v in by_reason.items() if v},
            "placed_by_area": {k: v for k, v in by_area.items() if v},
        }

    def table(self) -> list[dict[str, Any]]:
        """Side by side: one row per headline metric, one column per scenario (and its delta)."""
        rows = []
        for key in self.base.headline():
            row: dict[str, Any] = {"metric": key, self.base.name: self.base.headline()[key]}
            for s in self.scenarios:
                row[s.name] = s.headline()[key]
                row[f"{s.name} (selisih)"] = self.difference(s)[key]
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base.to_dict(),
            "scenarios": [
                {**s.to_dict(), "difference": self.difference(s)} for s in self.scenarios
            ],
            "side_by_side": self.table(),
        }


def compare(
    base_sites: Sequence[Site],
    clients: Sequence[Client],
    areas: Areas,
    edit_sets: Sequence[EditSet],
    policy_overrides: Mapping[str, Any] | None = None,
    params: SolveParams | None = None,
) -> Comparison:
    """Run the base and every edit set on the same demand, and compare.

    Raises
    ------
    ScenarioError
        An edit that cannot be applied, or two edit sets with the same name (or named "base").
    """
    names = [e.name for e in edit_sets]
    dup = sorted({n for n in names if names.count(n) > 1 or n == "base"})
    if dup:
        raise ScenarioError(f"edit set name {dup[0]!r} is used twice (or is 'base')")
    overrides = policy_overrides or {}
    _, base_policy = apply_edits(base_sites, overrides, [])
    base = run_scenario(
        "base", base_sites, clients, base_policy, areas, "registri saat ini", params
    )
    runs = []
    for es in edit_sets:
        sites, policy = apply_edits(base_sites, overrides, es.edits)
        runs.append(run_scenario(es.name, sites, clients, policy, areas, es.describe(), params))
    return Comparison(base, tuple(runs))
