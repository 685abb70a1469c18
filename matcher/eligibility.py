"""Eligibility: which (client, site) pairs are allowed, and why the others are not.

Every rule is one vectorised mask over candidate arcs (never a loop over pairs). All must hold:

rule  key                    holds when                                                KUHP
1     not_approved           the site is approved by the Pemda
1     commercial             the site is not commercial                                85(3)
1     no_capacity            the site's capacity is above 0
2     too_far                road estimate <= the client's max_travel_km
3     offence_safety         no population / hazard forbidden by the offence policy    85(2)
3     health_hazard          no hazard forbidden by the client's health                85(2)
4     physical_demand        the site's physical demand <= the client's fitness        85(2)
5     gender_policy          the site admits the client's gender
5     female_supervisor      a female or mixed supervisor where the client needs one
6     religion               no religion, the client's religion, or recorded consent   85(2)
7     exclusion_zone         the site lies outside every victim exclusion zone
8     hours_before_deadline  ceil(hours / min(hours per day)) <= common working days   85(5)
9     child_site_unsuitable  a child only at a site marked child_suitable               policy
9     child_hazard           a child's site has none of the children's forbidden hazards policy
9     child_school_clash     a child and the site share a day outside school            policy

Rules 9 are the children's policy (``[children]`` in policy.toml; texts in ``matcher.rules``);
they hold for every adult. For a child, rule 8 counts only the days outside school (unless the
policy allows hours after school) at min(verdict, site, the children's hours a day). The rule
"never beside an adult sexual or violent offender" is between clients, not a pair property: the
pipeline adds it as separation pairs (``matcher.pipeline``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geo.candidates import Arcs, arcs_within
from geo.distance import haversine_km
from matcher import rules as _texts
from matcher.model import Client, Site
from matcher.policy import Policy
from matcher.vocab import DEMANDS, HAZARDS, POPULATIONS, RELIGIONS, WORK_TYPES
from matcher.workdays import day_bits, weekday_counts, workday_table


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    number: int
    pasal: str
    id: str
    en: str


RULES: tuple[Rule, ...] = (
    Rule("not_approved", 1, "", "lokasi belum disetujui", "site not approved"),
    Rule("commercial", 1, "Pasal 85(3)", "lokasi bersifat komersial", "site is commercial"),
    Rule("no_capacity", 1, "", "kapasitas lokasi 0", "site capacity is 0"),
    Rule("too_far", 2, "", "terlalu jauh dari rumah", "too far from home"),
    Rule(
        "offence_safety",
        3,
        "Pasal 85(2)",
        "tidak aman untuk jenis tindak pidana",
        "unsafe for the offence",
    ),
    Rule(
        "health_hazard",
        3,
        "Pasal 85(2)",
        "bahaya bagi kesehatan klien",
        "hazard for the client's health",
    ),
    Rule(
        "physical_demand",
        4,
        "Pasal 85(2)",
        "pekerjaan terlalu berat",
        "work too heavy for the client",
    ),
    Rule("gender_policy", 5, "", "lokasi khusus gender lain", "site is for the other gender"),
    Rule("female_supervisor", 5, "", "tidak ada pembimbing perempuan", "no female supervisor"),
    Rule(
        "religion",
        6,
        "Pasal 85(2)",
        "tempat ibadah agama lain tanpa persetujuan",
        "place of worship without consent",
    ),
    Rule(
        "exclusion_zone", 7, "", "di dalam zona larangan (korban)", "inside a victim exclusion zone"
    ),
    Rule(
        "hours_before_deadline",
        8,
        "Pasal 85(5)",
        "jam kerja tidak cukup sebelum tenggat",
        "hours cannot be done before the deadline",
    ),
    *(
        Rule(key, 9, "", _texts.RULES[key].id, _texts.RULES[key].en)
        for key in ("child_site_unsuitable", "child_hazard", "child_school_clash")
    ),
)
RULE_INDEX = {r.key: i for i, r in enumerate(RULES)}


def _bits(names: frozenset[str], vocab: list[str]) -> int:
    return sum(1 << vocab.index(n) for n in names)


_POP = sorted(POPULATIONS)
_HAZ = sorted(HAZARDS)
_WORK = sorted(WORK_TYPES)
_REL = ["", *sorted(RELIGIONS)]


def _days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


@dataclass(frozen=True)
class SiteArrays:
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    capacity: NDArray[np.int64]
    approved: NDArray[np.bool_]
    commercial: NDArray[np.bool_]
    population: NDArray[np.int64]
    hazards: NDArray[np.int64]
    demand: NDArray[np.int8]
    gender_policy: NDArray[np.int8]  # 0 any, 1 female_only, 2 male_only
    female_supervision: NDArray[np.bool_]
    religion: NDArray[np.int8]
    work_types: NDArray[np.int64]
    open_bits: NDArray[np.int64]
    hours_per_day: NDArray[np.int64]
    child_suitable: NDArray[np.bool_]

    @classmethod
    def of(cls, sites: list[Site]) -> SiteArrays:
        def arr(values: list[Any], dtype: type) -> NDArray[Any]:
            return np.array(values, dtype=dtype)

        gp = {"any": 0, "female_only": 1, "male_only": 2}
        return cls(
            lat=arr([s.lat for s in sites], np.float64),
            lon=arr([s.lon for s in sites], np.float64),
            capacity=arr([s.capacity for s in sites], np.int64),
            approved=arr([s.approved for s in sites], np.bool_),
            commercial=arr([s.commercial for s in sites], np.bool_),
            population=arr([_bits(s.population, _POP) for s in sites], np.int64),
            hazards=arr([_bits(s.hazards, _HAZ) for s in sites], np.int64),
            demand=arr([DEMANDS.index(s.physical_demand) for s in sites], np.int8),
            gender_policy=arr([gp[s.gender_policy] for s in sites], np.int8),
            female_supervision=arr(
                [s.supervisor_gender in ("female", "mixed") for s in sites], np.bool_
            ),
            religion=arr([_REL.index(s.religion) for s in sites], np.int8),
            work_types=arr([_bits(s.work_types, _WORK) for s in sites], np.int64),
            open_bits=arr([day_bits(s.open_days) for s in sites], np.int64),
            hours_per_day=arr([s.hours_per_day for s in sites], np.int64),
            child_suitable=arr([s.child_suitable for s in sites], np.bool_),
        )


@dataclass(frozen=True)
class ClientArrays:
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    reach_km: NDArray[np.float64]
    forbid_population: NDArray[np.int64]
    forbid_offence_hazards: NDArray[np.int64]
    forbid_health_hazards: NDArray[np.int64]
    fitness: NDArray[np.int8]
    female: NDArray[np.bool_]
    needs_female_supervisor: NDArray[np.bool_]
    religion: NDArray[np.int8]
    consent: NDArray[np.bool_]
    skills: NDArray[np.int64]
    hours: NDArray[np.int64]
    hours_per_day: NDArray[np.int64]
    workdays: NDArray[np.int32]  # (n, 128) working days per site open-days bitmask
    zone_client: NDArray[np.int64]
    zone_lat: NDArray[np.float64]
    zone_lon: NDArray[np.float64]
    zone_radius_km: NDArray[np.float64]
    child: NDArray[np.bool_]
    work_bits: NDArray[np.int64]  # weekdays the client may work (a child: outside school)
    child_suitable_only: bool = True
    child_hazards: int = 0

    @classmethod
    def of(cls, clients: list[Client], policy: Policy) -> ClientArrays:
        op, oh, hh = policy.offence_populations, policy.offence_hazards, policy.health_hazards
        kids = policy.children
        zones = [(i, z) for i, c in enumerate(clients) for z in c.exclusion_zones]
        work_bits = np.array([day_bits(work_days(c, policy)) for c in clients], np.int64)
        counts = weekday_counts(
            np.array([_days(c.start_date) for c in clients], np.int64),
            np.array([_days(c.deadline) for c in clients], np.int64),
            work_bits,
        )
        return cls(
            lat=np.array([c.lat for c in clients], np.float64),
            lon=np.array([c.lon for c in clients], np.float64),
            reach_km=np.array(
                [
                    c.max_travel_km if c.max_travel_km is not None else policy.max_travel_km
                    for c in clients
                ],
                np.float64,
            ),
            forbid_population=np.array(
                [_bits(op.get(c.offence, frozenset()), _POP) for c in clients], np.int64
            ),
            forbid_offence_hazards=np.array(
                [_bits(oh.get(c.offence, frozenset()), _HAZ) for c in clients], np.int64
            ),
            forbid_health_hazards=np.array(
                [
                    _bits(frozenset().union(*(hh.get(h, frozenset()) for h in c.health)), _HAZ)
                    for c in clients
                ],
                np.int64,
            ),
            fitness=np.array([DEMANDS.index(c.fitness) for c in clients], np.int8),
            female=np.array([c.gender == "female" for c in clients], np.bool_),
            needs_female_supervisor=np.array(
                [c.needs_female_supervisor for c in clients], np.bool_
            ),
            religion=np.array([_REL.index(c.religion) for c in clients], np.int8),
            consent=np.array([c.worship_site_consent for c in clients], np.bool_),
            skills=np.array([_bits(c.skills, _WORK) for c in clients], np.int64),
            hours=np.array([c.hours for c in clients], np.int64),
            hours_per_day=np.array([day_limit(c, policy) for c in clients], np.int64),
            workdays=workday_table(counts),
            zone_client=np.array([i for i, _ in zones], np.int64),
            zone_lat=np.array([z.lat for _, z in zones], np.float64),
            zone_lon=np.array([z.lon for _, z in zones], np.float64),
            zone_radius_km=np.array([z.radius_km for _, z in zones], np.float64),
            child=np.array([c.is_child for c in clients], np.bool_),
            work_bits=work_bits,
            child_suitable_only=kids.suitable_sites_only,
            child_hazards=_bits(kids.forbidden_hazards, _HAZ),
        )


def work_days(client: Client, policy: Policy) -> frozenset[str]:
    """The weekdays a client may work: a child's school days only when the policy allows hours
    after school."""
    if client.is_child and policy.children.after_school_hours == 0:
        return client.available_days - client.school_days
    return client.available_days


def day_limit(client: Client, policy: Policy) -> int:
    """The verdict's hours a day; for a child, capped by the children's policy."""
    if client.is_child:
        return min(client.hours_per_day, policy.children.max_hours_per_day)
    return client.hours_per_day


def rule_masks(arcs: Arcs, c: ClientArrays, s: SiteArrays) -> NDArray[np.bool_]:
    """(len(RULES), len(arcs)) boolean: True where the arc passes that rule."""
    ci, si = arcs.client, arcs.site
    out = np.ones((len(RULES), len(arcs)), np.bool_)
    out[RULE_INDEX["not_approved"]] = s.approved[si]
    out[RULE_INDEX["commercial"]] = ~s.commercial[si]
    out[RULE_INDEX["no_capacity"]] = s.capacity[si] > 0
    out[RULE_INDEX["too_far"]] = arcs.distance_km <= c.reach_km[ci]
    out[RULE_INDEX["offence_safety"]] = ((s.population[si] & c.forbid_population[ci]) == 0) & (
        (s.hazards[si] & c.forbid_offence_hazards[ci]) == 0
    )
    out[RULE_INDEX["health_hazard"]] = (s.hazards[si] & c.forbid_health_hazards[ci]) == 0
    out[RULE_INDEX["physical_demand"]] = s.demand[si] <= c.fitness[ci]
    gp = s.gender_policy[si]
    female = c.female[ci]
    out[RULE_INDEX["gender_policy"]] = (gp == 0) | ((gp == 1) & female) | ((gp == 2) & ~female)
    out[RULE_INDEX["female_supervisor"]] = ~c.needs_female_supervisor[ci] | s.female_supervision[si]
    rel = s.religion[si]
    out[RULE_INDEX["religion"]] = (rel == 0) | (rel == c.religion[ci]) | c.consent[ci]
    out[RULE_INDEX["exclusion_zone"]] = ~_in_zones(arcs, c, s)
    child = c.child[ci]
    if c.child_suitable_only:
        out[RULE_INDEX["child_site_unsuitable"]] = ~child | s.child_suitable[si]
    out[RULE_INDEX["child_hazard"]] = ~child | ((s.hazards[si] & c.child_hazards) == 0)
    out[RULE_INDEX["child_school_clash"]] = ~child | ((c.work_bits[ci] & s.open_bits[si]) != 0)
    h = np.minimum(c.hours_per_day[ci], s.hours_per_day[si])
    days_needed = -(-c.hours[ci] // np.maximum(h, 1))
    out[RULE_INDEX["hours_before_deadline"]] = days_needed <= c.workdays[ci, s.open_bits[si]]
    return out


def _in_zones(arcs: Arcs, c: ClientArrays, s: SiteArrays) -> NDArray[np.bool_]:
    """True for arcs whose site lies within one of the client's exclusion zones (great circle)."""
    hit = np.zeros(len(arcs), np.bool_)
    if c.zone_client.size == 0 or len(arcs) == 0:
        return hit
    n = c.lat.shape[0]
    per_client = np.bincount(c.zone_client, minlength=n)
    first = np.concatenate(([0], np.cumsum(per_client)[:-1]))
    order = np.argsort(c.zone_client, kind="stable")
    rep = per_client[arcs.client]
    arc_idx = np.repeat(np.arange(len(arcs)), rep)
    if arc_idx.size == 0:
        return hit
    within = np.arange(arc_idx.size) - np.repeat(np.cumsum(rep) - rep, rep)
    zone = order[first[arcs.client[arc_idx]] + within]
    si = arcs.site[arc_idx]
    d = haversine_km(c.zone_lat[zone], c.zone_lon[zone], s.lat[si], s.lon[si])
    np.logical_or.at(hit, arc_idx[d <= c.zone_radius_km[zone]], True)
    return hit


@dataclass(frozen=True)
class Eligibility:
    """Candidate arcs with their rule outcomes, and per-client rejection counts.

    Attributes
    ----------
    arcs:
        Every arc in reach plus each client's fixed/current site pair (even out of reach).
    passes:
        (len(RULES), len(arcs)): True where the arc passes the rule.
    eligible:
        Arcs that pass every rule.
    in_reach:
        Per client, how many sites lie within its reach.
    rejected:
        (n_clients, len(RULES)): sites in reach rejected by each rule (a site may fail several);
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
    rejected = np.zeros((len(clients), len(RULES)), np.int64)
    reached = passes[RULE_INDEX["too_far"]]
    for k in range(len(RULES)):
        if RULES[k].key == "too_far":
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
