"""The domain as arrays: sites and clients turned into numpy columns the rules read.

Vocabularies become bit sets (populations, hazards, work types), choices become small integers,
and each client gets its working-day table (:mod:`matcher.workdays`), so that every eligibility
rule (:mod:`matcher.rules`) is one vectorised expression over candidate arcs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matcher.model import Client, Site
from matcher.policy import Policy
from matcher.vocab import DEMANDS, HAZARDS, POPULATIONS, RELIGIONS, WORK_TYPES
from matcher.workdays import day_bits, weekday_counts, workday_table


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
    # bit sets in the smallest integers that hold them: the rules gather them per arc
    population: NDArray[np.uint8]
    hazards: NDArray[np.uint8]
    demand: NDArray[np.int8]
    gender_policy: NDArray[np.int8]  # 0 any, 1 female_only, 2 male_only
    female_supervision: NDArray[np.bool_]
    religion: NDArray[np.int8]
    work_types: NDArray[np.uint16]
    open_bits: NDArray[np.uint8]
    hours_per_day: NDArray[np.int64]

    def take(self, idx: NDArray[np.intp] | list[int]) -> SiteArrays:
        """The arrays of the sites at ``idx``, in that order (a registry's subset)."""
        i = np.asarray(idx, np.intp)
        return SiteArrays(**{f: getattr(self, f)[i] for f in self.__dataclass_fields__})

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
            population=arr([_bits(s.population, _POP) for s in sites], np.uint8),
            hazards=arr([_bits(s.hazards, _HAZ) for s in sites], np.uint8),
            demand=arr([DEMANDS.index(s.physical_demand) for s in sites], np.int8),
            gender_policy=arr([gp[s.gender_policy] for s in sites], np.int8),
            female_supervision=arr(
                [s.supervisor_gender in ("female", "mixed") for s in sites], np.bool_
            ),
            religion=arr([_REL.index(s.religion) for s in sites], np.int8),
            work_types=arr([_bits(s.work_types, _WORK) for s in sites], np.uint16),
            open_bits=arr([day_bits(s.open_days) for s in sites], np.uint8),
            hours_per_day=arr([s.hours_per_day for s in sites], np.int64),
        )


@dataclass(frozen=True)
class ClientArrays:
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    reach_km: NDArray[np.float64]
    forbid_population: NDArray[np.uint8]
    forbid_offence_hazards: NDArray[np.uint8]
    forbid_health_hazards: NDArray[np.uint8]
    fitness: NDArray[np.int8]
    female: NDArray[np.bool_]
    needs_female_supervisor: NDArray[np.bool_]
    religion: NDArray[np.int8]
    consent: NDArray[np.bool_]
    skills: NDArray[np.uint16]
    hours: NDArray[np.int64]
    hours_per_day: NDArray[np.int64]
    workdays: NDArray[np.int32]  # (n, 128) working days per site open-days bitmask
    zone_client: NDArray[np.int64]
    zone_lat: NDArray[np.float64]
    zone_lon: NDArray[np.float64]
    zone_radius_km: NDArray[np.float64]

    @classmethod
    def of(cls, clients: list[Client], policy: Policy) -> ClientArrays:
        op, oh, hh = policy.offence_populations, policy.offence_hazards, policy.health_hazards
        zones = [(i, z) for i, c in enumerate(clients) for z in c.exclusion_zones]
        counts = weekday_counts(
            np.array([_days(c.start_date) for c in clients], np.int64),
            np.array([_days(c.deadline) for c in clients], np.int64),
            np.array([day_bits(c.available_days) for c in clients], np.int64),
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
                [_bits(op.get(c.offence, frozenset()), _POP) for c in clients], np.uint8
            ),
            forbid_offence_hazards=np.array(
                [_bits(oh.get(c.offence, frozenset()), _HAZ) for c in clients], np.uint8
            ),
            forbid_health_hazards=np.array(
                [
                    _bits(frozenset().union(*(hh.get(h, frozenset()) for h in c.health)), _HAZ)
                    for c in clients
                ],
                np.uint8,
            ),
            fitness=np.array([DEMANDS.index(c.fitness) for c in clients], np.int8),
            female=np.array([c.gender == "female" for c in clients], np.bool_),
            needs_female_supervisor=np.array(
                [c.needs_female_supervisor for c in clients], np.bool_
            ),
            religion=np.array([_REL.index(c.religion) for c in clients], np.int8),
            consent=np.array([c.worship_site_consent for c in clients], np.bool_),
            skills=np.array([_bits(c.skills, _WORK) for c in clients], np.uint16),
            hours=np.array([c.hours for c in clients], np.int64),
            hours_per_day=np.array([c.hours_per_day for c in clients], np.int64),
            workdays=workday_table(counts),
            zone_client=np.array([i for i, _ in zones], np.int64),
            zone_lat=np.array([z.lat for _, z in zones], np.float64),
            zone_lon=np.array([z.lon for _, z in zones], np.float64),
            zone_radius_km=np.array([z.radius_km for _, z in zones], np.float64),
        )
