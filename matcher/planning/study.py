"""A planning study: what a scenario file asks, and the answers, in one typed object.

A study runs, on one base registry and one demand:

1. the base and every named edit set, compared side by side (:mod:`matcher.planning.scenarios`);
2. six months day by day for the base and the chosen edit sets, each placement policy against
   the hindsight optimum (:mod:`matcher.planning.simulation`);
3. where ``p`` new sites would help most (:mod:`matcher.planning.facility`);
4. where one more place at an existing site helps most (:mod:`matcher.planning.marginal`).

:func:`parse_scenario` turns a parsed TOML (or JSON) table into a :class:`ScenarioSpec` and
reports every problem with its key; file paths stay strings for the caller to read (the core
reads no files). :func:`run_study` takes domain objects only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from geo.district import load_kecamatan_centres
from geo.io import RawRecord
from matcher.model import Client, Site
from matcher.pipeline import assignment_problem, prepare
from matcher.planning.areas import Areas
from matcher.planning.demand import DEFAULT_OFFENCE_MIX, DemandError, DemandSpec
from matcher.planning.facility import (
    FacilityError,
    FacilityPlan,
    candidate_sites,
    grid_points,
    open_sites,
)
from matcher.planning.marginal import MarginalValue, marginal_values, rank, verify
from matcher.planning.scenarios import (
    AddSite,
    ApproveSite,
    ChangePolicy,
    CloseSite,
    Comparison,
    Edit,
    EditSet,
    ScenarioError,
    SetCapacity,
    SetOpenDays,
    SetTravelLimit,
    apply_edits,
    compare,
)
from matcher.planning.simulation import (
    POLICIES,
    PolicyComparison,
    SimulationError,
    StreamSpec,
    arrival_stream,
    compare_policies,
)
from matcher.planning.synthetic import generate_district
from matcher.solver import SolveParams, solve
from matcher.validate import parse_site, validate_inputs
from matcher.vocab import SITE_KINDS, WEEKDAYS

# --------------------------------------------------------------------------------------------
# The specification


@dataclass(frozen=True)
class BaseSpec:
    """Where the base registry comes from: generated (``generate``) or files (paths)."""

    district: str = "banyumas"
    generate: Mapping[str, int] | None = None
    sites: str | None = None
    clients: str | None = None
    areas: str | None = None
    policy: str | None = None


@dataclass(frozen=True)
class DemandChoice:
    """``source``: "base" (the base's own clients), "file" (``path``) or "generate" (``spec``)."""

    source: str = "base"
    path: str | None = None
    spec: DemandSpec | None = None


@dataclass(frozen=True)
class SimulationSpec:
    stream: StreamSpec
    policies: tuple[str, ...] = POLICIES
    scenarios: tuple[str, ...] | None = None  # None: the base and every edit set
    hindsight: bool = True


@dataclass(frozen=True)
class FacilitySpec:
    """``candidates``: "kecamatan" (the kecamatan centres), "grid" (``grid_km``), "registry"
    (the point of every registry site of ``registry_kind``) or "file" (``path``)."""

    p: int = 3
    capacity: int = 6
    kind: str = "government_office"
    candidates: str = "kecamatan"
    grid_km: float = 4.0
    registry_kind: str = "village_office"
    path: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    time_limit_s: float = 30.0


@dataclass(frozen=True)
class MarginalSpec:
    top: int = 10
    verify: int = 5


@dataclass(frozen=True)
class ScenarioSpec:
    title: str
    base: BaseSpec
    demand: DemandChoice
    edit_sets: tuple[EditSet, ...]
    simulation: SimulationSpec | None
    facility: FacilitySpec | None
    marginal: MarginalSpec | None


class SpecError(ValueError):
    """Every problem of a scenario file, one per line (``key: value: rule``)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Table:
    """Typed reads of one TOML table, collecting problems instead of stopping."""

    def __init__(self, values: Any, where: str, problems: list[str]):
        self.where = where
        self.problems = problems
        if not isinstance(values, Mapping):
            problems.append(f"{where}: must be a table, got {values!r}")
            values = {}
        self.values: Mapping[str, Any] = values

    def fail(self, key: str, value: Any, rule: str) -> None:
        self.problems.append(f"{self.where}.{key} = {value!r}: {rule}")

    def known(self, keys: Sequence[str]) -> None:
        keys = list(keys)
        for k in sorted(set(self.values) - set(keys)):
            self.problems.append(f"{self.where}.{k}: unknown key; allowed: {', '.join(keys)}")

    def text(self, key: str, default: str | None = None) -> str | None:
        v = self.values.get(key, default)
        if v is not None and not isinstance(v, str):
            self.fail(key, v, "must be text")
            return default
        return v

    def number(self, key: str, default: float, low: float, high: float) -> float:
        v = self.values.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int | float) or not low <= v <= high:
            self.fail(key, v, f"must be a number within {low:g}..{high:g}")
            return default
        return float(v)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        v = self.values.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
            self.fail(key, v, f"must be a whole number within {low}..{high}")
            return default
        return v

    def flag(self, key: str, default: bool) -> bool:
        v = self.values.get(key, default)
        if not isinstance(v, bool):
            self.fail(key, v, "must be true or false")
            return default
        return v

    def day(self, key: str, default: date) -> date:
        v = self.values.get(key, default)
        if isinstance(v, date):
            return v
        try:
            return date.fromisoformat(str(v))
        except ValueError:
            self.fail(key, v, "must be a date YYYY-MM-DD")
            return default

    def names(self, key: str) -> list[str]:
        v = self.values.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.fail(key, v, "must be a list of names")
            return []
        return list(v)

    def table(self, key: str) -> Mapping[str, Any]:
        v = self.values.get(key, {})
        if not isinstance(v, Mapping):
            self.fail(key, v, "must be a table")
            return {}
        return v


def parse_scenario(table: Mapping[str, Any], source: str = "scenario") -> ScenarioSpec:
    """A scenario file's table as a typed spec.

    Raises
    ------
    SpecError
        With every problem found (``<source>: [section].key = value: rule``).
    """
    problems: list[str] = []
    top = _Table(table, source, problems)
    top.known(["title", "base", "demand", "edits", "simulation", "facility", "marginal"])
    base = _base(_Table(table.get("base", {}), f"{source}: [base]", problems))
    demand = _demand(_Table(table.get("demand", {}), f"{source}: [demand]", problems))
    edits_raw = table.get("edits", [])
    edit_sets: list[EditSet] = []
    if not isinstance(edits_raw, list):
        problems.append(f"{source}: edits: must be an array of tables ([[edits]])")
    else:
        for k, raw in enumerate(edits_raw):
            es = _edit_set(_Table(raw, f"{source}: [[edits]] #{k + 1}", problems))
            if es is not None:
                edit_sets.append(es)
        names = [e.name for e in edit_sets]
        for n in sorted({n for n in names if names.count(n) > 1 or n == "base"}):
            problems.append(f"{source}: [[edits]] name {n!r} is used twice (or is 'base')")
    simulation = None
    if "simulation" in table:
        simulation = _simulation(
            _Table(table["simulation"], f"{source}: [simulation]", problems),
            demand.spec or DemandSpec(),
            [e.name for e in edit_sets],
        )
    facility = None
    if "facility" in table:
        facility = _facility(_Table(table["facility"], f"{source}: [facility]", problems))
    marginal = None
    if "marginal" in table:
        mt = _Table(table["marginal"], f"{source}: [marginal]", problems)
        mt.known(["top", "verify"])
        marginal = MarginalSpec(mt.integer("top", 10, 1, 1000), mt.integer("verify", 5, 0, 200))
    if problems:
        raise SpecError(problems)
    return ScenarioSpec(
        title=top.text("title", "Skenario") or "Skenario",
        base=base,
        demand=demand,
        edit_sets=tuple(edit_sets),
        simulation=simulation,
        facility=facility,
        marginal=marginal,
    )


def _base(t: _Table) -> BaseSpec:
    t.known(["district", "generate", "sites", "clients", "areas", "policy"])
    gen = None
    if "generate" in t.values:
        g = _Table(t.values["generate"], f"{t.where}.generate", t.problems)
        g.known(["district", "clients", "sites", "seed"])
        gen = {
            "clients": g.integer("clients", 300, 0, 100_000),
            "sites": g.integer("sites", 60, 0, 20_000),
            "seed": g.integer("seed", 0, 0, 2**32 - 1),
        }
        district = g.text("district", t.text("district", "banyumas")) or "banyumas"
    else:
        district = t.text("district", "banyumas") or "banyumas"
    sites = t.text("sites")
    if gen is None and sites is None:
        t.fail("sites", None, "give either generate = {...} or a sites file")
    if gen is not None and sites is not None:
        t.fail("sites", sites, "give either generate = {...} or a sites file, not both")
    return BaseSpec(
        district=district,
        generate=gen,
        sites=sites,
        clients=t.text("clients"),
        areas=t.text("areas"),
        policy=t.text("policy"),
    )


def _demand_spec(t: _Table, default_start: date) -> DemandSpec | None:
    mix = t.table("offence_mix")
    factors = t.table("area_factor")
    try:
        return DemandSpec(
            clients=t.integer("clients", 300, 0, 100_000),
            seed=t.integer("seed", 0, 0, 2**32 - 1),
            start=t.day("start", default_start),
            offence_mix={str(k): float(v) for k, v in mix.items()} or dict(DEFAULT_OFFENCE_MIX),
            female_share=t.number("female_share", 0.14, 0.0, 1.0),
            area_factor={str(k): float(v) for k, v in factors.items()},
            spread_days=t.integer("spread_days", 30, 1, 366),
        )
    except (DemandError, TypeError, ValueError) as exc:
        t.problems.append(f"{t.where}: {exc}")
        return None


_DEMAND_KEYS = (
    "source",
    "path",
    "clients",
    "seed",
    "start",
    "offence_mix",
    "female_share",
    "area_factor",
    "spread_days",
)
_FACILITY_KEYS = (
    "p",
    "capacity",
    "kind",
    "candidates",
    "grid_km",
    "registry_kind",
    "path",
    "attributes",
    "time_limit_s",
)


def _demand(t: _Table) -> DemandChoice:
    t.known(_DEMAND_KEYS)
    source = t.text("source", "base") or "base"
    if source not in ("base", "file", "generate"):
        t.fail("source", source, "one of base, file, generate")
    path = t.text("path")
    if source == "file" and not path:
        t.fail("path", path, "required when source = 'file'")
    spec = _demand_spec(t, date(2026, 12, 1))
    return DemandChoice(source=source, path=path, spec=spec)


def _edit_set(t: _Table) -> EditSet | None:
    keys = ["name", "description", "approve", "close", "capacity", "add_capacity", "open_days"]
    t.known([*keys, "travel_limit_km", "policy", "add_site"])
    name = t.text("name")
    if not name:
        t.fail("name", name, "every edit set needs a name")
        return None
    edits: list[Edit] = []
    for raw in t.values.get("add_site", []) if isinstance(t.values.get("add_site"), list) else []:
        record = {"approved": True, "commercial": False, **raw} if isinstance(raw, Mapping) else {}
        site, probs = parse_site(record, f"{t.where}.add_site")
        t.problems.extend(str(p) for p in probs)
        if site is not None:
            edits.append(AddSite(site))
    if "add_site" in t.values and not isinstance(t.values["add_site"], list):
        t.fail("add_site", t.values["add_site"], "must be an array of site tables")
    edits += [ApproveSite(sid) for sid in t.names("approve")]
    edits += [CloseSite(sid) for sid in t.names("close")]
    for key, add in (("capacity", False), ("add_capacity", True)):
        for sid, v in t.table(key).items():
            if isinstance(v, bool) or not isinstance(v, int) or (not add and v < 0):
                t.fail(f"{key}.{sid}", v, "must be a whole number" + ("" if add else " >= 0"))
            else:
                edits.append(SetCapacity(sid, add=v) if add else SetCapacity(sid, capacity=v))
    for sid, days in t.table("open_days").items():
        if not isinstance(days, list) or not days or not set(days) <= set(WEEKDAYS):
            t.fail(f"open_days.{sid}", days, "must be a non-empty list of mon..sun")
        else:
            edits.append(SetOpenDays(sid, frozenset(days)))
    if "travel_limit_km" in t.values:
        edits.append(SetTravelLimit(t.number("travel_limit_km", 15.0, 0.1, 200.0)))
    if "policy" in t.values:
        pol = t.table("policy")
        unknown = sorted(set(pol) - {"matching", "offence", "health"})
        if unknown:
            t.fail("policy", unknown[0], "unknown section; allowed: matching, offence, health")
        else:
            edits.append(ChangePolicy(dict(pol)))
    if not edits:
        t.fail("name", name, "an edit set needs at least one edit")
    return EditSet(name, tuple(edits), t.text("description", "") or "")


def _simulation(t: _Table, demand: DemandSpec, edit_names: list[str]) -> SimulationSpec | None:
    t.known(["days", "start", "arrivals_per_day", "seed", "policies", "scenarios", "hindsight"])
    policies = tuple(t.names("policies")) or POLICIES
    for p in policies:
        if p not in POLICIES:
            t.fail("policies", p, f"unknown policy; allowed: {', '.join(POLICIES)}")
    scenarios = tuple(t.names("scenarios")) if "scenarios" in t.values else None
    for s in scenarios or ():
        if s != "base" and s not in edit_names:
            t.fail("scenarios", s, "names no edit set (or 'base')")
    try:
        stream = StreamSpec(
            days=t.integer("days", 182, 1, 366),
            start=t.day("start", date(2027, 1, 4)),
            rate=t.number("arrivals_per_day", 4.0, 0.01, 500.0),
            seed=t.integer("seed", 0, 0, 2**32 - 1),
            demand=demand,
        )
    except SimulationError as exc:
        t.problems.append(f"{t.where}: {exc}")
        return None
    return SimulationSpec(stream, policies, scenarios, t.flag("hindsight", True))


def _facility(t: _Table) -> FacilitySpec:
    t.known(_FACILITY_KEYS)
    candidates = t.text("candidates", "kecamatan") or "kecamatan"
    if candidates not in ("kecamatan", "grid", "registry", "file"):
        t.fail("candidates", candidates, "one of kecamatan, grid, registry, file")
    kind = t.text("kind", "government_office") or "government_office"
    if kind not in SITE_KINDS:
        t.fail("kind", kind, f"unknown kind; allowed: {', '.join(sorted(SITE_KINDS))}")
    path = t.text("path")
    if candidates == "file" and not path:
        t.fail("path", path, "required when candidates = 'file'")
    attributes = dict(t.table("attributes"))
    for key in ("open_days", "population", "hazards", "work_types"):
        if key in attributes:
            attributes[key] = frozenset(attributes[key])
    return FacilitySpec(
        p=t.integer("p", 3, 0, 100),
        capacity=t.integer("capacity", 6, 1, 1000),
        kind=kind,
        candidates=candidates,
        grid_km=t.number("grid_km", 4.0, 0.5, 50.0),
        registry_kind=t.text("registry_kind", "village_office") or "village_office",
        path=path,
        attributes=attributes,
        time_limit_s=t.number("time_limit_s", 30.0, 1.0, 3600.0),
    )


# --------------------------------------------------------------------------------------------
# Inputs the core can build itself (no files)


def generated_base(
    district: str, clients: int, sites: int, seed: int
) -> tuple[list[Site], list[Client], Areas]:
    """The seeded synthetic district (:mod:`matcher.planning.synthetic`), validated like a file."""

    d = generate_district(district=district, clients=clients, sites=sites, seed=seed)
    site_list, client_list = validate_inputs(
        [RawRecord(f"generated site {i}", r) for i, r in enumerate(d.sites)],
        [RawRecord(f"generated client {i}", r) for i, r in enumerate(d.clients)],
    )
    return site_list, client_list, Areas.from_frame(d.areas)


def candidate_points(
    spec: FacilitySpec, areas: Areas, sites: Sequence[Site], district: str
) -> tuple[list[tuple[float, float]], list[str]]:
    """Candidate (lat, lon) points and names for every source but "file"."""
    if spec.candidates == "kecamatan":
        centres = load_kecamatan_centres(district)
        return [(k.lat, k.lon) for k in centres], [f"Kecamatan {k.name}" for k in centres]
    if spec.candidates == "grid":
        pts = grid_points(areas, spec.grid_km)
        return pts, [f"titik grid {n}" for n in range(1, len(pts) + 1)]
    if spec.candidates == "registry":
        chosen = [site for site in sites if site.kind == spec.registry_kind]
        return [(site.lat, site.lon) for site in chosen], [f"dekat {site.name}" for site in chosen]
    raise FacilityError(f"candidates = {spec.candidates!r}: the caller reads the file")


# --------------------------------------------------------------------------------------------
# Running a study


@dataclass(frozen=True)
class Study:
    """Everything a planner's report is made of (see the module docstring)."""

    title: str
    inputs: Mapping[str, Any]
    comparison: Comparison
    simulations: tuple[PolicyComparison, ...]
    facility: FacilityPlan | None
    candidates: tuple[Site, ...]
    marginal: tuple[MarginalValue, ...]
    timings: Mapping[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "inputs": dict(self.inputs),
            "scenarios": self.comparison.to_dict(),
            "simulation": [s.to_dict() for s in self.simulations],
            "new_sites": self.facility.to_dict(self.candidates) if self.facility else None,
            "marginal_capacity": [m.to_dict() for m in self.marginal],
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


def run_study(
    spec: ScenarioSpec,
    sites: Sequence[Site],
    clients: Sequence[Client],
    areas: Areas,
    policy_overrides: Mapping[str, Any] | None = None,
    candidates: Sequence[Site] = (),
    inputs: Mapping[str, Any] | None = None,
    on_stage: Callable[[str], None] | None = None,
    params: SolveParams | None = None,
) -> Study:
    """Run every part the spec asks for, on domain objects.

    Raises
    ------
    ScenarioError, FacilityError, SimulationError
        An edit or question that cannot be applied to these inputs.
    """
    stage = on_stage or (lambda _: None)
    overrides = dict(policy_overrides or {})
    timings: dict[str, float] = {}

    t = time.perf_counter()
    stage("scenarios")
    comparison = compare(sites, clients, areas, spec.edit_sets, overrides, params)
    timings["scenarios"] = time.perf_counter() - t

    simulations: list[PolicyComparison] = []
    if spec.simulation is not None:
        t = time.perf_counter()
        stage("simulation")
        sim = spec.simulation
        stream = arrival_stream(sim.stream, areas)
        wanted = sim.scenarios or ("base", *(e.name for e in spec.edit_sets))
        by_name = {e.name: e for e in spec.edit_sets}
        for name in wanted:
            edits = by_name[name].edits if name != "base" else ()
            s_sites, s_policy = apply_edits(sites, overrides, edits)
            simulations.append(
                compare_policies(
                    name,
                    s_sites,
                    stream,
                    s_policy,
                    sim.stream,
                    sim.policies,
                    sim.hindsight,
                    params=params,
                )
            )
        timings["simulation"] = time.perf_counter() - t

    plan = None
    if spec.facility is not None and candidates:
        t = time.perf_counter()
        stage("facility")
        _, base_policy = apply_edits(sites, overrides, [])
        plan = open_sites(
            sites, clients, candidates, spec.facility.p, base_policy, spec.facility.time_limit_s
        )
        timings["facility"] = time.perf_counter() - t

    marginal: tuple[MarginalValue, ...] = ()
    if spec.marginal is not None:
        t = time.perf_counter()
        stage("marginal")
        marginal = tuple(_marginal(sites, clients, overrides, spec.marginal, params))
        timings["marginal"] = time.perf_counter() - t

    return Study(
        title=spec.title,
        inputs=dict(inputs or {}),
        comparison=comparison,
        simulations=tuple(simulations),
        facility=plan,
        candidates=tuple(candidates),
        marginal=marginal,
        timings=timings,
    )


def _marginal(
    sites: Sequence[Site],
    clients: Sequence[Client],
    overrides: Mapping[str, Any],
    spec: MarginalSpec,
    params: SolveParams | None,
) -> list[MarginalValue]:
    """The top sites for one more place, the first ``spec.verify`` re-solved exactly."""
    _, policy = apply_edits(sites, overrides, [])
    pre = prepare(sites, clients, policy)
    problem, arc_idx = assignment_problem(pre)
    assignment = solve(problem, params)
    usable = {j for j, site in enumerate(sites) if site.usable}
    ranked = [
        v
        for v in rank(marginal_values(problem, assignment, [site.site_id for site in sites]))
        if v.site in usable
    ][: spec.top]
    km = np.asarray(pre.elig.arcs.distance_km[arc_idx], np.float64)
    checked = verify(problem, assignment, ranked[: spec.verify], km, params)
    return checked + ranked[spec.verify :]


__all__ = [
    "BaseSpec",
    "DemandChoice",
    "FacilitySpec",
    "MarginalSpec",
    "ScenarioError",
    "ScenarioSpec",
    "SimulationSpec",
    "SpecError",
    "Study",
    "candidate_points",
    "candidate_sites",
    "generated_base",
    "parse_scenario",
    "run_study",
]
