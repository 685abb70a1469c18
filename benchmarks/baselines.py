"""What a user would otherwise do, and independent exact references, on the solver's arcs.

Every method takes the same ``AssignmentProblem`` (eligible arcs, capacities, separate_from
pairs, court-fixed and current sites) and returns, per client, the index of the arc it uses
or -1. They share only the pins, written here from the data contract (not imported from the
solver): court-fixed placements first, then still-eligible current placements, each pass in
client order, each taking a place only where its site has room and no separate_from partner is
already pinned there. A client whose court-fixed site has no room stays unplaced.

Methods
-------
greedy_arrival   clients in arrival (file) order, each to the nearest eligible site with room
                 and no co-offender: what an officer does by hand.
greedy_global    all eligible pairs cheapest first (cost = road metres minus the skill bonus).
lsa              scipy ``linear_sum_assignment`` on the dense matrix of clients x site places
                 (each site repeated ``room`` times); exact without separate_from; a client of
                 a colliding co-offender pair is then dropped (so it is a heuristic there).
cpsat            CP-SAT on all eligible pairs, one weighted objective, hinted by greedy_global.
mip              the MIP with HiGHS (``scipy.optimize.milp``): most placed, then least cost,
                 as one weighted objective.
flow             OR-Tools min-cost max-flow on the same arcs, ignoring separate_from: the
                 timing reference, and a relaxation (a bound) where pairs collide.
flow_cliques     the same network with one gadget node per (co-offender group, site) of
                 capacity 1: exact when every separate_from group is a clique (pairs, trios,
                 groups where all keep apart), which keeps the problem a network flow.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matcher.solver import AssignmentProblem


@dataclass(frozen=True)
class Solution:
    """A method's answer: ``arc[i]`` indexes the problem's arcs, or -1 when unplaced.

    ``exact`` is True only when the method proved this optimum (most placed, then least cost).
    """

    arc: NDArray[np.int64]
    status: str
    seconds: float
    exact: bool = False
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def has_solution(self) -> bool:
        """False when the method stopped without an answer (``arc`` then holds pins only)."""
        return self.status in ("OPTIMAL", "FEASIBLE", "HEURISTIC", "RELAXATION")


class Skipped(Exception):
    """The method does not run on this instance (the message says why)."""


@dataclass(frozen=True)
class Pins:
    """Pinned placements, room left, and the arcs open to the optimisers."""

    arc: NDArray[np.int64]  # per client: its pinned arc, or -1
    room: NDArray[np.int64]
    free: NDArray[np.int64]  # arc indices that a method may choose


def _partners(p: AssignmentProblem) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for a, b in p.separate.tolist():
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return out


def pins(p: AssignmentProblem) -> Pins:
    """Pin court-fixed, then current placements (module docstring); the free arcs remain."""
    site = np.full(p.n_clients, -1, np.int64)
    room = p.capacity.astype(np.int64).copy()
    partners = _partners(p)
    for requests in (p.fixed, p.current):
        for i in np.flatnonzero(requests >= 0).tolist():
            if site[i] >= 0 or (requests is p.current and p.fixed[i] >= 0):
                continue
            j = int(requests[i])
            if room[j] > 0 and not any(site[q] == j for q in partners.get(i, ())):
                site[i] = j
                room[j] -= 1
    ac = p.arc_client.astype(np.int64)
    asite = p.arc_site.astype(np.int64)
    arc = np.full(p.n_clients, -1, np.int64)
    pinned_arc = np.flatnonzero((site[ac] >= 0) & (site[ac] == asite))
    arc[ac[pinned_arc]] = pinned_arc
    free = (site[ac] < 0) & (p.fixed[ac] < 0) & (room[asite] > 0)
    # a free client may not join a co-offender already pinned at that site
    blocked = [
        x * p.n_sites + int(site[y])
        for a, b in p.separate.tolist()
        for x, y in ((a, b), (b, a))
        if site[y] >= 0 and site[x] < 0
    ]
    if blocked:
        free &= ~np.isin(ac * p.n_sites + asite, np.array(blocked, np.int64))
    return Pins(arc, room, np.flatnonzero(free).astype(np.int64))


# --------------------------------------------------------------------------------------------
# Greedy


def _greedy(p: AssignmentProblem, pn: Pins, order: NDArray[np.int64]) -> None:
    """Walk arcs in ``order``; take an arc when its client is free, its site has room and no
    co-offender is there (updates ``pn.arc`` in place)."""
    arc = pn.arc
    room = pn.room.copy()
    site_of = np.full(p.n_clients, -1, np.int64)
    placed = arc >= 0
    site_of[placed] = p.arc_site[arc[placed]]
    partners = _partners(p)
    clients = p.arc_client[order].tolist()
    sites = p.arc_site[order].tolist()
    done = placed.tolist()
    left = room.tolist()
    for k, (i, j) in enumerate(zip(clients, sites, strict=True)):
        if done[i] or left[j] <= 0:
            continue
        if i in partners and any(site_of[q] == j for q in partners[i]):
            continue
        done[i] = True
        left[j] -= 1
        site_of[i] = j
        arc[i] = order[k]


def greedy_arrival(p: AssignmentProblem, distance_km: NDArray[np.float64]) -> Solution:
    """Clients in file order, each to the nearest eligible site with room (ties: site order)."""
    t = time.perf_counter()
    pn = pins(p)
    f = pn.free
    order = f[np.lexsort((p.arc_site[f], distance_km[f], p.arc_client[f]))]
    _greedy(p, pn, order)
    return Solution(pn.arc, "HEURISTIC", time.perf_counter() - t)


def greedy_global(p: AssignmentProblem) -> Solution:
    """All free arcs cheapest first (ties: client, then site)."""
    t = time.perf_counter()
    pn = pins(p)
    f = pn.free
    order = f[np.lexsort((p.arc_site[f], p.arc_client[f], p.arc_cost[f]))]
    _greedy(p, pn, order)
    return Solution(pn.arc, "HEURISTIC", time.perf_counter() - t)


# --------------------------------------------------------------------------------------------
# Exact and near-exact references


def _big(cost: NDArray[np.int64], n_clients: int) -> int:
    """A weight per placement larger than any cost change a placement can cause, so one more
    placement always wins (lexicographic objective in one weighted sum)."""
    if cost.size == 0:
        return 1
    spread = int(cost.max()) - int(cost.min())
    return n_clients * spread + max(0, int(cost.max())) + 1


def _collisions(p: AssignmentProblem, arc: NDArray[np.int64]) -> list[tuple[int, int]]:
    site = np.where(arc >= 0, p.arc_site[np.maximum(arc, 0)], -1)
    a, b = p.separate[:, 0], p.separate[:, 1]
    hit = (site[a] >= 0) & (site[a] == site[b])
    return [(int(x), int(y)) for x, y in zip(a[hit], b[hit], strict=True)]


def lsa(p: AssignmentProblem, max_cells: int) -> Solution:
    """Dense linear_sum_assignment on clients x site places (see the module docstring)."""
    from scipy.optimize import linear_sum_assignment

    t = time.perf_counter()
    pn = pins(p)
    f = pn.free
    clients, ci = np.unique(p.arc_client[f], return_inverse=True)
    sites, sj = np.unique(p.arc_site[f], return_inverse=True)
    room = pn.room[sites]
    cells = int(clients.size) * int(room.sum())
    if cells > max_cells:
        raise Skipped(
            f"dense {clients.size:,} x {int(room.sum()):,} place matrix = {cells / 1e6:,.0f}M "
            f"cells ({cells * 8 / 1e9:.1f} GB), above the {max_cells / 1e6:,.0f}M-cell limit"
        )
    # rows: one per place (site repeated room times); eligible cell: cost - BIG, else 0 (empty)
    cost = p.arc_cost[f]
    big = _big(cost, int(clients.size))
    place_site = np.repeat(np.arange(sites.size), room)
    dense = np.zeros((place_site.size, clients.size), np.float64)
    # every place of a site gets the same column values
    site_cost = np.zeros((sites.size, clients.size), np.float64)
    site_cost[sj, ci] = cost - big
    dense[:] = site_cost[place_site]
    del site_cost
    rows, cols = linear_sum_assignment(dense)
    take = dense[rows, cols] < 0
    arc = pn.arc.copy()
    lookup = np.full((sites.size, clients.size), -1, np.int64)
    lookup[sj, ci] = f
    arc[clients[cols[take]]] = lookup[place_site[rows[take]], cols[take]]
    del dense, lookup
    status, exact, note = "OPTIMAL", True, ""
    clash = _collisions(p, arc)
    if clash:
        for _, y in clash:
            arc[y] = -1
        status, exact = "HEURISTIC", False
        note = f"{len(clash)} co-offender pair(s) shared a site; one of each dropped"
    return Solution(arc, status, time.perf_counter() - t, exact=exact, note=note)


def _separation_rows(p: AssignmentProblem, f: NDArray[np.int64]) -> list[tuple[int, int]]:
    """Pairs of free-arc positions (into ``f``) of two separated clients at the same site."""
    if p.separate.size == 0:
        return []
    in_pair = np.zeros(p.n_clients, np.bool_)
    in_pair[p.separate.ravel()] = True
    pos = np.flatnonzero(in_pair[p.arc_client[f]])
    at = {(int(p.arc_client[f[k]]), int(p.arc_site[f[k]])): int(k) for k in pos}
    by_client: dict[int, list[tuple[int, int]]] = {}
    for (c, j), k in at.items():
        by_client.setdefault(c, []).append((j, k))
    rows = []
    for a, b in p.separate.tolist():
        for j, k in by_client.get(a, ()):
            other = at.get((b, j))
            if other is not None:
                rows.append((k, other))
    return rows


def cpsat(
    p: AssignmentProblem, time_limit_s: float, workers: int, hint: Solution | None
) -> Solution:
    """CP-SAT on every free arc: most placed, then least cost, in one weighted objective."""
    from ortools.sat.python import cp_model

    t = time.perf_counter()
    pn = pins(p)
    f = pn.free
    ci = p.arc_client[f].tolist()
    sj = p.arc_site[f].tolist()
    cost = p.arc_cost[f]
    big = _big(cost, int(np.unique(p.arc_client[f]).size))
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{k}") for k in range(f.size)]
    by_client: dict[int, list[int]] = {}
    by_site: dict[int, list[int]] = {}
    for k, (c, s) in enumerate(zip(ci, sj, strict=True)):
        by_client.setdefault(c, []).append(k)
        by_site.setdefault(s, []).append(k)
    # Hard: one site per client at most.
    for ks in by_client.values():
        model.add_at_most_one(x[k] for k in ks)
    # Hard: a site takes no more than its room.
    for s, ks in by_site.items():
        model.add(cp_model.LinearExpr.sum([x[k] for k in ks]) <= int(pn.room[s]))
    # Hard: two separated clients never at the same site.
    for k1, k2 in _separation_rows(p, f):
        model.add_at_most_one((x[k1], x[k2]))
    # Most placed first, then least cost.
    model.minimize(cp_model.LinearExpr.weighted_sum(x, (cost - big).tolist()))
    if hint is not None:
        chosen = set(hint.arc[hint.arc >= 0].tolist())
        for k, a in enumerate(f.tolist()):
            model.add_hint(x[k], a in chosen)
    build = time.perf_counter() - t
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, time_limit_s - build)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    code = solver.solve(model)
    arc = pn.arc.copy()
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for k in range(f.size):
            if solver.boolean_value(x[k]):
                arc[ci[k]] = f[k]
        status = "OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"
        note = "" if code == cp_model.OPTIMAL else f"time limit {time_limit_s:.0f} s"
    else:
        status, note = solver.status_name(code), f"no solution in {time_limit_s:.0f} s"
    return Solution(
        arc,
        status,
        time.perf_counter() - t,
        exact=code == cp_model.OPTIMAL,
        note=note,
        extra={"build_s": build},
    )


def _separation_matrix(
    p: AssignmentProblem, f: NDArray[np.int64], cliques: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rows and columns (positions in ``f``) of the separation constraints, each ``<= 1``.

    ``cliques``: where every separate_from group is a clique, one row per (group, site):
    "at most one member of the group there", the same integer set as the pairwise rows but a
    tighter LP (three halves of a trio at one site pass the pairwise rows). Otherwise one row
    per (pair, site).
    """
    group = clique_groups(p) if cliques else None
    if group is None:
        pairs = np.array(_separation_rows(p, f), np.int64).reshape(-1, 2)
        return np.repeat(np.arange(pairs.shape[0]), 2), pairs.ravel()
    g = group[p.arc_client[f]]
    member = np.flatnonzero(g >= 0)
    key = g[member] * p.n_sites + p.arc_site[f[member]]
    uniq, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    keep = counts[inv] >= 2
    row_of = np.full(uniq.size, -1, np.int64)
    row_of[counts >= 2] = np.arange(int((counts >= 2).sum()))
    return row_of[inv[keep]], member[keep].astype(np.int64)


def mip(p: AssignmentProblem, time_limit_s: float, cliques: bool = True) -> Solution:
    """HiGHS MIP through scipy.optimize.milp: most placed, then least cost (weighted)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, vstack

    t = time.perf_counter()
    pn = pins(p)
    f = pn.free
    arc = pn.arc.copy()
    if f.size == 0:
        return Solution(arc, "OPTIMAL", time.perf_counter() - t, exact=True)
    k = np.arange(f.size)
    clients, ci = np.unique(p.arc_client[f], return_inverse=True)
    sites, sj = np.unique(p.arc_site[f], return_inverse=True)
    sep_rows, sep_cols = _separation_matrix(p, f, cliques)
    n_sep = int(sep_rows.max()) + 1 if sep_rows.size else 0
    # Hard: one site per client at most; a site takes no more than its room; separated
    # clients never at the same site.
    a_client = coo_matrix((np.ones(f.size), (ci, k)), shape=(clients.size, f.size))
    a_site = coo_matrix((np.ones(f.size), (sj, k)), shape=(sites.size, f.size))
    a_sep = coo_matrix((np.ones(sep_cols.size), (sep_rows, sep_cols)), shape=(n_sep, f.size))
    a = vstack([a_client, a_site, a_sep]).tocsr()
    upper = np.concatenate(
        (np.ones(clients.size), pn.room[sites].astype(np.float64), np.ones(n_sep))
    )
    rules = LinearConstraint(a, -np.inf, upper)

    # Most placed first, then least cost: one weighted objective (see _big). Two solves (max
    # placed, then min cost with the count fixed) are the textbook form, but the count row
    # breaks the network structure: HiGHS then found no incumbent on M within minutes, while
    # the weighted LP relaxation is nearly integral.
    cost = p.arc_cost[f]
    big = _big(cost, int(clients.size))
    res = milp(
        (cost - big).astype(np.float64),
        constraints=[rules],
        integrality=np.ones(f.size),
        bounds=Bounds(0, 1),
        # HiGHS's MIP presolve stalled for minutes on L (after its reductions, past the time
        # limit); without it the root LP is solved in about 20 s.
        options={"time_limit": time_limit_s, "mip_rel_gap": 0.0, "presolve": False},
    )
    x: Any = res.x
    if x is None:
        return Solution(arc, "UNKNOWN", time.perf_counter() - t, note=str(res.message))
    take = x > 0.5
    arc[p.arc_client[f[take]]] = f[take]
    proved = res.status == 0
    note = "" if proved else f"{res.message} (limit {time_limit_s:.0f} s)"
    return Solution(
        arc,
        "OPTIMAL" if proved else "FEASIBLE",
        time.perf_counter() - t,
        exact=proved,
        note=note,
        extra={"max_fractionality": float(np.abs(x - np.round(x)).max())},
    )


def _max_flow_min_cost(
    tails: NDArray[np.int64],
    heads: NDArray[np.int64],
    caps: NDArray[np.int64],
    costs: NDArray[np.int64],
    source: int,
    sink: int,
    supply: int,
) -> NDArray[np.int64]:
    from ortools.graph.python import min_cost_flow

    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    mcf.set_node_supply(source, supply)
    mcf.set_node_supply(sink, -supply)
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow status {status}")
    return np.asarray(mcf.flows(np.arange(tails.size)), np.int64)


Ints = NDArray[np.int64]


def _free_network(
    p: AssignmentProblem,
) -> tuple[Pins, Ints, tuple[Ints, Ints, Ints, Ints, Ints, Ints] | None]:
    """The pins, the answer so far (pinned arcs), and the free arcs' network: the free arcs,
    their clients, sites and costs shifted to be >= 0, and the distinct clients and sites they
    touch (the network's client and site nodes); None when no arc is free."""
    pn = pins(p)
    f = pn.free
    if not f.size:
        return pn, pn.arc.copy(), None
    ci = p.arc_client[f].astype(np.int64)
    sj = p.arc_site[f].astype(np.int64)
    cost = p.arc_cost[f]
    shifted = cost + max(0, -int(cost.min()))
    return pn, pn.arc.copy(), (f, ci, sj, shifted, np.unique(ci), np.unique(sj))


def flow(p: AssignmentProblem) -> Solution:
    """Max flow with min cost on source -> clients -> sites -> sink over the free arcs."""
    t = time.perf_counter()
    pn, arc, net = _free_network(p)
    if net is not None:
        f, ci, sj, cost, clients, sites = net
        n, m = p.n_clients, p.n_sites
        source, sink = 0, n + m + 1
        tails = np.concatenate((np.zeros(clients.size, np.int64), 1 + ci, 1 + n + sites))
        heads = np.concatenate((1 + clients, 1 + n + sj, np.full(sites.size, sink)))
        caps = np.concatenate((np.ones(clients.size + f.size, np.int64), pn.room[sites]))
        costs = np.concatenate(
            (np.zeros(clients.size, np.int64), cost, np.zeros(sites.size, np.int64))
        )
        supply = int(min(clients.size, pn.room[sites].sum()))
        flows = _max_flow_min_cost(tails, heads, caps, costs, source, sink, supply)
        used = flows[clients.size : clients.size + f.size] > 0
        arc[ci[used]] = f[used]
    clash = _collisions(p, arc)
    exact = not clash
    note = f"relaxation: {len(clash)} co-offender pair(s) share a site" if clash else ""
    return Solution(arc, "OPTIMAL" if exact else "RELAXATION", time.perf_counter() - t, exact, note)


def clique_groups(p: AssignmentProblem) -> NDArray[np.int64] | None:
    """Per client, its co-offender group (-1 for none), when every group is a clique of
    separate_from pairs; None otherwise (then the gadget network would not be exact)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    group = np.full(p.n_clients, -1, np.int64)
    if p.separate.size == 0:
        return group
    a, b = p.separate[:, 0], p.separate[:, 1]
    g = coo_matrix((np.ones(a.size), (a, b)), shape=(p.n_clients, p.n_clients))
    _, label = connected_components(g, directed=False)
    members = np.zeros(p.n_clients, np.bool_)
    members[p.separate.ravel()] = True
    size = np.bincount(label[members], minlength=label.max() + 1)
    pairs = np.unique(np.sort(p.separate, axis=1), axis=0)
    edges = np.bincount(label[pairs[:, 0]], minlength=label.max() + 1)
    if np.any(edges[size > 0] != size[size > 0] * (size[size > 0] - 1) // 2):
        return None
    group[members] = label[members]
    return group


def flow_cliques(p: AssignmentProblem) -> Solution:
    """The flow with one capacity-1 gadget node per (co-offender group, shared site)."""
    t = time.perf_counter()
    group = clique_groups(p)
    if group is None:
        raise Skipped("separate_from groups are not all cliques")
    pn, arc, net = _free_network(p)
    if net is not None:
        f, ci, sj, cost, clients, sites = net
        n, m = p.n_clients, p.n_sites
        source, sink = 0, n + m + 1
        # (group, site) keys shared by two or more free arcs get a gadget node
        g = group[ci]
        key = np.where(g >= 0, g * m + sj, -1)
        uniq, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
        shared = (uniq >= 0) & (counts >= 2)
        gadget_id = np.full(uniq.size, -1, np.int64)
        gadget_id[shared] = np.arange(int(shared.sum()))
        via = gadget_id[inv]  # per free arc: its gadget, or -1 (straight to the site)
        gadget_node = sink + 1 + np.arange(int(shared.sum()))
        gadget_site = (uniq[shared] % m).astype(np.int64)
        head = np.where(via >= 0, gadget_node[np.maximum(via, 0)], 1 + n + sj)
        tails = np.concatenate(
            (np.zeros(clients.size, np.int64), 1 + ci, gadget_node, 1 + n + sites)
        )
        heads = np.concatenate((1 + clients, head, 1 + n + gadget_site, np.full(sites.size, sink)))
        caps = np.concatenate(
            (np.ones(clients.size + f.size + gadget_node.size, np.int64), pn.room[sites])
        )
        costs = np.concatenate(
            (
                np.zeros(clients.size, np.int64),
                cost,
                np.zeros(gadget_node.size + sites.size, np.int64),
            )
        )
        supply = int(min(clients.size, pn.room[sites].sum()))
        flows = _max_flow_min_cost(tails, heads, caps, costs, source, sink, supply)
        used = flows[clients.size : clients.size + f.size] > 0
        arc[ci[used]] = f[used]
    return Solution(arc, "OPTIMAL", time.perf_counter() - t, exact=True)


Method = Callable[..., Solution]


def _mip_child(conn: Any, p: AssignmentProblem, time_limit_s: float) -> None:
    import resource

    sol = mip(p, time_limit_s)
    conn.send((sol, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0))
    conn.close()


def _child_peak_mb(pid: int | None) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def mip_bounded(p: AssignmentProblem, time_limit_s: float, grace_s: float = 30.0) -> Solution:
    """``mip`` in a fresh process, stopped ``grace_s`` after its time limit.

    HiGHS checks its time limit only between some steps: on L it ran for more than 9 minutes
    with a 300 s limit (inside the root LP and presolve). The child's peak memory is reported
    in ``extra["peak_mb"]``.
    """
    import multiprocessing

    if time_limit_s <= 0:
        raise Skipped("no MIP at this size (instances.toml: mip_time_limit_s = 0)")
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    t = time.perf_counter()
    proc = ctx.Process(target=_mip_child, args=(child, p, time_limit_s), daemon=True)
    proc.start()
    child.close()
    deadline = time_limit_s + grace_s
    got = parent.poll(deadline)
    if not got:
        peak = _child_peak_mb(proc.pid)
        proc.kill()
        proc.join()
        wall = time.perf_counter() - t
        return Solution(
            pins(p).arc,
            "TIMEOUT",
            wall,
            note=f"HiGHS overran its {time_limit_s:.0f} s limit; stopped at {wall:.0f} s",
            extra={"peak_mb": peak} if peak else {},
        )
    sol, peak = parent.recv()
    proc.join()
    wall = time.perf_counter() - t
    return Solution(
        sol.arc,
        sol.status,
        wall,
        exact=sol.exact,
        note=sol.note,
        extra={**sol.extra, "peak_mb": peak, "inner_s": sol.seconds},
    )
