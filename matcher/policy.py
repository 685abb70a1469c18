"""The placement policy: matching parameters and the offence / health safety table.

The table is data (:data:`DEFAULT_POLICY_TOML`, TOML text kept here so that the core opens no
file), never code: a Bapas overrides it with its own TOML file (read by ``api.files.policy``).
A section given in the override replaces the default section of the same name.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from matcher.model import INDONESIA, Extent
from matcher.vocab import HAZARDS, HEALTH_FLAGS, OFFENCES, POPULATIONS

LADDER_STEPS = frozenset({"peringatan", "pelanggaran", "catat"})


@dataclass(frozen=True, slots=True)
class ChildPolicy:
    """What a Bapas holds to for a child's placement: policy data, not statute (README).

    Attributes
    ----------
    suitable_sites_only:
        Only sites marked ``child_suitable``.
    forbidden_hazards:
        Hazards a child's site must not have.
    after_school_hours:
        Hours a child may work on a school day (after school); 0 = never on a school day.
    max_hours_per_day:
        A child's day, whatever the verdict's hours a day.
    apart_from_offences:
        Adult offences that keep a child away from the site where such an adult works.
    require_pk_anak:
        A child's placement names a PK Anak.
    """

    suitable_sites_only: bool = True
    forbidden_hazards: frozenset[str] = frozenset(
        {"heights", "chemicals", "heavy_lifting", "traffic", "cash_handling"}
    )
    after_school_hours: int = 0
    max_hours_per_day: int = 4
    apart_from_offences: frozenset[str] = frozenset(
        {"sexual_offence", "domestic_violence", "minor_assault"}
    )
    require_pk_anak: bool = True


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file, key and rule."""


@dataclass(frozen=True, slots=True)
class Policy:
    """Matching parameters plus the safety table.

    Attributes
    ----------
    max_travel_km:
        Default road-distance limit for a client without its own (km).
    road_factor:
        Road km = great-circle km x road_factor.
    skill_bonus_km:
        A placement whose site work fits the client's skills is this much cheaper.
    alternatives:
        How many next-best eligible sites each placement lists.
    offence_populations, offence_hazards:
        Offence category -> forbidden site populations / hazards.
    health_hazards:
        Health flag -> forbidden site hazards.
    extent:
        Where clients and sites may be (Indonesia by default); a point outside is an input
        error naming the likely cause.
    children:
        The children's placement policy (``[children]``).
    ladder:
        The warning ladder (``[attendance] ladder``): step k for the k-th mangkir.
    """

    max_travel_km: float = 15.0
    road_factor: float = 1.3
    skill_bonus_km: float = 2.0
    alternatives: int = 3
    offence_populations: Mapping[str, frozenset[str]] = field(default_factory=dict)
    offence_hazards: Mapping[str, frozenset[str]] = field(default_factory=dict)
    health_hazards: Mapping[str, frozenset[str]] = field(default_factory=dict)
    extent: Extent = INDONESIA
    children: ChildPolicy = field(default_factory=ChildPolicy)
    ladder: tuple[str, ...] = ("peringatan", "peringatan", "pelanggaran")

    @property
    def skill_bonus_m(self) -> int:
        return round(self.skill_bonus_km * 1000)


def _default_table() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_POLICY_TOML)


def _names(value: Any, where: str, vocab: frozenset[str]) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"{where}: expected a list of names, got {value!r}")
    unknown = sorted(set(value) - vocab)
    if unknown:
        raise PolicyError(f"{where}: unknown {unknown[0]!r}; allowed: {', '.join(sorted(vocab))}")
    return frozenset(value)


def _number(table: Mapping[str, Any], key: str, default: float, src: str, low: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
        raise PolicyError(f"{src}: matching.{key} = {value!r}: must be a number >= {low}")
    return float(value)


_MATCHING_KEYS = frozenset(
    {"max_travel_km", "road_factor", "skill_bonus_km", "alternatives", "extent"}
)


def _extent(value: Any, src: str) -> Extent:
    """``[min_lon, min_lat, max_lon, max_lat]`` in WGS84 degrees (the GeoJSON bbox order)."""
    if value is None:
        return INDONESIA
    ok = (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if ok:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in value)
        ok = -180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90
    if not ok:
        raise PolicyError(
            f"{src}: matching.extent = {value!r}: must be [min_lon, min_lat, max_lon, max_lat] "
            "in WGS84 degrees"
        )
    return Extent(min_lon=min_lon, min_lat=min_lat, max_lon=max_lon, max_lat=max_lat)


_CHILDREN_KEYS = frozenset(
    {
        "suitable_sites_only",
        "forbidden_hazards",
        "after_school_hours",
        "max_hours_per_day",
        "apart_from_offences",
        "require_pk_anak",
    }
)


def _flag(table: Mapping[str, Any], key: str, default: bool, where: str) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise PolicyError(f"{where}.{key} = {value!r}: must be true or false")
    return value


def _int(table: Mapping[str, Any], key: str, default: int, where: str, low: int, high: int) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PolicyError(f"{where}.{key} = {value!r}: must be a whole number {low}-{high}")
    return value


def _children(table: Mapping[str, Any], source: str) -> ChildPolicy:
    where = f"{source}: children"
    _known_keys(table, _CHILDREN_KEYS, f"{source}: [children]")
    d = ChildPolicy()
    return ChildPolicy(
        suitable_sites_only=_flag(table, "suitable_sites_only", d.suitable_sites_only, where),
        forbidden_hazards=_names(
            table.get("forbidden_hazards", sorted(d.forbidden_hazards)),
            f"{where}.forbidden_hazards",
            HAZARDS,
        ),
        after_school_hours=_int(table, "after_school_hours", d.after_school_hours, where, 0, 8),
        max_hours_per_day=_int(table, "max_hours_per_day", d.max_hours_per_day, where, 1, 8),
        apart_from_offences=_names(
            table.get("apart_from_offences", sorted(d.apart_from_offences)),
            f"{where}.apart_from_offences",
            OFFENCES,
        ),
        require_pk_anak=_flag(table, "require_pk_anak", d.require_pk_anak, where),
    )


def _ladder(table: Mapping[str, Any], source: str) -> tuple[str, ...]:
    _known_keys(table, frozenset({"ladder"}), f"{source}: [attendance]")
    steps = table.get("ladder", ["peringatan", "peringatan", "pelanggaran"])
    where = f"{source}: attendance.ladder"
    if not isinstance(steps, list) or not steps:
        raise PolicyError(f"{where} = {steps!r}: must be a non-empty list of steps")
    _names(steps, where, LADDER_STEPS)
    return tuple(steps)


def _known_keys(table: Any, allowed: frozenset[str], where: str) -> None:
    """A misspelt key would silently drop a safety rule (a section replaces the default)."""
    if not isinstance(table, Mapping):
        raise PolicyError(f"{where}: expected a table, got {table!r}")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise PolicyError(
            f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}"
        )


def policy_from_table(table: Mapping[str, Any], source: str = "policy") -> Policy:
    """Build a Policy from a parsed TOML table (already merged with the defaults)."""
    m = table.get("matching", {})
    _known_keys(m, _MATCHING_KEYS, f"{source}: [matching]")
    for name, rule in table.get("offence", {}).items():
        _known_keys(rule, frozenset({"populations", "hazards"}), f"{source}: [offence.{name}]")
    for name, rule in table.get("health", {}).items():
        _known_keys(rule, frozenset({"hazards"}), f"{source}: [health.{name}]")
    alternatives = m.get("alternatives", 3)
    if isinstance(alternatives, bool) or not isinstance(alternatives, int) or alternatives < 0:
        raise PolicyError(
            f"{source}: matching.alternatives = {alternatives!r}: must be an int >= 0"
        )
    off_pop: dict[str, frozenset[str]] = {}
    off_haz: dict[str, frozenset[str]] = {}
    for name, rule in table.get("offence", {}).items():
        if name not in OFFENCES:
            raise PolicyError(f"{source}: [offence.{name}]: unknown offence category {name!r}")
        off_pop[name] = _names(
            rule.get("populations", []), f"{source}: offence.{name}.populations", POPULATIONS
        )
        off_haz[name] = _names(
            rule.get("hazards", []), f"{source}: offence.{name}.hazards", HAZARDS
        )
    health: dict[str, frozenset[str]] = {}
    for name, rule in table.get("health", {}).items():
        if name not in HEALTH_FLAGS:
            raise PolicyError(f"{source}: [health.{name}]: unknown health flag {name!r}")
        health[name] = _names(rule.get("hazards", []), f"{source}: health.{name}.hazards", HAZARDS)
    return Policy(
        max_travel_km=_number(m, "max_travel_km", 15.0, source, 0.0),
        road_factor=_number(m, "road_factor", 1.3, source, 1.0),
        skill_bonus_km=_number(m, "skill_bonus_km", 2.0, source, 0.0),
        alternatives=alternatives,
        offence_populations=off_pop,
        offence_hazards=off_haz,
        health_hazards=health,
        extent=_extent(m.get("extent"), source),
        children=_children(table.get("children", {}), source),
        ladder=_ladder(table.get("attendance", {}), source),
    )


def merge_tables(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Override ``[matching]``, ``[children]`` and ``[attendance]`` key by key, and each
    ``[offence.X]``/``[health.X]`` as a whole."""
    merged: dict[str, Any] = {
        "matching": {**base.get("matching", {}), **override.get("matching", {})},
        "offence": {**base.get("offence", {}), **override.get("offence", {})},
        "health": {**base.get("health", {}), **override.get("health", {})},
        "children": {**base.get("children", {}), **override.get("children", {})},
        "attendance": {**base.get("attendance", {}), **override.get("attendance", {})},
    }
    unknown = sorted(set(override) - set(merged))
    if unknown:
        raise PolicyError(
            f"unknown section [{unknown[0]}]; allowed: matching, offence, health, children, "
            "attendance"
        )
    return merged


@cache
def default_policy() -> Policy:
    """The policy shipped with the package (:data:`DEFAULT_POLICY_TOML`)."""
    return policy_from_table(_default_table(), "policy.toml (default)")


def policy_with(
    overrides: Mapping[str, Any] | None, source: str = "policy.toml (default)"
) -> Policy:
    """The default policy with an override table (already parsed) applied section by section."""
    if not overrides:
        return default_policy()
    try:
        table = merge_tables(_default_table(), overrides)
    except PolicyError as exc:
        if source == "policy.toml (default)":
            raise
        raise PolicyError(f"{source}: {exc}") from None
    return policy_from_table(table, source)


DEFAULT_POLICY_TOML = """\
# Penempatan default placement policy.
#
# A Bapas reviews these defaults and overrides any part with `--config its-own.toml`
# (same layout; a section given there replaces the default section of the same name).
# Pasal 85(2) KUHP: the judge weighs ability to work, work safety and religion; the
# Penjelasan asks that work match the person's profession where possible (skill bonus).

[matching]
max_travel_km = 15.0      # road km from home, unless the client has its own limit
road_factor = 1.3         # road km = great-circle km x road_factor
skill_bonus_km = 2.0      # work that fits the client's skills counts as this much shorter
alternatives = 3          # next-best eligible sites listed with every placement
# Where clients and sites may be: [min_lon, min_lat, max_lon, max_lat], WGS84 degrees (Indonesia).
# A point outside is an input error that names the likely cause (a lost minus sign).
extent = [94.5, -11.5, 141.5, 6.5]

# Offence category -> who must not be present at the site, and which hazards it must not have.
[offence.sexual_offence]
populations = ["children", "elderly", "patients", "disabled"]
hazards = []

[offence.domestic_violence]
populations = ["children", "elderly", "disabled"]
hazards = []

[offence.minor_assault]
populations = ["children"]
hazards = []

[offence.property_theft]
populations = []
hazards = ["cash_handling"]

[offence.fraud_embezzlement]
populations = []
hazards = ["cash_handling"]

[offence.gambling]
populations = []
hazards = ["cash_handling"]

[offence.narcotics_use]
populations = ["children"]
hazards = ["medicines"]

# Health flag -> hazards the site must not have (work safety, Pasal 85(2)).
[health.epilepsy]
hazards = ["heights", "traffic"]

[health.pregnancy]
hazards = ["chemicals", "heavy_lifting", "heights"]

[health.respiratory]
hazards = ["chemicals"]

# Children (Anak, pidana pelayanan masyarakat, UU No. 11 Tahun 2012). POLICY, not statute: what a
# Bapas holds to for a child's placement, overridable key by key like [matching].
[children]
suitable_sites_only = true   # only sites marked child_suitable = true
forbidden_hazards = ["heights", "chemicals", "heavy_lifting", "traffic", "cash_handling"]
after_school_hours = 0       # hours a child may work on a school day; 0 = never on a school day
max_hours_per_day = 4        # a child's day, whatever the verdict's hours a day
# never at a site together with an adult client convicted of one of these offences
apart_from_offences = ["sexual_offence", "domestic_violence", "minor_assault"]
require_pk_anak = true       # a child's placement names a PK Anak

# Attendance: the warning ladder. POLICY, not statute: Pasal 85(7) KUHP (and Pasal 76(2) SPPA
# for a child) names the consequences, not the steps. Step k is what the k-th mangkir (absence
# without a valid reason) produces: "peringatan" (a written warning to the client, numbered),
# "pelanggaran" (a breach notice to the jaksa), or "catat" (recorded, no letter). Mangkir after
# the last step repeats the last step.
[attendance]
ladder = ["peringatan", "peringatan", "pelanggaran"]
"""
