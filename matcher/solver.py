"""The exact assignment solver.

Formulation
-----------
Clients ``i``, sites ``j``, eligible arcs ``(i, j)`` with integer cost ``c_ij`` (road metres minus
the skill bonus), site capacities ``u_j``. Variables ``x_ij`` in {0, 1}:

    lexicographically:  max  sum x_ij          (place as many clients as possible)
                        then min sum c_ij x_ij (then the least total travel)
    s.t.  sum_j x_ij <= 1                      every client at one site at most
          sum_i x_ij <= u_j - pinned_j         room left after pinned placements
          x_pj + x_qj <= 1                     for every separate_from pair (p, q), every site j

Pinned placements come first: a court-fixed site (``fixed_site_id``), then a still-eligible
current site (``current_site_id``); they take their place and remove the arcs of their
separate_from partners to that site (a per-pair rule removes arcs, so the network keeps its shape).

Without separation pairs the problem is a transportation problem: its LP is integral, and
OR-Tools' ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` on source -> clients -> sites -> sink
solves it exactly (max flow = most placements, min cost among those).

Separation stays network-shaped where it can. Co-offenders usually form a group in which every
member is separated from every other (a clique in the separation graph: a pair, a trio). For
such a group, the arcs of its members into a site pass through one extra "gadget" node per
(group, site) with capacity 1, so at most one member works there: still a pure min-cost flow,
still integral and exact. Only separation pairs outside cliques (A-B and B-C, but A and C may
meet) are not network-shaped. For those, a best-first branch and bound over min-cost flows
resolves each collision of p and q at site j by removing the arc p->j or q->j (each node's flow
is a relaxation, so the first collision-free node popped is optimal). Should that exceed its
node or time budget, the components where collisions remain are solved with CP-SAT (one
weighted objective ``sum (c_ij - M) x_ij`` with ``M`` larger than any cost difference, so one
more placement always wins), warm-started from the best node with the colliding clients
removed; its status (OPTIMAL or FEASIBLE) and bound are reported.

All arcs that pass eligibility are kept (nothing is pruned), so no arc that could improve the
solution is ever missing. Deterministic: arcs are sorted, ties in the branch and bound are
broken by creation order, and CP-SAT runs with a fixed seed and ``interleave_search`` when it
uses more than one worker.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow


class SolverError(RuntimeError):
    """The solver ended without a usable solution (an unknown or infeasible status)."""


@dataclass(frozen=True, slots=True)
class SolveParams:
    """Limits for the exact solver: CP-SAT time limit per component, workers, seed."""

    time_limit_s: float = 60.0
    workers: int = 1
    seed: int = 0


@dataclass(frozen=True)
class AssignmentProblem:
    """The solver's input: eligible arcs only, as arrays (no files, no pydantic).

    ``fixed`` and ``current`` hold a site index per client, or -1; only eligible pairs are given.
    A client with a fixed site is only ever placed there.
    """

    n_clients: int
    n_sites: int
    arc_client: NDArray[np.int32]
    arc_site: NDArray[np.int32]
    arc_cost: NDArray[np.int64]
    capacity: NDArray[np.int64]
    separate: NDArray[np.int64]  # (k, 2) client index pairs, p < q
    fixed: NDArray[np.int64]
    current: NDArray[np.int64]


@dataclass(frozen=True)
class Assignment:
    """The solver's answer. ``arc[i]`` indexes the problem's arcs, or -1 when unplaced."""

    arc: NDArray[np.int64]
    site: NDArray[np.int64]
    pinned: NDArray[np.bool_]
    pin_conflict: dict[int, str]
    status: str
    objective: int
    bound: int
    cpsat_components: int = 0
    cpsat_clients: int = 0
    flow_nodes: int = 1
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def placed(self) -> int:
        return int((self.site >= 0).sum())


def _pins(p: AssignmentProblem) -> tuple[NDArray[np.int64], NDArray[np.bool_], dict[int, str]]:
    """Place the court-fixed, then the still-eligible current placements, in client order."""
    site = np.full(p.n_clients, -1, np.int64)
    pinned = np.zeros(p.n_clients, np.bool_)
    conflict: dict[int, str] = {}
    room = p.capacity.copy()
    partners: dict[int, list[int]] = {}
    for a, b in p.separate.tolist():
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    for requests, code in ((p.fixed, "fixed_site_full"), (p.current, None)):
        for i in np.flatnonzero(requests >= 0).tolist():
            if pinned[i] or i in conflict:
                continue
            j = int(requests[i])
            clash = any(site[q] == j for q in partners.get(i, ()))
            if room[j] > 0 and not clash:
                site[i], pinned[i] = j, True
                room[j] -= 1
            elif code is not None:
                conflict[i] = "separation_conflict" if clash and room[j] > 0 else code
    return site, pinned, conflict


def solve(p: AssignmentProblem, params: SolveParams | None = None) -> Assignment:
    """Exact lexicographic optimum (most placed, then least cost). See the module docstring."""
    params = params or SolveParams()
    t0 = time.perf_counter()
    site, pinned, conflict = _pins(p)
    arc_of = np.full(p.n_clients, -1, np.int64)
    if pinned.any():
        # the arc index of each pinned placement
        pin_arcs = np.flatnonzero(pinned[p.arc_client] & (p.arc_site == site[p.arc_client]))
        arc_of[p.arc_client[pin_arcs]] = pin_arcs
    room = p.capacity - np.bincount(site[pinned], minlength=p.n_sites)

    # Free arcs: unpinned clients without a fixed site, to sites with room, not shared with a
    # pinned separate_from partner.
    free = ~pinned[p.arc_client] & (p.fixed[p.arc_client] < 0) & (room[p.arc_site] > 0)
    if p.separate.size and pinned.any():
        # arcs are sorted by (client, site): find each blocked pair by binary search
        keys = p.arc_client.astype(np.int64) * p.n_sites + p.arc_site
        pa, pb = p.separate[:, 0], p.separate[:, 1]
        for x, y in ((pa, pb), (pb, pa)):
            sel = pinned[y] & ~pinned[x]
            want = x[sel] * p.n_sites + site[y[sel]]
            pos = np.searchsorted(keys, want)
            hit = pos < keys.size
            hit[hit] = keys[pos[hit]] == want[hit]
            free[pos[hit]] = False
    free_idx = np.flatnonzero(free)
    group, loose_pairs = _separation_groups(p)
    t1 = time.perf_counter()
    chosen = _flow(p, free_idx, room, group)
    t2 = time.perf_counter()

    status, gap, nodes, n_comp, n_comp_clients = "OPTIMAL", 0, 1, 0, 0
    if loose_pairs.size and _violations(p, chosen, loose_pairs).size:
        chosen, status, gap, nodes, n_comp, n_comp_clients = _branch_and_bound(
            p, free_idx, room, group, loose_pairs, chosen, params
        )
    arc_of[p.arc_client[chosen]] = chosen
    t3 = time.perf_counter()
    placed = arc_of >= 0
    site = _site_of(p, arc_of)
    objective = int(p.arc_cost[arc_of[placed]].sum())
    return Assignment(
        arc=arc_of,
        site=site,
        pinned=pinned,
        pin_conflict=conflict,
        status=status,
        objective=objective,
        bound=objective - gap,
        cpsat_components=n_comp,
        cpsat_clients=n_comp_clients,
        flow_nodes=nodes,
        timings={"pins": t1 - t0, "flow": t2 - t1, "separation": t3 - t2},
    )


def _separation_groups(p: AssignmentProblem) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Co-offender groups that are cliques (all pairwise separated), and the other pairs.

    Returns ``group`` (per client: the clique group's number, or -1) and the separation pairs
    outside cliques. A clique stays network-shaped: at each site its members share a gadget
    node of capacity 1, so at most one of them works there.
    """
    group = np.full(p.n_clients, -1, np.int64)
    if p.separate.size == 0:
        return group, p.separate
    a = p.separate[:, 0]
    label = _pair_components(p.separate, p.n_clients)
    members = np.bincount(label[np.unique(p.separate)], minlength=label.max() + 1)
    edges = np.bincount(label[a], minlength=label.max() + 1)
    clique = (members >= 2) & (edges == members * (members - 1) // 2)
    in_pair = np.zeros(p.n_clients, np.bool_)
    in_pair[p.separate.ravel()] = True
    ok = in_pair & clique[label]
    group[ok] = label[ok]
    return group, p.separate[~clique[label[a]]]


def _pair_components(pairs: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Connected components of ``n`` nodes joined by ``pairs``, numbered in the order of each
    component's smallest node (as ``scipy.sparse.csgraph.connected_components`` numbers them).

    A union-find over the few paired clients: scipy.sparse would cost a second of start-up.
    """
    nodes = np.unique(pairs)
    parent = list(range(nodes.size))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in np.searchsorted(nodes, pairs).tolist():
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)  # the root stays the smallest node
    roots = np.array([root(x) for x in range(nodes.size)], np.int64)
    smallest = nodes[roots]  # per paired node, its component's smallest node
    others = np.sort(nodes[roots != np.arange(nodes.size)])  # paired nodes that are not
    # every node is its own component except those in ``others``
    label = np.arange(n, dtype=np.int64)
    label -= np.searchsorted(others, label)
    label[nodes] = smallest - np.searchsorted(others, smallest)
    return label


def _flow(
    p: AssignmentProblem,
    arcs: NDArray[np.intp],
    room: NDArray[np.int64],
    group: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Max flow with min cost on source -> client -> [gadget ->] site -> sink.

    Returns the arcs (indices into ``p``) that carry flow. Arcs of a clique group's members go
    through one gadget node per (group, site) with capacity 1 (separate_from, exactly).
    """
    if arcs.size == 0:
        return np.empty(0, np.int64)
    n, m = p.n_clients, p.n_sites
    source, sink = 0, n + m + 1
    ci = p.arc_client[arcs].astype(np.int64)
    sj = p.arc_site[arcs].astype(np.int64)
    cost = p.arc_cost[arcs]
    shift = max(0, -int(cost.min()))  # each placement uses one arc: a constant shift per placement
    clients = np.unique(ci)
    sites = np.unique(sj)
    g = group[ci]
    gadget = g >= 0
    keys, inverse = np.unique(g[gadget] * m + sj[gadget], return_inverse=True)
    gadget_node = sink + 1 + np.arange(keys.size)
    arc_head = 1 + n + sj
    arc_head[gadget] = gadget_node[inverse]
    tails = np.concatenate((np.full(clients.size, source), 1 + ci, gadget_node, 1 + n + sites))
    heads = np.concatenate((1 + clients, arc_head, 1 + n + keys % m, np.full(sites.size, sink)))
    caps = np.concatenate((np.ones(clients.size + ci.size + keys.size, np.int64), room[sites]))
    costs = np.concatenate(
        (
            np.zeros(clients.size, np.int64),
            cost + shift,
            np.zeros(keys.size + sites.size, np.int64),
        )
    )
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supply = int(min(clients.size, room[sites].sum()))
    mcf.set_node_supply(source, supply)
    mcf.set_node_supply(sink, -supply)
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    flows = mcf.flows(np.arange(clients.size, clients.size + ci.size))
    return arcs[flows > 0].astype(np.int64)


def _violations(
    p: AssignmentProblem, chosen: NDArray[np.int64], pairs: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Rows of ``pairs`` whose two clients share a site under the arcs ``chosen``."""
    site = np.full(p.n_clients, -1, np.int64)
    site[p.arc_client[chosen]] = p.arc_site[chosen]
    a, b = pairs[:, 0], pairs[:, 1]
    return np.flatnonzero((site[a] >= 0) & (site[a] == site[b]))


def _key(p: AssignmentProblem, chosen: NDArray[np.int64]) -> tuple[int, int]:
    """Lexicographic objective: (minus placed, cost): smaller is better."""
    return -int(chosen.size), int(p.arc_cost[chosen].sum())


MAX_FLOW_NODES = 256


def _branch_and_bound(
    p: AssignmentProblem,
    free_idx: NDArray[np.intp],
    room: NDArray[np.int64],
    group: NDArray[np.int64],
    pairs: NDArray[np.int64],
    root: NDArray[np.int64],
    params: SolveParams,
) -> tuple[NDArray[np.int64], str, int, int, int, int]:
    """Separation pairs outside cliques: best-first branch and bound over min-cost flows.

    A node's flow is a relaxation of its subtree (it ignores the pairs), so the first node
    popped whose flow keeps every pair apart is optimal. A collision of p and q at site j
    branches into "p not at j" and "q not at j": removing an arc keeps the network shape.
    Past ``MAX_FLOW_NODES`` nodes or half the time limit, the colliding components go to
    CP-SAT, warm-started from the best node with the colliding clients removed.

    Returns (chosen arcs, status, objective - bound, nodes, CP-SAT components, their clients).
    """
    t0 = time.perf_counter()
    counter = 0
    heap: list[tuple[tuple[int, int], int, frozenset[int], NDArray[np.int64]]] = [
        (_key(p, root), counter, frozenset(), root)
    ]
    while heap:
        key, _, removed, chosen = heapq.heappop(heap)
        hits = _violations(p, chosen, pairs)
        if hits.size == 0:
            return chosen, "OPTIMAL", 0, counter + 1, 0, 0
        if counter + 1 >= MAX_FLOW_NODES or time.perf_counter() - t0 > params.time_limit_s / 2:
            heapq.heappush(heap, (key, -1, removed, chosen))
            break
        a, b = (int(x) for x in pairs[hits[0]])
        j = int(p.arc_site[chosen[p.arc_client[chosen] == a][0]])
        for who in (a, b):
            arc = int(np.flatnonzero((p.arc_client == who) & (p.arc_site == j))[0])
            child = removed | {arc}
            keep = free_idx[~np.isin(free_idx, list(child))]
            sol = _flow(p, keep, room, group)
            counter += 1
            heapq.heappush(heap, (_key(p, sol), counter, child, sol))
    # Too many branches: CP-SAT on the components where the best node still collides, over all
    # their free arcs (so its OPTIMAL is the true optimum), warm-started from that node.
    _, _, _, chosen = heapq.heappop(heap)
    arc_of = np.full(p.n_clients, -1, np.int64)
    arc_of[p.arc_client[chosen]] = chosen
    status, gap, n_comp, n_clients = _repair_with_cpsat(p, free_idx, room, arc_of, params)
    return arc_of[arc_of >= 0], status, gap, counter + 1, n_comp, n_clients


def _repair_with_cpsat(
    p: AssignmentProblem,
    free_idx: NDArray[np.intp],
    room: NDArray[np.int64],
    arc_of: NDArray[np.int64],
    params: SolveParams,
) -> tuple[str, int, int, int]:
    """Re-solve, with CP-SAT, only the arc-graph components where a separated pair collides.

    Updates ``arc_of`` in place; returns (status, objective - bound, components, clients).
    """
    from scipy.sparse import coo_matrix  # rare: loaded only when CP-SAT repairs
    from scipy.sparse.csgraph import connected_components

    n = p.n_clients
    ci = p.arc_client[free_idx].astype(np.int64)
    sj = p.arc_site[free_idx].astype(np.int64)
    graph = coo_matrix((np.ones(ci.size), (ci, n + sj)), shape=(n + p.n_sites, n + p.n_sites))
    _, label = connected_components(graph, directed=False)
    chosen = arc_of[arc_of >= 0]
    violating = _violations(p, chosen, p.separate)
    bad = np.unique(label[p.separate[violating, 0]])
    status, gap, clients_total = "OPTIMAL", 0, 0
    for comp in bad.tolist():
        in_comp = label[ci] == comp
        arcs = free_idx[in_comp]
        comp_status, comp_gap, k = _cpsat_component(p, arcs, room, arc_of, params)
        clients_total += k
        gap += comp_gap
        if comp_status != "OPTIMAL":
            status = comp_status
    return status, gap, int(bad.size), clients_total


def _site_of(p: AssignmentProblem, arc_of: NDArray[np.int64]) -> NDArray[np.int64]:
    """Per client, the site of its arc, or -1 when unplaced."""
    site = np.full(p.n_clients, -1, np.int64)
    placed = arc_of >= 0
    site[placed] = p.arc_site[arc_of[placed]]
    return site


def _cpsat_component(
    p: AssignmentProblem,
    arcs: NDArray[np.intp],
    room: NDArray[np.int64],
    arc_of: NDArray[np.int64],
    params: SolveParams,
) -> tuple[str, int, int]:
    ci = p.arc_client[arcs].astype(np.int64)
    sj = p.arc_site[arcs].astype(np.int64)
    cost = p.arc_cost[arcs]
    clients = np.unique(ci)
    spread = int(cost.max()) - int(cost.min())
    big = clients.size * spread + max(0, int(cost.max())) + 1  # one more placement always wins
    # CP-SAT (and the pandas it imports) loads only when a separation needs it: ~1 s of start-up
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x_{int(c)}_{int(s)}") for c, s in zip(ci, sj, strict=True)]
    by_client: dict[int, list[int]] = {}
    by_site: dict[int, list[int]] = {}
    for k, (c, s) in enumerate(zip(ci.tolist(), sj.tolist(), strict=True)):
        by_client.setdefault(c, []).append(k)
        by_site.setdefault(s, []).append(k)
    # Hard: every client at one site at most.
    for ks in by_client.values():
        model.add_at_most_one(x[k] for k in ks)
    # Hard: a site takes no more clients than its room left after pinned placements.
    for s, ks in by_site.items():
        model.add(sum(x[k] for k in ks) <= int(room[s]))
    # Hard: separated clients (co-offenders) never share a site.
    arc_at = {(c, s): k for k, (c, s) in enumerate(zip(ci.tolist(), sj.tolist(), strict=True))}
    for a, b in p.separate.tolist():
        if a in by_client and b in by_client:
            for k in by_client[a]:
                other = arc_at.get((b, int(sj[k])))
                if other is not None:
                    model.add_bool_or([x[k].Not(), x[other].Not()])
    # Objective: most placements first, then the least cost.
    model.minimize(sum(int(c - big) * xv for c, xv in zip(cost.tolist(), x, strict=True)))

    # Hint: the flow solution with every client of a colliding pair removed (then feasible).
    site_now = _site_of(p, arc_of)
    drop = set()
    for a, b in p.separate.tolist():
        if site_now[a] >= 0 and site_now[a] == site_now[b]:
            drop.add(max(a, b))
    used = {int(arc_of[c]) for c in clients.tolist() if arc_of[c] >= 0 and c not in drop}
    for k, a in enumerate(arcs.tolist()):
        model.add_hint(x[k], a in used)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = params.time_limit_s
    solver.parameters.num_workers = max(1, params.workers)
    solver.parameters.random_seed = params.seed
    if params.workers > 1:
        solver.parameters.interleave_search = True
    code = solver.solve(model)
    if code == cp_model.INFEASIBLE or code == cp_model.MODEL_INVALID:
        raise SolverError(f"CP-SAT ended with status {solver.status_name(code)}")
    arc_of[clients] = -1
    if code == cp_model.UNKNOWN:
        # No solution within the time limit: keep the feasible warm start, say FEASIBLE.
        hint_value = sum(int(cost[k]) - big for k, a in enumerate(arcs.tolist()) if a in used)
        for a in used:
            arc_of[p.arc_client[a]] = a
        return (
            "FEASIBLE",
            max(0, round(hint_value - solver.best_objective_bound)),
            int(clients.size),
        )
    for k, a in enumerate(arcs.tolist()):
        if solver.boolean_value(x[k]):
            arc_of[ci[k]] = a
    gap = round(solver.objective_value - solver.best_objective_bound)
    return ("OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"), gap, int(clients.size)
