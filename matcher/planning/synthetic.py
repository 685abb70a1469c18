"""Seeded synthetic districts: Banyumas-like sites and clients that follow the data contract.

The one generator of client and site attributes (on :mod:`matcher.vocab`); the points they
stand on are scattered by :mod:`geo.scatter`.

Everything random comes from ``numpy.random.default_rng``, seeded from the ``seed`` argument
through a ``SeedSequence`` with one child stream per stage (layout, sites, clients, links
between them), so that the same seed always gives the same district, and asking for more
clients does not move the sites. Sampling is vectorised with numpy; the record dicts are
built at the end.

Conventions of the generated records (DESIGN.md, "Data contract"): native types; dates as ISO
strings; lists as lists (``[]`` when empty); an absent optional value (a site's ``religion``
outside places of worship, ``max_travel_km``, ``fixed_site_id``, ``current_site_id``) is
``None``; coordinates rounded to 6 decimals. Court orders are generated internally consistent
(Pasal 85: 8-240 hours, at most 8 hours a day, the deadline at most 6 months after the start
and late enough for the hours on the client's available weekdays). Nothing else is checked:
a court-fixed site may well be ineligible for its client, as happens in practice.

Children (pidana pelayanan masyarakat, UU No. 11 Tahun 2012) come from a stream of their own
and are appended after the adults, so asking for a few children changes no adult record: ages 12
to 17, 7 to 120 hours in whole days of 2 or 3 hours, school Monday to Friday, working on weekend
days. A site is marked ``child_suitable`` by its kind and hazards alone (no random draw), so the
sites' other attributes and every adult's result stay as they were.

Site kinds and their attribute profiles are data (``matcher/planning/data/synth-sites.toml``);
client shares are the constants below. Both are plausible guesses for a Javanese kabupaten, not
statistics: they exist to give the matcher realistic variety and realistic conflicts.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from geo.district import locate_index, write_areas
from geo.io import PathLike, write_clients, write_sites
from geo.scatter import (
    Layout,
    district_layout,
    offset_deg,
    pick_areas,
    region_layout,
    scatter,
    unit_xyz,
)
from matcher import vocab

if TYPE_CHECKING:
    import geopandas as gpd

BASE_DATE = date(2026, 12, 1)
"""Court orders start within 30 days of this date (a fixed date, never "today": determinism)."""

# The vocabularies in their declared order (the order draws are made in: determinism).
WEEKDAYS: tuple[str, ...] = vocab.WEEKDAYS
WORK_TYPES: tuple[str, ...] = get_args(vocab.WorkType)
POPULATIONS: tuple[str, ...] = get_args(vocab.Population)
HAZARDS: tuple[str, ...] = get_args(vocab.Hazard)
DEMANDS: tuple[str, ...] = vocab.DEMANDS
RELIGIONS: tuple[str, ...] = get_args(vocab.ReligionName)
CHILD_KINDS = frozenset(
    {"school", "social_institution", "park", "village_office", "place_of_worship", "pesantren"}
)
"""Kinds a Bapas would mark suitable for children (a guess for the synthetic data)."""
CHILD_HAZARDS = frozenset({"heights", "chemicals", "heavy_lifting", "traffic", "cash_handling"})

# ---------------------------------------------------------------------------------------------
# Sites: kinds, and variants of each kind with their attribute profiles

SITE_KINDS: tuple[str, ...] = get_args(vocab.SiteKind)

_OPEN_DAYS: Mapping[str, tuple[str, ...]] = {
    "mon_fri": WEEKDAYS[:5],
    "mon_sat": WEEKDAYS[:6],
    "all_week": WEEKDAYS,
    "tue_sun": WEEKDAYS[1:],
}

_PROFILE_FILE = "synth-sites.toml"


@dataclass(frozen=True)
class _Variant:
    """One kind of place (a mosque, an SD, a panti wreda) and how its attributes are drawn.

    See ``matcher/planning/data/synth-sites.toml`` for the meaning of each field.
    """

    kind: str
    share: float  # of all sites
    names: tuple[str, ...]
    nouns: tuple[str, ...]
    population: Mapping[str, float]
    hazards: Mapping[str, float]
    work_types: Mapping[str, float]
    open_days: Mapping[str, float]
    demand: tuple[float, ...]
    supervisor: tuple[float, ...]
    gender_policy: tuple[float, ...]
    commercial: float
    religion: str | None
    extra_capacity: int


@dataclass(frozen=True)
class _SiteProfiles:
    variants: tuple[_Variant, ...]
    desa: tuple[str, ...]


@lru_cache(maxsize=1)
def _site_profiles() -> _SiteProfiles:
    """The packaged site profiles, checked against the vocabularies (a typo fails loudly)."""
    text = (
        resources.files("matcher.planning")
        .joinpath("data", _PROFILE_FILE)
        .read_text(encoding="utf-8")
    )
    doc = tomllib.loads(text)
    nouns = doc.get("nouns", {})
    kinds = doc.get("kinds", {})
    _require(sorted(kinds) == sorted(SITE_KINDS), "kinds", f"must be exactly {SITE_KINDS}")
    _require(math.isclose(sum(k["share"] for k in kinds.values()), 1.0), "kinds", "shares sum to 1")
    variants = []
    for kind in SITE_KINDS:
        entry = dict(kinds[kind])
        kind_share = entry.pop("share")
        listed = entry.pop("variants")
        total = sum(v.get("share", 1.0) for v in listed)
        for i, raw in enumerate(listed):
            where = f"kinds.{kind}.variants[{i}]"
            profile = {**doc["defaults"], **entry, **raw}
            noun_list = profile.get("nouns", [""])
            if isinstance(noun_list, str):
                _require(noun_list in nouns, where, f"no [nouns] list {noun_list!r}")
                noun_list = nouns[noun_list]
            variant = _Variant(
                kind=kind,
                share=kind_share * profile.get("share", 1.0) / total,
                names=tuple(profile["names"]),
                nouns=tuple(noun_list),
                population=_probabilities(profile.get("population", {}), POPULATIONS, where),
                hazards=_probabilities(profile.get("hazards", {}), HAZARDS, where),
                work_types=_probabilities(profile["work_types"], WORK_TYPES, where),
                open_days=_probabilities(profile["open_days"], tuple(_OPEN_DAYS), where),
                demand=_distribution(profile["demand"], where),
                supervisor=_distribution(profile["supervisor"], where),
                gender_policy=_distribution(profile["gender_policy"], where),
                commercial=float(profile["commercial"]),
                religion=profile.get("religion"),
                extra_capacity=int(profile["extra_capacity"]),
            )
            _require(variant.religion is None or variant.religion in RELIGIONS, where, "religion")
            _require(bool(variant.work_types), where, "needs at least one work type")
            variants.append(variant)
    return _SiteProfiles(variants=tuple(variants), desa=tuple(nouns["desa"]))


def _require(ok: bool, where: str, rule: str) -> None:
    if not ok:
        raise ValueError(f"matcher/planning/data/{_PROFILE_FILE}: {where}: {rule}")


def _probabilities(
    table: Mapping[str, float], vocab: Sequence[str], where: str
) -> dict[str, float]:
    for key, p in table.items():
        _require(key in vocab, where, f"unknown value {key!r}; allowed: {', '.join(vocab)}")
        _require(0.0 <= p <= 1.0, where, f"{key} = {p} is not a probability")
    return dict(table)


def _distribution(values: Sequence[float], where: str) -> tuple[float, ...]:
    _require(
        len(values) == 3 and math.isclose(sum(values), 1.0) and min(values) >= 0.0,
        where,
        f"{list(values)} must be three probabilities summing to 1",
    )
    return tuple(float(v) for v in values)


SITE_CAPACITY_P = (0.06, 0.2, 0.26, 0.2, 0.12, 0.06, 0.04, 0.03, 0.02, 0.01)
"""P(capacity = 1..10): typically 2-5 clients at a time."""
SITE_HOURS_PER_DAY = ((4, 5, 6, 7, 8), (0.3, 0.2, 0.25, 0.1, 0.15))
SITE_APPROVED = 0.92
SITE_SPREAD_KM = 1.5
"""Sites cluster closer to kecamatan centres (towns) than clients do."""
SITE_TOWN_EXPONENT = 1.3
"""Sites per kecamatan grow faster than population: services concentrate in towns."""

# ---------------------------------------------------------------------------------------------
# Clients

OFFENCE_SHARES: Mapping[str, float] = {
    "property_theft": 0.25,
    "minor_assault": 0.12,
    "traffic": 0.10,
    "gambling": 0.08,
    "fraud_embezzlement": 0.08,
    "narcotics_use": 0.08,
    "public_order": 0.07,
    "defamation_ite": 0.05,
    "vandalism": 0.05,
    "domestic_violence": 0.04,
    "environment": 0.03,
    "sexual_offence": 0.02,
    "other": 0.03,
}
RELIGION_SHARES = (0.90, 0.055, 0.03, 0.005, 0.007, 0.003)  # in RELIGIONS order
CLIENT_MALE = 0.88
CLIENT_SPREAD_KM = 2.5
HOURS_PER_DAY = ((2, 3, 4, 5, 6, 8), (0.08, 0.07, 0.55, 0.1, 0.12, 0.08))
ZONE_OFFENCES: Mapping[str, float] = {
    "domestic_violence": 1.0,
    "sexual_offence": 1.0,
    "minor_assault": 0.6,
}
"""P(a victim exclusion zone) by offence."""
CO_OFFENDER_SHARE = 0.02
FIXED_SITE_SHARE = 0.02
WORKDAY_SLACK = 1.15
"""Deadlines leave 15% more weeks than the hours strictly need (holidays, sick days)."""


@dataclass(frozen=True, slots=True)
class SyntheticDistrict:
    """A generated district (or region): records of the data contract and the areas.

    Attributes
    ----------
    sites, clients:
        Dicts with the data contract's fields in :data:`geo.io.SITE_FIELDS` /
        :data:`geo.io.CLIENT_FIELDS` order (native types; see the module docstring).
    areas:
        Kecamatan areas: ``district``, ``kecamatan``, ``population``, ``geometry``
        (EPSG:4326). Every site and client lies inside one of them.
    """

    sites: list[dict[str, Any]]
    clients: list[dict[str, Any]]
    areas: gpd.GeoDataFrame


def generate_district(
    district: str = "banyumas",
    clients: int = 300,
    sites: int = 60,
    seed: int = 0,
    children: int = 0,
) -> SyntheticDistrict:
    """A synthetic district from the packaged kecamatan centres of ``district``.

    Parameters
    ----------
    district:
        Packaged district (``geo.district.available_districts()``).
    clients, sites:
        How many of each (>= 0).
    children:
        How many child clients (pelayanan masyarakat) to append after the adults (>= 0).
    seed:
        The same seed gives the same district, record for record.

    Examples
    --------
    >>> d = generate_district(clients=20, sites=5, seed=1)
    >>> len(d.clients), len(d.sites), d.clients[0]["client_id"], d.sites[0]["district"]
    (20, 5, 'C000001', 'Banyumas')
    """
    _check_counts(clients, sites)
    streams = _streams(seed)
    layout = district_layout(district)
    return _generate(layout, clients, sites, streams, children)


def generate_region(
    kabupaten: int, clients: int, sites: int, seed: int = 0, spacing_km: float = 45.0
) -> SyntheticDistrict:
    """A province- or nation-sized instance: copies of a Banyumas-like kabupaten on a grid.

    Copy 1 sits at Banyumas; the grid then grows east and south (one block, roughly square),
    ``spacing_km`` between copies. Rows that would leave Indonesia's box (latitude -11..6,
    longitude 95..141) wrap: southern rows continue north of Banyumas, eastern columns west
    of it. Each copy, named ``Kab-01``, ``Kab-02``, ..., has its kecamatan centres jittered
    (about 1 km), its population scaled by a random factor, and kecamatan named like
    ``"Lumbir (Kab-07)"``. Clients and sites are split between copies by population (exact
    largest-remainder shares). Copies closer than their own size share the overlap: areas
    are partitioned jointly (:func:`geo.district.region_polygons`).

    Raises
    ------
    ValueError
        For a non-positive ``kabupaten`` or spacing, or more copies than fit in the box.
    """
    _check_counts(clients, sites)
    if kabupaten < 1:
        raise ValueError(f"kabupaten must be >= 1, got {kabupaten}")
    if not spacing_km > 0:
        raise ValueError(f"spacing_km must be positive, got {spacing_km}")
    streams = _streams(seed)
    layout = region_layout(kabupaten, spacing_km, streams["layout"])
    return _generate(layout, clients, sites, streams)


def write_district(d: SyntheticDistrict, out_dir: PathLike) -> None:
    """Write ``sites.geojson``, ``clients.csv`` and ``kecamatan.geojson`` into ``out_dir``.

    The directory is created when missing; the same district always gives the same bytes.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_sites(d.sites, out / "sites.geojson")
    write_clients(d.clients, out / "clients.csv")
    write_areas(d.areas, out / "kecamatan.geojson")


# ---------------------------------------------------------------------------------------------
# Layout


def _check_counts(clients: int, sites: int) -> None:
    if clients < 0 or sites < 0:
        raise ValueError(f"clients and sites must be >= 0, got {clients} and {sites}")


def _streams(seed: int) -> dict[str, np.random.Generator]:
    # Independent streams per stage: more clients must not change the sites. A SeedSequence's
    # k-th child does not depend on how many are spawned: "children" came last and moves nothing.
    names = ("layout", "sites", "clients", "links", "children")
    children = np.random.SeedSequence(seed).spawn(len(names))
    return {n: np.random.default_rng(s) for n, s in zip(names, children, strict=True)}


# ---------------------------------------------------------------------------------------------
# Sampling helpers


def _bernoulli_lists(
    rng: np.random.Generator, probs: NDArray[np.float64], vocab: Sequence[str]
) -> list[list[str]]:
    """Per row, the vocabulary items drawn with the row's probabilities (vocabulary order)."""
    hits = rng.random(probs.shape) < probs
    return _mask_lists(hits, vocab)


def _mask_lists(mask: NDArray[np.bool_], vocab: Sequence[str]) -> list[list[str]]:
    # Rows share few distinct masks: encode each as an integer and build each list once.
    codes = mask.astype(np.int64) @ (1 << np.arange(mask.shape[1], dtype=np.int64))
    lists = {c: [v for b, v in enumerate(vocab) if c >> b & 1] for c in np.unique(codes).tolist()}
    return [list(lists[c]) for c in codes.tolist()]


def _choice_index(rng: np.random.Generator, probs: NDArray[np.float64]) -> NDArray[np.int64]:
    """One categorical draw per row of ``probs`` (rows sum to 1)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(probs.shape[0]) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1).astype(np.int64)


def _ids(prefix: str, count: int, min_width: int) -> list[str]:
    width = max(min_width, len(str(count)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]


# ---------------------------------------------------------------------------------------------
# Generation: sites, then clients, then the links between them


def _generate(
    layout: Layout,
    n_clients: int,
    n_sites: int,
    streams: dict[str, np.random.Generator],
    n_children: int = 0,
) -> SyntheticDistrict:
    sites, site_lon, site_lat, usable = _sites(layout, n_sites, streams["sites"])
    clients = _clients(layout, n_clients, streams["clients"])
    _link(
        clients, streams["links"], site_lon, site_lat, usable, [site["site_id"] for site in sites]
    )
    if n_children:
        for site in sites:
            site["child_suitable"] = site["kind"] in CHILD_KINDS and not (
                set(site["hazards"]) & CHILD_HAZARDS
            )
        clients += _children(layout, n_children, streams["children"])
    return SyntheticDistrict(sites=sites, clients=clients, areas=layout.areas)


def _children(layout: Layout, n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Child clients (UU SPPA): 12-17 at the offence, 7-120 hours (Pasal 76(3)) in days of 2 or 3
    hours on weekend days, school Monday to Friday, a deadline that leaves room for the hours."""
    area = pick_areas(rng, layout, n, 1.0)
    lon, lat, _ = scatter(rng, layout, area, CLIENT_SPREAD_KM)
    male = rng.random(n) < 0.8
    age = rng.integers(12, 18, size=n)
    hpd = rng.choice([2, 3], size=n, p=(0.4, 0.6))
    days_needed = rng.integers(4, 13, size=n)
    hours = np.clip(days_needed * hpd - (rng.random(n) < 0.2), 7, 120)
    sunday = rng.random(n) < 0.5
    per_week = 1 + sunday
    weeks = np.ceil(days_needed / per_week * WORKDAY_SLACK)
    months = np.clip(np.ceil(weeks * 7 / 30.44).astype(np.int64) + 1, 2, 6)
    start = np.datetime64(BASE_DATE.isoformat(), "D") + rng.integers(0, 30, size=n)
    deadline = _add_months(start, months) - np.timedelta64(1, "D")
    offences = ("property_theft", "vandalism", "public_order", "traffic", "minor_assault")
    offence = rng.choice(len(offences), size=n, p=(0.35, 0.25, 0.2, 0.1, 0.1))
    ids = _ids("A", n, 4)
    lat_l, lon_l = _rounded(lat), _rounded(lon)
    start_l, deadline_l = start.astype(str).tolist(), deadline.astype(str).tolist()
    return [
        {
            "client_id": ids[i],
            "lat": lat_l[i],
            "lon": lon_l[i],
            "gender": "male" if bool(male[i]) else "female",
            "age": int(age[i]),
            "offence": offences[int(offence[i])],
            "hours": int(hours[i]),
            "hours_per_day": int(hpd[i]),
            "start_date": start_l[i],
            "deadline": deadline_l[i],
            "available_days": ["sat", "sun"] if bool(sunday[i]) else ["sat"],
            "fitness": "light",
            "health": [],
            "religion": RELIGIONS[0],
            "worship_site_consent": False,
            "skills": [],
            "max_travel_km": None,
            "needs_female_supervisor": False,
            "exclusion_zones": [],
            "separate_from": [],
            "fixed_site_id": None,
            "current_site_id": None,
            "sentence": "pelayanan_masyarakat",
            "school_days": list(WEEKDAYS[:5]),
        }
        for i in range(n)
    ]


def _sites(
    layout: Layout, n: int, rng: np.random.Generator
) -> tuple[list[dict[str, Any]], NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Site records, their coordinates, and which are approved and non-commercial."""
    area = pick_areas(rng, layout, n, SITE_TOWN_EXPONENT)
    lon, lat, where = scatter(rng, layout, area, SITE_SPREAD_KM)

    profiles = _site_profiles()
    variants = profiles.variants
    share = np.array([v.share for v in variants])
    variant = rng.choice(len(variants), size=n, p=share / share.sum())

    # Per-site probability tables from the variant profiles, then vectorised draws.
    pop_p = np.array([[v.population.get(p, 0.0) for p in POPULATIONS] for v in variants])
    haz_p = np.array([[v.hazards.get(h, 0.0) for h in HAZARDS] for v in variants])
    work_p = np.array([[v.work_types.get(w, 0.0) for w in WORK_TYPES] for v in variants])
    patterns = list(_OPEN_DAYS)
    days_p = np.array([[v.open_days.get(d, 0.0) for d in patterns] for v in variants])
    demand_p = np.array([v.demand for v in variants])
    superv_p = np.array([v.supervisor for v in variants])
    policy_p = np.array([v.gender_policy for v in variants])
    commercial_p = np.array([v.commercial for v in variants])

    population = _bernoulli_lists(rng, pop_p[variant], POPULATIONS)
    works = rng.random((n, len(WORK_TYPES))) < work_p[variant]
    works[np.arange(n), np.argmax(work_p[variant], axis=1)] = True  # never without work
    hazards = rng.random((n, len(HAZARDS))) < haz_p[variant]
    # Construction work means ladders and roofs half of the time.
    construction = works[:, WORK_TYPES.index("construction")]
    hazards[:, HAZARDS.index("heights")] |= construction & (rng.random(n) < 0.5)
    open_days = _choice_index(rng, days_p[variant])
    demand = _choice_index(rng, demand_p[variant])
    supervisor = _choice_index(rng, superv_p[variant])
    policy = _choice_index(rng, policy_p[variant])
    extra = np.array([v.extra_capacity for v in variants])[variant]
    capacity = np.minimum(rng.choice(np.arange(1, 11), size=n, p=SITE_CAPACITY_P) + extra, 10)
    hours = rng.choice(SITE_HOURS_PER_DAY[0], size=n, p=SITE_HOURS_PER_DAY[1])
    approved = rng.random(n) < SITE_APPROVED
    commercial = rng.random(n) < commercial_p[variant]
    # Name parts, drawn as fractions so each template can index its own list.
    name_u = rng.random((n, 3))
    number = rng.integers(1, 6, size=n)

    work_lists = _mask_lists(works, WORK_TYPES)
    hazard_lists = _mask_lists(hazards, HAZARDS)
    districts = [str(x) for x in layout.areas["district"]]
    kecamatan = [str(x) for x in layout.areas["kecamatan"]]
    places = layout.place.tolist()
    policies = ("any", "female_only", "male_only")
    supervisors = ("female", "male", "mixed")
    ids = _ids("S", n, 5)
    lat_l, lon_l = _rounded(lat), _rounded(lon)
    variant_l, where_l, names_u = variant.tolist(), where.tolist(), name_u.tolist()
    number_l, capacity_l, hours_l = number.tolist(), capacity.tolist(), hours.tolist()
    approved_l, commercial_l = approved.tolist(), commercial.tolist()
    days_l, demand_l, policy_l = open_days.tolist(), demand.tolist(), policy.tolist()
    supervisor_l = supervisor.tolist()
    records = []
    for i in range(n):
        v = variants[variant_l[i]]
        a = where_l[i]
        records.append(
            {
                "site_id": ids[i],
                "name": _site_name(v, names_u[i], number_l[i], places[a], districts[a]),
                "kind": v.kind,
                "lat": lat_l[i],
                "lon": lon_l[i],
                "capacity": capacity_l[i],
                "open_days": list(_OPEN_DAYS[patterns[days_l[i]]]),
                "hours_per_day": hours_l[i],
                "approved": approved_l[i],
                "commercial": commercial_l[i],
                "population": population[i],
                "hazards": hazard_lists[i],
                "physical_demand": DEMANDS[demand_l[i]],
                "gender_policy": policies[policy_l[i]],
                "supervisor_gender": supervisors[supervisor_l[i]],
                "religion": v.religion,
                "work_types": work_lists[i],
                "district": districts[a],
                "subdistrict": kecamatan[a],
            }
        )
    usable = approved & ~commercial
    return records, lon, lat, usable


def _site_name(v: _Variant, u: Sequence[float], number: int, place: str, district: str) -> str:
    template = v.names[int(u[0] * len(v.names))]
    villages = _site_profiles().desa
    desa = villages[int(u[2] * len(villages))]
    return template.format(
        place=place,
        desa=desa,
        desa_kind="Kelurahan" if place.startswith("Purwokerto") else "Desa",
        n=number,
        noun=v.nouns[int(u[1] * len(v.nouns))],
        district=district,
    )


# ---------------------------------------------------------------------------------------------
# Clients


def _clients(layout: Layout, n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Client records: homes spread by population, court orders consistent with Pasal 85,
    co-offender groups; court-fixed sites come later (:func:`_link`)."""
    area = pick_areas(rng, layout, n, 1.0)
    lon, lat, _ = scatter(rng, layout, area, CLIENT_SPREAD_KM)

    male = rng.random(n) < CLIENT_MALE
    age = np.clip(np.rint(18 + rng.gamma(2.0, 8.5, n)), 18, 70).astype(np.int64)
    offences = list(OFFENCE_SHARES)
    offence_p = np.array(list(OFFENCE_SHARES.values()))
    offence = rng.choice(len(offences), size=n, p=offence_p / offence_p.sum())
    groups = _co_offender_groups(rng, n)
    _bring_together(rng, layout, groups, offence, lon, lat)

    # Court order: hours skewed to 40-120 in multiples of 4; mostly 4 hours a day.
    hours = np.clip(np.rint(rng.lognormal(math.log(80), 0.55, n) / 4) * 4, 8, 240).astype(int)
    hpd = rng.choice(HOURS_PER_DAY[0], size=n, p=HOURS_PER_DAY[1]).astype(np.int64)
    available = available_days(rng, n)
    hpd, months = court_period(rng, hours, hpd, available.sum(axis=1), WORKDAY_SLACK)
    start = np.datetime64(BASE_DATE.isoformat(), "D") + rng.integers(0, 30, size=n)
    deadline = _add_months(start, months) - np.timedelta64(1, "D")

    older = age >= 50
    fitness_p = np.where(older[:, None], [0.4, 0.5, 0.1], [0.15, 0.6, 0.25])
    fitness = _choice_index(rng, fitness_p)
    health = np.zeros((n, 3), dtype=bool)  # epilepsy, pregnancy, respiratory
    health[:, 0] = rng.random(n) < 0.015
    health[:, 1] = ~male & (age < 45) & (rng.random(n) < 0.08)
    health[:, 2] = rng.random(n) < 0.04
    health_lists = _mask_lists(health, ("epilepsy", "pregnancy", "respiratory"))
    religion = rng.choice(len(RELIGIONS), size=n, p=RELIGION_SHARES)
    consent = rng.random(n) < 0.3
    skills_l = skills(rng, n, male)
    travel = np.where(rng.random(n) < 0.07, rng.choice([5, 6, 8, 10], size=n), 0)
    female_supervisor = ~male & (rng.random(n) < 0.35)
    zone_p = np.array([ZONE_OFFENCES.get(o, 0.0) for o in offences])[offence]
    has_zone = rng.random(n) < zone_p
    zone_r = np.round(rng.uniform(1.0, 3.0, n), 1)
    zone_d = zone_r + rng.uniform(0.3, 2.0, n)  # the victim lives near, not next door
    angle = rng.uniform(0.0, 2 * math.pi, n)
    zlon, zlat = offset_deg(np.column_stack((np.cos(angle), np.sin(angle))) * zone_d[:, None], lat)

    # Plain lists before the loop: indexing numpy arrays element by element is slow.
    ids = _ids("C", n, 6)
    separate = {int(i): [ids[j] for j in g.tolist() if j != i] for g in groups for i in g}
    zones = {
        i: [{"lat": round(la, 6), "lon": round(lo, 6), "radius_km": r}]
        for i, la, lo, r in zip(
            np.flatnonzero(has_zone).tolist(),
            (lat + zlat)[has_zone].tolist(),
            (lon + zlon)[has_zone].tolist(),
            zone_r[has_zone].tolist(),
            strict=True,
        )
    }
    lat_l, lon_l = _rounded(lat), _rounded(lon)
    male_l, age_l, offence_l = male.tolist(), age.tolist(), offence.tolist()
    hours_l, hpd_l, fitness_l, religion_l = (
        hours.tolist(),
        hpd.tolist(),
        fitness.tolist(),
        religion.tolist(),
    )
    consent_l, travel_l, female_sup_l = (
        consent.tolist(),
        travel.tolist(),
        female_supervisor.tolist(),
    )
    start_l, deadline_l = start.astype(str).tolist(), deadline.astype(str).tolist()
    day_lists = _mask_lists(available, WEEKDAYS)
    records = []
    for i in range(n):
        records.append(
            {
                "client_id": ids[i],
                "lat": lat_l[i],
                "lon": lon_l[i],
                "gender": "male" if male_l[i] else "female",
                "age": age_l[i],
                "offence": offences[offence_l[i]],
                "hours": hours_l[i],
                "hours_per_day": hpd_l[i],
                "start_date": start_l[i],
                "deadline": deadline_l[i],
                "available_days": day_lists[i],
                "fitness": DEMANDS[fitness_l[i]],
                "health": health_lists[i],
                "religion": RELIGIONS[religion_l[i]],
                "worship_site_consent": consent_l[i],
                "skills": skills_l[i],
                "max_travel_km": travel_l[i] or None,
                "needs_female_supervisor": female_sup_l[i],
                "exclusion_zones": zones.get(i, []),
                "separate_from": separate.get(i, []),
                "fixed_site_id": None,
                "current_site_id": None,
            }
        )
    return records


def _rounded(values: NDArray[np.float64]) -> list[float]:
    """Python floats rounded to 6 decimals (Python's round is exact; numpy's can be off by
    one unit in the last place, which would show in JSON)."""
    return [round(v, 6) for v in values.tolist()]


def court_period(
    rng: np.random.Generator,
    hours: NDArray[np.int64],
    hours_per_day: NDArray[np.int64],
    days_per_week: NDArray[np.int64],
    slack: float,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Hours a day and the completion period in months that a judge would set.

    Pasal 85(5): at most 8 hours a day within at most 6 months. A judge raises the hours a day
    until the work fits, and gives a completion period that leaves ``slack`` (1.15: 15% more
    weeks than the hours strictly need) for holidays and sick days.
    """
    weeks_in_6_months = 6 * 30.44 / 7
    needed = np.ceil(hours * slack / (days_per_week * weeks_in_6_months)).astype(np.int64)
    hpd = np.minimum(np.maximum(hours_per_day, needed), 8)
    weeks = np.ceil(hours / hpd) / days_per_week * slack
    months_needed = np.ceil(weeks * 7 / 30.44).astype(np.int64)
    n = hours.shape[0]
    months_drawn = rng.choice(np.arange(1, 7), size=n, p=(0.05, 0.15, 0.25, 0.2, 0.15, 0.2))
    return hpd, np.clip(np.maximum(months_needed, months_drawn), 1, 6)


def available_days(rng: np.random.Generator, n: int) -> NDArray[np.bool_]:
    """Weekdays each client can work: mostly working weeks, some weekends or a few days."""
    pattern = rng.choice(5, size=n, p=(0.45, 0.28, 0.05, 0.07, 0.15))
    days = np.zeros((n, 7), dtype=bool)
    days[pattern == 0, :5] = True  # mon-fri
    days[pattern == 1, :6] = True  # mon-sat
    days[pattern == 2, :] = True  # every day
    days[pattern == 3, 5:] = True  # weekends only (a job on weekdays)
    few = np.flatnonzero(pattern == 4)  # 2-3 days between other work
    if few.size:
        # Each day's rank in a random order of mon..sat; the k first-ranked days are chosen.
        rank = np.argsort(np.argsort(rng.random((few.size, 6)), axis=1), axis=1)
        k = rng.integers(2, 4, size=few.size)
        days[few, :6] = rank < k[:, None]
    return days


def skills(rng: np.random.Generator, n: int, male: NDArray[np.bool_]) -> list[list[str]]:
    """0-2 work types per client, weighted (weighted sampling without replacement)."""
    weight = np.tile(np.array([1.0, 1.0, 0.6, 0.3, 1.0, 0.6, 0.4, 1.0, 0.3]), (n, 1))
    weight[~male, WORK_TYPES.index("construction")] = 0.2
    weight[~male, WORK_TYPES.index("cooking")] = 1.2
    keys = rng.random((n, len(WORK_TYPES))) ** (1.0 / weight)  # Efraimidis-Spirakis keys
    count = rng.choice(3, size=n, p=(0.35, 0.45, 0.2))
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return _mask_lists(rank < count[:, None], WORK_TYPES)


def _add_months(start: NDArray[np.datetime64], months: NDArray[np.int64]) -> NDArray[np.datetime64]:
    """The same day ``months`` later, clamped to the end of the month (31 Aug + 6 = 28 Feb)."""
    first = start.astype("datetime64[M]")
    day = (start - first.astype("datetime64[D]")).astype(np.int64)
    target = first + months.astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]") + np.minimum(day, length - 1).astype("timedelta64[D]")


# ---------------------------------------------------------------------------------------------
# Links between records: co-offenders and court-fixed sites


def _co_offender_groups(rng: np.random.Generator, n: int) -> list[NDArray[np.int64]]:
    """Disjoint groups of co-offenders (pairs, some trios): about 2% of clients, at least one
    group from 50 clients on, so that every sizeable instance exercises the rule."""
    target = round(CO_OFFENDER_SHARE * n)
    sizes: list[int] = []
    while sum(sizes) < target or (not sizes and n >= 50):
        sizes.append(int(rng.choice((2, 3), p=(0.75, 0.25))))
    while sizes and sum(sizes) > n:
        sizes.pop()
    members = np.sort(rng.choice(n, size=sum(sizes), replace=False))
    bounds = np.cumsum([0, *sizes])
    return [np.asarray(members[a:b], dtype=np.int64) for a, b in pairwise(bounds)]


def _bring_together(
    rng: np.random.Generator,
    layout: Layout,
    groups: Sequence[NDArray[np.int64]],
    offence: NDArray[np.int64],
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
) -> None:
    """Co-offenders share the first member's offence and live within a few km of them (so
    that keeping them apart actually costs something). In place."""
    if not groups:
        return
    anchor = np.concatenate([np.full(g.size - 1, g[0]) for g in groups])
    other = np.concatenate([g[1:] for g in groups])
    offence[other] = offence[anchor]
    dlon, dlat = offset_deg(rng.normal(0.0, 1.0, (other.size, 2)), lat[anchor])
    new_lon, new_lat = lon[anchor] + dlon, lat[anchor] + dlat
    inside = locate_index(new_lon, new_lat, layout.areas) >= 0
    lon[other[inside]], lat[other[inside]] = new_lon[inside], new_lat[inside]


def _link(
    clients: list[dict[str, Any]],
    rng: np.random.Generator,
    site_lon: NDArray[np.float64],
    site_lat: NDArray[np.float64],
    usable: NDArray[np.bool_],
    site_ids: Sequence[str],
) -> None:
    """Court-fixed sites, in place: for about 2% of clients (never co-offenders, whom a court
    would not send to one site), one of the 5 nearest approved, non-commercial sites. It is
    not always an eligible one, as in practice."""
    free = np.array([i for i, c in enumerate(clients) if not c["separate_from"]], dtype=np.int64)
    count = min(round(FIXED_SITE_SHARE * len(clients)), free.size)
    candidates = np.flatnonzero(usable)
    if count == 0 or candidates.size == 0:
        return
    fixed = np.sort(rng.choice(free, size=count, replace=False))
    tree = cKDTree(unit_xyz(site_lon[candidates], site_lat[candidates]))
    k = min(5, candidates.size)
    lon = np.array([clients[int(i)]["lon"] for i in fixed])
    lat = np.array([clients[int(i)]["lat"] for i in fixed])
    _, nearest = tree.query(unit_xyz(lon, lat), k=k)
    nearest = np.asarray(nearest).reshape(fixed.size, k)
    pick = nearest[np.arange(fixed.size), rng.integers(0, k, size=fixed.size)]
    for i, s in zip(fixed, pick, strict=True):
        clients[int(i)]["fixed_site_id"] = site_ids[int(candidates[s])]
