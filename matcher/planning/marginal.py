"""Marginal value of capacity: what one more place at each site would change.

From the optimal flow, exactly, for every site at once (the flow's dual information):
the solver's transportation problem is a min-cost max-flow on source -> clients -> sites ->
sink. Take the residual graph of the optimal flow (an unused arc forward at its cost, a used
arc backward at minus its cost, site -> sink forward while the site has room and backward while
it holds clients). It has no negative cycle (the flow is optimal), and, the flow being maximum,
no source -> sink path. Add one unit of capacity on site ``j``'s arc to the sink:

* if ``j`` is reachable from the source, the placed count rises by exactly one, and the total
  cost changes by ``d_source(j)``, the shortest residual path from the source to ``j`` (any
  better flow would decompose into a path through the new arc plus residual cycles, which cost
  at least 0);
* otherwise the placed count stays, and the cost changes by ``min(0, d_sink(j))``, the cheapest
  residual cycle through the new arc (a path from the sink to ``j``, then the new arc).

Shortest paths are computed with a vectorised Bellman-Ford over the residual arcs (integer
costs, exact). The network is the solver's own, including its capacity-1 gadget node per
(co-offender clique, site). Pinned placements (court-fixed, current) keep their places and are
left out; a client whose court-fixed site is full gains that site's extra place first, as in
the solver. Separation pairs outside cliques (A-B and B-C) are not network-shaped, so when
there are any, every site is re-solved instead (exact, one solve per site); a negative cycle
(a solution that is not a plain min-cost flow) triggers the same. The top sites are always
checked by re-solving the whole problem with the capacity raised by one (:func:`verify`); a
mismatch is reported, never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
from numpy.typing import NDArray

from matcher.solver import (
    Assignment,
    AssignmentProblem,
    SolveParams,
    _separation_groups,  # the solver's own network shape (co-offender gadgets)
    solve,
)

_INF = np.iinfo(np.int64).max // 4


class _NegativeCycle(Exception):
    """The residual graph has a negative cycle: the solution is not a plain min-cost flow."""


@dataclass(frozen=True)
class MarginalValue:
    """One more place at one site: clients gained and the change in total cost (metres).

    ``checked`` is True when :func:`verify` re-solved it; ``resolved_*`` then hold the re-solve's
    answer (placed gain, change of the cost objective, change of total road km).
    """

    site: int
    site_id: str
    placed_gain: int
    cost_change_m: int
    method: str = "residual"
    checked: bool = False
    resolved_placed_gain: int | None = None
    resolved_cost_change_m: int | None = None
    resolved_km_change: float | None = None

    @property
    def km_saved(self) -> float:
        """Cost saved, in km (negative when the extra client adds travel)."""
        return round(-self.cost_change_m / 1000.0, 3)

    @property
    def agrees(self) -> bool | None:
        if not self.checked:
            return None
        return (self.resolved_placed_gain, self.resolved_cost_change_m) == (
            self.placed_gain,
            self.cost_change_m,
        )

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "km_saved": self.km_saved, "agrees": self.agrees}


def _bellman_ford(
    n: int,
    tail: NDArray[np.int64],
    head: NDArray[np.int64],
    cost: NDArray[np.int64],
    source: int,
) -> NDArray[np.int64]:
    """Shortest path costs from ``source`` (``_INF`` where unreachable); no negative cycles."""
    dist = np.full(n, _INF, np.int64)
    dist[source] = 0
    for _ in range(n):
        live = dist[tail] < _INF
        cand = dist[tail[live]] + cost[live]
        new = dist.copy()
        np.minimum.at(new, head[live], cand)
        if np.array_equal(new, dist):
            return dist
        dist = new
    raise _NegativeCycle


def marginal_values(
    problem: AssignmentProblem,
    assignment: Assignment,
    site_ids: Sequence[str],
    params: SolveParams | None = None,
) -> list[MarginalValue]:
    """One more place at every site, from the residual graph (see the module docstring).

    The network is the solver's own: co-offender cliques pass through one capacity-1 gadget
    node per (group, site). When the solution is not a plain min-cost flow of that network
    (separation pairs outside cliques were resolved by branch and bound or CP-SAT), the residual
    graph may hold a negative cycle; every site is then re-solved instead (exact, slower).
    Returned in site order; rank them with :func:`rank`.
    """
    n, m = problem.n_clients, problem.n_sites
    group, loose = _separation_groups(problem)
    if loose.size:
        # Separation pairs outside cliques are not in the network: its residual graph could
        # offer a place that the pair rule forbids. Re-solve instead.
        return _resolve_all(problem, assignment, site_ids, params)
    pinned = assignment.pinned
    pinned_use = np.bincount(assignment.site[pinned], minlength=m)
    room = problem.capacity - pinned_use
    # The flow's arcs: unpinned clients without a court-fixed site (as in the solver).
    free = np.flatnonzero(~pinned[problem.arc_client] & (problem.fixed[problem.arc_client] < 0))
    ci = problem.arc_client[free].astype(np.int64)
    sj = problem.arc_site[free].astype(np.int64)
    cost = problem.arc_cost[free].astype(np.int64)
    used_arc = assignment.arc[ci] == free
    placed = assignment.site >= 0
    flow_use = np.bincount(sj[used_arc], minlength=m)
    clients = np.unique(ci)
    source, sink = 0, n + m + 1
    # Gadget nodes: one per (clique group, site), numbered after the sink.
    g = group[ci]
    gad = g >= 0
    keys, inverse = np.unique(g[gad] * m + sj[gad], return_inverse=True)
    gadget_node = sink + 1 + np.arange(keys.size)
    head_of_arc = 1 + n + sj
    head_of_arc[gad] = gadget_node[inverse]
    gadget_flow = np.bincount(inverse[used_arc[gad]], minlength=keys.size)
    gadget_site = 1 + n + keys % m
    sites = np.arange(m)
    has_room = flow_use < room
    has_flow = flow_use > 0
    edges = [
        # source -> unplaced client; placed client -> source
        (
            np.where(placed[clients], 1 + clients, source),
            np.where(placed[clients], source, 1 + clients),
            np.zeros(clients.size, np.int64),
        ),
        # client -> site (or gadget) while unused; back at minus the cost when used
        (
            np.where(used_arc, head_of_arc, 1 + ci),
            np.where(used_arc, 1 + ci, head_of_arc),
            np.where(used_arc, -cost, cost),
        ),
        # gadget -> site while free; back when one member uses it
        (
            np.where(gadget_flow > 0, gadget_site, gadget_node),
            np.where(gadget_flow > 0, gadget_node, gadget_site),
            np.zeros(keys.size, np.int64),
        ),
        # site -> sink while the site has room; back while it holds clients
        (
            1 + n + sites[has_room],
            np.full(int(has_room.sum()), sink),
            np.zeros(int(has_room.sum()), np.int64),
        ),
        (
            np.full(int(has_flow.sum()), sink),
            1 + n + sites[has_flow],
            np.zeros(int(has_flow.sum()), np.int64),
        ),
    ]
    tail = np.concatenate([e[0] for e in edges]).astype(np.int64)
    head = np.concatenate([e[1] for e in edges]).astype(np.int64)
    w = np.concatenate([e[2] for e in edges]).astype(np.int64)
    nodes = sink + 1 + keys.size
    try:
        from_source = _bellman_ford(nodes, tail, head, w, source)
        from_sink = _bellman_ford(nodes, tail, head, w, sink)
    except _NegativeCycle:
        return _resolve_all(problem, assignment, site_ids, params)

    # A court-fixed client left out because its site was full takes the extra place first.
    waiting_fixed: dict[int, int] = {}
    for i in np.flatnonzero((problem.fixed >= 0) & ~placed).tolist():
        j = int(problem.fixed[i])
        arc = np.flatnonzero((problem.arc_client == i) & (problem.arc_site == j))
        if arc.size and assignment.pin_conflict.get(i) == "fixed_site_full":
            waiting_fixed.setdefault(j, int(problem.arc_cost[arc[0]]))

    out = []
    for j in range(m):
        if j in waiting_fixed:
            out.append(MarginalValue(j, site_ids[j], 1, waiting_fixed[j]))
            continue
        ds = int(from_source[1 + n + j])
        if ds < _INF:
            out.append(MarginalValue(j, site_ids[j], 1, ds))
        else:
            dt = int(from_sink[1 + n + j])
            out.append(MarginalValue(j, site_ids[j], 0, min(0, dt) if dt < _INF else 0))
    return out


def _resolve_all(
    problem: AssignmentProblem,
    assignment: Assignment,
    site_ids: Sequence[str],
    params: SolveParams | None,
) -> list[MarginalValue]:
    """Every site's value by re-solving with its capacity raised by one (exact, m solves)."""
    values = [MarginalValue(j, site_ids[j], 0, 0) for j in range(problem.n_sites)]
    return [
        replace(
            v,
            placed_gain=v.resolved_placed_gain or 0,
            cost_change_m=v.resolved_cost_change_m or 0,
            method="resolve",
            checked=False,
            resolved_placed_gain=None,
            resolved_cost_change_m=None,
            resolved_km_change=None,
        )
        for v in verify(problem, assignment, values, np.zeros(problem.arc_client.size), params)
    ]


def rank(values: Sequence[MarginalValue]) -> list[MarginalValue]:
    """Where one more place helps most: more clients first, then the larger saving, then id."""
    return sorted(values, key=lambda v: (-v.placed_gain, v.cost_change_m, v.site_id))


def verify(
    problem: AssignmentProblem,
    assignment: Assignment,
    values: Sequence[MarginalValue],
    arc_km: NDArray[np.float64],
    params: SolveParams | None = None,
) -> list[MarginalValue]:
    """Re-solve the whole problem with one more place at each given site (exact check).

    ``arc_km`` is the road km of each of the problem's arcs (for the km change).
    """
    base_km = float(arc_km[assignment.arc[assignment.arc >= 0]].sum())
    out = []
    for v in values:
        cap = problem.capacity.copy()
        cap[v.site] += 1
        bigger = replace(problem, capacity=cap)
        a = solve(bigger, params)
        km = float(arc_km[a.arc[a.arc >= 0]].sum())
        out.append(
            replace(
                v,
                checked=True,
                resolved_placed_gain=a.placed - assignment.placed,
                resolved_cost_change_m=a.objective - assignment.objective,
                resolved_km_change=round(km - base_km, 3),
            )
        )
    return out
