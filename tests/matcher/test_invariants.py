"""Invariants of every match result on random instances (Hypothesis, derandomised).

Eligibility is checked with the independent reference (``reference.failed_rules``), costs are
recomputed from raw coordinates (``reference.cost_m``), never from the engine's own arrays.
"""

from __future__ import annotations

from collections import Counter

from builders import PROPERTY_SETTINGS, instances, policy
from hypothesis import given
from reference import cost_m, failed_rules, is_eligible, road_km

from matcher.model import Client, Site
from matcher.pipeline import match
from matcher.result import Result

Instance = tuple[list[Site], list[Client]]

REASON_CODES = {
    "no_site_in_reach",
    "no_eligible_site",
    "deadline_unreachable",
    "eligible_sites_full",
    "separation_conflict",
    "fixed_site_ineligible",
    "fixed_site_full",
}


def partners(clients: list[Client]) -> set[frozenset[str]]:
    return {frozenset((c.client_id, o)) for c in clients for o in c.separate_from}


def check_placements_are_feasible(sites: list[Site], clients: list[Client], result: Result) -> None:
    """No site over capacity, one site per client at most, only eligible pairs (by the
    reference), separate_from kept both ways, fixed clients only at their fixed site."""
    site = {s.site_id: s for s in sites}
    client = {c.client_id: c for c in clients}
    ids = [p.client_id for p in result.placements]
    assert len(ids) == len(set(ids))
    used = Counter(p.site_id for p in result.placements)
    for sid, n in used.items():
        assert n <= site[sid].capacity
    for p in result.placements:
        assert failed_rules(client[p.client_id], site[p.site_id], policy()) == []
        fixed = client[p.client_id].fixed_site_id
        assert fixed in (None, p.site_id)
    at = result.site_of()
    for pair in partners(clients):
        a, b = sorted(pair)
        assert a not in at or b not in at or at[a] != at[b]


def check_objective_and_terms_are_consistent(
    sites: list[Site], clients: list[Client], result: Result
) -> None:
    """The reported objective equals the sum of the placements' cost_m and the costs recomputed
    from raw coordinates (road metres minus 2000 on a skill match); every Terms is coherent;
    the summary's totals add up."""
    site = {s.site_id: s for s in sites}
    client = {c.client_id: c for c in clients}
    assert result.summary.objective == result.recomputed_objective()
    recomputed = 0
    for p in result.placements:
        c, s = client[p.client_id], site[p.site_id]
        t = p.terms
        recomputed += cost_m(c, s, policy())
        assert t.cost_m == cost_m(c, s, policy())
        assert t.distance_m == round(road_km(c, s, policy()) * 1000)
        assert t.skill_match == bool(c.skills & s.work_types)
        assert t.skill_bonus_m == (2000 if t.skill_match else 0)
        assert t.cost_m == t.distance_m - t.skill_bonus_m
        assert abs(p.distance_km - road_km(c, s, policy())) <= 0.0005 + 1e-9
    assert result.summary.objective == recomputed
    summary = result.summary
    assert summary.clients == len(clients)
    assert summary.placed == len(result.placements)
    assert summary.unplaced == len(result.unplaced)
    distances = [p.distance_km for p in result.placements] or [0.0]
    assert abs(summary.total_distance_km - sum(distances)) <= 0.001
    assert summary.max_distance_km == max(distances)


def check_every_client_once_and_explained(
    sites: list[Site], clients: list[Client], result: Result
) -> None:
    """Every client appears exactly once, placed or unplaced; every unplaced client has a reason
    with a known code and a sentence in Indonesian and English; pinned placements are only at
    the client's fixed or current site, and a placed fixed client is always pinned."""
    client = {c.client_id: c for c in clients}
    seen = [p.client_id for p in result.placements] + [u.client_id for u in result.unplaced]
    assert sorted(seen) == sorted(client)
    for u in result.unplaced:
        assert u.reasons
        for r in u.reasons:
            assert r.code in REASON_CODES
            assert r.indonesian.strip() and r.english.strip()
            assert r.indonesian != r.english
    for p in result.placements:
        c = client[p.client_id]
        if p.pinned:
            assert p.site_id in (c.fixed_site_id, c.current_site_id)
        if c.fixed_site_id is not None:
            assert p.pinned


def check_alternatives_are_eligible_and_ranked(
    sites: list[Site], clients: list[Client], result: Result
) -> None:
    """A placement's alternatives are other eligible sites, at most ``policy.alternatives``,
    ordered by cost, flagged full exactly when the plan fills them, and their terms agree with
    the recomputed costs."""
    site = {s.site_id: s for s in sites}
    client = {c.client_id: c for c in clients}
    used = Counter(p.site_id for p in result.placements)
    for p in result.placements:
        c = client[p.client_id]
        alts = p.alternatives
        assert len(alts) <= policy().alternatives
        assert p.site_id not in {a.site_id for a in alts}
        assert len({a.site_id for a in alts}) == len(alts)
        for a in alts:
            assert is_eligible(c, site[a.site_id], policy())
            assert a.full == (used[a.site_id] >= site[a.site_id].capacity)
            assert a.terms.cost_m == cost_m(c, site[a.site_id], policy())
        costs = [a.terms.cost_m for a in alts]
        assert costs == sorted(costs)


def check_reasons_tell_the_truth(sites: list[Site], clients: list[Client], result: Result) -> None:
    """Each reason code holds on the reference's view of the instance: no site in reach,
    none eligible, one failing only the hours rule, all eligible sites full, a co-offender at
    each eligible site with room, the fixed site's failed rules, the fixed site full."""
    site = {s.site_id: s for s in sites}
    client = {c.client_id: c for c in clients}
    used = Counter(p.site_id for p in result.placements)
    at = result.site_of()
    apart = partners(clients)
    p = policy()
    for u in result.unplaced:
        c = client[u.client_id]
        (r,) = u.reasons
        reach = c.max_travel_km if c.max_travel_km is not None else p.max_travel_km
        in_reach = [s for s in sites if road_km(c, s, p) <= reach]
        eligible = [s for s in sites if is_eligible(c, s, p)]
        only_hours = [s for s in in_reach if failed_rules(c, s, p) == ["hours_before_deadline"]]
        if r.code == "no_site_in_reach":
            assert not in_reach
        elif r.code == "no_eligible_site":
            assert in_reach and not eligible and not only_hours
            assert r.details["sites_in_reach"] == len(in_reach)
        elif r.code == "deadline_unreachable":
            assert only_hours and not eligible
        elif r.code == "eligible_sites_full":
            assert sorted(r.details["site_ids"]) == sorted(s.site_id for s in eligible)
            assert all(used[s.site_id] >= s.capacity for s in eligible)
        elif r.code == "separation_conflict":
            for sid in r.details["site_ids"]:
                assert used[sid] < site[sid].capacity
                assert any(
                    frozenset((c.client_id, o)) in apart for o, s2 in at.items() if s2 == sid
                )
        elif r.code == "fixed_site_ineligible":
            assert c.fixed_site_id is not None
            failed = failed_rules(c, site[c.fixed_site_id], p)
            assert sorted(r.details["failed_rules"]) == sorted(failed) != []
        elif r.code == "fixed_site_full":
            assert c.fixed_site_id is not None
            assert used[c.fixed_site_id] >= site[c.fixed_site_id].capacity
        if c.fixed_site_id is not None:
            assert r.code.startswith("fixed_site_") or r.code == "separation_conflict"


@PROPERTY_SETTINGS
@given(instances())
def test_invariants_hold(instance: Instance) -> None:
    """On random instances (pins, separations, exclusion zones, rule 8 binding now and then)
    every check above holds for the result of ``match`` (one match per example, all checks on
    it: the instances are the expensive part)."""
    sites, clients = instance
    result = match(sites, clients, policy())
    check_placements_are_feasible(sites, clients, result)
    check_objective_and_terms_are_consistent(sites, clients, result)
    check_every_client_once_and_explained(sites, clients, result)
    check_alternatives_are_eligible_and_ranked(sites, clients, result)
    check_reasons_tell_the_truth(sites, clients, result)
    # the result's own check (matcher.check) agrees with the independent checks above
    assert result.violations() == []
