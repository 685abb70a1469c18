"""An independent reference for the matcher, written from the contract, not from the engine.

* ``failed_rules(client, site, policy)``: the eight eligibility rules for one pair, with plain
  Python loops, ``math``, ``datetime`` and ``holidays`` (nothing from ``matcher.eligibility``,
  ``matcher.workdays`` or ``geo``). Rule keys are the reason codes of the contract.
* ``solve_mip(sites, clients, policy)``: the exact lexicographic optimum (most placed, then least
  total cost) as a MIP solved twice with OR-Tools' pywraplp (SCIP): first max placed, then, with
  placed fixed at that maximum, min cost.

Pins, as the contract states them: court-fixed placements first, then still-eligible current
placements, each pass in client order; a pin takes a place only where its site has room left and
no separate_from partner is already pinned there. A client with a fixed site is only ever placed
at that site; a client whose current site cannot be kept competes like any other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays
from ortools.linear_solver import pywraplp

from matcher.model import Client, Site
from matcher.policy import Policy

R_KM = 6371.0088
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
LEVELS = {"light": 0, "moderate": 1, "heavy": 2}


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on the sphere of radius 6371.0088 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def road_km(c: Client, s: Site, policy: Policy) -> float:
    """The road estimate: great-circle km times the road factor."""
    return great_circle_km(c.lat, c.lon, s.lat, s.lon) * policy.road_factor


def cost_m(c: Client, s: Site, policy: Policy) -> int:
    """Integer cost: road metres, minus the skill bonus when skills meet the site's work."""
    metres = round(road_km(c, s, policy) * 1000)
    return metres - (policy.skill_bonus_m if c.skills & s.work_types else 0)


@cache
def _is_holiday(d: date) -> bool:
    return d in _calendar(d.year)


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


def working_days(c: Client, s: Site) -> int:
    """Dates from start to deadline (inclusive) on a common weekday that are not holidays."""
    return _working_days(c.start_date, c.deadline, c.available_days & s.open_days)


@cache
def _working_days(start: date, deadline: date, days: frozenset[str]) -> int:
    n = 0
    d = start
    while d <= deadline:
        if DAY_NAMES[d.weekday()] in days and not _is_holiday(d):
            n += 1
        d += timedelta(days=1)
    return n


def failed_rules(c: Client, s: Site, policy: Policy) -> list[str]:
    """The rule keys that the pair (c, s) breaks; empty when the pair is eligible."""
    failed = []
    # 1: approved, not commercial, some capacity
    if not s.approved:
        failed.append("not_approved")
    if s.commercial:
        failed.append("commercial")
    if s.capacity <= 0:
        failed.append("no_capacity")
    # 2: within the client's road-distance limit
    reach = c.max_travel_km if c.max_travel_km is not None else policy.max_travel_km
    if road_km(c, s, policy) > reach:
        failed.append("too_far")
    # 3: offence and health safety
    bad_people = policy.offence_populations.get(c.offence, frozenset())
    bad_hazards = policy.offence_hazards.get(c.offence, frozenset())
    if (s.population & bad_people) or (s.hazards & bad_hazards):
        failed.append("offence_safety")
    for flag in c.health:
        if s.hazards & policy.health_hazards.get(flag, frozenset()):
            failed.append("health_hazard")
            break
    # 4: physical demand within fitness
    if LEVELS[s.physical_demand] > LEVELS[c.fitness]:
        failed.append("physical_demand")
    # 5: gender policy, female supervisor
    if s.gender_policy == "female_only" and c.gender != "female":
        failed.append("gender_policy")
    if s.gender_policy == "male_only" and c.gender != "male":
        failed.append("gender_policy")
    if c.needs_female_supervisor and s.supervisor_gender not in ("female", "mixed"):
        failed.append("female_supervisor")
    # 6: places of worship
    if s.religion and s.religion != c.religion and not c.worship_site_consent:
        failed.append("religion")
    # 7: outside every victim exclusion zone (great circle, no road factor)
    for z in c.exclusion_zones:
        if not great_circle_km(z.lat, z.lon, s.lat, s.lon) > z.radius_km:
            failed.append("exclusion_zone")
            break
    # 8: enough common working days before the deadline (a child: outside school, policy cap)
    kids = policy.children
    child = c.sentence == "pelayanan_masyarakat"
    days = c.available_days
    per_day = min(c.hours_per_day, s.hours_per_day)
    if child:
        if kids.after_school_hours == 0:
            days = days - c.school_days
        per_day = min(per_day, kids.max_hours_per_day)
    if math.ceil(c.hours / per_day) > _working_days(c.start_date, c.deadline, days & s.open_days):
        failed.append("hours_before_deadline")
    # 9: children's policy
    if child:
        if kids.suitable_sites_only and not s.child_suitable:
            failed.append("child_site_unsuitable")
        if s.hazards & kids.forbidden_hazards:
            failed.append("child_hazard")
        if not days & s.open_days:
            failed.append("child_school_clash")
    return failed


def is_eligible(c: Client, s: Site, policy: Policy) -> bool:
    return not failed_rules(c, s, policy)


@dataclass(frozen=True)
class Solution:
    """The reference optimum: placements (client id -> site id), their count and total cost."""

    site_of: dict[str, str]
    placed: int
    objective: int
    pinned: frozenset[str]


def _partners(clients: Sequence[Client]) -> dict[str, set[str]]:
    ids = {c.client_id for c in clients}
    out: dict[str, set[str]] = {c.client_id: set() for c in clients}
    for c in clients:
        for o in c.separate_from:
            if o in ids and o != c.client_id:
                out[c.client_id].add(o)
                out[o].add(c.client_id)
    return out


def solve_mip(sites: Sequence[Site], clients: Sequence[Client], policy: Policy) -> Solution:
    """The exact lexicographic optimum under the contract (see the module docstring)."""
    by_id = {s.site_id: s for s in sites}
    partners = _partners(clients)
    eligible = {
        (c.client_id, s.site_id) for c in clients for s in sites if is_eligible(c, s, policy)
    }
    room = {s.site_id: s.capacity for s in sites}
    at: dict[str, str] = {}  # pinned client -> site

    def pin(c: Client, sid: str) -> bool:
        clash = any(at.get(q) == sid for q in partners[c.client_id])
        if room[sid] > 0 and not clash:
            at[c.client_id] = sid
            room[sid] -= 1
            return True
        return False

    for c in clients:  # court-fixed first, in client order
        if c.fixed_site_id and (c.client_id, c.fixed_site_id) in eligible:
            pin(c, c.fixed_site_id)
    for c in clients:  # then current placements that are still eligible
        if c.fixed_site_id or c.client_id in at or not c.current_site_id:
            continue
        if (c.client_id, c.current_site_id) in eligible:
            pin(c, c.current_site_id)

    free = [c for c in clients if not c.fixed_site_id and c.client_id not in at]
    arcs: dict[tuple[str, str], int] = {}
    for c in free:
        for s in sites:
            blocked = any(at.get(q) == s.site_id for q in partners[c.client_id])
            if room[s.site_id] > 0 and not blocked and (c.client_id, s.site_id) in eligible:
                arcs[c.client_id, s.site_id] = cost_m(c, s, policy)

    chosen = _lexicographic(arcs, room, partners) if arcs else {}
    site_of = {**at, **chosen}
    by_cid = {c.client_id: c for c in clients}
    objective = sum(cost_m(by_cid[cid], by_id[sid], policy) for cid, sid in site_of.items())
    return Solution(site_of, len(site_of), objective, frozenset(at))


def _lexicographic(
    arcs: dict[tuple[str, str], int], room: dict[str, int], partners: dict[str, set[str]]
) -> dict[str, str]:
    """Two SCIP solves over the free arcs: max placed, then min cost with placed fixed."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    assert solver is not None, "OR-Tools was built without SCIP"
    x = {a: solver.BoolVar(f"x_{a[0]}_{a[1]}") for a in arcs}
    by_client: dict[str, list[pywraplp.Variable]] = {}
    by_site: dict[str, list[pywraplp.Variable]] = {}
    for (cid, sid), v in x.items():
        by_client.setdefault(cid, []).append(v)
        by_site.setdefault(sid, []).append(v)
    for vs in by_client.values():
        # every client at one site at most
        solver.Add(solver.Sum(vs) <= 1)
    for sid, vs in by_site.items():
        # a site takes no more clients than its room left after the pins
        solver.Add(solver.Sum(vs) <= room[sid])
    for (cid, sid), v in x.items():
        for other in partners[cid]:
            if other > cid and (other, sid) in x:
                # co-offenders never share a site
                solver.Add(v + x[other, sid] <= 1)
    exact = pywraplp.MPSolverParameters()
    exact.SetDoubleParam(exact.RELATIVE_MIP_GAP, 0.0)  # the default 1e-4 would allow metres off
    placed = solver.Sum(list(x.values()))
    solver.Maximize(placed)
    status = solver.Solve(exact)
    assert status == pywraplp.Solver.OPTIMAL, f"SCIP status {status} (max placed)"
    most = round(solver.Objective().Value())
    solver.Add(placed == most)
    solver.Minimize(solver.Sum([cost * x[a] for a, cost in arcs.items()]))
    status = solver.Solve(exact)
    assert status == pywraplp.Solver.OPTIMAL, f"SCIP status {status} (min cost)"
    return {c: s for (c, s), v in x.items() if v.solution_value() > 0.5}
