"""Generated demand: court orders per kecamatan from population share and an offence mix.

For planning, not for placing real people: a cohort (everyone starting in the same month) or a
day-by-day stream (``matcher.planning.simulation``) of clients whose homes are spread over the
kecamatan in proportion to their population (times an optional per-kecamatan factor), whose
offences follow a mix, and whose court orders are consistent with Pasal 85 (8-240 hours, at
most 8 a day, a completion period of at most 6 months that leaves room for the hours).

Homes are uniform inside each kecamatan polygon. The attribute profiles (gender, age, hours,
weekdays, fitness, health, religion, skills) are plausible guesses for a Javanese kabupaten,
not statistics. Generated clients have no victim exclusion zones, co-offenders or court-fixed
sites: planners ask about capacity and distance, not about one case.

Everything random comes from one ``numpy.random.default_rng(seed)``: the same spec and areas
give the same clients.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from matcher.model import Client
from matcher.planning.areas import Areas
from matcher.planning.synthetic import available_days, court_period
from matcher.planning.synthetic import skills as drawn_skills
from matcher.rules import HOURS_MAX, HOURS_MIN
from matcher.validate import add_months
from matcher.vocab import DEMANDS, OFFENCES, WEEKDAYS

DEFAULT_OFFENCE_MIX: Mapping[str, float] = {
    "property_theft": 0.28,
    "minor_assault": 0.12,
    "traffic": 0.10,
    "gambling": 0.08,
    "narcotics_use": 0.08,
    "fraud_embezzlement": 0.08,
    "public_order": 0.06,
    "defamation_ite": 0.04,
    "domestic_violence": 0.04,
    "vandalism": 0.04,
    "environment": 0.03,
    "sexual_offence": 0.01,
    "other": 0.04,
}
"""Offence shares of kerja sosial verdicts (a guess: petty theft and assault dominate)."""

_RELIGION_SHARES: Mapping[str, float] = {
    "islam": 0.95,
    "kristen": 0.025,
    "katolik": 0.015,
    "buddha": 0.005,
    "hindu": 0.003,
    "konghucu": 0.002,
}
_HOURS_PER_DAY = (np.array([2, 3, 4, 5, 6, 8]), np.array([0.1, 0.15, 0.4, 0.1, 0.15, 0.1]))
_WORKDAY_SLACK = 1.25  # a judge leaves a quarter more time than the bare working days


class DemandError(ValueError):
    """A demand specification that cannot be used; the message names the field."""


@dataclass(frozen=True)
class DemandSpec:
    """How to generate clients.

    Attributes
    ----------
    clients:
        How many (a cohort); a stream draws its own count (``matcher.planning.simulation``).
    seed:
        Random seed.
    start:
        First start date of the cohort; starts are spread over ``spread_days`` days.
    offence_mix:
        Offence category -> weight (normalised; categories left out get 0).
    female_share:
        Share of women among clients.
    area_factor:
        Kecamatan name -> factor on its population share (1 where not given), e.g. 2.0 for a
        kecamatan whose court sends twice its share.
    spread_days:
        Starts fall on ``start`` .. ``start + spread_days - 1``.
    """

    clients: int = 300
    seed: int = 0
    start: date = date(2026, 12, 1)
    offence_mix: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_OFFENCE_MIX))
    female_share: float = 0.14
    area_factor: Mapping[str, float] = field(default_factory=dict)
    spread_days: int = 30

    def __post_init__(self) -> None:
        if self.clients < 0:
            raise DemandError(f"demand.clients = {self.clients}: must be >= 0")
        if not 0.0 <= self.female_share <= 1.0:
            raise DemandError(f"demand.female_share = {self.female_share}: must be within 0-1")
        if self.spread_days < 1:
            raise DemandError(f"demand.spread_days = {self.spread_days}: must be >= 1")
        unknown = sorted(set(self.offence_mix) - OFFENCES)
        if unknown:
            raise DemandError(
                f"demand.offence_mix: unknown offence {unknown[0]!r}; "
                f"allowed: {', '.join(sorted(OFFENCES))}"
            )
        if any(w < 0 for w in self.offence_mix.values()) or sum(self.offence_mix.values()) <= 0:
            raise DemandError("demand.offence_mix: weights must be >= 0 with a positive sum")
        if any(f < 0 for f in self.area_factor.values()):
            raise DemandError("demand.area_factor: factors must be >= 0")


def area_weights(areas: Areas, area_factor: Mapping[str, float]) -> NDArray[np.float64]:
    """Each area's share of demand: population times its factor, normalised.

    Raises
    ------
    DemandError
        A factor for an area that does not exist, or all weights zero.
    """
    unknown = sorted(set(area_factor) - set(areas.names))
    if unknown:
        raise DemandError(
            f"demand.area_factor: no kecamatan named {unknown[0]!r}; "
            f"known: {', '.join(areas.names)}"
        )
    w = areas.population * np.array([area_factor.get(n, 1.0) for n in areas.names])
    if w.sum() <= 0:
        raise DemandError("demand: every kecamatan has zero weight")
    return np.asarray(w / w.sum(), np.float64)


def generate_cohort(spec: DemandSpec, areas: Areas, id_prefix: str = "D") -> list[Client]:
    """``spec.clients`` clients, homes spread over the areas by population share.

    Examples
    --------
    >>> from geo.district import kecamatan_polygons, load_kecamatan_centres
    >>> areas = Areas.from_frame(kecamatan_polygons(load_kecamatan_centres("banyumas")))
    >>> cohort = generate_cohort(DemandSpec(clients=5, seed=1), areas)
    >>> len(cohort), cohort[0].client_id
    (5, 'D0001')
    """
    rng = np.random.default_rng(spec.seed)
    weights = area_weights(areas, spec.area_factor)
    counts = rng.multinomial(spec.clients, weights)
    area = np.repeat(np.arange(len(areas)), counts)
    starts = [
        spec.start + timedelta(days=int(d)) for d in rng.integers(0, spec.spread_days, area.size)
    ]
    return draw_clients(rng, areas, area, starts, spec, id_prefix)


def draw_clients(
    rng: np.random.Generator,
    areas: Areas,
    area: NDArray[np.int64],
    starts: list[date],
    spec: DemandSpec,
    id_prefix: str,
) -> list[Client]:
    """Clients living in ``area[i]`` whose orders start on ``starts[i]`` (vectorised draws)."""
    n = int(area.size)
    if n == 0:
        return []
    lat, lon = areas.sample_points(rng, area)
    offences = sorted(OFFENCES)
    mix = np.array([spec.offence_mix.get(o, 0.0) for o in offences], np.float64)
    offence = rng.choice(len(offences), size=n, p=mix / mix.sum())
    female = rng.random(n) < spec.female_share
    age = np.clip(np.rint(18 + rng.gamma(2.0, 8.5, n)), 18, 70).astype(np.int64)
    hours = np.clip(np.rint(rng.lognormal(math.log(80), 0.55, n) / 4) * 4, HOURS_MIN, HOURS_MAX)
    hours = hours.astype(np.int64)
    hpd = rng.choice(_HOURS_PER_DAY[0], size=n, p=_HOURS_PER_DAY[1]).astype(np.int64)
    days = available_days(rng, n)
    hpd, months = court_period(rng, hours, hpd, days.sum(axis=1), _WORKDAY_SLACK)
    older = age >= 50
    fit_p = np.where(older[:, None], [0.4, 0.5, 0.1], [0.15, 0.6, 0.25])
    fitness = (rng.random(n)[:, None] > np.cumsum(fit_p, axis=1)).sum(axis=1)
    fitness = np.minimum(fitness, len(DEMANDS) - 1)
    pregnant = female & (age < 45) & (rng.random(n) < 0.08)
    epilepsy = rng.random(n) < 0.015
    respiratory = rng.random(n) < 0.04
    rel_names = list(_RELIGION_SHARES)
    rel_p = np.array(list(_RELIGION_SHARES.values()))
    religion = rng.choice(len(rel_names), size=n, p=rel_p / rel_p.sum())
    consent = rng.random(n) < 0.3
    needs_female = female & (rng.random(n) < 0.35)
    skills = [frozenset(x) for x in drawn_skills(rng, n, ~female)]
    width = max(4, len(str(n)))
    out = []
    for i in range(n):
        start = starts[i]
        health = frozenset(
            name
            for name, flag in (
                ("pregnancy", pregnant[i]),
                ("epilepsy", epilepsy[i]),
                ("respiratory", respiratory[i]),
            )
            if flag
        )
        out.append(
            Client(
                client_id=f"{id_prefix}{i + 1:0{width}d}",
                lat=round(float(lat[i]), 6),
                lon=round(float(lon[i]), 6),
                gender="female" if female[i] else "male",
                offence=offences[int(offence[i])],
                hours=int(hours[i]),
                hours_per_day=int(hpd[i]),
                start_date=start,
                deadline=add_months(start, int(months[i])) - timedelta(days=1),
                available_days=frozenset(WEEKDAYS[d] for d in np.flatnonzero(days[i])),
                fitness=DEMANDS[int(fitness[i])],
                age=int(age[i]),
                health=health,
                religion=rel_names[int(religion[i])],
                worship_site_consent=bool(consent[i]),
                skills=skills[i],
                needs_female_supervisor=bool(needs_female[i]),
            )
        )
    return out
