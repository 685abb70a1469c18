"""Validation: raw records (from files or requests) to domain objects, or precise problems.

Every problem names where it is (file and row/feature, or a request path), the field, the value
and the rule, citing the Pasal of the KUHP (UU No. 1 Tahun 2023) where the law is the rule.
Nothing is solved while any problem remains: callers get all problems at once.

Court-order limits (Pasal 85):
* 85(1): kerja sosial only for an offence threatened with under 5 years' prison, where the judge
  imposed at most 6 months' prison or a fine of at most category II (Rp10,000,000). These fields
  are optional in the data contract; when present they are checked.
* 85(4): 8 to 240 hours in total.
* 85(5): at most 8 hours a day, completed within at most 6 months.

A child's order (``sentence = pelayanan_masyarakat``, UU No. 11 Tahun 2012) is validated by its
own law instead: 7 to 120 hours (Pasal 76(3)), age 12 to under 18 at the offence (Pasal 1
angka 3); the KUHP's 6 months and Pasal 85(1) do not apply to it (``matcher.law``).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from matcher.law import KERJA_SOSIAL, SENTENCES, law_of
from matcher.model import INDONESIA, WORLD, Client, ExclusionZone, Extent, Site
from matcher.rules import (
    HOURS_PER_DAY_MAX,
    IMPOSED_FINE_RP_MAX,
    IMPOSED_PRISON_MONTHS_MAX,
    MAX_MONTHS,
    RULES,
    THREATENED_YEARS_BELOW,
    Message,
    V,
)
from matcher.vocab import (
    DEMANDS,
    GENDER_POLICIES,
    GENDERS,
    HAZARDS,
    HEALTH_FLAGS,
    OFFENCES,
    POPULATIONS,
    RELIGIONS,
    SITE_KINDS,
    SUPERVISOR_GENDERS,
    WEEKDAY_ALIASES,
    WEEKDAYS,
    WORK_TYPES,
)

TRUE_WORDS = frozenset({"true", "ya", "1"})  # rule value.booleans
FALSE_WORDS = frozenset({"false", "tidak", "0"})
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")  # rule value.date_formats
_LIST_SEPARATORS = re.compile(r"[;,]")


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One problem in the input: where, which field, what value, which rule (both languages)."""

    source: str
    field: str
    value: Any
    message: Message

    @property
    def rule(self) -> str:
        """The rule in English (``message.text(lang)`` for the reader's language)."""
        return self.message.english

    def __str__(self) -> str:
        return f"{self.source}: {self.field} = {self.value!r}: {self.rule}"


class InputError(ValueError):
    """Raised with every problem found; nothing was applied."""

    def __init__(self, problems: Sequence[InputProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# Input rules of the data contract that are not law (texts in matcher/rules.py).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
"""Every id (site, client, Bapas): the API's path pattern, so an id accepted anywhere can be
read everywhere (``/v1/sites/{id}``)."""
_ID_RE = re.compile(ID_PATTERN)
NAME_MAX_CHARS = 200
TEXT_MAX_CHARS = 100  # district, subdistrict
CAPACITY_MAX = 10_000
DATE_MIN, DATE_MAX = date(2000, 1, 1), date(2099, 12, 31)
__all__ = ["INDONESIA", "WORLD", "Extent"]  # re-exported: the validator's callers name them here


def _flipped_inside(value: float, lo: float, hi: float) -> bool:
    return value != 0.0 and lo <= -value <= hi


class RecordLike(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def values(self) -> Mapping[str, Any]: ...


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


class _Reader:
    """Reads typed fields from one raw record, collecting problems instead of stopping."""

    def __init__(self, source: str, values: Mapping[str, Any], extent: Extent = INDONESIA):
        self.source = source
        self.values = values
        self.extent = extent
        self.problems: list[InputProblem] = []

    def fail(self, name: str, value: Any, rule: Message) -> None:
        self.problems.append(InputProblem(self.source, name, value, rule))

    def has_problem(self, name: str) -> bool:
        return any(p.field == name for p in self.problems)

    def _raw(self, name: str) -> Any:
        v = self.values.get(name)
        if isinstance(v, str):
            v = v.strip()
            return None if v == "" else v
        return v

    def text(
        self,
        name: str,
        *,
        required: bool = False,
        default: str = "",
        max_chars: int = NAME_MAX_CHARS,
    ) -> str:
        v = self._raw(name)
        if v is None:
            if required:
                self.fail(name, self.values.get(name), V["required"].say())
            return default
        if isinstance(v, bool | dict | list):
            self.fail(name, v, V["text"].say())
            return default
        text = str(v)
        if len(text) > max_chars:
            self.fail(name, text, V["text_too_long"].say(max=max_chars))
            return default
        return text

    def ident(self, name: str, *, required: bool = False) -> str:
        """An id (site, client): the id rule, the same at every door."""
        text = self.text(name, required=required, max_chars=2**62)
        if text and not _ID_RE.match(text):
            self.fail(name, text, V["id_format"].say())
            return ""
        return text

    def choice(self, name: str, allowed: Iterable[str], *, default: str | None = None) -> str:
        v = self._raw(name)
        allowed = list(allowed)
        if v is None:
            if default is None:
                self.fail(
                    name,
                    self.values.get(name),
                    V["required_choice"].say(allowed=", ".join(sorted(allowed))),
                )
                return ""
            return default
        if not isinstance(v, str) or v.lower() not in allowed:
            self.fail(name, v, V["unknown_value"].say(allowed=", ".join(sorted(allowed))))
            return default or ""
        return v.lower()

    def integer(
        self, name: str, *, required: bool = True, default: int | None = None
    ) -> int | None:
        v = self._raw(name)
        if v is None:
            if required:
                self.fail(name, self.values.get(name), V["required_integer"].say())
            return default
        if isinstance(v, bool):
            self.fail(name, v, V["integer"].say())
            return default
        if isinstance(v, int):
            return v
        try:
            f = float(v)
        except (TypeError, ValueError):
            self.fail(name, v, V["integer"].say())
            return default
        if not math.isfinite(f) or f != int(f):
            self.fail(name, v, V["integer"].say())
            return default
        return int(f)

    def number(self, name: str, *, required: bool = True) -> float | None:
        v = self._raw(name)
        if v is None:
            if required:
                self.fail(name, self.values.get(name), V["required_number"].say())
            return None
        if isinstance(v, bool):
            self.fail(name, v, V["number"].say())
            return None
        try:
            f = float(v)
        except (TypeError, ValueError):
            self.fail(name, v, V["number"].say())
            return None
        if not math.isfinite(f):
            self.fail(name, v, V["finite_number"].say())
            return None
        return f

    def boolean(self, name: str, default: bool) -> bool:
        v = self._raw(name)
        if v is None:
            return default
        if isinstance(v, bool):
            return v
        if isinstance(v, int | float) and v in (0, 1):
            return v == 1
        word = v.strip().lower() if isinstance(v, str) else ""
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        self.fail(name, v, V["boolean"].say())
        return default

    def names(
        self, name: str, allowed: Iterable[str], aliases: Mapping[str, str] | None = None
    ) -> frozenset[str]:
        v = self._raw(name)
        if v is None:
            return frozenset()
        if isinstance(v, str):
            # names never hold a comma, so "Senin, Rabu" is as clear as "mon;wed"
            items = [p.strip() for p in _LIST_SEPARATORS.split(v) if p.strip()]
        elif isinstance(v, list | tuple) and all(isinstance(p, str) for p in v):
            items = [p.strip() for p in v if p.strip()]
        else:
            self.fail(name, v, V["names_list"].say())
            return frozenset()
        allowed = frozenset(allowed)
        aliases = aliases or {}
        lowered = [aliases.get(p.lower(), p.lower()) for p in items]
        bad = [p for p in lowered if p not in allowed]
        if bad:
            self.fail(name, bad[0], V["unknown_value"].say(allowed=", ".join(sorted(allowed))))
            return frozenset(p for p in lowered if p in allowed)
        return frozenset(lowered)

    def ids(self, name: str) -> frozenset[str]:
        v = self._raw(name)
        if v is None:
            return frozenset()
        if isinstance(v, str):
            return frozenset(p.strip() for p in v.split(";") if p.strip())
        if isinstance(v, list | tuple) and all(isinstance(p, str) for p in v):
            return frozenset(p.strip() for p in v if p.strip())
        self.fail(name, v, V["ids_list"].say())
        return frozenset()

    def day(self, name: str) -> date | None:
        v = self._raw(name)
        if v is None:
            self.fail(name, self.values.get(name), V["required_date"].say())
            return None
        if isinstance(v, datetime):  # a spreadsheet's date cell
            v = v.date()
        if isinstance(v, date):
            day: date | None = v
        else:
            text = str(v).strip()
            dmy = _DMY.match(text)
            try:
                if dmy:  # day first, as Indonesia writes it; never month first
                    day = date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
                else:
                    day = date.fromisoformat(text[:10] if "T" in text or " " in text else text)
            except ValueError:
                self.fail(name, v, V["date"].say())
                return None
        if day is not None and not DATE_MIN <= day <= DATE_MAX:
            lo, hi = DATE_MIN.isoformat(), DATE_MAX.isoformat()
            self.fail(name, day.isoformat(), V["date_range"].say(lo=lo, hi=hi))
            return None
        return day

    def coordinates(self) -> tuple[float, float] | None:
        lat, lon = self.number("lat"), self.number("lon")
        ok = True
        if lat is not None and not -90.0 <= lat <= 90.0:
            self.fail("lat", lat, V["latitude"].say())
            ok = False
        if lon is not None and not -180.0 <= lon <= 180.0:
            self.fail("lon", lon, V["longitude"].say())
            ok = False
        if lat is None or lon is None or not ok:
            return None
        if lat == 0.0 and lon == 0.0:
            self.fail("lat,lon", (lat, lon), V["null_island"].say())
            return None
        e = self.extent
        lat_ok, lon_ok = e.min_lat <= lat <= e.max_lat, e.min_lon <= lon <= e.max_lon
        if not lat_ok:
            if not lon_ok and e.min_lat <= lon <= e.max_lat and e.min_lon <= lat <= e.max_lon:
                self.fail("lon", lon, V["extent_lon_swapped"].say(lo=e.min_lon, hi=e.max_lon))
                return None
            if _flipped_inside(lat, e.min_lat, e.max_lat):
                rule = V["extent_lat_sign"].say(lo=e.min_lat, hi=e.max_lat, flipped=-lat)
            else:
                rule = V["extent_lat"].say(lo=e.min_lat, hi=e.max_lat)
            self.fail("lat", lat, rule)
        if not lon_ok:
            if _flipped_inside(lon, e.min_lon, e.max_lon):
                rule = V["extent_lon_sign"].say(lo=e.min_lon, hi=e.max_lon, flipped=-lon)
            else:
                rule = V["extent_lon"].say(lo=e.min_lon, hi=e.max_lon)
            self.fail("lon", lon, rule)
        if not (lat_ok and lon_ok):
            return None
        return lat, lon

    def zones(self, name: str) -> tuple[ExclusionZone, ...]:
        v = self._raw(name)
        if v is None:
            return ()
        triples: list[Any] = []
        if isinstance(v, str):
            triples = [p.split(",") for p in v.split(";") if p.strip()]
        elif isinstance(v, list):
            for z in v:
                if isinstance(z, Mapping):
                    triples.append([z.get("lat"), z.get("lon"), z.get("radius_km")])
                else:
                    triples.append(z)
        else:
            self.fail(name, v, V["zones_format"].say())
            return ()
        out = []
        for t in triples:
            try:
                lat, lon, r = (float(x) for x in t)
            except (TypeError, ValueError):
                self.fail(name, v, V["zone_triple"].say())
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not (0 < r <= 100):
                self.fail(name, t, V["zone_values"].say())
                continue
            out.append(ExclusionZone(lat, lon, r))
        return tuple(out)


def parse_site(
    values: Mapping[str, Any], source: str, extent: Extent = INDONESIA
) -> tuple[Site | None, list[InputProblem]]:
    """One site from raw values, or the problems that stop it."""
    r = _Reader(source, values, extent)
    site_id = r.ident("site_id", required=True)
    coords = r.coordinates()
    capacity = r.integer("capacity")
    if capacity is not None and capacity < 0:
        r.fail("capacity", capacity, V["site_capacity"].say())
    elif capacity is not None and capacity > CAPACITY_MAX:
        r.fail("capacity", capacity, V["capacity_range"].say(max=CAPACITY_MAX))
        capacity = None
    hpd = r.integer("hours_per_day", required=False, default=8)
    if hpd is not None and not 1 <= hpd <= HOURS_PER_DAY_MAX:
        r.fail("hours_per_day", hpd, V["site_hours_per_day"].say())
    open_days = r.names("open_days", WEEKDAYS, WEEKDAY_ALIASES)
    if not open_days and not r.has_problem("open_days"):
        r.fail("open_days", values.get("open_days"), V["open_days"].say())
    site = Site(
        site_id=site_id,
        name=r.text("name", default=site_id),
        kind=r.choice("kind", SITE_KINDS, default="other"),
        lat=coords[0] if coords else 0.0,
        lon=coords[1] if coords else 0.0,
        capacity=capacity or 0,
        open_days=open_days,
        hours_per_day=hpd or 8,
        approved=r.boolean("approved", True),
        commercial=r.boolean("commercial", False),
        population=r.names("population", POPULATIONS),
        hazards=r.names("hazards", HAZARDS),
        physical_demand=r.choice("physical_demand", DEMANDS, default="light"),
        gender_policy=r.choice("gender_policy", GENDER_POLICIES, default="any"),
        supervisor_gender=r.choice("supervisor_gender", SUPERVISOR_GENDERS, default="mixed"),
        religion=r.choice("religion", RELIGIONS, default=""),
        work_types=r.names("work_types", WORK_TYPES),
        district=r.text("district", max_chars=TEXT_MAX_CHARS),
        subdistrict=r.text("subdistrict", max_chars=TEXT_MAX_CHARS),
        child_suitable=r.boolean("child_suitable", False),
    )
    return (None if r.problems else site), r.problems


def parse_client(
    values: Mapping[str, Any], source: str, extent: Extent = INDONESIA
) -> tuple[Client | None, list[InputProblem]]:
    """One client and its court order from raw values, or the problems that stop it."""
    r = _Reader(source, values, extent)
    client_id = r.ident("client_id", required=True)
    coords = r.coordinates()
    sentence = r.choice("sentence", SENTENCES, default="kerja_sosial")
    law = law_of(sentence)
    child = sentence == "pelayanan_masyarakat"
    hours = r.integer("hours")
    if hours is not None and not law.hours_min <= hours <= law.hours_max:
        r.fail(
            "hours",
            hours,
            _cited("sentence_pelayanan_masyarakat_hours") if child else V["hours_total"].say(),
        )
    hpd = r.integer("hours_per_day")
    if hpd is not None and not 1 <= hpd <= HOURS_PER_DAY_MAX:
        r.fail("hours_per_day", hpd, V["hours_per_day"].say())
    start, deadline = r.day("start_date"), r.day("deadline")
    if start and deadline:
        if deadline < start:
            r.fail(
                "deadline",
                deadline.isoformat(),
                V["deadline_before_start"].say(start=start.isoformat()),
            )
        elif not child and deadline > add_months(start, MAX_MONTHS):
            r.fail(
                "deadline",
                deadline.isoformat(),
                V["deadline_six_months"].say(
                    start=start.isoformat(), latest=add_months(start, MAX_MONTHS).isoformat()
                ),
            )
    available = r.names("available_days", WEEKDAYS, WEEKDAY_ALIASES)
    if not available and not r.has_problem("available_days"):
        r.fail(
            "available_days",
            values.get("available_days"),
            V["available_days"].say(),
        )
    # Pasal 85(1): optional in the data contract; checked when the court order states them
    for name, too_much, rule in (
        ("threatened_max_years", lambda v: v >= THREATENED_YEARS_BELOW, "threatened_years"),
        ("imposed_prison_months", lambda v: v > IMPOSED_PRISON_MONTHS_MAX, "imposed_prison"),
        ("imposed_fine_rp", lambda v: v > IMPOSED_FINE_RP_MAX, "imposed_fine"),
    ):
        value = r.integer(name, required=False)
        # Pasal 85(1) is kerja sosial's gate; a child's order is pidana dengan syarat (SPPA)
        if not child and value is not None and too_much(value):
            r.fail(name, value, V[rule].say())
    max_travel = r.number("max_travel_km", required=False)
    if max_travel is not None and not 0 < max_travel <= 200:
        r.fail("max_travel_km", max_travel, V["max_travel_km"].say())
    age = r.integer("age", required=False)
    if child and (age is None or not (law.age_min or 0) <= age < (law.age_below or 200)):
        r.fail("age", values.get("age") if age is None else age, _cited("sentence_child_age"))
    elif age is not None and not 12 <= age <= 120:
        r.fail("age", age, V["age"].say())
    elif not child and age is not None and age < (KERJA_SOSIAL.age_min or 0):
        r.fail("age", age, _cited("sentence_adult_age"))
    school_days = r.names("school_days", WEEKDAYS)
    fixed = r.ident("fixed_site_id") or None
    current = r.ident("current_site_id") or None
    separate = r.ids("separate_from")
    bad_ids = sorted(i for i in separate if not _ID_RE.match(i))
    if bad_ids:
        r.fail("separate_from", bad_ids[0], V["id_format"].say())
    if client_id and client_id in separate:
        r.fail("separate_from", client_id, V["separate_self"].say())
    client = Client(
        client_id=client_id,
        lat=coords[0] if coords else 0.0,
        lon=coords[1] if coords else 0.0,
        gender=r.choice("gender", GENDERS),
        offence=r.choice("offence", OFFENCES),
        hours=hours or 0,
        hours_per_day=hpd or 0,
        start_date=start or date.min,
        deadline=deadline or date.min,
        available_days=available,
        fitness=r.choice("fitness", DEMANDS, default="moderate"),
        age=age,
        health=r.names("health", HEALTH_FLAGS),
        religion=r.choice("religion", RELIGIONS, default=""),
        worship_site_consent=r.boolean("worship_site_consent", False),
        skills=r.names("skills", WORK_TYPES),
        max_travel_km=max_travel,
        needs_female_supervisor=r.boolean("needs_female_supervisor", False),
        exclusion_zones=r.zones("exclusion_zones"),
        separate_from=separate,
        fixed_site_id=fixed,
        current_site_id=current,
        sentence=sentence,
        school_days=school_days,
    )
    return (None if r.problems else client), r.problems


def _cited(key: str) -> Message:
    """A rule of the order's own law, its citation in the text (``matcher.law``)."""
    rule = RULES[key]
    return Message(rule.key, rule.cited("id"), rule.cited("en"), rule.pasal or None)


def _unique(ids: Iterable[tuple[str, str]], what: str) -> list[InputProblem]:
    seen: dict[str, str] = {}
    problems = []
    for source, ident in ids:
        if ident in seen:
            problems.append(
                InputProblem(source, what, ident, V["duplicate_id"].say(first=seen[ident]))
            )
        else:
            seen[ident] = source
    return problems


def _raw_id(values: Mapping[str, Any], key: str) -> str:
    v = values.get(key)
    return str(v).strip() if v is not None and not isinstance(v, dict | list) else ""


def parse_sites(
    records: Iterable[RecordLike], extent: Extent = INDONESIA
) -> tuple[list[Site], list[InputProblem]]:
    """All sites, plus every problem (including duplicate ids, even in otherwise bad rows)."""
    sites, problems, ids = [], [], []
    for rec in records:
        site, probs = parse_site(rec.values, rec.source, extent)
        problems += probs
        if site is not None:
            sites.append(site)
        ids.append((rec.source, _raw_id(rec.values, "site_id")))
    problems += _unique([(src, i) for src, i in ids if i], "site_id")
    return sites, problems


def parse_clients(
    records: Iterable[RecordLike], extent: Extent = INDONESIA
) -> tuple[list[Client], list[InputProblem], list[str]]:
    """All clients, every problem, and each client's source (for cross-reference messages)."""
    clients, problems, sources, ids = [], [], [], []
    for rec in records:
        client, probs = parse_client(rec.values, rec.source, extent)
        problems += probs
        if client is not None:
            clients.append(client)
            sources.append(rec.source)
        ids.append((rec.source, _raw_id(rec.values, "client_id")))
    problems += _unique([(src, i) for src, i in ids if i], "client_id")
    return clients, problems, sources


def check_references(
    sites: Sequence[Site], clients: Sequence[Client], sources: Sequence[str] | None = None
) -> list[InputProblem]:
    """separate_from must name clients, fixed_site_id / current_site_id must name sites."""
    site_ids = {s.site_id for s in sites}
    client_ids = {c.client_id for c in clients}
    problems = []
    for i, c in enumerate(clients):
        src = sources[i] if sources else f"client {c.client_id}"
        for other in sorted(c.separate_from - client_ids):
            problems.append(InputProblem(src, "separate_from", other, V["unknown_client"].say()))
        if c.fixed_site_id and c.fixed_site_id not in site_ids:
            problems.append(
                InputProblem(src, "fixed_site_id", c.fixed_site_id, V["unknown_site"].say())
            )
        if c.current_site_id and c.current_site_id not in site_ids:
            problems.append(
                InputProblem(src, "current_site_id", c.current_site_id, V["unknown_site"].say())
            )
    return problems


def validate_inputs(
    site_records: Iterable[RecordLike],
    client_records: Iterable[RecordLike],
    extent: Extent = INDONESIA,
) -> tuple[list[Site], list[Client]]:
    """Parse and cross-check both inputs; raise InputError with every problem, or return them."""
    sites, site_problems = parse_sites(site_records, extent)
    clients, client_problems, sources = parse_clients(client_records, extent)
    # references are checked among the records that parsed, so every problem is reported at once
    problems = site_problems + client_problems + check_references(sites, clients, sources)
    if problems:
        raise InputError(problems)
    return sites, clients
