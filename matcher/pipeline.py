"""The pipeline: eligibility -> costs -> exact solve -> explanations, for a batch or one client.

Pure: takes domain objects (``matcher.model``) and a ``Policy``; reads no files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from geo.distance import road_km
from matcher import explain
from matcher.arrays import SiteArrays
from matcher.check import Instance
from matcher.eligibility import Eligibility, arc_costs, evaluate, failed_rules, skill_match
from matcher.model import Client, Site
from matcher.policy import Policy
from matcher.regions import RegionSolve, solve_regions
from matcher.result import Alternative, Placement, Reason, Result, Summary, Terms, Unplaced
from matcher.rules import ELIGIBILITY, ELIGIBILITY_INDEX
from matcher.solver import Assignment, AssignmentProblem, SolveParams, solve

T = TypeVar("T")

_HOURS = ELIGIBILITY_INDEX["hours_before_deadline"]
_TOO_FAR = ELIGIBILITY_INDEX["too_far"]


@dataclass(frozen=True)
class Prepared:
    """Everything the solver and the explanations share for one input."""

    clients: Sequence[Client]
    sites: Sequence[Site]
    policy: Policy
    elig: Eligibility
    cost: NDArray[np.int64]  # per arc of elig.arcs
    skill: NDArray[np.bool_]  # per arc of elig.arcs
    capacity: NDArray[np.int64]
    arc_start: NDArray[np.int64]  # client i's arcs are elig.arcs[arc_start[i]:arc_start[i + 1]]
    site_index: Mapping[str, int]
    site_ids: NDArray[np.object_]


def prepare(
    sites: Sequence[Site],
    clients: Sequence[Client],
    policy: Policy,
    capacity: NDArray[np.int64] | None = None,
    site_arrays: SiteArrays | None = None,
) -> Prepared:
    """Candidates, eligibility and costs. ``capacity`` overrides the sites' own (free room);
    ``site_arrays``, when given, are ``SiteArrays.of(sites)`` built before (a kept registry)."""
    elig, c, s = evaluate(list(clients), list(sites), policy, s=site_arrays)
    cap = s.capacity if capacity is None else np.asarray(capacity, np.int64)
    return Prepared(
        clients=clients,
        sites=sites,
        policy=policy,
        elig=elig,
        cost=arc_costs(elig.arcs, c, s, policy),
        skill=skill_match(elig.arcs, c, s),
        capacity=cap,
        arc_start=np.searchsorted(elig.arcs.client, np.arange(len(clients) + 1)).astype(np.int64),
        site_index={site.site_id: j for j, site in enumerate(sites)},
        site_ids=np.array([site.site_id for site in sites], dtype=object),
    )


def assignment_problem(pre: Prepared) -> tuple[AssignmentProblem, NDArray[np.intp]]:
    """The solver's arrays (eligible arcs, capacities, separation pairs, pins), and for each
    solver arc its index in ``pre.elig.arcs``."""
    elig, clients = pre.elig, pre.clients
    site_index = pre.site_index
    client_index = {c.client_id: i for i, c in enumerate(clients)}
    keep = elig.eligible.copy()
    fixed = np.full(len(clients), -1, np.int64)
    current = np.full(len(clients), -1, np.int64)
    ac, asite = elig.arcs.client, elig.arcs.site
    for i, cl in enumerate(clients):
        if cl.fixed_site_id is not None:
            fixed[i] = site_index[cl.fixed_site_id]
        if cl.current_site_id is not None:
            current[i] = site_index[cl.current_site_id]
    has_fixed = fixed >= 0
    if has_fixed.any():
        # A client with a court-fixed site may only be placed there.
        keep &= ~has_fixed[ac] | (asite == fixed[ac])
    idx = np.flatnonzero(keep)
    arc_client, arc_site = ac[idx], asite[idx]
    kept = elig.arcs.take(idx)
    for req in (fixed, current):
        asked = np.flatnonzero(req >= 0)
        if asked.size:
            # a pin only where its pair is an eligible arc
            req[asked[kept.find(asked, req[asked], len(pre.sites)) < 0]] = -1
    pairs = sorted(
        {
            (min(i, client_index[o]), max(i, client_index[o]))
            for i, cl in enumerate(clients)
            for o in cl.separate_from
            if o in client_index
        }
    )
    return AssignmentProblem(
        n_clients=len(clients),
        n_sites=len(pre.sites),
        arc_client=arc_client,
        arc_site=arc_site,
        arc_cost=pre.cost[idx],
        capacity=pre.capacity,
        separate=np.array(pairs, np.int64).reshape(-1, 2),
        fixed=fixed,
        current=current,
    ), idx


def match(
    sites: Sequence[Site],
    clients: Sequence[Client],
    policy: Policy,
    params: SolveParams | None = None,
    capacity: NDArray[np.int64] | None = None,
    on_stage: Callable[[str], None] | None = None,
    workers: int = 1,
    executor: Executor | None = None,
) -> Result:
    """Place every client it can, optimally, and explain every decision.

    ``workers`` > 1 (or an ``executor``) splits the solve into independent regions (clients and
    sites that share no candidate arc, :mod:`matcher.regions`) solved in parallel processes; the
    placed count and objective are the same. ``on_stage`` is called with "eligibility", "solve"
    and "explain" as each stage starts (for progress display).
    """
    if workers > 1 or executor is not None:
        step = _in_regions(params, workers, executor)
        return _match(sites, clients, policy, capacity, on_stage, step)[0]
    return _match(sites, clients, policy, capacity, on_stage, _whole(params))[0]


def match_in_regions(
    sites: Sequence[Site],
    clients: Sequence[Client],
    policy: Policy,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    params: SolveParams | None = None,
) -> tuple[Result, RegionSolve]:
    """:func:`match` with the solve split into regions, and how the work split (RegionSolve)."""
    return _match(sites, clients, policy, None, None, _in_regions(params, workers, executor))


SolveStep = Callable[[AssignmentProblem], tuple[Assignment, dict[str, float], T]]


def _whole(params: SolveParams | None) -> SolveStep[None]:
    def step(problem: AssignmentProblem) -> tuple[Assignment, dict[str, float], None]:
        assignment = solve(problem, params)
        return assignment, assignment.timings, None

    return step


def _in_regions(
    params: SolveParams | None, workers: int, executor: Executor | None
) -> SolveStep[RegionSolve]:
    def step(problem: AssignmentProblem) -> tuple[Assignment, dict[str, float], RegionSolve]:
        run = solve_regions(problem, params, workers, executor)
        return run.assignment, run.timings, run

    return step


def _match(
    sites: Sequence[Site],
    clients: Sequence[Client],
    policy: Policy,
    capacity: NDArray[np.int64] | None,
    on_stage: Callable[[str], None] | None,
    solve_step: SolveStep[T],
) -> tuple[Result, T]:
    """The stages of a match, timed: prepare, solve (by ``solve_step``), explain."""
    stage = on_stage or (lambda _: None)
    t0 = time.perf_counter()
    stage("eligibility")
    pre = prepare(sites, clients, policy, capacity)
    t1 = time.perf_counter()
    stage("solve")
    problem, arc_idx = assignment_problem(pre)
    assignment, solve_timings, extra = solve_step(problem)
    t2 = time.perf_counter()
    stage("explain")
    result = explain_assignment(pre, problem, arc_idx, assignment, runtime_start=t0)
    t3 = time.perf_counter()
    result.timings.update(
        {
            **pre.elig.timings,
            "prepare": t1 - t0,
            "solve": t2 - t1,
            "explain": t3 - t2,
            **{f"solve_{k}": v for k, v in solve_timings.items()},
        }
    )
    return result, extra


def _terms(pre: Prepared, a: int) -> Terms:
    dist_m = round(float(pre.elig.arcs.distance_km[a]) * 1000.0)
    skill = bool(pre.skill[a])
    bonus = pre.policy.skill_bonus_m if skill else 0
    return Terms(distance_m=dist_m, skill_match=skill, skill_bonus_m=bonus, cost_m=int(pre.cost[a]))


def _km(pre: Prepared, a: int) -> float:
    return round(float(pre.elig.arcs.distance_km[a]), 3)


def _by_client_then_cost(pre: Prepared, arcs: NDArray[np.intp]) -> NDArray[np.intp]:
    """``arcs`` (ascending, so by client then site) reordered by client, cost, then site."""
    client = pre.elig.arcs.client[arcs].astype(np.int64)
    cost = pre.cost[arcs]
    if arcs.size == 0:
        return arcs
    lo = int(cost.min())
    span = int(cost.max()) - lo + 1
    if (len(pre.clients) + 1) * span < 2**62:
        # one int64 key and a stable sort (ties keep the site order): several times faster
        # than a three-key lexsort on millions of arcs
        order = np.argsort(client * span + (cost - lo), kind="stable")
    else:
        order = np.lexsort((cost, client))
    return arcs[order]


def explain_assignment(
    pre: Prepared,
    problem: AssignmentProblem,
    arc_idx: NDArray[np.intp],
    assignment: Assignment,
    runtime_start: float,
) -> Result:
    """Turn the solver's arrays into placements with terms and alternatives, and reasons.

    The terms of every chosen arc and of each client's next ``policy.alternatives + 1``
    cheapest eligible arcs are computed as arrays first; the Python loop only builds objects.
    """
    elig, clients = pre.elig, pre.clients
    n = len(clients)
    k_alt = pre.policy.alternatives
    # per client: the eligible arcs (indices into elig.arcs) ordered by cost, then site
    el = _by_client_then_cost(pre, np.flatnonzero(elig.eligible))
    starts = np.searchsorted(elig.arcs.client[el], np.arange(n + 1))
    used = np.bincount(assignment.site[assignment.site >= 0], minlength=len(pre.sites))
    full = used >= pre.capacity
    placed_arc = np.full(n, -1, np.int64)
    ok = assignment.arc >= 0
    placed_arc[ok] = arc_idx[assignment.arc[ok]]
    # the first k_alt + 1 cheapest eligible arcs of each client (-1 past the client's last)
    count = starts[1:] - starts[:-1]
    cols = np.arange(k_alt + 1)
    cand = np.where(
        cols[None, :] < count[:, None],
        el[np.minimum(starts[:-1, None] + cols[None, :], max(el.size - 1, 0))] if el.size else -1,
        -1,
    )
    arcs = np.concatenate((placed_arc, cand.ravel()))
    # (-1 marks no arc; with no arcs at all nothing is looked up)
    safe = np.maximum(arcs, 0) if len(elig.arcs) else np.zeros(0, np.int64)
    km = elig.arcs.distance_km[safe]
    site = elig.arcs.site[safe]
    skill = pre.skill[safe]
    bonus = np.where(skill, pre.policy.skill_bonus_m, 0)
    # per arc, as Python values: site id, km (3 decimals), terms, full
    site_id = pre.site_ids[site].tolist()
    km_3 = [round(x, 3) for x in km.tolist()]
    metres = np.rint(km * 1000.0).astype(np.int64).tolist()
    skill_l, bonus_l = skill.tolist(), bonus.tolist()
    cost_l = pre.cost[safe].tolist()
    full_l = full[site].tolist()
    arcs_l = arcs.tolist()
    width = k_alt + 1

    def terms(q: int) -> Terms:
        return Terms(metres[q], skill_l[q], bonus_l[q], cost_l[q])

    placements: list[Placement] = []
    unplaced: list[Unplaced] = []
    pinned = assignment.pinned.tolist()
    for i, cl in enumerate(clients):
        a = arcs_l[i]
        if a >= 0:
            row = n + i * width
            alts = [
                Alternative(site_id[q], km_3[q], terms(q), full_l[q])
                for q in range(row, row + width)
                if arcs_l[q] >= 0 and arcs_l[q] != a
            ][:k_alt]
            placements.append(
                Placement(cl.client_id, site_id[i], km_3[i], pinned[i], terms(i), tuple(alts))
            )
        else:
            mine = el[starts[i] : starts[i + 1]]
            unplaced.append(
                Unplaced(
                    cl.client_id, (_why_unplaced(pre, i, mine, assignment.pin_conflict, full),)
                )
            )
    dist = np.array([p.distance_km for p in placements]) if placements else np.zeros(1)
    summary = Summary(
        clients=n,
        placed=len(placements),
        unplaced=len(unplaced),
        total_distance_km=round(float(dist.sum()), 3),
        max_distance_km=round(float(dist.max()), 3),
        status=assignment.status,
        objective=assignment.objective,
        bound=assignment.bound,
        runtime_s=round(time.perf_counter() - runtime_start, 3),
    )
    return Result(summary, tuple(placements), tuple(unplaced), {}, Instance(pre, problem, arc_idx))


def _client_arcs(pre: Prepared, i: int) -> NDArray[np.intp]:
    return np.arange(pre.arc_start[i], pre.arc_start[i + 1])


def _failed_rules(pre: Prepared, a: int) -> list[str]:
    return failed_rules(pre.elig.passes, a)


def _why_unplaced(
    pre: Prepared,
    i: int,
    eligible_arcs: NDArray[np.intp],
    pin_conflict: Mapping[int, str],
    full: NDArray[np.bool_],
) -> Reason:
    cl, elig = pre.clients[i], pre.elig
    if cl.fixed_site_id is not None:
        mine = _client_arcs(pre, i)
        fixed_j = pre.site_index[cl.fixed_site_id]
        a = int(mine[elig.arcs.site[mine] == fixed_j][0])
        failed = _failed_rules(pre, a)
        if failed:
            return explain.fixed_site_ineligible(cl.fixed_site_id, failed)
        if pin_conflict.get(i) == "separation_conflict":
            return explain.separation_conflict([cl.fixed_site_id])
        return explain.fixed_site_full(cl.fixed_site_id)
    if eligible_arcs.size:
        site_idx = elig.arcs.site[eligible_arcs]
        with_room = site_idx[~full[site_idx]]
        if with_room.size:
            return explain.separation_conflict(pre.site_ids[with_room].tolist())
        return explain.eligible_sites_full(pre.site_ids[site_idx].tolist())
    reach = cl.max_travel_km if cl.max_travel_km is not None else pre.policy.max_travel_km
    if elig.in_reach[i] == 0:
        return explain.no_site_in_reach(reach)
    mine = _client_arcs(pre, i)
    mine = mine[elig.passes[_TOO_FAR, mine]]
    others = np.delete(elig.passes[:, mine], _HOURS, axis=0).all(axis=0)
    if others.any():
        return explain.deadline_unreachable(
            cl.hours, cl.hours_per_day, cl.deadline.isoformat(), int(others.sum())
        )
    counts = {
        r.key: int(elig.rejected[i, k]) for k, r in enumerate(ELIGIBILITY) if r.key != "too_far"
    }
    return explain.no_eligible_site(int(elig.in_reach[i]), {k: v for k, v in counts.items() if v})


@dataclass(frozen=True)
class Suggestion:
    site_id: str
    distance_km: float
    terms: Terms
    room: int


@dataclass(frozen=True)
class Suggestions:
    """Ranked eligible sites with room for one client, and why the other sites were rejected."""

    client_id: str
    ranked: tuple[Suggestion, ...]
    eligible_full: tuple[str, ...]
    sites_in_reach: int
    rejected: Mapping[str, int]
    reason: Reason | None


def suggest(
    sites: Sequence[Site],
    client: Client,
    policy: Policy,
    top: int = 5,
    room: NDArray[np.int64] | None = None,
    blocked: Collection[str] = frozenset(),
    site_arrays: SiteArrays | None = None,
) -> Suggestions:
    """The ``top`` cheapest eligible sites with room for one client (nothing is written).

    ``room`` is each site's free places (default: its capacity); ``blocked`` names the sites
    where a co-offender (``separate_from``) already works: they are never offered and are
    counted under the pairing rule ``separation``. A court-fixed site that is not among
    ``sites`` (it left the registry) is reported as ``fixed_site_inactive``. ``site_arrays``,
    when given, are ``SiteArrays.of(sites)`` built before (a registry kept in memory).
    """
    fixed = client.fixed_site_id
    keep = [j for j, site in enumerate(sites) if site.site_id not in blocked]
    usable = [sites[j] for j in keep]
    known = {site.site_id for site in sites}
    unfixed = fixed is not None and (fixed not in known or fixed in blocked)
    cl = replace(client, fixed_site_id=None) if unfixed else client
    pre = prepare(
        usable,
        [cl],
        policy,
        None if room is None else np.asarray(room)[keep],
        None if site_arrays is None else site_arrays.take(keep),
    )
    elig = pre.elig
    el = np.flatnonzero(elig.eligible)
    if fixed is not None:
        # the court named the site: it is the only one that can be offered
        el = el[elig.arcs.site[el] == pre.site_index.get(fixed, -1)]
    el = el[np.lexsort((elig.arcs.site[el], pre.cost[el]))]
    with_room = [a for a in el.tolist() if pre.capacity[elig.arcs.site[a]] > 0]
    ranked = tuple(
        Suggestion(
            usable[int(elig.arcs.site[a])].site_id,
            _km(pre, a),
            _terms(pre, a),
            int(pre.capacity[elig.arcs.site[a]]),
        )
        for a in with_room[:top]
    )
    full_ids = tuple(
        usable[int(elig.arcs.site[a])].site_id
        for a in el.tolist()
        if pre.capacity[elig.arcs.site[a]] <= 0
    )
    separated = _blocked_in_reach(sites, client, policy, blocked)
    rejected = {r.key: int(elig.rejected[0, k]) for k, r in enumerate(ELIGIBILITY)}
    rejected["too_far"] = len(sites) - int(elig.in_reach[0]) - separated
    rejected["separation"] = separated
    reason = None
    if not ranked:
        if fixed is not None and fixed not in known:
            reason = explain.fixed_site_inactive(fixed)
        elif fixed is not None and fixed in blocked:
            reason = explain.separation_conflict([fixed])
        else:
            reason = _why_unplaced(pre, 0, el, {}, pre.capacity <= 0)
    return Suggestions(
        client.client_id,
        ranked,
        full_ids,
        int(elig.in_reach[0]) + separated,
        {k: v for k, v in rejected.items() if v},
        reason,
    )


def _blocked_in_reach(
    sites: Sequence[Site], client: Client, policy: Policy, blocked: Collection[str]
) -> int:
    """How many blocked sites are within the client's reach (or are its court-fixed site)."""
    mine = [site for site in sites if site.site_id in blocked]
    if not mine:
        return 0
    reach = client.max_travel_km if client.max_travel_km is not None else policy.max_travel_km
    d = road_km(
        client.lat,
        client.lon,
        np.array([site.lat for site in mine]),
        np.array([site.lon for site in mine]),
        policy.road_factor,
    )
    fixed = client.fixed_site_id
    return sum(bool(x <= reach) or site.site_id == fixed for x, site in zip(d, mine, strict=True))


def pair_failures(client: Client, site: Site, policy: Policy) -> list[str]:
    """The eligibility rules (keys of :data:`matcher.rules.ELIGIBILITY`) that forbid this pair."""
    elig, _, _ = evaluate([client], [site], policy)
    if len(elig.arcs) == 0:
        return ["too_far"]
    return failed_rules(elig.passes, 0)
