"""Where to open new sites: an exact capacitated facility-location model on the engine's arcs.

Formulation
-----------
Existing sites ``j`` with capacity ``u_j``, candidate sites ``k`` (new sites of one kind and
capacity ``u_k``, built as :class:`~matcher.model.Site` objects so that the same eligibility
rules apply), clients ``i``, and the eligible arcs ``(i, s)`` of the engine (reach, safety,
fitness, gender, religion, exclusion zones, hours before the deadline; a court-fixed client only
to its fixed site) with integer costs ``c_is`` (road metres minus the skill bonus). Variables
``x_is`` in {0, 1} (client i works at site s) and ``y_k`` in {0, 1} (candidate k is opened):

    lexicographically:  max  sum x_is          (place as many clients as possible)
                        then min sum c_is x_is (then the least total travel)
    s.t.  sum_s x_is <= 1                      every client at one site at most
          sum_i x_ij <= u_j                    an existing site's capacity
          sum_i x_ik <= u_k y_k                a candidate takes clients only when opened
          x_ik <= y_k                          (the same, per arc: a tighter relaxation)
          sum_k y_k  = min(p, #candidates)     open exactly p new sites
          x_pj + x_qj <= 1                     separated clients (co-offenders) never share a site

Solved with CP-SAT in two phases (the first's optimum becomes a constraint of the second),
one worker and a fixed seed, so the answer is deterministic. Current placements are not pinned:
a plan is about where demand can be served, and the engine re-checks real placements.
Opening a site never lowers the placed count or raises the cost, so "exactly p" and "at most
p" have the same optimum whenever there are at least p candidates.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from geo.crs import project, unproject, utm_epsg_for
from matcher.model import Client, Site
from matcher.pipeline import assignment_problem, prepare
from matcher.planning.areas import Areas
from matcher.policy import Policy
from matcher.solver import AssignmentProblem, SolverError, solve
from matcher.vocab import SITE_KINDS

_WEEK6 = frozenset({"mon", "tue", "wed", "thu", "fri", "sat"})

KIND_TEMPLATES: Mapping[str, Mapping[str, Any]] = {
    "government_office": {
        "work_types": frozenset({"cleaning", "administration", "gardening", "maintenance"}),
    },
    "village_office": {
        "work_types": frozenset({"cleaning", "administration", "gardening", "maintenance"}),
    },
    "park": {
        "work_types": frozenset({"gardening", "cleaning", "maintenance"}),
        "physical_demand": "moderate",
    },
    "social_institution": {
        "work_types": frozenset({"care_support", "cleaning", "cooking"}),
        "population": frozenset({"elderly"}),
    },
    "health_facility": {
        "work_types": frozenset({"cleaning", "gardening", "administration"}),
        "population": frozenset({"patients"}),
    },
    "school": {
        "work_types": frozenset({"cleaning", "gardening", "maintenance", "teaching_assist"}),
        "population": frozenset({"children"}),
    },
    "pesantren": {
        "work_types": frozenset({"cleaning", "gardening", "cooking", "maintenance"}),
        "population": frozenset({"children"}),
    },
    "roads_drains": {
        "work_types": frozenset({"cleaning", "maintenance", "construction"}),
        "physical_demand": "heavy",
        "hazards": frozenset({"traffic", "heavy_lifting"}),
    },
}
"""Default attributes of a new site by kind (the rest: open Monday-Saturday, 8 hours a day,
approved, non-commercial, nobody vulnerable present, no hazards, light work, mixed
supervisors, cleaning). A Pos Bapas or a kecamatan office is a ``government_office``."""


class FacilityError(ValueError):
    """A facility question that cannot be asked (no candidates, bad p or capacity)."""


def candidate_sites(
    points: Sequence[tuple[float, float]],
    kind: str = "government_office",
    capacity: int = 6,
    prefix: str = "K",
    names: Sequence[str] | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> list[Site]:
    """New-site candidates at ``(lat, lon)`` points, with the default attributes of ``kind``.

    ``attributes`` overrides any :class:`Site` field (e.g. ``open_days``, ``hours_per_day``).
    """
    if kind not in SITE_KINDS:
        raise FacilityError(f"kind {kind!r}: allowed {', '.join(sorted(SITE_KINDS))}")
    if capacity < 1:
        raise FacilityError(f"capacity = {capacity}: a new site takes at least 1 client")
    base: dict[str, Any] = {
        "open_days": _WEEK6,
        "hours_per_day": 8,
        "work_types": frozenset({"cleaning"}),
        **KIND_TEMPLATES.get(kind, {}),
        **(attributes or {}),
    }
    width = max(3, len(str(len(points))))
    out = []
    for n, (lat, lon) in enumerate(points, 1):
        sid = f"{prefix}{n:0{width}d}"
        out.append(
            Site(
                site_id=sid,
                name=names[n - 1] if names else f"calon {sid}",
                kind=kind,
                lat=round(float(lat), 6),
                lon=round(float(lon), 6),
                capacity=capacity,
                **base,
            )
        )
    return out


def grid_points(areas: Areas, spacing_km: float) -> list[tuple[float, float]]:
    """(lat, lon) of a square grid with ``spacing_km`` cells (in the areas' UTM zone),
    keeping the points inside some area, ordered south to north, then west to east."""
    if spacing_km <= 0:
        raise FacilityError(f"grid_km = {spacing_km}: must be > 0")
    union = shapely.union_all(np.array(areas.geometry, dtype=object))
    lon0, lat0, lon1, lat1 = union.bounds
    epsg = utm_epsg_for([lon0, lon1], [lat0, lat1])
    x, y = project(np.array([lon0, lon1, lon0, lon1]), np.array([lat0, lat0, lat1, lat1]), epsg)
    step = spacing_km * 1000.0
    gx = np.arange(np.floor(x.min() / step) * step, x.max() + step, step)
    gy = np.arange(np.floor(y.min() / step) * step, y.max() + step, step)
    xx, yy = np.meshgrid(gx, gy)
    lon, lat = unproject(xx.ravel(), yy.ravel(), epsg)
    inside = shapely.contains_xy(union, lon, lat)
    return [(float(a), float(b)) for a, b in zip(lat[inside], lon[inside], strict=True)]


@dataclass(frozen=True)
class FacilityPlan:
    """The chosen new sites and what they change.

    ``baseline_*`` is the optimum with the existing sites only; ``served`` counts clients per
    chosen site. ``status`` is OPTIMAL when both phases were proven optimal.
    """

    p: int
    chosen: tuple[str, ...]
    placed: int
    cost_m: int
    total_km: float
    baseline_placed: int
    baseline_cost_m: int
    baseline_km: float
    served: Mapping[str, int]
    status: str
    placed_bound: int
    runtime_s: float
    candidates: int
    arcs: int
    assignment: Mapping[str, str] = field(repr=False, default_factory=dict)

    def to_dict(self, sites: Sequence[Site] = ()) -> dict[str, Any]:
        where = {site.site_id: site for site in sites}
        return {
            "p": self.p,
            "chosen": [
                {
                    "site_id": sid,
                    "served": self.served.get(sid, 0),
                    **(
                        {"lat": where[sid].lat, "lon": where[sid].lon, "name": where[sid].name}
                        if sid in where
                        else {}
                    ),
                }
                for sid in self.chosen
            ],
            "placed": self.placed,
            "placed_gain": self.placed - self.baseline_placed,
            "total_km": self.total_km,
            "cost_m": self.cost_m,
            "baseline_placed": self.baseline_placed,
            "baseline_km": self.baseline_km,
            "status": self.status,
            "placed_bound": self.placed_bound,
            "runtime_s": self.runtime_s,
            "candidates": self.candidates,
            "arcs": self.arcs,
        }


def open_sites(
    sites: Sequence[Site],
    clients: Sequence[Client],
    candidates: Sequence[Site],
    p: int,
    policy: Policy,
    time_limit_s: float = 30.0,
    seed: int = 0,
) -> FacilityPlan:
    """Choose ``p`` of the ``candidates`` to open: most clients placed, then least travel.

    Raises
    ------
    FacilityError
        ``p < 0``, a candidate id that collides with a site id.
    SolverError
        CP-SAT found no solution within the time limit.
    """
    t0 = time.perf_counter()
    if p < 0:
        raise FacilityError(f"p = {p}: must be >= 0")
    clash = sorted({site.site_id for site in sites} & {c.site_id for c in candidates})
    if clash:
        raise FacilityError(f"candidate id {clash[0]!r} is already a site id")
    all_sites = [*sites, *candidates]
    pre = prepare(all_sites, clients, policy)
    problem, arc_idx = assignment_problem(pre)
    km = pre.elig.arcs.distance_km[arc_idx]
    n_old = len(sites)
    # Baseline: the existing sites only, the engine's own exact solve.
    base_problem = _without_sites(problem, n_old)
    base = solve(base_problem)
    base_cost = base.objective
    base_km = float(km[base.arc[base.arc >= 0]].sum()) if base.placed else 0.0
    p_eff = min(p, len(candidates))

    model = FacilityModel(problem, n_old, p_eff)
    hint = _greedy_hint(problem, n_old, p_eff, base.arc)
    deadline = time.perf_counter() + time_limit_s
    placed, bound, status1 = model.maximise_placed(hint, time_limit_s, seed)
    remaining = max(1.0, deadline - time.perf_counter())
    chosen_arcs, opened, status2 = model.minimise_cost(placed, remaining, seed)
    status = "OPTIMAL" if status1 == status2 == "OPTIMAL" else "FEASIBLE"
    cost = int(problem.arc_cost[chosen_arcs].sum())
    served = np.bincount(problem.arc_site[chosen_arcs], minlength=len(all_sites))
    ids = [site.site_id for site in all_sites]
    return FacilityPlan(
        p=p_eff,
        chosen=tuple(ids[j] for j in opened),
        placed=int(chosen_arcs.size),
        cost_m=cost,
        total_km=round(float(km[chosen_arcs].sum()), 3),
        baseline_placed=base.placed,
        baseline_cost_m=base_cost,
        baseline_km=round(base_km, 3),
        served={ids[j]: int(served[j]) for j in opened},
        status=status,
        placed_bound=bound,
        runtime_s=round(time.perf_counter() - t0, 3),
        candidates=len(candidates),
        arcs=int(problem.arc_client.size),
        assignment={
            clients[int(problem.arc_client[a])].client_id: ids[int(problem.arc_site[a])]
            for a in chosen_arcs.tolist()
        },
    )


def _without_sites(p: AssignmentProblem, n_old: int) -> AssignmentProblem:
    """The same problem with every site from index ``n_old`` on closed (capacity 0)."""
    cap = p.capacity.copy()
    cap[n_old:] = 0
    return replace(
        p,
        capacity=cap,
        fixed=np.where(p.fixed >= n_old, -1, p.fixed),
        current=np.full(p.n_clients, -1, np.int64),
    )


def _greedy_hint(
    p: AssignmentProblem, n_old: int, k: int, base_arc: NDArray[np.int64]
) -> tuple[NDArray[np.int64], list[int]]:
    """A good first solution: open the candidates reached by the most clients left unplaced
    in the baseline (ties: lower index), and keep the baseline placements."""
    unplaced = base_arc < 0
    cand = p.arc_site >= n_old
    score = np.bincount(p.arc_site[cand & unplaced[p.arc_client]], minlength=p.n_sites)
    opened = sorted(int(j) for j in np.argsort(-score[n_old:], kind="stable")[:k] + n_old)
    return base_arc[base_arc >= 0], opened


class FacilityModel:
    """The CP-SAT model of the module docstring, built once and solved in two phases."""

    def __init__(self, problem: AssignmentProblem, n_old: int, p: int):
        self.problem = problem
        self.n_old = n_old
        m = cp_model.CpModel()
        ci = problem.arc_client.tolist()
        sj = problem.arc_site.tolist()
        self.x = [m.new_bool_var(f"x{a}") for a in range(len(ci))]
        n_cand = problem.n_sites - n_old
        self.y = [m.new_bool_var(f"y{k}") for k in range(n_cand)]
        by_client: dict[int, list[int]] = {}
        by_site: dict[int, list[int]] = {}
        for a, (c, s) in enumerate(zip(ci, sj, strict=True)):
            by_client.setdefault(c, []).append(a)
            by_site.setdefault(s, []).append(a)
        # Hard: every client at one site at most.
        for arcs in by_client.values():
            m.add_at_most_one(self.x[a] for a in arcs)
        for s, arcs in by_site.items():
            cap = int(problem.capacity[s])
            if s < n_old:
                # Hard: an existing site takes at most its capacity.
                m.add(sum(self.x[a] for a in arcs) <= cap)
            else:
                y = self.y[s - n_old]
                # Hard: a candidate takes clients only when opened, up to its capacity.
                m.add(sum(self.x[a] for a in arcs) <= cap * y)
                for a in arcs:
                    m.add_implication(self.x[a], y)
        # Hard: open exactly p new sites.
        m.add(sum(self.y) == p)
        # Hard: separated clients never share a site.
        arc_at = {(c, s): a for a, (c, s) in enumerate(zip(ci, sj, strict=True))}
        for a, b in problem.separate.tolist():
            for arc in by_client.get(a, []):
                other = arc_at.get((b, sj[arc]))
                if other is not None:
                    m.add_bool_or([self.x[arc].Not(), self.x[other].Not()])
        self.model = m
        self._solution: list[bool] = []
        self._opened: list[bool] = []

    def _solver(self, time_limit_s: float, seed: int) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        return solver

    def maximise_placed(
        self, hint: tuple[NDArray[np.int64], list[int]], time_limit_s: float, seed: int
    ) -> tuple[int, int, str]:
        """Phase 1: the most clients placed. Returns (placed, proven bound, status)."""
        m = self.model
        arcs, opened = hint
        used = set(arcs.tolist())
        for a, x in enumerate(self.x):
            m.add_hint(x, a in used)
        for k, y in enumerate(self.y):
            m.add_hint(y, (k + self.n_old) in opened)
        m.maximize(sum(self.x))
        solver = self._solver(time_limit_s, seed)
        code = solver.solve(m)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise SolverError(f"facility model: CP-SAT ended with {solver.status_name(code)}")
        self._solution = [solver.boolean_value(x) for x in self.x]
        self._opened = [solver.boolean_value(y) for y in self.y]
        placed = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
        return placed, bound, "OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"

    def minimise_cost(
        self, placed: int, time_limit_s: float, seed: int
    ) -> tuple[NDArray[np.int64], list[int], str]:
        """Phase 2: with the placed count fixed, the least total cost."""
        m = self.model
        m.clear_hints()
        for x, v in zip(self.x, self._solution, strict=True):
            m.add_hint(x, v)
        for y, v in zip(self.y, self._opened, strict=True):
            m.add_hint(y, v)
        # Hard: keep phase 1's optimum (the lexicographic order).
        m.add(sum(self.x) >= placed)
        cost = self.problem.arc_cost.tolist()
        m.minimize(sum(c * x for c, x in zip(cost, self.x, strict=True)))
        solver = self._solver(time_limit_s, seed)
        code = solver.solve(m)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise SolverError(f"facility model: CP-SAT ended with {solver.status_name(code)}")
        chosen = np.array([a for a, x in enumerate(self.x) if solver.boolean_value(x)], np.int64)
        opened = [k + self.n_old for k, y in enumerate(self.y) if solver.boolean_value(y)]
        return chosen, opened, "OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"
