"""Eligibility, the engine: candidate arcs -> every rule of :mod:`matcher.rules` -> Eligibility.

The rules themselves (what each one checks, its texts and its Pasal) live in
:mod:`matcher.rules`; here they are evaluated over the sparse candidate arcs of the whole input,
counted per client, and turned into integer costs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from geo.candidates import Arcs, arcs_within
from geo.distance import haversine_km
from matcher.arrays import ClientArrays, SiteArrays
from matcher.model import Client, Site
from matcher.policy import Policy
from matcher.rules import ELIGIBILITY, ELIGIBILITY_INDEX, Pairs


def rule_masks(arcs: Arcs, c: ClientArrays, s: SiteArrays) -> NDArray[np.bool_]:
    """(len(ELIGIBILITY), len(arcs)) boolean: True where the arc passes that rule."""
    pairs = Pairs(arcs, c, s)
    out = np.ones((len(ELIGIBILITY), len(arcs)), np.bool_)
    for k, rule in enumerate(ELIGIBILITY):
        assert rule.holds is not None
        out[k] = rule.holds(pairs)
    return out


def failed_rules(passes: NDArray[np.bool_], arc: int) -> list[str]:
    """The keys of the eligibility rules one arc breaks, in the order of ``ELIGIBILITY``."""
    return [r.key for k, r in enumerate(ELIGIBILITY) if not passes[k, arc]]


@dataclass(frozen=True)
class Eligibility:
    """Candidate arcs with their rule outcomes, and per-client rejection counts.

    Attributes
    ----------
    arcs:
        Every arc in reach plus each client's fixed/current site pair (even out of reach).
    passes:
        (len(ELIGIBILITY), len(arcs)): True where the arc passes the rule.
    eligible:
        Arcs that pass every rule.
    in_reach:
        Per client, how many sites lie within its reach.
    rejected:
        (n_clients, len(ELIGIBILITY)): sites in reach rejected by each rule (a site may fail
        several);
        the ``too_far`` column counts the sites out of reach.
    timings:
        Seconds spent building arrays, searching candidates and evaluating the rules.
    """

    arcs: Arcs
    passes: NDArray[np.bool_]
    eligible: NDArray[np.bool_]
    in_reach: NDArray[np.int64]
    rejected: NDArray[np.int64]
    timings: dict[str, float] = field(default_factory=dict)

    def eligible_arcs(self) -> Arcs:
        return self.arcs.take(self.eligible)


def skill_match(arcs: Arcs, c: ClientArrays, s: SiteArrays) -> NDArray[np.bool_]:
    """True where the client's skills meet the site's work types (soft: Penjelasan 85(1))."""
    return (c.skills[arcs.client] & s.work_types[arcs.site]) != 0


def arc_costs(arcs: Arcs, c: ClientArrays, s: SiteArrays, policy: Policy) -> NDArray[np.int64]:
    """Integer cost in metres: road metres minus the skill bonus where skills match.

    Bound: |cost| <= 200 km (the largest allowed max_travel_km) + the bonus, so sums over a
    million placements stay far inside int64.
    """
    metres = np.rint(arcs.distance_km * 1000.0).astype(np.int64)
    return metres - skill_match(arcs, c, s) * policy.skill_bonus_m


def evaluate(
    clients: list[Client],
    sites: list[Site],
    policy: Policy,
    c: ClientArrays | None = None,
    s: SiteArrays | None = None,
) -> tuple[Eligibility, ClientArrays, SiteArrays]:
    """Candidate arcs and all rule masks for the whole input."""
    t0 = time.perf_counter()
    c = c if c is not None else ClientArrays.of(clients, policy)
    s = s if s is not None else SiteArrays.of(sites)
    t1 = time.perf_counter()
    arcs = arcs_within(c.lat, c.lon, c.reach_km, s.lat, s.lon, policy.road_factor)
    t2 = time.perf_counter()
    in_reach = np.bincount(arcs.client, minlength=len(clients)).astype(np.int64)
    arcs = _with_pinned_pairs(arcs, clients, sites, c, s, policy)
    passes = rule_masks(arcs, c, s)
    eligible: NDArray[np.bool_] = np.asarray(passes.all(axis=0))
    rejected = np.zeros((len(clients), len(ELIGIBILITY)), np.int64)
    reached = passes[ELIGIBILITY_INDEX["too_far"]]
    for k in range(len(ELIGIBILITY)):
        if ELIGIBILITY[k].key == "too_far":
            rejected[:, k] = len(sites) - in_reach
        else:
            rejected[:, k] = np.bincount(arcs.client[reached & ~passes[k]], minlength=len(clients))
    timings = {
        "arrays": t1 - t0,
        "candidates": t2 - t1,
        "eligibility": time.perf_counter() - t2,
    }
    return Eligibility(arcs, passes, eligible, in_reach, rejected, timings), c, s


def _with_pinned_pairs(
    arcs: Arcs,
    clients: list[Client],
    sites: list[Site],
    c: ClientArrays,
    s: SiteArrays,
    policy: Policy,
) -> Arcs:
    """Add each client's court-fixed and current site as an arc, even when out of reach."""
    index = {site.site_id: j for j, site in enumerate(sites)}
    pairs = sorted(
        {
            (i, index[sid])
            for i, cl in enumerate(clients)
            for sid in (cl.fixed_site_id, cl.current_site_id)
            if sid and sid in index
        }
    )
    if not pairs:
        return arcs
    want = np.array(pairs, np.int64)
    extra = want[arcs.find(want[:, 0], want[:, 1], len(sites)) < 0]
    if not len(extra):
        return arcs
    ci = extra[:, 0].astype(np.int32)
    si = extra[:, 1].astype(np.int32)
    d = haversine_km(c.lat[ci], c.lon[ci], s.lat[si], s.lon[si]) * policy.road_factor
    allc = np.concatenate((arcs.client, ci))
    alls = np.concatenate((arcs.site, si))
    alld = np.concatenate((arcs.distance_km, d))
    order = np.lexsort((alls, allc))
    return Arcs(allc[order], alls[order], alld[order])
