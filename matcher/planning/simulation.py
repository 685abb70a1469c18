"""Six months day by day: verdicts arrive, clients start, work, finish and free their places.

The stream
----------
Verdicts arrive on court days (Monday to Friday, not an Indonesian public holiday) for
``days`` calendar days: on each court day, each kecamatan ``k`` sends Poisson(``rate * w_k``)
clients, ``w_k`` its share of demand (population times a factor, :mod:`matcher.planning.demand`). A
client's order starts on its arrival day (``start_date``) and must be done by its deadline.

The day
-------
Each Bapas working day (the court days), in this order:

1. clients whose last working day was before today are finished, and free their places;
2. the day's arrivals join the waiting list;
3. a waiting client whose deadline can no longer be met at any eligible site (or who never had
   one) is *unplaced* for good: waiting only shrinks the working days left, so this is final;
4. the placement policy starts some waiting clients at eligible sites with a free place.

A client who starts at site ``j`` on day ``t`` holds one place from ``t`` to its finish day
``f``: the day on which its hours are done, working ``min(client, site)`` hours on each common
working day (the client's available weekdays and the site's open weekdays, not a public
holiday, as :mod:`matcher.workdays` counts them). Eligibility is the engine's, computed once
(:func:`matcher.pipeline.prepare`), and the ``hours_before_deadline`` rule is re-checked for the
actual start day as ``f <= deadline``, which is the same rule.

Policies
--------
* ``greedy``: waiting clients in arrival order each take the nearest eligible site with a free
  place (what an officer does by hand);
* ``batch``: every working day, the exact solver (:func:`matcher.solver.solve`, most placed,
  then least cost) assigns the whole waiting list against the free places;
* ``batch_urgent``: the same, with each day already waited counting as 1 km less cost
  (:data:`URGENCY_M_PER_DAY`), so that when places are short the clients who have waited
  longest get them (plain ``batch`` breaks that tie by travel alone).

Placements are never moved once started.

The hindsight optimum
---------------------
Knowing the whole stream in advance: choose for every client at most one (site, start day)
with start >= arrival, hold one place from start to the finish day of that start, finish by
the deadline, and never exceed a site's capacity on any day; maximise the clients placed.
Starting on a day that is not a common working day is never better than starting on the next
one (same finish, shorter hold), so only common working days are start candidates.

That model is exact but large (a few hundred clients times their sites times ~100 start days),
and CP-SAT needs minutes on a six-month Banyumas stream, so the report brackets the optimum
instead of pretending: ``lower`` is the best schedule known (the policies' own schedules are
feasible in the model; on small instances the exact CP-SAT model is solved too) and ``upper``
is a proven bound computed exactly by one min-cost flow (:func:`flow_bound`, a place-day
relaxation) or the count of clients with any feasible start. Each policy's placed share is
then reported as "at least placed / upper" (and at most placed / lower); when the bounds meet,
the optimum is proven.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from matcher.model import Client, Site
from matcher.pipeline import prepare
from matcher.planning.areas import Areas
from matcher.planning.demand import DemandSpec, area_weights, draw_clients
from matcher.policy import Policy
from matcher.rules import ELIGIBILITY_INDEX
from matcher.solver import AssignmentProblem, SolveParams, solve
from matcher.workdays import day_bits, holidays_between

POLICIES = ("greedy", "batch", "batch_urgent")
URGENCY_M_PER_DAY = 1000
"""``batch_urgent``: each day waited makes a placement count as this many metres shorter."""

WAITING, WORKING, FINISHED, UNPLACED, NOT_YET = 0, 1, 2, 3, 4
_COURT_DAYS = 0b0011111  # Monday to Friday
_HOURS = ELIGIBILITY_INDEX["hours_before_deadline"]


class SimulationError(ValueError):
    """A simulation that cannot run (bad spec, unknown policy)."""


@dataclass(frozen=True)
class StreamSpec:
    """Arrivals: ``rate`` verdicts per court day over ``days`` calendar days from ``start``;
    client attributes as in ``demand`` (its ``clients``, ``start`` and ``spread_days`` unused)."""

    days: int = 182
    start: date = date(2027, 1, 4)
    rate: float = 4.0
    seed: int = 0
    demand: DemandSpec = field(default_factory=DemandSpec)

    def __post_init__(self) -> None:
        if not 1 <= self.days <= 366:
            raise SimulationError(f"simulation.days = {self.days}: must be 1-366")
        if not 0 < self.rate <= 500:
            raise SimulationError(f"simulation.arrivals_per_day = {self.rate}: must be in (0, 500]")


def arrival_stream(spec: StreamSpec, areas: Areas) -> list[Client]:
    """The seeded Poisson stream of clients, in arrival order (ids ``A00001``...)."""
    rng = np.random.default_rng(spec.seed)
    w = area_weights(areas, spec.demand.area_factor)
    end = spec.start + timedelta(days=spec.days - 1)
    holidays = set(holidays_between(spec.start, end))
    area: list[NDArray[np.int64]] = []
    starts: list[date] = []
    for t in range(spec.days):
        d = spec.start + timedelta(days=t)
        if d.weekday() >= 5 or d in holidays:
            continue
        counts = rng.poisson(spec.rate * w)
        k = np.repeat(np.arange(len(areas)), counts)
        area.append(k)
        starts += [d] * int(k.size)
    all_area = np.concatenate(area) if area else np.empty(0, np.int64)
    return draw_clients(rng, areas, all_area, starts, spec.demand, "A")


# --------------------------------------------------------------------------------------------
# Calendar and finish days


@dataclass(frozen=True)
class Calendar:
    """Calendar days ``0..n-1`` from ``start``; for each of the 128 weekday sets, the number of
    working days (weekday in the set, not a public holiday) before each day."""

    start: date
    n: int
    cum: NDArray[np.int64]  # (128, n + 1)
    working: NDArray[np.bool_]  # (128, n)

    @classmethod
    def build(cls, start: date, n: int) -> Calendar:
        days = [start + timedelta(days=t) for t in range(n)]
        hol = set(holidays_between(start, days[-1]))
        weekday = np.array([d.weekday() for d in days], np.int64)
        not_holiday = np.array([d not in hol for d in days], np.bool_)
        masks = np.arange(128, dtype=np.int64)[:, None]
        working = (((masks >> weekday[None, :]) & 1) == 1) & not_holiday[None, :]
        cum = np.zeros((128, n + 1), np.int64)
        np.cumsum(working, axis=1, out=cum[:, 1:])
        return cls(start, n, cum, working)

    def day(self, d: date) -> int:
        return (d - self.start).days

    def finish(
        self, bits: NDArray[np.int64], need: NDArray[np.int64], t: NDArray[np.int64]
    ) -> NDArray[np.int64]:
        """The day on which ``need`` working days (of weekday set ``bits``) starting at day
        ``t`` are done; ``n`` (beyond the calendar) when they do not fit."""
        bits, need, t = np.broadcast_arrays(bits, need, t)
        width = self.n + 2
        flat = (self.cum + np.arange(128, dtype=np.int64)[:, None] * width).ravel()
        target = self.cum[bits, t] + need + bits * width
        idx = np.searchsorted(flat, target, side="left")
        f = idx - bits * (self.n + 1) - 1
        ok = self.cum[bits, self.n] - self.cum[bits, t] >= need
        return np.where(ok, f, self.n).astype(np.int64)


@dataclass(frozen=True)
class StreamArcs:
    """The stream's eligible arcs (every rule but the deadline, which depends on the start)."""

    client: NDArray[np.int64]
    site: NDArray[np.int64]
    km: NDArray[np.float64]
    cost: NDArray[np.int64]
    bits: NDArray[np.int64]  # common weekdays of client and site
    need: NDArray[np.int64]  # working days needed at this site
    arrival: NDArray[np.int64]  # per client: arrival day
    deadline: NDArray[np.int64]  # per client: deadline day
    never: NDArray[np.bool_]  # per client: no site passes the other rules

    def feasible(self, arcs: NDArray[np.int64], t: int, cal: Calendar) -> NDArray[np.bool_]:
        """Which of ``arcs`` can still be finished by the deadline when started on day ``t``."""
        f = cal.finish(self.bits[arcs], self.need[arcs], np.full(arcs.size, t, np.int64))
        return np.asarray(f <= self.deadline[self.client[arcs]], np.bool_)


def stream_arcs(
    sites: Sequence[Site], stream: Sequence[Client], policy: Policy, cal: Calendar
) -> StreamArcs:
    pre = prepare(sites, stream, policy)
    elig = pre.elig
    others = np.delete(elig.passes, _HOURS, axis=0).all(axis=0)
    idx = np.flatnonzero(others)
    ci = elig.arcs.client[idx].astype(np.int64)
    sj = elig.arcs.site[idx].astype(np.int64)
    c_bits = np.array([day_bits(c.available_days) for c in stream], np.int64)
    s_bits = np.array([day_bits(site.open_days) for site in sites], np.int64)
    c_hours = np.array([c.hours for c in stream], np.int64)
    c_hpd = np.array([c.hours_per_day for c in stream], np.int64)
    s_hpd = np.array([site.hours_per_day for site in sites], np.int64)
    h = np.maximum(np.minimum(c_hpd[ci], s_hpd[sj]), 1)
    return StreamArcs(
        client=ci,
        site=sj,
        km=elig.arcs.distance_km[idx],
        cost=pre.cost[idx],
        bits=c_bits[ci] & s_bits[sj],
        need=-(-c_hours[ci] // h),
        arrival=np.array([cal.day(c.start_date) for c in stream], np.int64),
        deadline=np.array([cal.day(c.deadline) for c in stream], np.int64),
        never=np.bincount(ci, minlength=len(stream)) == 0,
    )


# --------------------------------------------------------------------------------------------
# One run of a policy


@dataclass(frozen=True)
class SimulationRun:
    """One policy on one stream: per client and per day.

    Per client (stream order): ``site`` (or -1), ``start`` and ``finish`` days (or -1),
    ``unplaced_day`` (or -1). Per day: counts by status at the end of the day and each site's
    occupied places.
    """

    policy: str
    calendar_start: date
    horizon: int  # arrival days
    capacity: NDArray[np.int64]
    arrival: NDArray[np.int64]
    deadline: NDArray[np.int64]
    site: NDArray[np.int64]
    start: NDArray[np.int64]
    finish: NDArray[np.int64]
    km: NDArray[np.float64]
    unplaced_day: NDArray[np.int64]
    arrived: NDArray[np.int64]  # per day
    waiting: NDArray[np.int64]
    working: NDArray[np.int64]
    finished: NDArray[np.int64]
    unplaced: NDArray[np.int64]
    occupancy: NDArray[np.int64]  # (days, sites)
    runtime_s: float

    @property
    def placed(self) -> int:
        return int((self.site >= 0).sum())

    def metrics(self) -> dict[str, Any]:
        """The numbers a planner reads (see :data:`METRIC_NOTES`)."""
        n = self.arrival.size
        placed = self.site >= 0
        wait = (self.start - self.arrival)[placed]
        never = self.unplaced_day >= 0
        without = int(wait.sum() + (self.deadline - self.arrival + 1)[never].sum())
        on_time = placed & (self.finish <= self.deadline)
        places = int(self.capacity.sum())
        util = self.occupancy[: self.horizon].sum(axis=1) / max(places, 1)
        weekly = [round(float(util[w : w + 7].mean()), 4) for w in range(0, self.horizon, 7)]
        return {
            "policy": self.policy,
            "arrived": n,
            "placed": self.placed,
            "unplaced": int(never.sum()),
            "finished_by_deadline": int(on_time.sum()),
            "share_finished_by_deadline": round(float(on_time.sum()) / n, 4) if n else 1.0,
            "waiting_days_mean": round(float(wait.mean()), 2) if wait.size else 0.0,
            "waiting_days_p90": round(float(np.percentile(wait, 90)), 1) if wait.size else 0.0,
            "waiting_days_max": int(wait.max()) if wait.size else 0,
            "client_days_without_place": without,
            "mean_km": round(float(self.km[placed].mean()), 3) if placed.any() else 0.0,
            "utilisation_mean": round(float(util.mean()), 4) if util.size else 0.0,
            "utilisation_peak": round(float(util.max()), 4) if util.size else 0.0,
            "utilisation_weekly": weekly,
            "runtime_s": self.runtime_s,
        }


METRIC_NOTES = {
    "waiting_days": "calendar days from arrival to start, placed clients",
    "share_finished_by_deadline": "clients whose hours were done by their deadline / arrived",
    "client_days_without_place": (
        "per client, days from arrival to start, or from arrival to the deadline for a client "
        "never placed"
    ),
    "utilisation": "places held / places at usable sites, per day of the arrival period",
}


def simulate(
    sites: Sequence[Site],
    stream: Sequence[Client],
    policy: Policy,
    placement: str,
    spec: StreamSpec,
    params: SolveParams | None = None,
    arcs: StreamArcs | None = None,
    calendar: Calendar | None = None,
) -> SimulationRun:
    """Run one placement policy over the stream until every client is settled.

    Raises
    ------
    SimulationError
        An unknown placement policy.
    """
    if placement not in POLICIES:
        raise SimulationError(f"unknown policy {placement!r}; use {', '.join(POLICIES)}")
    t0 = time.perf_counter()
    cal = calendar or calendar_for(spec)
    sa = arcs or stream_arcs(sites, stream, policy, cal)
    n, m = len(stream), len(sites)
    capacity = _capacity(sites)
    by_client = np.searchsorted(sa.client, np.arange(n + 1))  # arcs are sorted by client
    order_km = np.lexsort((sa.site, sa.km, sa.client))  # per client: nearest first

    status = np.full(n, NOT_YET, np.int64)
    site = np.full(n, -1, np.int64)
    start = np.full(n, -1, np.int64)
    finish = np.full(n, -1, np.int64)
    unplaced_day = np.full(n, -1, np.int64)
    km = np.zeros(n, np.float64)
    held = np.zeros(m, np.int64)
    days = cal.n
    series = np.zeros((5, days), np.int64)
    occupancy = np.zeros((days, m), np.int64)
    decision = cal.working[_COURT_DAYS]
    last = 0
    for t in range(days):
        done = (status == WORKING) & (finish < t)
        if done.any():
            status[done] = FINISHED
            np.subtract.at(held, site[done], 1)
        status[(status == NOT_YET) & (sa.arrival == t)] = WAITING
        if decision[t]:
            waiting = np.flatnonzero(status == WAITING)
            if waiting.size:
                _decide(
                    t,
                    waiting,
                    sa,
                    cal,
                    by_client,
                    order_km,
                    capacity,
                    held,
                    placement,
                    params,
                    status,
                    site,
                    start,
                    finish,
                    unplaced_day,
                    km,
                )
        occupancy[t] = held
        for s in (WAITING, WORKING, FINISHED, UNPLACED):
            series[s, t] = int((status == s).sum())
        series[NOT_YET, t] = int((sa.arrival <= t).sum())
        last = t
        if t >= spec.days and not ((status == WAITING) | (status == WORKING)).any():
            break
    end = last + 1
    if (held > capacity).any() or (occupancy[:end] > capacity).any():
        raise AssertionError("a site was over capacity")  # never: the policies check room
    return SimulationRun(
        policy=placement,
        calendar_start=cal.start,
        horizon=spec.days,
        capacity=capacity,
        arrival=sa.arrival,
        deadline=sa.deadline,
        site=site,
        start=start,
        finish=finish,
        km=km,
        unplaced_day=unplaced_day,
        arrived=series[NOT_YET, :end],
        waiting=series[WAITING, :end],
        working=series[WORKING, :end],
        finished=series[FINISHED, :end],
        unplaced=series[UNPLACED, :end],
        occupancy=occupancy[:end],
        runtime_s=round(time.perf_counter() - t0, 3),
    )


def calendar_for(spec: StreamSpec) -> Calendar:
    """Long enough for the last arrival's six months and then some."""
    return Calendar.build(spec.start, spec.days + 200)


def _decide(
    t: int,
    waiting: NDArray[np.int64],
    sa: StreamArcs,
    cal: Calendar,
    by_client: NDArray[np.int64],
    order_km: NDArray[np.int64],
    capacity: NDArray[np.int64],
    held: NDArray[np.int64],
    placement: str,
    params: SolveParams | None,
    status: NDArray[np.int64],
    site: NDArray[np.int64],
    start: NDArray[np.int64],
    finish: NDArray[np.int64],
    unplaced_day: NDArray[np.int64],
    km: NDArray[np.float64],
) -> None:
    """Settle the day's waiting list in place: give up on the hopeless, place whom we can."""
    arcs = np.concatenate([np.arange(by_client[i], by_client[i + 1]) for i in waiting])
    ok = sa.feasible(arcs, t, cal) if arcs.size else np.zeros(0, np.bool_)
    alive = np.zeros(sa.arrival.size, np.bool_)
    alive[sa.client[arcs[ok]]] = True
    hopeless = waiting[~alive[waiting]]
    status[hopeless] = UNPLACED
    unplaced_day[hopeless] = t
    live_arcs = arcs[ok]
    if live_arcs.size == 0:
        return
    chosen: list[int] = []
    if placement == "greedy":
        live = np.zeros(sa.client.size, np.bool_)
        live[live_arcs] = True
        room = capacity - held
        rank = np.empty(order_km.size, np.int64)
        rank[order_km] = np.arange(order_km.size)
        for i in waiting[alive[waiting]].tolist():
            mine = np.arange(by_client[i], by_client[i + 1])
            mine = mine[live[mine]]
            mine = mine[np.argsort(rank[mine])]
            for a in mine.tolist():
                if room[sa.site[a]] > 0:
                    room[sa.site[a]] -= 1
                    chosen.append(a)
                    break
    else:
        urgency = URGENCY_M_PER_DAY if placement == "batch_urgent" else 0
        clients, local = np.unique(sa.client[live_arcs], return_inverse=True)
        room = capacity - held
        problem = AssignmentProblem(
            n_clients=int(clients.size),
            n_sites=int(capacity.size),
            arc_client=local.astype(np.int32),
            arc_site=sa.site[live_arcs].astype(np.int32),
            arc_cost=sa.cost[live_arcs] - urgency * (t - sa.arrival[sa.client[live_arcs]]),
            capacity=room,
            separate=np.empty((0, 2), np.int64),
            fixed=np.full(clients.size, -1, np.int64),
            current=np.full(clients.size, -1, np.int64),
        )
        result = solve(problem, params)
        chosen = live_arcs[result.arc[result.arc >= 0]].tolist()
    for a in chosen:
        i, j = int(sa.client[a]), int(sa.site[a])
        status[i] = WORKING
        site[i] = j
        start[i] = t
        finish[i] = int(cal.finish(sa.bits[a : a + 1], sa.need[a : a + 1], np.array([t]))[0])
        km[i] = float(sa.km[a])
        held[j] += 1


# --------------------------------------------------------------------------------------------
# The hindsight optimum


@dataclass(frozen=True)
class StartOptions:
    """Every feasible (arc, start day) of the hindsight model: the start is a common working day
    on or after the arrival, the site has places, and the finish is on or before the deadline."""

    arc: NDArray[np.int64]
    start: NDArray[np.int64]
    finish: NDArray[np.int64]

    @property
    def hold(self) -> NDArray[np.int64]:
        return self.finish - self.start + 1


def start_options(sa: StreamArcs, cal: Calendar, capacity: NDArray[np.int64]) -> StartOptions:
    """All feasible starts of every arc, vectorised (arc-major, then by day)."""
    ci = sa.client
    first = sa.arrival[ci]
    stop = np.minimum(sa.deadline[ci] + 1, cal.n)
    length = np.where(capacity[sa.site] > 0, np.maximum(stop - first, 0), 0)
    arc = np.repeat(np.arange(ci.size, dtype=np.int64), length)
    offset = np.arange(arc.size, dtype=np.int64) - np.repeat(np.cumsum(length) - length, length)
    day = first[arc] + offset
    working = cal.working[sa.bits[arc], day]
    arc, day = arc[working], day[working]
    fin = cal.finish(sa.bits[arc], sa.need[arc], day)
    ok = fin <= sa.deadline[ci[arc]]
    return StartOptions(arc[ok], day[ok], fin[ok])


@dataclass(frozen=True)
class Hindsight:
    """The best any policy could do knowing the whole stream in advance (module docstring).

    The optimum lies in ``[lower, upper]``: ``lower`` is the best schedule known (the exact
    model's, or the best policy's), ``upper`` a proven bound, the smaller of ``placeable``
    (clients with any feasible site and start) and the place-day flow bound (:func:`flow_bound`).
    ``method`` is "exact" when the CP-SAT model was solved to optimality (then lower == upper).
    """

    lower: int
    upper: int
    placeable: int
    flow_bound: float
    method: str
    options: int
    runtime_s: float

    @property
    def proven(self) -> bool:
        return self.lower == self.upper

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimum_at_least": self.lower,
            "optimum_at_most": self.upper,
            "proven": self.proven,
            "placeable": self.placeable,
            "flow_bound": round(self.flow_bound, 3),
            "method": self.method,
            "start_options": self.options,
            "runtime_s": self.runtime_s,
        }


def flow_bound(
    sa: StreamArcs, opts: StartOptions, capacity: NDArray[np.int64], n_days: int, bucket: int = 7
) -> float:
    """An upper bound on the hindsight optimum from one min-cost flow (exact integers).

    Relax the schedule: client ``i`` needs ``h_i`` place-days (its shortest hold at any site and
    start), which may be split over its eligible sites and over the ``bucket``-day periods its
    feasible holds touch (at most the days of the period it could hold), and a site offers
    ``bucket * capacity`` place-days per period. Each place-day of client ``i`` is worth
    ``1 / h_i``, so a whole client is worth 1: every real schedule gives a flow of the same worth
    (a client holds at least ``h_i`` days, on at most one place a day), so the maximum worth
    bounds the optimum from above. Worth is rounded up to integers (``ceil(10^6 / h_i)``),
    which keeps the bound valid.
    """
    if opts.arc.size == 0:
        return 0.0
    n = sa.arrival.size
    m = capacity.size
    scale = 10**6
    ci = sa.client[opts.arc]
    h_min = np.full(n, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(h_min, ci, opts.hold)
    lo = np.full(sa.client.size, np.iinfo(np.int64).max, np.int64)
    hi = np.full(sa.client.size, -1, np.int64)
    np.minimum.at(lo, opts.arc, opts.start)
    np.maximum.at(hi, opts.arc, opts.finish)
    arcs = np.flatnonzero(hi >= 0)
    clients = np.unique(ci)
    n_b = n_days // bucket + 1
    b0, b1 = lo[arcs] // bucket, hi[arcs] // bucket
    count = b1 - b0 + 1
    arc_rep = np.repeat(arcs, count)
    b = np.repeat(b0, count) + (
        np.arange(arc_rep.size) - np.repeat(np.cumsum(count) - count, count)
    )
    days_in = np.minimum(b * bucket + bucket - 1, hi[arc_rep]) - np.maximum(b * bucket, lo[arc_rep])
    source, sink = 0, 1 + n + m * n_b
    cell = 1 + n + sa.site[arc_rep] * n_b + b
    worth = -(-scale // h_min[clients])
    tails = np.concatenate(
        ([source] * clients.size, 1 + sa.client[arc_rep], 1 + n + np.arange(m * n_b), [source])
    )
    heads = np.concatenate((1 + clients, cell, np.full(m * n_b, sink), [sink]))
    supply = int(h_min[clients].sum())
    caps = np.concatenate(
        (h_min[clients], days_in + 1, np.repeat(capacity * bucket, n_b), [supply])
    )
    costs = np.concatenate((-worth, np.zeros(arc_rep.size + m * n_b + 1, np.int64)))
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int64),
        heads.astype(np.int64),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    mcf.set_node_supply(source, supply)
    mcf.set_node_supply(sink, -supply)
    if mcf.solve() != mcf.OPTIMAL:
        raise RuntimeError("hindsight flow bound: min-cost flow did not solve")
    return -mcf.optimal_cost() / scale


def hindsight(
    sa: StreamArcs,
    cal: Calendar,
    capacity: NDArray[np.int64],
    runs: Sequence[SimulationRun] = (),
    exact_max_intervals: int = 1500,
    deterministic_time: float = 5.0,
    seed: int = 0,
) -> Hindsight:
    """Bracket the hindsight optimum; solve it exactly when the model is small.

    The exact model (module docstring) is built when it has at most ``exact_max_intervals``
    intervals: each arc's starts grouped by hold length become fixed-size optional
    intervals whose start domain is exactly those days, one cumulative constraint per site.
    The size test, one worker, a seed and a deterministic time budget keep runs reproducible.
    """
    t0 = time.perf_counter()
    opts = start_options(sa, cal, capacity)
    placeable = int(np.unique(sa.client[opts.arc]).size)
    bound = flow_bound(sa, opts, capacity, cal.n)
    upper = min(placeable, int(np.floor(bound + 1e-9)))
    lower = max((r.placed for r in runs), default=0)
    method = "bracket"
    intervals = int(np.unique(opts.arc * (1 << 20) + opts.hold).size)
    if lower < upper and intervals <= exact_max_intervals:
        placed, proven_upper, optimal = _exact(sa, opts, capacity, runs, deterministic_time, seed)
        lower = max(lower, placed)
        upper = min(upper, proven_upper)
        method = "exact" if optimal else "bracket"
    return Hindsight(
        lower=lower,
        upper=max(upper, lower),
        placeable=placeable,
        flow_bound=bound,
        method="exact" if lower >= upper else method,
        options=int(opts.arc.size),
        runtime_s=round(time.perf_counter() - t0, 3),
    )


def _exact(
    sa: StreamArcs,
    opts: StartOptions,
    capacity: NDArray[np.int64],
    runs: Sequence[SimulationRun],
    deterministic_time: float,
    seed: int,
) -> tuple[int, int, bool]:
    """The exact CP-SAT model: (placed, proven upper bound, proven optimal)."""
    key = opts.arc * (1 << 20) + opts.hold
    groups, first = np.unique(key, return_index=True)
    group_of = np.searchsorted(groups, key)
    model = cp_model.CpModel()
    present = []
    begin = []
    by_client: dict[int, list[int]] = {}
    by_site: dict[int, list[cp_model.IntervalVar]] = {}
    for g, f in enumerate(first.tolist()):
        a, h = int(opts.arc[f]), int(opts.hold[f])
        days = opts.start[group_of == g]
        p = model.new_bool_var(f"p{g}")
        s = model.new_int_var_from_domain(cp_model.Domain.from_values(days.tolist()), f"s{g}")
        present.append(p)
        begin.append(s)
        by_client.setdefault(int(sa.client[a]), []).append(g)
        by_site.setdefault(int(sa.site[a]), []).append(
            model.new_optional_fixed_size_interval_var(s, h, p, f"iv{g}")
        )
    # Hard: every client at one site, with one start, at most.
    for gs in by_client.values():
        model.add_at_most_one(present[g] for g in gs)
    # Hard: a site never holds more clients than its capacity on any day.
    for j, ivs in by_site.items():
        model.add_cumulative(ivs, [1] * len(ivs), int(capacity[j]))
    model.maximize(sum(present))
    best = max(runs, key=lambda r: r.placed, default=None)
    if best is not None:
        # The best policy's schedule, each start moved to the arc's next common working day
        # (same finish, shorter hold: still feasible).
        hinted = set()
        for g, f in enumerate(first.tolist()):
            a = int(opts.arc[f])
            i = int(sa.client[a])
            if i in hinted or best.site[i] != sa.site[a]:
                continue
            days = opts.start[group_of == g]
            pos = int(np.searchsorted(days, best.start[i]))
            if pos < days.size and days[pos] + int(opts.hold[f]) - 1 == best.finish[i]:
                hinted.add(i)
                model.add_hint(present[g], True)
                model.add_hint(begin[g], int(days[pos]))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = deterministic_time
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0, len(by_client), False
    placed = round(solver.objective_value)
    return placed, round(solver.best_objective_bound), code == cp_model.OPTIMAL


@dataclass(frozen=True)
class PolicyComparison:
    """Every policy on the same stream and sites, and each one's share of the hindsight optimum."""

    scenario: str
    runs: tuple[SimulationRun, ...]
    hindsight: Hindsight | None

    def share_of_optimum(self, run: SimulationRun) -> tuple[float, float] | None:
        """Placed as a % of the hindsight optimum: (at least, at most). Equal when proven."""
        if self.hindsight is None:
            return None
        h = self.hindsight
        low = round(100.0 * run.placed / h.upper, 2) if h.upper else 100.0
        high = round(100.0 * run.placed / h.lower, 2) if h.lower else 100.0
        return low, high

    def _shares(self, run: SimulationRun) -> dict[str, float | None]:
        share = self.share_of_optimum(run)
        return {
            "placed_pct_of_hindsight_at_least": share[0] if share else None,
            "placed_pct_of_hindsight_at_most": share[1] if share else None,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "policies": [{**r.metrics(), **self._shares(r)} for r in self.runs],
            "hindsight": self.hindsight.to_dict() if self.hindsight else None,
            "notes": METRIC_NOTES,
        }


def compare_policies(
    scenario: str,
    sites: Sequence[Site],
    stream: Sequence[Client],
    policy: Policy,
    spec: StreamSpec,
    policies: Sequence[str] = POLICIES,
    with_hindsight: bool = True,
    exact_max_intervals: int = 1500,
    params: SolveParams | None = None,
) -> PolicyComparison:
    """Run each policy on the same stream, then bracket (or solve) the hindsight optimum."""
    cal = calendar_for(spec)
    sa = stream_arcs(sites, stream, policy, cal)
    runs = tuple(
        simulate(sites, stream, policy, p, spec, params, arcs=sa, calendar=cal) for p in policies
    )
    best = None
    if with_hindsight:
        best = hindsight(sa, cal, _capacity(sites), runs, exact_max_intervals)
    return PolicyComparison(scenario, runs, best)


def _capacity(sites: Sequence[Site]) -> NDArray[np.int64]:
    return np.array([site.capacity if site.usable else 0 for site in sites], np.int64)
