"""Independent regions: split the candidate graph, solve each part on its own, merge.

Two clients interact only through a site both can reach (capacity) or through a separate_from
pair. A *region* is a connected component of the graph whose nodes are clients and sites and
whose edges are the solver's eligible arcs plus the separate_from pairs (the pairs never join
two arc components that could collide, since such clients share no site, but keeping every pair
inside one region keeps each region's problem self-contained). No constraint and no objective
term crosses a region boundary, so the optimum of the whole problem is the union of the regions'
optima: the same number placed and the same objective as one solve over everything
(``matcher.solver.solve``), whatever the split, with or without worker processes.

Each region is solved by the same exact solver on an ``AssignmentProblem`` restricted to it,
with clients, sites and arcs renumbered in their global order (the mapping is monotone), so a
region's min-cost flow and CP-SAT models list their arcs and constraints in the same order as
in the single solve. Results are merged by region index, never by completion order:
deterministic for the same input and any number of workers.

Travel limits make the national graph fall apart into many small regions (one or a few
kabupaten each), so regions are also the unit of parallel work: ``workers > 1`` solves them in
a ``concurrent.futures.ProcessPoolExecutor``, largest first, in a few batches per worker of
similar total arcs, so that a worker gets a few tasks rather than thousands of tiny ones.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from concurrent.futures import Executor, ProcessPoolExecutor

from matcher.solver import Assignment, AssignmentProblem, SolveParams, solve

# Below this many arcs in all, the regions are solved in the calling process even when
# workers > 1: shipping them to other processes costs more than solving them.
MIN_PARALLEL_ARCS = 20_000


@dataclass(frozen=True)
class Region:
    """One independent part of an ``AssignmentProblem``, with the maps back to the whole.

    ``clients``, ``sites`` and ``arcs`` are sorted global indices; ``problem`` numbers them
    0.. in that order.
    """

    index: int
    problem: AssignmentProblem
    clients: NDArray[np.int64]
    sites: NDArray[np.int64]
    arcs: NDArray[np.int64]

    @property
    def n_arcs(self) -> int:
        return int(self.arcs.size)


@dataclass(frozen=True)
class RegionSplit:
    """The regions of a problem (those with at least one arc) and each node's label.

    ``client_label`` and ``site_label`` give each client's and site's region index, or -1 for
    a client or site without any eligible arc (never placed, never used).
    """

    regions: tuple[Region, ...]
    client_label: NDArray[np.int64]
    site_label: NDArray[np.int64]

    def sizes(self) -> NDArray[np.int64]:
        """Clients per region, in region order."""
        return np.array([r.clients.size for r in self.regions], np.int64)

    def arc_counts(self) -> NDArray[np.int64]:
        """Arcs per region, in region order."""
        return np.array([r.n_arcs for r in self.regions], np.int64)


def label_regions(p: AssignmentProblem) -> tuple[int, NDArray[np.int64], NDArray[np.int64]]:
    """Connected components of clients and sites joined by arcs and by separate_from pairs.

    Returns ``(count, client_label, site_label)``; isolated clients and sites get -1, and the
    other labels are numbered 0..count-1 in order of each region's first client.
    """
    # loaded here, not at import: a whole-problem match never splits (issue 14: start-up)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n, m = p.n_clients, p.n_sites
    ci = p.arc_client.astype(np.int64)
    sj = p.arc_site.astype(np.int64) + n
    sa = p.separate[:, 0].astype(np.int64)
    sb = p.separate[:, 1].astype(np.int64)
    rows = np.concatenate((ci, sa))
    cols = np.concatenate((sj, sb))
    graph = coo_matrix((np.ones(rows.size, np.int8), (rows, cols)), shape=(n + m, n + m))
    _, raw = connected_components(graph, directed=False)
    raw = raw.astype(np.int64)
    has_arc = np.zeros(n + m, np.bool_)
    has_arc[ci] = True
    has_arc[sj] = True
    # A region exists only where there is an arc; separate_from alone places nobody. Renumber
    # by first client so labels do not depend on scipy's internal numbering.
    arc_labels = np.unique(raw[has_arc])
    first_client = np.full(raw.max() + 1 if raw.size else 0, n + m, np.int64)
    np.minimum.at(first_client, raw[ci], ci)
    order = arc_labels[np.argsort(first_client[arc_labels], kind="stable")]
    new = np.full(first_client.size, -1, np.int64)
    new[order] = np.arange(order.size)
    label = new[raw]
    # clients joined to a region only by a separate_from pair but without arcs stay out
    label[~has_arc] = -1
    return int(order.size), label[:n], label[n:]


def _local(global_idx: NDArray[np.int64], size: int) -> NDArray[np.int64]:
    """A map from global to local index for a sorted subset (-1 elsewhere)."""
    out = np.full(size, -1, np.int64)
    out[global_idx] = np.arange(global_idx.size)
    return out


def split(p: AssignmentProblem) -> RegionSplit:
    """The problem cut into its independent regions (see the module docstring)."""
    count, client_label, site_label = label_regions(p)
    client_order, client_bounds = _group(client_label, count)
    site_order, site_bounds = _group(site_label, count)
    arc_order, arc_bounds = _group(client_label[p.arc_client], count)
    client_local = _rank_within(client_label, client_order, client_bounds)
    site_local = _rank_within(site_label, site_order, site_bounds)
    pa, pb = p.separate[:, 0], p.separate[:, 1]
    # A pair constrains a region only when both clients are in it (a client without arcs is
    # never placed); by construction the two clients of a pair never sit in different regions.
    pair_label = np.where(client_label[pb] == client_label[pa], client_label[pa], -1)
    pair_order, pair_bounds = _group(pair_label, count)
    regions = []
    for r in range(count):
        arcs = arc_order[arc_bounds[r] : arc_bounds[r + 1]]
        clients = client_order[client_bounds[r] : client_bounds[r + 1]]
        sites = site_order[site_bounds[r] : site_bounds[r + 1]]
        pairs = p.separate[pair_order[pair_bounds[r] : pair_bounds[r + 1]]]
        sub = AssignmentProblem(
            n_clients=int(clients.size),
            n_sites=int(sites.size),
            arc_client=client_local[p.arc_client[arcs]].astype(np.int32),
            arc_site=site_local[p.arc_site[arcs]].astype(np.int32),
            arc_cost=p.arc_cost[arcs],
            capacity=p.capacity[sites],
            separate=client_local[pairs].reshape(-1, 2),
            fixed=_local_site(p.fixed[clients], r, site_label, site_local),
            current=_local_site(p.current[clients], r, site_label, site_local),
        )
        regions.append(Region(r, sub, clients, sites, arcs))
    return RegionSplit(tuple(regions), client_label, site_label)


def _group(label: NDArray[np.int64], count: int) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """Indices sorted by (label, index), and where each label 0..count-1 starts and ends."""
    order = np.argsort(label, kind="stable").astype(np.int64)
    bounds = np.searchsorted(label[order], np.arange(count + 1))
    return order, bounds


def _rank_within(
    label: NDArray[np.int64], order: NDArray[np.int64], bounds: NDArray[np.intp]
) -> NDArray[np.int64]:
    """Each item's position among the items of its own label (in global order); -1 unlabelled."""
    rank = np.full(label.size, -1, np.int64)
    if bounds.size < 2:
        return rank
    lo, hi = int(bounds[0]), int(bounds[-1])
    starts = np.repeat(bounds[:-1], np.diff(bounds))
    rank[order[lo:hi]] = np.arange(lo, hi) - starts
    return rank


def _local_site(
    req: NDArray[np.int64],
    region: int,
    site_label: NDArray[np.int64],
    site_local: NDArray[np.int64],
) -> NDArray[np.int64]:
    """A per-client site request (fixed or current) in the region's numbering, or -1."""
    j = np.maximum(req, 0)
    ok = (req >= 0) & (site_label[j] == region)
    return np.where(ok, site_local[j], -1).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Solving


@dataclass(frozen=True)
class RegionSolve:
    """The merged assignment, the split it came from, and what each region cost.

    ``seconds[r]`` is region r's solve time in whichever process solved it; ``timings`` holds
    the wall times of the parts (split, solve, merge) and the summed solver stages.
    """

    assignment: Assignment
    split: RegionSplit
    seconds: NDArray[np.float64]
    workers: int
    timings: dict[str, float] = field(default_factory=dict)


def _solve_batch(
    problems: Sequence[AssignmentProblem], params: SolveParams
) -> list[tuple[Assignment, float]]:
    """Solve regions one after the other (runs in a worker process)."""
    out = []
    for sub in problems:
        t = time.perf_counter()
        a = solve(sub, params)
        out.append((a, time.perf_counter() - t))
    return out


def make_executor(workers: int) -> ProcessPoolExecutor:
    """A pool for ``solve_regions``: forkserver workers with the solver already imported.

    Forkserver rather than fork: the parent may hold OR-Tools threads, and forking a threaded
    process is unsafe. The preload makes each worker start without re-importing OR-Tools.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["matcher.regions"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


def _batches(regions: Sequence[Region], n_batches: int) -> list[list[Region]]:
    """Regions largest first, cut into about ``n_batches`` runs of similar total arcs."""
    ordered = sorted(regions, key=lambda r: (-r.n_arcs, r.index))
    total = sum(r.n_arcs for r in ordered)
    target = max(1, total // max(1, n_batches))
    batches: list[list[Region]] = []
    current: list[Region] = []
    load = 0
    for r in ordered:
        current.append(r)
        load += r.n_arcs
        if load >= target:
            batches.append(current)
            current, load = [], 0
    if current:
        batches.append(current)
    return batches


def solve_regions(
    p: AssignmentProblem,
    params: SolveParams | None = None,
    workers: int = 1,
    executor: Executor | None = None,
) -> RegionSolve:
    """The exact solve of ``p``, region by region (in ``workers`` processes when above 1).

    Same placed count and objective as ``matcher.solver.solve(p, params)``. Pass an
    ``executor`` (see :func:`make_executor`) to reuse warm workers across calls; otherwise a
    pool is started and shut down here when ``workers > 1``.
    """
    params = params or SolveParams()
    t0 = time.perf_counter()
    parts = split(p)
    t1 = time.perf_counter()
    answers: list[Assignment | None] = [None] * len(parts.regions)
    seconds = np.zeros(len(parts.regions), np.float64)
    total_arcs = sum(r.n_arcs for r in parts.regions)
    parallel = (
        (workers > 1 or executor is not None)
        and len(parts.regions) > 1
        and total_arcs >= MIN_PARALLEL_ARCS
    )
    if parallel:
        own = executor is None
        pool = make_executor(workers) if executor is None else executor
        try:
            # largest first, a few batches per worker: the pool hands them out in this order
            batches = _batches(parts.regions, 4 * max(workers, 2))
            futures = [
                (batch, pool.submit(_solve_batch, [r.problem for r in batch], params))
                for batch in batches
            ]
            for batch, fut in futures:
                for r, (a, s) in zip(batch, fut.result(), strict=True):
                    answers[r.index], seconds[r.index] = a, s
        finally:
            if own:
                pool.shutdown()
    else:
        for r in parts.regions:
            answers[r.index], seconds[r.index] = _solve_batch([r.problem], params)[0]
    t2 = time.perf_counter()
    merged = merge(p, parts, [a for a in answers if a is not None])
    t3 = time.perf_counter()
    timings = {"split": t1 - t0, "regions": t2 - t1, "merge": t3 - t2, **merged.timings}
    return RegionSolve(merged, parts, seconds, workers if parallel else 1, timings)


def merge(p: AssignmentProblem, parts: RegionSplit, answers: Sequence[Assignment]) -> Assignment:
    """One assignment of the whole problem from the regions' assignments (in region order)."""
    if len(answers) != len(parts.regions):
        raise ValueError(f"{len(answers)} answers for {len(parts.regions)} regions")
    arc = np.full(p.n_clients, -1, np.int64)
    site = np.full(p.n_clients, -1, np.int64)
    pinned = np.zeros(p.n_clients, np.bool_)
    conflict: dict[int, str] = {}
    status, objective, bound, comps, comp_clients, nodes = "OPTIMAL", 0, 0, 0, 0, 0
    stages: dict[str, float] = {}
    for r, a in zip(parts.regions, answers, strict=True):
        placed = a.arc >= 0
        arc[r.clients[placed]] = r.arcs[a.arc[placed]]
        site[r.clients[placed]] = r.sites[a.site[placed]]
        pinned[r.clients] = a.pinned
        for i, code in a.pin_conflict.items():
            conflict[int(r.clients[i])] = code
        if a.status != "OPTIMAL":
            status = a.status
        objective += a.objective
        bound += a.bound
        comps += a.cpsat_components
        comp_clients += a.cpsat_clients
        nodes += a.flow_nodes
        for k, v in a.timings.items():
            stages[k] = stages.get(k, 0.0) + v
    return Assignment(
        arc=arc,
        site=site,
        pinned=pinned,
        pin_conflict=dict(sorted(conflict.items())),
        status=status,
        objective=objective,
        bound=bound,
        cpsat_components=comps,
        cpsat_clients=comp_clients,
        flow_nodes=max(nodes, 1),
        timings=stages,
    )


# --------------------------------------------------------------------------------------------
# Sizes


@dataclass(frozen=True, slots=True)
class Bin:
    """Regions whose client count lies in ``[lo, hi)``: how many, and their clients and arcs."""

    lo: int
    hi: int
    regions: int
    clients: int
    arcs: int


def histogram(parts: RegionSplit) -> list[Bin]:
    """Region sizes (clients) in powers-of-two bins: 1, 2-3, 4-7, ...; empty bins left out."""
    sizes = parts.sizes()
    arcs = parts.arc_counts()
    if sizes.size == 0:
        return []
    exp = np.floor(np.log2(np.maximum(sizes, 1))).astype(np.int64)
    out = []
    for e in np.unique(exp).tolist():
        sel = exp == e
        out.append(
            Bin(
                lo=2**e,
                hi=2 ** (e + 1),
                regions=int(sel.sum()),
                clients=int(sizes[sel].sum()),
                arcs=int(arcs[sel].sum()),
            )
        )
    return out


def projected_makespan(seconds: Sequence[float] | NDArray[np.float64], cores: int) -> float:
    """Wall time to solve regions of the given times on ``cores`` (longest first, to the
    least-loaded core): a projection, ignoring process start-up and data transfer."""
    load = np.zeros(max(1, cores))
    for s in sorted((float(x) for x in seconds), reverse=True):
        load[int(np.argmin(load))] += s
    return float(load.max())
