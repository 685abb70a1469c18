"""The domain: work sites, clients (with their court order), and exclusion zones.

Plain frozen dataclasses; files and requests are turned into these by ``matcher.validate``
(for files) or the API schemas, and the solver turns them into arrays (``matcher.problem``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class ExclusionZone:
    """A victim-protection zone: no placement within ``radius_km`` (great circle) of the centre."""

    lat: float
    lon: float
    radius_km: float


@dataclass(frozen=True, slots=True)
class Site:
    """An approved (or not) place of work, with who is there and what the work involves."""

    site_id: str
    name: str
    kind: str
    lat: float
    lon: float
    capacity: int
    open_days: frozenset[str]
    hours_per_day: int
    approved: bool = True
    commercial: bool = False
    population: frozenset[str] = frozenset()
    hazards: frozenset[str] = frozenset()
    physical_demand: str = "light"
    gender_policy: str = "any"
    supervisor_gender: str = "mixed"
    religion: str = ""
    work_types: frozenset[str] = frozenset()
    district: str = ""
    subdistrict: str = ""
    child_suitable: bool = False

    @property
    def usable(self) -> bool:
        """Can take clients at all: approved, not commercial (Pasal 85(3)), capacity above 0."""
        return self.approved and not self.commercial and self.capacity > 0


@dataclass(frozen=True, slots=True)
class Client:
    """A sentenced client (pseudonymous id) and the court order's terms.

    ``hours`` and ``hours_per_day`` come from the verdict (Pasal 85(4)-(5), (7));
    ``deadline`` is the end of the completion period. ``sentence`` is the order's type
    (``matcher.law``): ``kerja_sosial`` (KUHP Pasal 85) or ``pelayanan_masyarakat`` (a child,
    UU SPPA Pasal 76), with ``age`` at the offence and, for a child, ``school_days``.
    """

    client_id: str
    lat: float
    lon: float
    gender: str
    offence: str
    hours: int
    hours_per_day: int
    start_date: date
    deadline: date
    available_days: frozenset[str]
    fitness: str = "moderate"
    age: int | None = None
    health: frozenset[str] = frozenset()
    religion: str = ""
    worship_site_consent: bool = False
    skills: frozenset[str] = frozenset()
    max_travel_km: float | None = None
    needs_female_supervisor: bool = False
    exclusion_zones: tuple[ExclusionZone, ...] = field(default_factory=tuple)
    separate_from: frozenset[str] = frozenset()
    fixed_site_id: str | None = None
    current_site_id: str | None = None
    sentence: str = "kerja_sosial"
    school_days: frozenset[str] = frozenset()

    @property
    def is_child(self) -> bool:
        """A child's order (pidana pelayanan masyarakat, UU No. 11 Tahun 2012)."""
        return self.sentence == "pelayanan_masyarakat"


@dataclass(frozen=True, slots=True)
class Extent:
    """Where clients and sites may be (WGS84 degrees); Indonesia by default, a Bapas' policy
    may set another (``[matching] extent = [min_lon, min_lat, max_lon, max_lat]``)."""

    min_lon: float = 94.5
    min_lat: float = -11.5
    max_lon: float = 141.5
    max_lat: float = 6.5


INDONESIA = Extent()
WORLD = Extent(min_lon=-180.0, min_lat=-90.0, max_lon=180.0, max_lat=90.0)
"""For records stored after validation: a later policy's extent must not make them unreadable."""
