"""A solution checks itself: hard rules and quality figures for any answer.

An answer is one arc index per client (or -1). The rules are checked against the eligibility
outcome itself (``Prepared.elig``), not against the solver's arc list, so a method that picked an
arc the solver should never have offered would be caught too. :class:`matcher.result.Result`
carries the :class:`Instance` it was solved from, so ``result.violations()`` and
``result.is_feasible()`` need nothing else; the benchmarks check every baseline's answer here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # the checker reads these objects; importing them would be circular
    from matcher.pipeline import Prepared
    from matcher.result import Result
    from matcher.solver import AssignmentProblem


@dataclass(frozen=True)
class Instance:
    """What a result was solved from: the prepared input, the problem and its arc map."""

    pre: Prepared
    problem: AssignmentProblem
    arc_idx: NDArray[np.intp]


def result_violations(result: Result, inst: Instance) -> list[str]:
    """Every hard rule the result breaks, and an objective that does not add up."""
    arc = arcs_of_result(result, inst.pre, inst.problem)
    out = violations(inst.pre, inst.problem, inst.arc_idx, arc)
    if result.recomputed_objective() != result.summary.objective:
        out.append(
            f"objective {result.summary.objective} differs from the placements' own terms "
            f"({result.recomputed_objective()})"
        )
    if result.summary.placed != len(result.placements):
        out.append(f"summary says {result.summary.placed} placed, {len(result.placements)} listed")
    return out


def violations(
    pre: Prepared,
    p: AssignmentProblem,
    arc_idx: NDArray[np.intp],
    arc: NDArray[np.int64],
    check_separation: bool = True,
) -> list[str]:
    """Every broken hard rule, as readable lines (empty when the answer is valid).

    Hard: one site per client at most; only eligible pairs; a client with a court-fixed site
    only there; no site over capacity; no two separated clients at the same site.
    """
    out: list[str] = []
    n = p.n_clients
    if arc.shape != (n,):
        return [f"answer has shape {arc.shape}, expected ({n},)"]
    placed = np.flatnonzero(arc >= 0)
    a = arc[placed]
    if a.size and (a.max() >= p.arc_client.size):
        return [f"arc index {int(a.max())} out of range ({p.arc_client.size} arcs)"]
    # one site per client: each answer's arc must belong to that client
    wrong_client = placed[p.arc_client[a] != placed]
    out += [f"client {int(i)} given another client's arc" for i in wrong_client[:5]]
    # only eligible pairs, checked on the eligibility arcs themselves
    e = arc_idx[a]
    elig = pre.elig
    bad = ~elig.eligible[e] | (elig.arcs.client[e] != placed) | (elig.arcs.site[e] != p.arc_site[a])
    out += [
        f"client {pre.clients[int(i)].client_id} at ineligible site "
        f"{pre.sites[int(elig.arcs.site[k])].site_id}"
        for i, k in zip(placed[bad][:5], e[bad][:5], strict=True)
    ]
    site = np.full(n, -1, np.int64)
    site[placed] = p.arc_site[a]
    # a court-fixed site is the only site allowed
    fixed_idx = {site.site_id: j for j, site in enumerate(pre.sites)}
    for i in placed.tolist():
        fid = pre.clients[i].fixed_site_id
        if fid is not None and fixed_idx.get(fid) != site[i]:
            out.append(f"client {pre.clients[i].client_id} not at its court-fixed site {fid}")
    # capacity
    used = np.bincount(site[placed], minlength=p.n_sites)
    over = np.flatnonzero(used > pre.capacity)
    out += [
        f"site {pre.sites[int(j)].site_id} holds {int(used[j])} > capacity {int(pre.capacity[j])}"
        for j in over[:5]
    ]
    if check_separation and p.separate.size:
        x, y = p.separate[:, 0], p.separate[:, 1]
        clash = np.flatnonzero((site[x] >= 0) & (site[x] == site[y]))
        out += [
            f"separated clients {pre.clients[int(x[k])].client_id} and "
            f"{pre.clients[int(y[k])].client_id} share site {pre.sites[int(site[x[k]])].site_id}"
            for k in clash[:5]
        ]
    return out


@dataclass(frozen=True, slots=True)
class Quality:
    placed: int
    objective: int
    total_km: float
    mean_km: float
    p90_km: float
    max_km: float


def quality(
    pre: Prepared, p: AssignmentProblem, arc_idx: NDArray[np.intp], arc: NDArray[np.int64]
) -> Quality:
    """Placed, objective (sum of integer costs) and distance figures of an answer."""
    a = arc[arc >= 0]
    km = pre.elig.arcs.distance_km[arc_idx[a]] if a.size else np.zeros(0)
    return Quality(
        placed=int(a.size),
        objective=int(p.arc_cost[a].sum()),
        total_km=round(float(km.sum()), 3),
        mean_km=round(float(km.mean()), 3) if km.size else 0.0,
        p90_km=round(float(np.percentile(km, 90)), 3) if km.size else 0.0,
        max_km=round(float(km.max()), 3) if km.size else 0.0,
    )


def arcs_of_result(result: Result, pre: Prepared, p: AssignmentProblem) -> NDArray[np.int64]:
    """The project's ``Result`` as per-client arc indices into ``p`` (placements by id)."""
    client_index = {c.client_id: i for i, c in enumerate(pre.clients)}
    site_index = {site.site_id: j for j, site in enumerate(pre.sites)}
    arc = np.full(p.n_clients, -1, np.int64)
    if not result.placements:
        return arc
    ci = np.array([client_index[x.client_id] for x in result.placements], np.int64)
    sj = np.array([site_index[x.site_id] for x in result.placements], np.int64)
    # problem arcs are sorted by (client, site): find each pair by binary search
    key = p.arc_client.astype(np.int64) * p.n_sites + p.arc_site
    want = ci * p.n_sites + sj
    pos = np.searchsorted(key, want)
    ok = (pos < key.size) & (key[np.minimum(pos, key.size - 1)] == want)
    arc[ci[ok]] = pos[ok]
    # a placement on a pair the solver never offered: flag it with an impossible arc
    arc[ci[~ok]] = key.size
    return arc
