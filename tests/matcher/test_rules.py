"""One case that satisfies and one that breaks every eligibility rule (and sub-rule), checked
through ``match`` (placed, or unplaced with the right reason and the right rule counted) and
through ``suggest``; then the placement rules (capacity, separate_from, fixed and current site).

Each eligibility case is one client ``c1`` and one site ``s1`` (``builders.site()`` /
``builders.client()`` with the fields of the case). ``match`` also gets an unrelated anchor pair
about 111 km away, eligible and out of everyone else's reach: the case's outcome must not depend
on other clients being placeable (and ``match`` once crashed without any eligible arc, see
``test_match_without_any_eligible_arc``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pytest
from builders import ALL_DAYS, CENTRE, WORKING_WEEK, client, north, policy, site
from reference import failed_rules

from matcher.law import law_of
from matcher.model import Client, ExclusionZone, Site
from matcher.pipeline import match, suggest
from matcher.result import Result, Unplaced

WEEKEND = frozenset({"sat", "sun"})
SITE_AT = CENTRE
ANCHOR = (CENTRE[0] + 1.0, CENTRE[1])


@dataclass(frozen=True)
class Case:
    """A site and a client differing from the defaults; ``broken`` is the rule key they break."""

    site: dict[str, Any] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    broken: str | None = None


def at(km: float) -> dict[str, float]:
    """Client fields placing its home ``km`` great-circle km north of the site."""
    lat, lon = north(km, SITE_AT)
    return {"lat": lat, "lon": lon}


def zone(km_from_site: float, radius_km: float) -> dict[str, Any]:
    """Client fields with one exclusion zone centred ``km_from_site`` south of the site."""
    lat, lon = north(-km_from_site, SITE_AT)
    return {"exclusion_zones": (ExclusionZone(lat, lon, radius_km),)}


def week(first: date, last: date, **more: Any) -> dict[str, Any]:
    """A 40-hour order at 8 h/day (5 days needed), Monday-Friday, from ``first`` to ``last``."""
    return {
        "start_date": first,
        "deadline": last,
        "hours": 40,
        "hours_per_day": 8,
        "available_days": WORKING_WEEK,
        **more,
    }


KID_SITE: dict[str, Any] = {"child_suitable": True, "population": frozenset({"children"})}
CHILD: dict[str, Any] = {
    "sentence": "pelayanan_masyarakat",
    "age": 15,
    "hours": 24,
    "hours_per_day": 3,
    "school_days": WORKING_WEEK,
}
XMAS_WEEK = (date(2026, 12, 21), date(2026, 12, 25))  # Friday 25 December is a public holiday
PLAIN_WEEK = (date(2026, 12, 14), date(2026, 12, 18))  # no public holiday

CASES: dict[str, Case] = {
    # rule 1: approved, not commercial, some capacity
    "approved": Case(site={"approved": True}),
    "not approved": Case(site={"approved": False}, broken="not_approved"),
    "not commercial": Case(site={"commercial": False}),
    "commercial (85(3))": Case(site={"commercial": True}, broken="commercial"),
    "capacity 1": Case(site={"capacity": 1}),
    "capacity 0": Case(site={"capacity": 0}, broken="no_capacity"),
    # rule 2: road km = great circle x 1.3 within the client's limit (default 15)
    "14.3 road km, default limit": Case(client=at(11.0)),
    "12 gc km is 15.6 road km, default limit": Case(client=at(12.0), broken="too_far"),
    "3.9 road km, own limit 5": Case(client={**at(3.0), "max_travel_km": 5.0}),
    "5.2 road km, own limit 5": Case(client={**at(4.0), "max_travel_km": 5.0}, broken="too_far"),
    "19.5 road km, own limit 25 above default": Case(client={**at(15.0), "max_travel_km": 25.0}),
    # rule 3: offence safety (populations and hazards), health hazards
    "sexual offence, nobody vulnerable": Case(
        site={"population": frozenset()}, client={"offence": "sexual_offence"}
    ),
    "sexual offence, children": Case(
        site={"population": frozenset({"children"})},
        client={"offence": "sexual_offence"},
        broken="offence_safety",
    ),
    "minor assault, elderly": Case(
        site={"population": frozenset({"elderly"})}, client={"offence": "minor_assault"}
    ),
    "domestic violence, elderly": Case(
        site={"population": frozenset({"elderly"})},
        client={"offence": "domestic_violence"},
        broken="offence_safety",
    ),
    "theft, traffic hazard": Case(
        site={"hazards": frozenset({"traffic"})}, client={"offence": "property_theft"}
    ),
    "theft, cash handling": Case(
        site={"hazards": frozenset({"cash_handling"})},
        client={"offence": "property_theft"},
        broken="offence_safety",
    ),
    "narcotics, medicines": Case(
        site={"hazards": frozenset({"medicines"})},
        client={"offence": "narcotics_use"},
        broken="offence_safety",
    ),
    "epilepsy, chemicals": Case(
        site={"hazards": frozenset({"chemicals"})}, client={"health": frozenset({"epilepsy"})}
    ),
    "epilepsy, heights": Case(
        site={"hazards": frozenset({"heights"})},
        client={"health": frozenset({"epilepsy"})},
        broken="health_hazard",
    ),
    "pregnancy and respiratory, heavy lifting": Case(
        site={"hazards": frozenset({"heavy_lifting"})},
        client={"health": frozenset({"respiratory", "pregnancy"})},
        broken="health_hazard",
    ),
    # rule 4: physical demand within fitness (light < moderate < heavy)
    "moderate work, moderate fitness": Case(
        site={"physical_demand": "moderate"}, client={"fitness": "moderate"}
    ),
    "heavy work, moderate fitness": Case(
        site={"physical_demand": "heavy"}, client={"fitness": "moderate"}, broken="physical_demand"
    ),
    "moderate work, light fitness": Case(
        site={"physical_demand": "moderate"}, client={"fitness": "light"}, broken="physical_demand"
    ),
    "heavy work, heavy fitness": Case(
        site={"physical_demand": "heavy"}, client={"fitness": "heavy"}
    ),
    # rule 5: gender policy, female supervisor
    "female-only site, woman": Case(
        site={"gender_policy": "female_only"}, client={"gender": "female"}
    ),
    "female-only site, man": Case(
        site={"gender_policy": "female_only"}, client={"gender": "male"}, broken="gender_policy"
    ),
    "male-only site, man": Case(site={"gender_policy": "male_only"}, client={"gender": "male"}),
    "male-only site, woman": Case(
        site={"gender_policy": "male_only"}, client={"gender": "female"}, broken="gender_policy"
    ),
    "needs female supervisor, female": Case(
        site={"supervisor_gender": "female"},
        client={"gender": "female", "needs_female_supervisor": True},
    ),
    "needs female supervisor, mixed": Case(
        site={"supervisor_gender": "mixed"},
        client={"gender": "female", "needs_female_supervisor": True},
    ),
    "needs female supervisor, male": Case(
        site={"supervisor_gender": "male"},
        client={"gender": "female", "needs_female_supervisor": True},
        broken="female_supervisor",
    ),
    "no need, male supervisor": Case(
        site={"supervisor_gender": "male"}, client={"gender": "female"}
    ),
    # rule 6: a place of worship only for its religion, or with consent
    "mosque, muslim client": Case(site={"religion": "islam"}, client={"religion": "islam"}),
    "mosque, christian without consent": Case(
        site={"religion": "islam"}, client={"religion": "kristen"}, broken="religion"
    ),
    "mosque, christian with consent": Case(
        site={"religion": "islam"}, client={"religion": "kristen", "worship_site_consent": True}
    ),
    "temple, no religion recorded, no consent": Case(
        site={"religion": "hindu"}, client={"religion": ""}, broken="religion"
    ),
    "no religion at the site": Case(site={"religion": ""}, client={"religion": "buddha"}),
    # rule 7: outside every exclusion zone, great circle (no road factor)
    "zone 2 km away, radius 1.5": Case(client=zone(2.0, 1.5)),
    "zone centred on the site": Case(client=zone(0.0, 1.0), broken="exclusion_zone"),
    "zone 1.2 gc km away (1.56 road), radius 1.5": Case(
        client=zone(1.2, 1.5), broken="exclusion_zone"
    ),
    "zone 1.6 gc km away, radius 1.5": Case(client=zone(1.6, 1.5)),
    "second zone covers the site": Case(
        client={
            "exclusion_zones": (
                *zone(5.0, 1.0)["exclusion_zones"],
                *zone(0.5, 1.0)["exclusion_zones"],
            )
        },
        broken="exclusion_zone",
    ),
    # rule 8: ceil(hours / min(hours per day)) <= common working days, holidays excluded
    "5 days needed, plain week, deadline inclusive": Case(client=week(*PLAIN_WEEK)),
    "5 days needed, Christmas week (25 Dec holiday)": Case(
        client=week(*XMAS_WEEK), broken="hours_before_deadline"
    ),
    "4 days needed, Christmas week": Case(client=week(*XMAS_WEEK, hours=32)),
    "site's 4 h/day doubles the days needed": Case(
        site={"hours_per_day": 4}, client=week(*PLAIN_WEEK), broken="hours_before_deadline"
    ),
    "site open only at weekends": Case(
        site={"open_days": WEEKEND}, client=week(*PLAIN_WEEK), broken="hours_before_deadline"
    ),
    "ceil(36 / 8) = 5 days": Case(client=week(*PLAIN_WEEK, hours=36)),
    "ceil(41 / 8) = 6 days": Case(
        client=week(*PLAIN_WEEK, hours=41), broken="hours_before_deadline"
    ),
    # rule 9: a child's order (pelayanan masyarakat): the children's policy
    "child at a suitable site": Case(site=KID_SITE, client=CHILD),
    "child at a site not marked suitable": Case(
        site={**KID_SITE, "child_suitable": False}, client=CHILD, broken="child_site_unsuitable"
    ),
    "adult at a site not marked suitable": Case(site={**KID_SITE, "child_suitable": False}),
    "child at a site with traffic": Case(
        site={**KID_SITE, "hazards": frozenset({"traffic"})}, client=CHILD, broken="child_hazard"
    ),
    "child at a site with heavy lifting": Case(
        site={**KID_SITE, "hazards": frozenset({"heavy_lifting"})},
        client=CHILD,
        broken="child_hazard",
    ),
    "adult at a site with traffic": Case(site={**KID_SITE, "hazards": frozenset({"traffic"})}),
    "child, site open on Saturday too": Case(
        site={**KID_SITE, "open_days": WORKING_WEEK | {"sat"}}, client=CHILD
    ),
    "child: 4 h/day cap doubles the days (8 h verdict)": Case(
        site=KID_SITE,
        client={**CHILD, **week(*PLAIN_WEEK, available_days=ALL_DAYS), "school_days": frozenset()},
        broken="hours_before_deadline",
    ),
}

REASON = {"too_far": "no_site_in_reach", "hours_before_deadline": "deadline_unreachable"}
"""The reason code of an unplaced client whose only site breaks the rule (else no_eligible_site)."""


def pair(case: Case) -> tuple[Site, Client]:
    return site("s1", **case.site), client("c1", **case.client)


def anchored(sites: list[Site], clients: list[Client]) -> Result:
    """``match`` on the given sites and clients plus the far-away anchor pair."""
    anchor_site = site("anchor_site", lat=ANCHOR[0], lon=ANCHOR[1])
    anchor = client("anchor", lat=ANCHOR[0], lon=ANCHOR[1])
    return match([*sites, anchor_site], [*clients, anchor], policy())


def unplaced(result: Result, client_id: str) -> Unplaced:
    return next(u for u in result.unplaced if u.client_id == client_id)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_reference_agrees_on_the_case(case: Case) -> None:
    """The independent reference breaks exactly the rule the case is about (or none)."""
    s, c = pair(case)
    assert failed_rules(c, s, policy()) == ([case.broken] if case.broken else [])


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_match_places_or_explains(case: Case) -> None:
    """match places an eligible pair; otherwise the client is unplaced with the rule's reason
    code, and a no_eligible_site reason counts the site against exactly that rule."""
    s, c = pair(case)
    result = anchored([s], [c])
    assert result.site_of()["anchor"] == "anchor_site"
    if case.broken is None:
        assert result.site_of().get("c1") == "s1"
        return
    assert "c1" not in result.site_of()
    (reason,) = unplaced(result, "c1").reasons
    assert reason.code == REASON.get(case.broken, "no_eligible_site")
    if reason.code == "no_eligible_site":
        assert reason.details["rejected"] == {case.broken: 1}
        assert reason.details["sites_in_reach"] == 1
    elif reason.code == "deadline_unreachable":
        assert reason.details["sites"] == 1
        cite = law_of(c.sentence).pasal_period  # 85(5) KUHP; a child's order: its own law
        assert cite in reason.english and cite in reason.indonesian
    else:
        assert reason.details["max_travel_km"] == (c.max_travel_km or 15.0)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_suggest_ranks_or_explains(case: Case) -> None:
    """suggest ranks the site when the pair is eligible; otherwise nothing is ranked, the
    reason matches match's, and the rejection counts name exactly the broken rule."""
    s, c = pair(case)
    out = suggest([s], c, policy())
    if case.broken is None:
        assert [r.site_id for r in out.ranked] == ["s1"]
        assert out.reason is None
        assert out.rejected == {}
        assert out.sites_in_reach == 1
        return
    assert out.ranked == ()
    assert out.reason is not None
    assert out.reason.code == REASON.get(case.broken, "no_eligible_site")
    assert out.rejected == {case.broken: 1}
    assert out.sites_in_reach == (0 if case.broken == "too_far" else 1)


def test_a_child_site_open_on_school_days_only_clashes_with_school() -> None:
    """A site open Monday to Friday for a child at school Monday to Friday: the school clash
    (children's policy), and so no working day before the deadline either."""
    s, c = pair(Case(site={**KID_SITE, "open_days": WORKING_WEEK}, client=CHILD))
    assert failed_rules(c, s, policy()) == ["hours_before_deadline", "child_school_clash"]
    (reason,) = unplaced(anchored([s], [c]), "c1").reasons
    assert reason.code == "no_eligible_site"
    assert reason.details["rejected"] == {"hours_before_deadline": 1, "child_school_clash": 1}
    assert "sekolah" in reason.indonesian


def test_a_child_may_work_after_school_when_the_policy_allows_it() -> None:
    """With ``after_school_hours = 2`` the school days count again, at 2 hours."""
    from dataclasses import replace as dc_replace

    kids = dc_replace(policy().children, after_school_hours=2)
    p = dc_replace(policy(), children=kids)
    s, c = pair(Case(site={**KID_SITE, "open_days": WORKING_WEEK}, client=CHILD))
    assert failed_rules(c, s, p) == []
    assert match([s], [c], p).site_of() == {"c1": "s1"}


def test_a_child_is_never_placed_beside_an_adult_violent_offender() -> None:
    """Two places at one suitable site, a child and an adult convicted of minor assault (no
    children at the site, so the adult may go there): only one of them is placed there; the
    adult may take the site when the child has another."""
    s1 = site("s1", capacity=2, child_suitable=True)
    kid = client("kid", **CHILD)
    adult = client("adult", offence="minor_assault")
    result = match([s1], [kid, adult], policy())
    assert len(result.placements) == 1
    s2 = site("s2", lat=SITE_AT[0] + 0.01, child_suitable=True)
    both = match([s1, s2], [kid, adult], policy()).site_of()
    assert set(both) == {"kid", "adult"} and both["kid"] != both["adult"]
    calm = client("adult", offence="property_theft")
    assert match([s1], [kid, calm], policy()).site_of() == {"kid": "s1", "adult": "s1"}


def test_a_site_breaking_several_rules_is_counted_under_each() -> None:
    """A site that breaks several rules is counted once under each; two sites breaking the same
    rule count 2; sites out of reach are not counted under the other rules."""
    sites = [
        site("s1", approved=False, commercial=True, physical_demand="heavy"),
        site("s2", lat=SITE_AT[0] + 0.001, commercial=True),
        site("far", lat=SITE_AT[0] + 0.5, approved=False),
    ]
    c = client("c1", fitness="moderate")
    out = suggest(sites, c, policy())
    assert out.rejected == {"not_approved": 1, "commercial": 2, "physical_demand": 1, "too_far": 1}
    result = anchored(sites, [c])
    (reason,) = unplaced(result, "c1").reasons
    assert reason.code == "no_eligible_site"
    assert reason.details["rejected"] == {"not_approved": 1, "commercial": 2, "physical_demand": 1}


def test_deadline_reason_wins_over_other_rules_only_when_a_site_fails_hours_alone() -> None:
    """deadline_unreachable is the reason only when some site in reach fails nothing but the
    hours rule; when every site also fails another rule, it is no_eligible_site."""
    c = client("c1", **week(*XMAS_WEEK))
    both = [site("s1", approved=False), site("s2", lat=SITE_AT[0] + 0.001, hours_per_day=2)]
    out = suggest(both, c, policy())
    assert out.reason is not None and out.reason.code == "deadline_unreachable"
    only_other = [site("s1", approved=False)]
    out = suggest(only_other, c, policy())
    assert out.reason is not None and out.reason.code == "no_eligible_site"
    assert out.rejected == {"not_approved": 1, "hours_before_deadline": 1}


def test_match_without_any_eligible_arc() -> None:
    """A cohort where no pair is eligible (here: the only site is not approved) is a normal
    outcome: everyone unplaced with a reason, nothing raised."""
    result = match([site("s1", approved=False)], [client("c1")], policy())
    assert result.summary.placed == 0
    assert unplaced(result, "c1").reasons[0].code == "no_eligible_site"


def test_match_without_sites() -> None:
    """With no sites at all every client is unplaced with no_site_in_reach."""
    result = match([], [client("c1")], policy())
    assert [u.reasons[0].code for u in result.unplaced] == ["no_site_in_reach"]


# ---------------------------------------------------------------------------------------------
# Placement rules: capacity, separate_from, fixed_site_id, current_site_id


def near(site_id: str, km: float, **fields: Any) -> Site:
    """A site ``km`` great-circle km north of the default client's home."""
    lat, lon = north(1.0 + km, SITE_AT)
    return site(site_id, lat=lat, lon=lon, **fields)


def test_capacity_is_respected() -> None:
    """Hard: a site with room for one takes one of two clients; the other is unplaced with
    eligible_sites_full naming the site. With room for two, both are placed."""
    clients = [client("c1"), client("c2")]
    result = match([site("s1", capacity=1)], clients, policy())
    assert result.summary.placed == 1
    (u,) = result.unplaced
    assert u.reasons[0].code == "eligible_sites_full"
    assert u.reasons[0].details["site_ids"] == ["s1"]
    assert match([site("s1", capacity=2)], clients, policy()).summary.placed == 2


@pytest.mark.parametrize("declared_by", ["c1", "c2", "both"])
def test_separate_from_is_symmetric(declared_by: str) -> None:
    """Hard: co-offenders never share a site, whichever side declares separate_from; the one
    left out is unplaced with separation_conflict naming the site."""
    apart = {"c1": {"c2"}, "c2": {"c1"}}
    clients = [
        client(cid, separate_from=frozenset(apart[cid] if declared_by in (cid, "both") else ()))
        for cid in ("c1", "c2")
    ]
    result = match([site("s1", capacity=2)], clients, policy())
    assert result.summary.placed == 1
    (u,) = result.unplaced
    assert u.reasons[0].code == "separation_conflict"
    assert u.reasons[0].details["site_ids"] == ["s1"]


def test_separated_clients_are_placed_apart_when_possible() -> None:
    """With two sites the separated pair are both placed, at different sites, even though
    both prefer the nearer one (lexicographic: placements first)."""
    clients = [client("c1", separate_from=frozenset({"c2"})), client("c2")]
    sites = [site("s1", capacity=2), near("s2", 3.0, capacity=2)]
    result = match(sites, clients, policy())
    assert result.summary.placed == 2
    assert set(result.site_of().values()) == {"s1", "s2"}


def test_fixed_site_is_used_even_when_another_is_cheaper() -> None:
    """A court-fixed site is where the client goes, pinned, though a nearer site has room."""
    sites = [site("s1"), near("s2", 5.0)]
    result = match(sites, [client("c1", fixed_site_id="s2")], policy())
    (p,) = result.placements
    assert (p.site_id, p.pinned) == ("s2", True)


def test_ineligible_fixed_site_alone() -> None:
    """A lone client whose court-fixed site is ineligible is unplaced with
    fixed_site_ineligible, even though another site would take it."""
    sites = [site("s1"), near("s2", 2.0, approved=False)]
    result = match(sites, [client("c1", fixed_site_id="s2")], policy())
    assert unplaced(result, "c1").reasons[0].code == "fixed_site_ineligible"


def test_ineligible_fixed_site_is_not_replaced() -> None:
    """A client whose court-fixed site breaks rules is unplaced with fixed_site_ineligible and
    the failed rules (too far and not approved), never moved to another eligible site."""
    sites = [site("s1", capacity=2), near("s2", 20.0, approved=False)]
    clients = [client("c1", fixed_site_id="s2"), client("c2")]
    result = match(sites, clients, policy())
    assert result.site_of() == {"c2": "s1"}
    (reason,) = unplaced(result, "c1").reasons
    assert reason.code == "fixed_site_ineligible"
    assert sorted(reason.details["failed_rules"]) == ["not_approved", "too_far"]


def test_fixed_site_full_goes_to_the_first_client() -> None:
    """Two clients fixed to a site with room for one: the first in input order is pinned, the
    second unplaced with fixed_site_full (and not moved elsewhere)."""
    sites = [site("s1"), near("s2", 1.0, capacity=1)]
    clients = [client("c1", fixed_site_id="s2"), client("c2", fixed_site_id="s2")]
    result = match(sites, clients, policy())
    assert result.site_of() == {"c1": "s2"}
    assert unplaced(result, "c2").reasons[0].code == "fixed_site_full"


def test_current_site_is_kept_and_counts_against_capacity() -> None:
    """An existing placement that is still eligible is kept (pinned) although a nearer site
    exists, and takes the place: a newcomer who would be nearer goes elsewhere."""
    sites = [site("s1"), near("s2", 4.0, capacity=1)]
    c1 = client("c1", current_site_id="s2")
    lat, lon = north(5.0, SITE_AT)
    c2 = client("c2", lat=lat, lon=lon)  # lives by s2
    result = match(sites, [c1, c2], policy())
    assert result.site_of() == {"c1": "s2", "c2": "s1"}
    assert {p.client_id: p.pinned for p in result.placements} == {"c1": True, "c2": False}


def test_current_site_no_longer_eligible_is_left() -> None:
    """A current site that is no longer eligible (now commercial) is left: the client is placed
    at an eligible site, not pinned."""
    sites = [site("s1"), near("s2", 1.0, commercial=True)]
    result = match(sites, [client("c1", current_site_id="s2")], policy())
    (p,) = result.placements
    assert (p.site_id, p.pinned) == ("s1", False)


def test_current_site_shared_with_a_fixed_co_offender_is_left() -> None:
    """A current placement at the site of a court-fixed co-offender is not kept (fixed pins
    come first), and the client goes to another site."""
    sites = [site("s1", capacity=2), near("s2", 1.0)]
    clients = [
        client("c1", current_site_id="s1", separate_from=frozenset({"c2"})),
        client("c2", fixed_site_id="s1"),
    ]
    result = match(sites, clients, policy())
    assert result.site_of() == {"c1": "s2", "c2": "s1"}
    assert {p.client_id: p.pinned for p in result.placements} == {"c1": False, "c2": True}


def test_current_site_out_of_everyones_reach() -> None:
    """A client whose current site is now out of reach, with no site in reach at all, is
    unplaced with no_site_in_reach, by match and by suggest."""
    far = near("s1", 30.0)
    c = client("c1", current_site_id="s1")
    reason = suggest([far], c, policy()).reason
    assert reason is not None and reason.code == "no_site_in_reach"
    result = match([far], [c], policy())
    assert unplaced(result, "c1").reasons[0].code == "no_site_in_reach"


# ---------------------------------------------------------------------------------------------
# suggest: ranking and room


def suggestion_sites() -> list[Site]:
    return [
        site("s1", capacity=2),
        near("s2", 2.0, capacity=3, work_types=frozenset({"cleaning"})),
        near("s3", 1.0, commercial=True),
    ]


def test_suggest_ranks_by_cost_with_the_skill_bonus() -> None:
    """Suggestions come cheapest first: a skill match 2.6 km away (cost 600 m) beats a plain
    site 1.3 km away (1300 m); the commercial site is counted, not ranked."""
    out = suggest(suggestion_sites(), client("c1", skills=frozenset({"cleaning"})), policy())
    assert [(s.site_id, s.terms.cost_m, s.room) for s in out.ranked] == [
        ("s2", 600, 3),
        ("s1", 1300, 2),
    ]
    assert out.ranked[0].terms.skill_match and out.ranked[0].terms.skill_bonus_m == 2000
    assert out.rejected == {"commercial": 1}
    assert out.sites_in_reach == 3
    assert [s.site_id for s in suggest(suggestion_sites(), client("c1"), policy()).ranked] == [
        "s1",
        "s2",
    ]


def test_suggest_respects_top_and_room() -> None:
    """``top`` cuts the list; ``room`` (free places now) moves full sites to eligible_full and,
    when none has room, the reason is eligible_sites_full."""
    sites, c = suggestion_sites(), client("c1", skills=frozenset({"cleaning"}))
    assert [s.site_id for s in suggest(sites, c, policy(), top=1).ranked] == ["s2"]
    out = suggest(sites, c, policy(), room=np.array([0, 1, 0]))
    assert [(s.site_id, s.room) for s in out.ranked] == [("s2", 1)]
    assert out.eligible_full == ("s1",)
    out = suggest(sites, c, policy(), room=np.array([0, 0, 0]))
    assert out.ranked == ()
    assert set(out.eligible_full) == {"s1", "s2"}
    assert out.reason is not None and out.reason.code == "eligible_sites_full"


def test_suggest_respects_a_court_fixed_site() -> None:
    """For a client with a court-fixed site, suggest agrees with match: it offers only the fixed
    site, and when that site is ineligible it offers nothing, with fixed_site_ineligible."""
    sites = [site("s1"), near("s2", 3.0), near("s3", 1.0, approved=False)]
    out = suggest(sites, client("c1", fixed_site_id="s2"), policy())
    assert [s.site_id for s in out.ranked] == ["s2"]
    out = suggest(sites, client("c1", fixed_site_id="s3"), policy())
    assert out.ranked == ()
    assert out.reason is not None and out.reason.code == "fixed_site_ineligible"
