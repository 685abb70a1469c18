"""Builders for the matcher tests: one Site / Client with sensible defaults, and random instances.

``site()`` and ``client()`` give a pair that is eligible under the default policy (the client
lives about 1.3 km of road from the site); a test changes only the field it is about.

Random instances are written once against a small ``Chooser`` interface and driven either by
Hypothesis (``instances()``, a strategy that shrinks) or by a seeded ``random.Random``
(``random_instance(seed)``, for parametrised tests that must not depend on Hypothesis).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any, Protocol, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from matcher import vocab
from matcher.model import Client, ExclusionZone, Site
from matcher.policy import Policy, default_policy
from matcher.validate import add_months

T = TypeVar("T")

CENTRE = (-7.42, 109.23)
"""Purwokerto, roughly: the centre of every test instance."""
ALL_DAYS = frozenset(vocab.WEEKDAYS)
WORKING_WEEK = frozenset(vocab.WEEKDAYS[:5])
START = date(2026, 3, 2)  # a Monday
DEADLINE = date(2026, 8, 31)
KM_PER_DEG_LAT = math.pi * 6371.0088 / 180.0
"""Great-circle km per degree of latitude (on the mean sphere of the haversine)."""


@cache
def policy() -> Policy:
    """The default policy, loaded once."""
    return default_policy()


def north(km: float, origin: tuple[float, float] = CENTRE) -> tuple[float, float]:
    """The point ``km`` great-circle kilometres due north of ``origin`` (exact on the sphere)."""
    return origin[0] + km / KM_PER_DEG_LAT, origin[1]


def site(site_id: str = "s1", **fields: Any) -> Site:
    """An approved, non-commercial, light-work site at the centre with room for one client."""
    base = Site(
        site_id=site_id,
        name=f"Site {site_id}",
        kind="other",
        lat=CENTRE[0],
        lon=CENTRE[1],
        capacity=1,
        open_days=ALL_DAYS,
        hours_per_day=8,
    )
    return replace(base, **fields)


def client(client_id: str = "c1", **fields: Any) -> Client:
    """A male client 1 km (great circle) north of the centre, 40 hours at 4 h/day, Mar-Aug 2026."""
    lat, lon = north(1.0)
    base = Client(
        client_id=client_id,
        lat=lat,
        lon=lon,
        gender="male",
        offence="other",
        hours=40,
        hours_per_day=4,
        start_date=START,
        deadline=DEADLINE,
        available_days=ALL_DAYS,
    )
    return replace(base, **fields)


@dataclass(frozen=True, slots=True)
class Record:
    """A raw input record as ``geo.io`` returns it: where it came from, and its values."""

    source: str
    values: dict[str, Any]


def site_record(**values: Any) -> dict[str, Any]:
    """A valid raw site record (JSON-native values); keyword arguments override fields."""
    base: dict[str, Any] = {
        "site_id": "s1",
        "name": "Masjid Agung",
        "kind": "place_of_worship",
        "lat": CENTRE[0],
        "lon": CENTRE[1],
        "capacity": 2,
        "open_days": ["mon", "tue", "wed", "thu", "fri"],
        "hours_per_day": 6,
        "approved": True,
        "commercial": False,
        "religion": "islam",
    }
    base.update(values)
    return base


def client_record(**values: Any) -> dict[str, Any]:
    """A valid raw client record (JSON-native values); keyword arguments override fields."""
    base: dict[str, Any] = {
        "client_id": "k1",
        "lat": -7.41,
        "lon": 109.22,
        "gender": "male",
        "offence": "public_order",
        "hours": 40,
        "hours_per_day": 4,
        "start_date": "2026-03-02",
        "deadline": "2026-08-31",
        "available_days": ["mon", "wed", "fri"],
    }
    base.update(values)
    return base


# ---------------------------------------------------------------------------------------------
# Random instances


class Chooser(Protocol):
    """The few random choices an instance is made of."""

    def integer(self, lo: int, hi: int) -> int: ...
    def real(self, lo: float, hi: float) -> float: ...
    def chance(self, p: float) -> bool: ...
    def one(self, items: Sequence[T]) -> T: ...


class RandomChooser:
    """Choices from a seeded ``random.Random``."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def real(self, lo: float, hi: float) -> float:
        return self.rng.uniform(lo, hi)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def one(self, items: Sequence[T]) -> T:
        return self.rng.choice(list(items))


class DrawChooser:
    """Choices drawn by Hypothesis (each shrinks towards the low end / 'no')."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]):
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        return int(self.draw(st.integers(lo, hi)))

    def real(self, lo: float, hi: float) -> float:
        return float(self.draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False)))

    def chance(self, p: float) -> bool:
        # shrinks to 0, i.e. to "no"
        return bool(self.draw(st.integers(0, 999)) >= round(1000 * (1.0 - p)))

    def one(self, items: Sequence[T]) -> T:
        return self.draw(st.sampled_from(list(items)))  # type: ignore[no-any-return]


def _some(ch: Chooser, vocab: frozenset[str] | Sequence[str], p: float) -> frozenset[str]:
    return frozenset(v for v in sorted(vocab) if ch.chance(p))


def _days(ch: Chooser) -> frozenset[str]:
    if ch.chance(0.5):
        days = frozenset(d for d in vocab.WEEKDAYS if ch.chance(0.6))
        return days or frozenset({ch.one(vocab.WEEKDAYS)})
    return WORKING_WEEK if ch.chance(0.6) else ALL_DAYS


def _point(ch: Chooser, half_km: float = 10.0) -> tuple[float, float]:
    """A point in a box about 2 x ``half_km`` wide around the centre."""
    dlat = half_km / KM_PER_DEG_LAT
    dlon = dlat / math.cos(math.radians(CENTRE[0]))
    return CENTRE[0] + ch.real(-dlat, dlat), CENTRE[1] + ch.real(-dlon, dlon)


@dataclass(frozen=True, slots=True)
class Shape:
    """What kind of random instance to build."""

    clients: tuple[int, int] = (5, 25)
    sites: tuple[int, int] = (2, 8)
    separate: bool = True
    pins: bool = True
    tight: bool = False
    """Capacities 1-3 instead of 1-5 (the capacity constraint binds)."""
    strict: float = 1.0
    """Scales how often restrictive attributes appear (0 = none, 1 = the default mix)."""
    pairs: float = 0.33
    """At most this many separate_from pairs per client."""


def build_instance(ch: Chooser, shape: Shape = Shape()) -> tuple[list[Site], list[Client]]:
    """Random sites and clients over the full vocabularies (see the module docstring)."""
    k = shape.strict
    n_sites = ch.integer(*shape.sites)
    n_clients = ch.integer(*shape.clients)
    sites = []
    for j in range(n_sites):
        lat, lon = _point(ch)
        capacity = ch.integer(1, 3) if shape.tight else ch.integer(1, 5)
        if ch.chance(0.05 * k):
            capacity = 0
        sites.append(
            Site(
                site_id=f"s{j}",
                name=f"Site {j}",
                kind=ch.one(sorted(vocab.SITE_KINDS)),
                lat=lat,
                lon=lon,
                capacity=capacity,
                open_days=_days(ch),
                hours_per_day=ch.integer(1, 8) if ch.chance(0.3 * k) else ch.integer(4, 8),
                approved=not ch.chance(0.08 * k),
                commercial=ch.chance(0.08 * k),
                population=_some(ch, vocab.POPULATIONS, 0.25 * k),
                hazards=_some(ch, vocab.HAZARDS, 0.15 * k),
                physical_demand=ch.one(vocab.DEMANDS) if ch.chance(0.5 * k) else "light",
                gender_policy=ch.one(sorted(vocab.GENDER_POLICIES))
                if ch.chance(0.3 * k)
                else "any",
                supervisor_gender=ch.one(sorted(vocab.SUPERVISOR_GENDERS)),
                religion=ch.one(sorted(vocab.RELIGIONS)) if ch.chance(0.25 * k) else "",
                work_types=_some(ch, vocab.WORK_TYPES, 0.3),
            )
        )
    clients = []
    for i in range(n_clients):
        lat, lon = _point(ch)
        start = date(2026, 1, 5) + timedelta(days=ch.integer(0, 330))
        latest = add_months(start, 6)
        # mostly roomy periods; short ones (where rule 8 binds) now and then
        period = ch.integer(6, 60) if ch.chance(0.3 * k) else ch.integer(60, 190)
        deadline = min(start + timedelta(days=period), latest)
        gender = ch.one(sorted(vocab.GENDERS))
        zones: list[ExclusionZone] = []
        if ch.chance(0.25 * k):
            for _ in range(ch.integer(1, 2)):
                # centred near a site, so that zones sometimes matter
                s = ch.one(sites)
                zones.append(
                    ExclusionZone(
                        s.lat + ch.real(-0.02, 0.02),
                        s.lon + ch.real(-0.02, 0.02),
                        ch.real(0.3, 4.0),
                    )
                )
        clients.append(
            Client(
                client_id=f"c{i}",
                lat=lat,
                lon=lon,
                gender=gender,
                offence=ch.one(sorted(vocab.OFFENCES)),
                hours=ch.integer(8, 240) if ch.chance(0.3 * k) else ch.integer(8, 80),
                hours_per_day=ch.integer(1, 8) if ch.chance(0.3 * k) else ch.integer(4, 8),
                start_date=start,
                deadline=deadline,
                available_days=_days(ch),
                fitness=ch.one(vocab.DEMANDS) if ch.chance(0.5 * k) else "heavy",
                age=ch.integer(18, 70),
                health=_some(ch, vocab.HEALTH_FLAGS, 0.08 * k),
                religion=ch.one(sorted(vocab.RELIGIONS)) if ch.chance(0.8) else "",
                worship_site_consent=ch.chance(0.3),
                skills=_some(ch, vocab.WORK_TYPES, 0.2),
                max_travel_km=None if ch.chance(0.6) else ch.real(3.0, 25.0),
                needs_female_supervisor=gender == "female" and ch.chance(0.3 * k),
                exclusion_zones=tuple(zones),
            )
        )
    if shape.separate and n_clients >= 2:
        extra: dict[int, set[str]] = {}
        for _ in range(ch.integer(1, max(1, int(n_clients * shape.pairs)))):
            a = ch.integer(0, n_clients - 1)
            b = ch.integer(0, n_clients - 1)
            if a != b:
                # co-offenders often live near each other: then they compete for the same sites
                if ch.chance(0.7):
                    near = clients[a].lat + ch.real(-0.005, 0.005)
                    clients[b] = replace(clients[b], lat=near, lon=clients[a].lon)
                # one side only, or both: the rule is symmetric either way
                extra.setdefault(a, set()).add(f"c{b}")
                if ch.chance(0.3):
                    extra.setdefault(b, set()).add(f"c{a}")
        for a, others in extra.items():
            clients[a] = replace(clients[a], separate_from=frozenset(others))
    if shape.pins:
        for i in range(n_clients):
            if ch.chance(0.08):
                clients[i] = replace(clients[i], fixed_site_id=ch.one(sites).site_id)
            if ch.chance(0.12):
                clients[i] = replace(clients[i], current_site_id=ch.one(sites).site_id)
    return sites, clients


def random_instance(seed: int, shape: Shape = Shape()) -> tuple[list[Site], list[Client]]:
    """A random instance from a seed (the same seed gives the same instance)."""
    return build_instance(RandomChooser(seed), shape)


def instances(shape: Shape = Shape()) -> st.SearchStrategy[tuple[list[Site], list[Client]]]:
    """Hypothesis strategy: random instances of the given shape."""

    @st.composite
    def _build(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[list[Site], list[Client]]:
        return build_instance(DrawChooser(draw), shape)

    return _build()


PROPERTY_SETTINGS = settings(
    max_examples=60,
    derandomize=True,  # the same examples on every run (CI is deterministic)
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Hypothesis settings for the property tests: fixed examples, no example database."""
