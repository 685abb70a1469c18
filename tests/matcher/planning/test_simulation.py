"""Six months day by day (matcher.planning.simulation): capacity, conservation, the deadline
rule, the policies and the hindsight bounds."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import numpy as np
import pytest
import shapely

from matcher.model import Site
from matcher.pipeline import prepare
from matcher.planning.areas import Areas
from matcher.planning.demand import DemandSpec
from matcher.planning.simulation import (
    POLICIES,
    Calendar,
    SimulationError,
    SimulationRun,
    StreamSpec,
    arrival_stream,
    calendar_for,
    compare_policies,
    hindsight,
    simulate,
    start_options,
    stream_arcs,
)
from matcher.planning.study import generated_base
from matcher.policy import default_policy
from matcher.rules import ELIGIBILITY_INDEX as RULE_INDEX
from matcher.workdays import holidays_between

SPEC = StreamSpec(days=120, start=date(2027, 1, 4), rate=7.0, seed=3)


@cache
def _base(seed: int = 5) -> tuple[list[Site], Areas]:
    sites, _, areas = generated_base("banyumas", 0, 25, seed)
    return sites, areas


@cache
def _runs(policy: str) -> SimulationRun:
    sites, areas = _base()
    stream = arrival_stream(SPEC, areas)
    return simulate(sites, stream, default_policy(), policy, SPEC)


def _daily_from_clients(run: SimulationRun) -> dict[str, np.ndarray]:
    """Recompute the daily counts from the per-client records alone (end of day)."""
    days = np.arange(run.arrived.size)[:, None]
    arrived = run.arrival[None, :] <= days
    placed = run.site >= 0
    working = placed & (run.start[None, :] <= days) & (days <= run.finish[None, :])
    finished = placed & (run.finish[None, :] < days)
    unplaced = (run.unplaced_day >= 0) & (run.unplaced_day[None, :] <= days)
    waiting = arrived & ~working & ~finished & ~unplaced
    return {
        "arrived": arrived.sum(axis=1),
        "waiting": waiting.sum(axis=1),
        "working": working.sum(axis=1),
        "finished": finished.sum(axis=1),
        "unplaced": unplaced.sum(axis=1),
    }


@pytest.mark.parametrize("policy", POLICIES)
def test_capacity_is_never_exceeded_and_clients_are_conserved(policy: str) -> None:
    """On every day, no site holds more clients than its capacity (recomputed from the clients'
    own start and finish days), and arrived = waiting + working + finished + unplaced."""
    run = _runs(policy)
    assert run.placed > 0 and (run.waiting > 0).any()  # the stream is congested enough
    days = np.arange(run.arrived.size)
    for j in range(run.capacity.size):
        mine = run.site == j
        held = (
            (run.start[mine][None, :] <= days[:, None])
            & (days[:, None] <= run.finish[mine][None, :])
        ).sum(axis=1)
        assert (held <= run.capacity[j]).all()
        assert np.array_equal(held, run.occupancy[:, j])
    again = _daily_from_clients(run)
    for key in ("arrived", "waiting", "working", "finished", "unplaced"):
        assert np.array_equal(again[key], getattr(run, key)), key
    assert np.array_equal(run.arrived, run.waiting + run.working + run.finished + run.unplaced)
    # Everyone is settled at the end: finished, or unplaced for good.
    assert run.waiting[-1] == 0 and run.working[-1] == 0
    assert run.finished[-1] + run.unplaced[-1] == run.arrival.size


@pytest.mark.parametrize("policy", POLICIES)
def test_placements_respect_arrival_deadline_and_eligibility(policy: str) -> None:
    """A client starts on or after arrival, at a site eligible for it, and finishes by its
    deadline; an unplaced client truly had no eligible site it could still finish at."""
    run = _runs(policy)
    sites, areas = _base()
    stream = arrival_stream(SPEC, areas)
    cal = calendar_for(SPEC)
    sa = stream_arcs(sites, stream, default_policy(), cal)
    pairs = set(zip(sa.client.tolist(), sa.site.tolist(), strict=True))
    placed = np.flatnonzero(run.site >= 0)
    assert (run.start[placed] >= run.arrival[placed]).all()
    assert (run.finish[placed] <= run.deadline[placed]).all()
    assert all((int(i), int(run.site[i])) in pairs for i in placed)
    for i in np.flatnonzero(run.unplaced_day >= 0).tolist():
        arcs = np.flatnonzero(sa.client == i)
        assert not sa.feasible(arcs, int(run.unplaced_day[i]), cal).any()


def test_finish_day_agrees_with_the_engines_deadline_rule() -> None:
    """Starting on arrival, "finish <= deadline" is exactly the engine's hours_before_deadline
    rule (same working days, same public holidays)."""
    sites, areas = _base()
    stream = arrival_stream(SPEC, areas)
    cal = calendar_for(SPEC)
    policy = default_policy()
    pre = prepare(sites, stream, policy)
    sa = stream_arcs(sites, stream, policy, cal)
    others = np.delete(pre.elig.passes, RULE_INDEX["hours_before_deadline"], axis=0).all(axis=0)
    rule = pre.elig.passes[RULE_INDEX["hours_before_deadline"]][others]
    ours = np.array(
        [
            sa.feasible(np.array([a]), int(sa.arrival[sa.client[a]]), cal)[0]
            for a in range(len(sa.client))
        ]
    )
    assert rule.size == ours.size and np.array_equal(rule, ours)
    assert (~rule).any()  # the instance has arcs that fail the deadline


def test_calendar_finish_matches_counting_day_by_day() -> None:
    """Calendar.finish is the day the needed working days are done, skipping public holidays."""
    start = date(2027, 3, 1)
    cal = Calendar.build(start, 200)
    hol = set(holidays_between(start, start + timedelta(days=199)))
    assert hol  # Nyepi, Idul Fitri and others fall in this window
    rng = np.random.default_rng(0)
    for _ in range(200):
        bits, need, t = (
            int(rng.integers(1, 128)),
            int(rng.integers(1, 40)),
            int(rng.integers(0, 60)),
        )
        done, day = 0, t
        while day < 200:
            d = start + timedelta(days=day)
            if (bits >> d.weekday()) & 1 and d not in hol:
                done += 1
                if done == need:
                    break
            day += 1
        got = int(cal.finish(np.array([bits]), np.array([need]), np.array([t]))[0])
        assert got == (day if done == need else 200)


def test_simulation_is_seeded_and_deterministic() -> None:
    """The same stream spec gives the same stream and the same results; another seed does not."""
    sites, areas = _base()
    a = arrival_stream(SPEC, areas)
    assert a == arrival_stream(SPEC, areas)
    assert a != arrival_stream(StreamSpec(days=120, start=SPEC.start, rate=7.0, seed=4), areas)
    one = simulate(sites, a, default_policy(), "batch", SPEC).metrics()
    two = simulate(sites, a, default_policy(), "batch", SPEC).metrics()
    one.pop("runtime_s"), two.pop("runtime_s")
    assert one == two


def test_arrivals_come_on_court_days_in_proportion_to_population() -> None:
    """Verdicts arrive Monday to Friday, never on a public holiday, about ``rate`` per court day,
    spread over the kecamatan by population."""
    _, areas = _base()
    spec = StreamSpec(days=182, start=date(2027, 1, 4), rate=10.0, seed=1)
    stream = arrival_stream(spec, areas)
    hol = set(holidays_between(spec.start, spec.start + timedelta(days=181)))
    assert all(c.start_date.weekday() < 5 and c.start_date not in hol for c in stream)
    court_days = sum(
        1
        for t in range(182)
        if (d := spec.start + timedelta(days=t)).weekday() < 5 and d not in hol
    )
    assert abs(len(stream) / court_days - 10.0) < 0.6
    where = areas.index_of([c.lat for c in stream], [c.lon for c in stream])
    share = np.bincount(where, minlength=len(areas)) / len(stream)
    expected = areas.population / areas.population.sum()
    assert np.abs(share - expected).max() < 0.03


def _tiny() -> tuple[list[Site], Areas, StreamSpec]:
    """Two one-place sites and a short, crowded stream: small enough to solve exactly."""
    areas = Areas(
        names=("Kota",),
        population=np.array([1.0]),
        geometry=(shapely.box(109.20, -7.45, 109.26, -7.39),),
    )
    week = frozenset({"mon", "tue", "wed", "thu", "fri", "sat"})
    sites = [
        Site("P", "P", "government_office", -7.42, 109.22, 1, week, 8),
        Site("Q", "Q", "park", -7.42, 109.24, 1, week, 8, physical_demand="moderate"),
    ]
    spec = StreamSpec(
        days=20, start=date(2027, 2, 1), rate=1.2, seed=2, demand=DemandSpec(female_share=0.0)
    )
    return sites, areas, spec


def test_hindsight_bounds_hold_and_are_exact_on_a_small_instance() -> None:
    """On a tiny instance the exact model is solved: policies <= optimum <= flow bound, and the
    bracket closes (lower == upper)."""
    sites, areas, spec = _tiny()
    stream = arrival_stream(spec, areas)
    cmp = compare_policies("kecil", sites, stream, default_policy(), spec)
    h = cmp.hindsight
    assert h is not None and h.proven and h.method == "exact"
    assert all(r.placed <= h.lower for r in cmp.runs)
    assert h.lower <= h.flow_bound + 1e-6 and h.lower <= h.placeable
    assert any(r.placed < h.placeable for r in cmp.runs) or h.lower == h.placeable
    for r in cmp.runs:
        low, high = cmp.share_of_optimum(r) or (0.0, 0.0)
        assert low == high <= 100.0


def test_hindsight_upper_bound_is_never_below_a_policy() -> None:
    """On a congested six-month stream the bracket contains every policy's result."""
    sites, areas = _base()
    stream = arrival_stream(SPEC, areas)
    cal = calendar_for(SPEC)
    sa = stream_arcs(sites, stream, default_policy(), cal)
    runs = [_runs(p) for p in POLICIES]
    cap = runs[0].capacity
    h = hindsight(sa, cal, cap, runs)
    opts = start_options(sa, cal, cap)
    assert h.lower == max(r.placed for r in runs) <= h.upper <= h.placeable
    assert h.placeable == np.unique(sa.client[opts.arc]).size


def test_unknown_policy_and_bad_specs_are_refused() -> None:
    """Only the known policies run; the stream spec checks its ranges."""
    sites, _ = _base()
    with pytest.raises(SimulationError, match="unknown policy"):
        simulate(sites, [], default_policy(), "lottery", SPEC)
    with pytest.raises(SimulationError, match="days"):
        StreamSpec(days=0)
    with pytest.raises(SimulationError, match="arrivals_per_day"):
        StreamSpec(rate=-1.0)
