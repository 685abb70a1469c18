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
costs, exact). Pinned placements (court-fixed, current) keep their places and are left out; a
client whose court-fixed site is full gains that site's extra place first, as in the solver.
Separation pairs (co-offenders) are a side constraint the flow relaxes, so the top sites are
always checked by re-solving the whole problem with the capacity raised by one
(:func:`verify`); a mismatch is reported, never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.solver import Assignment, AssignmentProblem, SolveParams, solve

_INF = np.iinfo(np.int64).max // 4


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
    raise RuntimeError("negative cycle in the residual graph: the flow was not optimal")


def marginal_values(
    problem: AssignmentProblem, assignment: Assignment, site_ids: Sequence[str]
) -> list[MarginalValue]:
    """One more place at every site, from the residual graph (see the module docstring).

    Returned in site order; rank them with :func:`rank`.
    """
    n, m = problem.n_clients, problem.n_sites
    source, sink = 0, n + m + 1
    pinned = assignment.pinned
    pinned_use = np.bincount(assignment.site[pinned], minlength=m)
    room = problem.capacity - pinned_use
    # The flow's arcs: unpinned clients without a court-fixed site (as in the solver).
    free = ~pinned[problem.arc_client] & (problem.fixed[problem.arc_client] < 0)
    ci = problem.arc_client[free].astype(np.int64)
    sj = problem.arc_site[free].astype(np.int64)
    cost = problem.arc_cost[free].astype(np.int64)
    used_arc = assignment.arc[ci] == np.flatnonzero(free)
    placed = assignment.site >= 0
    flow_use = np.bincount(sj[used_arc], minlength=m)
    clients = np.unique(ci)

    tails = [
        np.where(placed[clients], 1 + clients, source),  # source -> unplaced client
        np.where(used_arc, 1 + n + sj, 1 + ci),  # client -> site, or back when used
        np.full(0, 0, np.int64),
    ]
    heads = [
        np.where(placed[clients], source, 1 + clients),
        np.where(used_arc, 1 + ci, 1 + n + sj),
        np.full(0, 0, np.int64),
    ]
    costs = [np.zeros(clients.size, np.int64), np.where(used_arc, -cost, cost)]
    sites = np.arange(m)
    has_room = flow_use < room
    has_flow = flow_use > 0
    tails += [1 + n + sites[has_room], np.full(int(has_flow.sum()), sink)]
    heads += [np.full(int(has_room.sum()), sink), 1 + n + sites[has_flow]]
    costs += [np.zeros(int(has_room.sum()), np.int64), np.zeros(int(has_flow.sum()), np.int64)]
    tail = np.concatenate(tails).astype(np.int64)
    head = np.concatenate(heads).astype(np.int64)
    w = np.concatenate(costs).astype(np.int64)

    from_source = _bellman_ford(n + m + 2, tail, head, w, source)
    from_sink = _bellman_ford(n + m + 2, tail, head, w, sink)

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
        bigger = AssignmentProblem(
            n_clients=problem.n_clients,
            n_sites=problem.n_sites,
            arc_client=problem.arc_client,
            arc_site=problem.arc_site,
            arc_cost=problem.arc_cost,
            capacity=cap,
            separate=problem.separate,
            fixed=problem.fixed,
            current=problem.current,
        )
        a = solve(bigger, params)
        km = float(arc_km[a.arc[a.arc >= 0]].sum())
        out.append(
            MarginalValue(
                v.site,
                v.site_id,
                v.placed_gain,
                v.cost_change_m,
                checked=True,
                resolved_placed_gain=a.placed - assignment.placed,
                resolved_cost_change_m=a.objective - assignment.objective,
                resolved_km_change=round(km - base_km, 3),
            )
        )
    return out
