"""Every rule a person reads about, once: its key, the law (or policy) behind it, its Indonesian and
English text, and why it exists.

Find a rule by its key: the eligibility masks, the pairing rules the solver and the service add
(co-offender separation, court-fixed site, inactive site), the reasons a client stays unplaced, the
court-order limits of Pasal 85 and every other validation message. The api, the CLI, the files and
the planning brief only look texts up here (``RULES[key]``, ``Message.text(lang)``); nothing
outside this module words or translates a rule. ``tests/matcher/test_rules.py`` follows the
eligibility rules one by one (a case that satisfies each and one that breaks it).

Texts are ``str.format`` templates; :meth:`Rule.say` fills them and returns a :class:`Message`.

Eligibility rules are one function each (``Hard:`` in the docstring, Timefold style), evaluated
over candidate arcs as vectorised masks by :mod:`matcher.eligibility`:

group key                    holds when                                                KUHP
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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geo.candidates import Arcs
from geo.distance import haversine_km
from matcher.arrays import ClientArrays, SiteArrays

Mask = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Message:
    """One rule's text, filled in, in both languages (``pasal``: the law cited, if any)."""

    key: str
    indonesian: str
    english: str
    pasal: str | None = None

    def text(self, lang: str) -> str:
        return self.english if lang == "en" else self.indonesian

    def __str__(self) -> str:
        return self.english


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its key, its Indonesian and English text (templates), the Pasal and why."""

    key: str
    indonesian: str
    english: str
    pasal: str = ""
    why: str = ""

    def say(self, **args: Any) -> Message:
        return Message(
            self.key,
            self.indonesian.format(**args),
            self.english.format(**args),
            self.pasal or None,
        )

    def text(self, lang: str) -> str:
        return self.english if lang == "en" else self.indonesian

    def cited(self, lang: str) -> str:
        """The text with its Pasal in brackets: ``lokasi bersifat komersial (Pasal 85(3))``."""
        return self.text(lang) + (f" ({self.pasal})" if self.pasal else "")


# --- eligibility: one function per rule over candidate arcs ----------------------------------


@dataclass(frozen=True, slots=True)
class Pairs:
    """The candidate arcs with the arrays of both sides (what every eligibility rule reads)."""

    arcs: Arcs
    c: ClientArrays
    s: SiteArrays


@dataclass(frozen=True, slots=True)
class EligibilityRule(Rule):
    group: int = 0
    holds: Callable[[Pairs], Mask] | None = None


def approved(p: Pairs) -> Mask:
    """Hard: the site is approved by the Pemda."""
    return p.s.approved[p.arcs.site]


def not_commercial(p: Pairs) -> Mask:
    """Hard: the work must not be commercialised (Pasal 85(3))."""
    return ~p.s.commercial[p.arcs.site]


def has_capacity(p: Pairs) -> Mask:
    """Hard: the site takes at least one client at a time."""
    return p.s.capacity[p.arcs.site] > 0


def within_reach(p: Pairs) -> Mask:
    """Hard: the road estimate is within the client's travel limit."""
    return p.arcs.distance_km <= p.c.reach_km[p.arcs.client]


def safe_for_offence(p: Pairs) -> Mask:
    """Hard: no population or hazard that the offence policy forbids (Pasal 85(2))."""
    ci, si = p.arcs.client, p.arcs.site
    return ((p.s.population[si] & p.c.forbid_population[ci]) == 0) & (
        (p.s.hazards[si] & p.c.forbid_offence_hazards[ci]) == 0
    )


def safe_for_health(p: Pairs) -> Mask:
    """Hard: no hazard that the client's health forbids (Pasal 85(2): work safety)."""
    return (p.s.hazards[p.arcs.site] & p.c.forbid_health_hazards[p.arcs.client]) == 0


def within_fitness(p: Pairs) -> Mask:
    """Hard: the site's physical demand is within the client's fitness (Pasal 85(2))."""
    return p.s.demand[p.arcs.site] <= p.c.fitness[p.arcs.client]


def admits_gender(p: Pairs) -> Mask:
    """Hard: a women-only or men-only site admits only that gender."""
    gp = p.s.gender_policy[p.arcs.site]
    female = p.c.female[p.arcs.client]
    return (gp == 0) | ((gp == 1) & female) | ((gp == 2) & ~female)


def female_supervision(p: Pairs) -> Mask:
    """Hard: a client who needs a female supervisor gets a site with one."""
    return ~p.c.needs_female_supervisor[p.arcs.client] | p.s.female_supervision[p.arcs.site]


def religion_respected(p: Pairs) -> Mask:
    """Hard: a place of worship only for its own religion or with recorded consent (85(2))."""
    rel = p.s.religion[p.arcs.site]
    ci = p.arcs.client
    return (rel == 0) | (rel == p.c.religion[ci]) | p.c.consent[ci]


def outside_exclusion_zones(p: Pairs) -> Mask:
    """Hard: the site lies outside every victim exclusion zone of the client (great circle)."""
    arcs, c, s = p.arcs, p.c, p.s
    hit = np.zeros(len(arcs), np.bool_)
    if c.zone_client.size == 0 or len(arcs) == 0:
        return ~hit
    n = c.lat.shape[0]
    per_client = np.bincount(c.zone_client, minlength=n)
    first = np.concatenate(([0], np.cumsum(per_client)[:-1]))
    order = np.argsort(c.zone_client, kind="stable")
    rep = per_client[arcs.client]
    arc_idx = np.repeat(np.arange(len(arcs)), rep)
    if arc_idx.size == 0:
        return ~hit
    within = np.arange(arc_idx.size) - np.repeat(np.cumsum(rep) - rep, rep)
    zone = order[first[arcs.client[arc_idx]] + within]
    si = arcs.site[arc_idx]
    d = haversine_km(c.zone_lat[zone], c.zone_lon[zone], s.lat[si], s.lon[si])
    np.logical_or.at(hit, arc_idx[d <= c.zone_radius_km[zone]], True)
    return ~hit


def hours_fit_before_deadline(p: Pairs) -> Mask:
    """Hard: ceil(hours / min(hours per day)) <= common working days before the deadline (85(5))."""
    ci, si = p.arcs.client, p.arcs.site
    h = np.minimum(p.c.hours_per_day[ci], p.s.hours_per_day[si])
    days_needed = -(-p.c.hours[ci] // np.maximum(h, 1))
    return np.asarray(days_needed <= p.c.workdays[ci, p.s.open_bits[si]])


ELIGIBILITY: tuple[EligibilityRule, ...] = (
    EligibilityRule(
        "not_approved",
        "lokasi belum disetujui",
        "site not approved",
        why="Only sites the Pemda approved under its agreement with the Kejaksaan take clients.",
        group=1,
        holds=approved,
    ),
    EligibilityRule(
        "commercial",
        "lokasi bersifat komersial",
        "site is commercial",
        "Pasal 85(3)",
        why="Pasal 85(3): the work of a kerja sosial sentence must not be commercialised.",
        group=1,
        holds=not_commercial,
    ),
    EligibilityRule(
        "no_capacity",
        "kapasitas lokasi 0",
        "site capacity is 0",
        why="A site with no supervisor or space for a client cannot take one.",
        group=1,
        holds=has_capacity,
    ),
    EligibilityRule(
        "too_far",
        "terlalu jauh dari rumah",
        "too far from home",
        why="A placement far from home is a cause of absence (default 15 km of road).",
        group=2,
        holds=within_reach,
    ),
    EligibilityRule(
        "offence_safety",
        "tidak aman untuk jenis tindak pidana",
        "unsafe for the offence",
        "Pasal 85(2)",
        why="Public safety: the offence policy forbids some populations and hazards "
        "(e.g. no children for sexual offences, no cash handling for theft).",
        group=3,
        holds=safe_for_offence,
    ),
    EligibilityRule(
        "health_hazard",
        "bahaya bagi kesehatan klien",
        "hazard for the client's health",
        "Pasal 85(2)",
        why="Pasal 85(2) asks the judge to weigh work safety; health flags forbid hazards.",
        group=3,
        holds=safe_for_health,
    ),
    EligibilityRule(
        "physical_demand",
        "pekerjaan terlalu berat",
        "work too heavy for the client",
        "Pasal 85(2)",
        why="Pasal 85(2): the ability to work bounds the physical demand of the site.",
        group=4,
        holds=within_fitness,
    ),
    EligibilityRule(
        "gender_policy",
        "lokasi khusus gender lain",
        "site is for the other gender",
        why="Women-only and men-only sites exist; policy of the site.",
        group=5,
        holds=admits_gender,
    ),
    EligibilityRule(
        "female_supervisor",
        "tidak ada pembimbing perempuan",
        "no female supervisor",
        why="A client may need a female supervisor (recorded in the litmas).",
        group=5,
        holds=female_supervision,
    ),
    EligibilityRule(
        "religion",
        "tempat ibadah agama lain tanpa persetujuan",
        "place of worship without consent",
        "Pasal 85(2)",
        why="Pasal 85(2): religion and belief; a place of worship of another religion needs the "
        "client's recorded consent.",
        group=6,
        holds=religion_respected,
    ),
    EligibilityRule(
        "exclusion_zone",
        "di dalam zona larangan (korban)",
        "inside a victim exclusion zone",
        why="Victim protection: no placement near a victim's home.",
        group=7,
        holds=outside_exclusion_zones,
    ),
    EligibilityRule(
        "hours_before_deadline",
        "jam kerja tidak cukup sebelum tenggat",
        "hours cannot be done before the deadline",
        "Pasal 85(5)",
        why="Pasal 85(5): at most 8 hours a day within the completion period; the common working "
        "days (client's days, site's open days, no public holidays) must hold the hours.",
        group=8,
        holds=hours_fit_before_deadline,
    ),
)
ELIGIBILITY_INDEX = {r.key: i for i, r in enumerate(ELIGIBILITY)}

# --- pairing rules beyond the masks (solver and service) ------------------------------------

PAIRING: tuple[Rule, ...] = (
    Rule(
        "separation",
        "klien yang harus dipisahkan sudah bekerja di sana",
        "a co-offender already works there",
        why="Victim protection and order: co-offenders (separate_from) never share a site.",
    ),
    Rule(
        "fixed_site",
        "putusan menetapkan lokasi lain",
        "the court fixed another site",
        why="The verdict may name the site; the solver then places the client only there.",
    ),
    Rule(
        "site_inactive",
        "lokasi tidak aktif",
        "site is not active",
        why="A site removed from the registry takes no new placements.",
    ),
)

# --- why a client is unplaced (explain) ------------------------------------------------------

UNPLACED: tuple[Rule, ...] = (
    Rule(
        "no_site_in_reach",
        "Tidak ada lokasi kerja dalam jarak {reach_km:g} km (jalan) dari rumah klien.",
        "No work site within {reach_km:g} km (by road) of the client's home.",
        why="Nothing to choose from: the registry needs a site nearer this client's home.",
    ),
    Rule(
        "no_eligible_site",
        "Ada {in_reach} lokasi dalam jangkauan, tetapi tidak ada yang memenuhi syarat "
        "(satu lokasi bisa gagal beberapa syarat): {rules}.",
        "{in_reach} site{plural} in reach, none eligible (a site may fail several rules): {rules}.",
        why="Every site in reach breaks at least one eligibility rule (counted per rule).",
    ),
    Rule(
        "deadline_unreachable",
        "{hours} jam kerja ({hours_per_day} jam/hari) tidak dapat diselesaikan sebelum tenggat "
        "{deadline} di {sites} lokasi yang sesuai dalam jangkauan: hari kerja bersama "
        "(hari tersedia klien, hari buka lokasi, bukan hari libur nasional) tidak cukup "
        "(Pasal 85(5) KUHP).",
        "{hours} hours ({hours_per_day} h/day) cannot be completed by the deadline {deadline} at "
        "any of the {sites} otherwise suitable site(s) in reach: too few common working days "
        "(client's days, site's open days, no public holidays) (Pasal 85(5) KUHP).",
        "Pasal 85(5)",
        why="Sites would suit but for the hours: the order cannot be finished in time there.",
    ),
    Rule(
        "eligible_sites_full",
        "Semua {n} lokasi yang memenuhi syarat sudah penuh oleh penempatan lain: {sites}{more_id}.",
        "All {n} eligible site{plural} filled by other placements: {sites}{more_en}.",
        why="The optimum used the eligible sites' places for other clients.",
    ),
    Rule(
        "separation_conflict",
        "Lokasi yang memenuhi syarat dan masih ada tempat sudah ditempati klien yang harus "
        "dipisahkan darinya (separate_from): {sites}.",
        "The eligible sites with room hold a client it must be kept apart from (separate_from): "
        "{sites}.",
        why="Co-offenders are never placed together.",
    ),
    Rule(
        "fixed_site_ineligible",
        "Lokasi yang ditetapkan putusan pengadilan ({site_id}) tidak memenuhi syarat: {rules}. "
        "Klien tidak ditempatkan; mohon koordinasi dengan jaksa dan hakim.",
        "The court-fixed site ({site_id}) is not eligible: {rules}. "
        "The client is not placed; raise it with the prosecutor and the court.",
        why="The verdict named a site that breaks a rule; the PK must raise it, not override it.",
    ),
    Rule(
        "fixed_site_full",
        "Lokasi yang ditetapkan putusan pengadilan ({site_id}) sudah penuh oleh klien lain "
        "yang juga ditetapkan ke sana.",
        "The court-fixed site ({site_id}) is already full with other court-fixed clients.",
        why="More verdicts named the site than it has places.",
    ),
    Rule(
        "fixed_site_inactive",
        "Lokasi yang ditetapkan putusan pengadilan ({site_id}) tidak aktif lagi di daftar lokasi; "
        "mohon koordinasi dengan jaksa dan hakim.",
        "The court-fixed site ({site_id}) is no longer active in the registry; "
        "raise it with the prosecutor and the court.",
        why="The site the verdict named has left the registry.",
    ),
)

# Short names of the unplaced reasons, for tables and the planning brief.
UNPLACED_LABELS: tuple[Rule, ...] = (
    Rule("eligible_sites_full", "lokasi yang sesuai penuh", "suitable sites full"),
    Rule("no_eligible_site", "tidak ada lokasi yang memenuhi syarat", "no eligible site"),
    Rule("no_site_in_reach", "tidak ada lokasi dalam jangkauan", "no site in reach"),
    Rule("deadline_unreachable", "jam kerja tidak cukup sebelum tenggat", "deadline unreachable"),
    Rule(
        "fixed_site_ineligible",
        "lokasi putusan hakim tidak memenuhi syarat",
        "court-fixed site not eligible",
    ),
    Rule("fixed_site_full", "lokasi putusan hakim penuh", "court-fixed site full"),
    Rule("separation_conflict", "bentrok dengan rekan pelaku", "co-offender conflict"),
    Rule("fixed_site_inactive", "lokasi putusan hakim tidak aktif", "court-fixed site inactive"),
)

# --- validation: court-order limits (Pasal 85) and every other input rule ---------------------

HOURS_MIN, HOURS_MAX = 8, 240  # Pasal 85(4)
HOURS_PER_DAY_MAX = 8  # Pasal 85(5)
MAX_MONTHS = 6  # Pasal 85(5)
THREATENED_YEARS_BELOW = 5  # Pasal 85(1)
IMPOSED_PRISON_MONTHS_MAX = 6  # Pasal 85(1)
IMPOSED_FINE_RP_MAX = 10_000_000  # Pasal 85(1), fine category II (Pasal 79)

VALIDATION: tuple[Rule, ...] = (
    Rule("required", "wajib diisi", "required"),
    Rule("required_choice", "wajib diisi; salah satu dari {allowed}", "required; one of {allowed}"),
    Rule("text", "harus berupa teks", "must be text"),
    Rule(
        "unknown_value",
        "nilai tidak dikenal; yang diizinkan: {allowed}",
        "unknown value; allowed: {allowed}",
    ),
    Rule("required_integer", "wajib diisi dengan bilangan bulat", "required whole number"),
    Rule("integer", "harus bilangan bulat", "must be a whole number"),
    Rule("required_number", "wajib diisi dengan angka", "required number"),
    Rule("number", "harus berupa angka", "must be a number"),
    Rule("finite_number", "harus angka yang terhingga", "must be a finite number"),
    Rule("boolean", "harus ya/tidak, true/false atau 1/0", "must be ya/tidak, true/false or 1/0"),
    Rule(
        "names_list",
        "harus daftar nama (dipisah ';' dalam CSV)",
        "must be a list of names (';'-separated in CSV)",
    ),
    Rule(
        "ids_list",
        "harus daftar id (dipisah ';' dalam CSV)",
        "must be a list of ids (';'-separated in CSV)",
    ),
    Rule("required_date", "wajib diisi dengan tanggal (YYYY-MM-DD)", "required date (YYYY-MM-DD)"),
    Rule(
        "date",
        "harus tanggal YYYY-MM-DD atau DD/MM/YYYY",
        "must be a date YYYY-MM-DD or DD/MM/YYYY",
        why="ISO as the contract writes it, or day first as Indonesia does (rule "
        "value.date_formats)",
    ),
    Rule(
        "latitude",
        "lintang harus di antara -90..90 (derajat WGS84)",
        "latitude must be within -90..90 (WGS84 degrees)",
    ),
    Rule(
        "longitude",
        "bujur harus di antara -180..180 (derajat WGS84)",
        "longitude must be within -180..180 (WGS84 degrees)",
    ),
    Rule(
        "null_island",
        "0,0 bukan tempat di Indonesia (koordinat kosong?)",
        "0,0 is not a place in Indonesia (missing coordinates?)",
    ),
    Rule(
        "zones_format",
        "harus tiga angka 'lat,lon,radius_km' per zona",
        "must be 'lat,lon,radius_km' triples separated by ';'",
    ),
    Rule(
        "zone_triple",
        "setiap zona harus 'lat,lon,radius_km' (tiga angka)",
        "each zone must be 'lat,lon,radius_km' (three numbers)",
    ),
    Rule(
        "zone_values",
        "pusat zona harus WGS84 yang sah dan radius_km dalam (0, 100]",
        "zone centre must be valid WGS84 and radius_km within (0, 100]",
    ),
    Rule(
        "site_capacity",
        "harus >= 0 (klien pada waktu yang sama)",
        "must be >= 0 (clients at the same time)",
    ),
    Rule(
        "site_hours_per_day",
        "harus 1-8 (Pasal 85(5): paling lama 8 jam sehari)",
        "must be 1-8 (Pasal 85(5): at most 8 hours a day)",
        "Pasal 85(5)",
    ),
    Rule(
        "open_days",
        "wajib diisi: hari buka lokasi (mon..sun)",
        "required: weekdays the site is open (mon..sun)",
    ),
    Rule(
        "hours_total",
        "harus 8-240 jam seluruhnya (Pasal 85(4) KUHP)",
        "must be 8-240 hours in total (Pasal 85(4) KUHP)",
        "Pasal 85(4)",
        why="Pasal 85(4): kerja sosial is 8 to 240 hours in total.",
    ),
    Rule(
        "hours_per_day",
        "harus 1-8: paling lama 8 jam sehari (Pasal 85(5) KUHP)",
        "must be 1-8: at most 8 hours a day (Pasal 85(5) KUHP)",
        "Pasal 85(5)",
        why="Pasal 85(5): at most 8 hours a day.",
    ),
    Rule("deadline_before_start", "sebelum start_date {start}", "is before start_date {start}"),
    Rule(
        "deadline_six_months",
        "lebih dari 6 bulan setelah start_date {start} (paling lambat {latest}; Pasal 85(5) KUHP)",
        "more than 6 months after start_date {start} (latest {latest}; Pasal 85(5) KUHP)",
        "Pasal 85(5)",
        why="Pasal 85(5): the hours are spread over at most 6 months.",
    ),
    Rule(
        "available_days",
        "wajib diisi: hari klien bisa bekerja",
        "required: weekdays the client can work (mon..sun)",
    ),
    Rule(
        "threatened_years",
        "pidana kerja sosial hanya untuk tindak pidana yang diancam penjara kurang dari 5 tahun "
        "(Pasal 85(1) KUHP)",
        "kerja sosial needs an offence threatened with under 5 years (Pasal 85(1) KUHP)",
        "Pasal 85(1)",
        why="Pasal 85(1): only for an offence threatened with less than 5 years' prison.",
    ),
    Rule(
        "imposed_prison",
        "pidana kerja sosial hanya menggantikan penjara paling lama 6 bulan (Pasal 85(1) KUHP)",
        "kerja sosial replaces at most 6 months' prison (Pasal 85(1) KUHP)",
        "Pasal 85(1)",
        why="Pasal 85(1): the judge imposed at most 6 months' prison.",
    ),
    Rule(
        "imposed_fine",
        "pidana kerja sosial hanya menggantikan denda paling banyak kategori II, Rp10.000.000 "
        "(Pasal 85(1) KUHP)",
        "kerja sosial replaces a fine of at most category II, Rp10,000,000 (Pasal 85(1) KUHP)",
        "Pasal 85(1)",
        why="Pasal 85(1): or a fine of at most category II (Rp10 million, Pasal 79).",
    ),
    Rule("max_travel_km", "harus dalam (0, 200] km", "must be within (0, 200] km"),
    Rule("age", "harus 12-120", "must be within 12-120"),
    Rule(
        "separate_self",
        "klien tidak bisa dipisahkan dari dirinya",
        "a client cannot be separated from itself",
    ),
    Rule("duplicate_id", "id ganda (pertama di {first})", "duplicate id (first at {first})"),
    Rule("unknown_client", "tidak menunjuk klien yang ada", "names no client in this input"),
    Rule("unknown_site", "tidak menunjuk lokasi yang ada", "names no site in this input"),
    # the service's own references, cohorts and files
    Rule(
        "no_active_site_of_bapas",
        "tidak menunjuk lokasi aktif Bapas ini",
        "names no active site of this Bapas",
    ),
    Rule("no_client_of_bapas", "tidak menunjuk klien Bapas ini", "names no client of this Bapas"),
    Rule("other_bapas", "milik Bapas lain", "belongs to another Bapas"),
    Rule(
        "cohort_empty",
        "kohort kosong: sebut client_ids, clients, atau pending=true",
        "the cohort is empty: give client_ids, clients, or pending=true",
    ),
    Rule(
        "client_or_inline",
        "sebut client_id atau client, tidak keduanya",
        "give client_id or client, not both",
    ),
    Rule(
        "generate_or_sites",
        "sebut generate atau sites, tidak keduanya",
        "give generate or sites, not both",
    ),
    Rule("district", "kabupaten tidak dikenal: {error}", "{error}"),
    Rule(
        "bbox",
        "harus min_lon,min_lat,max_lon,max_lat (empat angka, derajat WGS84)",
        "must be min_lon,min_lat,max_lon,max_lat (four numbers, WGS84 degrees)",
    ),
    Rule("csv_utf8", "CSV harus UTF-8", "CSV must be UTF-8"),
    Rule(
        "csv_columns",
        "kepala CSV tidak memuat kolom: {columns}",
        "CSV header lacks column(s): {columns}",
    ),
    Rule("csv_invalid", "bukan CSV yang sah: {error}", "not valid CSV: {error}"),
    Rule("json_invalid", "bukan JSON yang sah: {error}", "not valid JSON: {error}"),
    Rule(
        "geojson_collection",
        "GeoJSON harus FeatureCollection",
        "GeoJSON must be a FeatureCollection",
    ),
    Rule(
        "geojson_features",
        "FeatureCollection perlu larik 'features'",
        "a FeatureCollection needs a 'features' array",
    ),
    Rule("file_no_sites", "berkas tidak memuat lokasi", "the file holds no sites"),
    Rule("geojson_point", "harus GeoJSON Point", "must be a GeoJSON Point"),
    # Accounts of the web pages (policy of the service, not law).
    Rule(
        "username",
        "3-64 huruf kecil, angka, titik, garis bawah atau tanda hubung",
        "3-64 lower-case letters, digits, dots, underscores or hyphens",
        why="a user name is typed at sign-in and shown in the audit trail: keep it plain",
    ),
    Rule(
        "password_length",
        "kata sandi minimal {min} karakter",
        "a password needs at least {min} characters",
        why="a short password is guessed; the hash (argon2) cannot help with that",
    ),
    Rule(
        "role_needs_bapas",
        "pengguna {role} perlu Bapas",
        "a {role} needs a Bapas",
        why="officers and planners see only their own Bapas' clients and sites",
    ),
)

# --- files as an office has them (issue 12): one line for a whole file, and what is forgiven --

FILES: tuple[Rule, ...] = (
    Rule(
        "import.client_exists",
        "klien dengan id ini sudah ada; impor tidak pernah menimpa putusan",
        "a client with this id exists; an import never overwrites a court order",
        why="a bulk import registers new clients; changing a court order is one PATCH, on purpose",
    ),
    Rule(
        "file.unknown_column_close",
        "`{column}`: kolom tidak dikenal, maksudnya `{suggestion}`?",
        "`{column}`: unknown column, did you mean `{suggestion}`?",
        why="a misspelt column would otherwise be ignored and every row would report the real "
        "column as empty: one line for the file names the cause",
    ),
    Rule(
        "file.unknown_columns_ignored",
        "kolom tidak dikenal, diabaikan: {columns}",
        "unknown columns, ignored: {columns}",
        why="the data contract ignores unknown columns (an office's own notes, an address); "
        "saying so once shows nothing was lost by accident",
    ),
    Rule(
        "file.missing_columns",
        "kolom wajib tidak ada: {columns}",
        "required column(s) missing: {columns}",
        why="a missing column is one problem of the file, not one per row",
    ),
    Rule(
        "file.duplicate_column",
        "kolom `{column}` muncul lebih dari sekali",
        "column `{column}` appears more than once",
        why="two columns with one meaning cannot both be right",
    ),
    Rule(
        "file.unnamed_column",
        "kolom {number} berisi data tetapi tidak bernama",
        "column {number} holds data but has no name",
        why="data under no heading cannot be read safely",
    ),
    Rule(
        "file.ragged_row",
        "baris {row}: {cells} sel, padahal kepala tabel punya {columns} kolom",
        "row {row}: {cells} cells but the header has {columns} columns",
        why="a row that does not line up with the header would put values in the wrong fields",
    ),
    Rule(
        "file.legacy_encoding",
        "berkas bukan UTF-8; dibaca sebagai {encoding} (periksa huruf beraksen)",
        "the file is not UTF-8; read as {encoding} (check accented letters)",
        why="older Excel saves CSV in the Windows code page; reading it is safer than "
        "refusing, but a person should look at the accented letters",
    ),
    Rule(
        "file.no_header",
        "berkas kosong (tidak ada baris kepala tabel)",
        "empty file (no header row)",
        why="without a header no value can be placed in a field",
    ),
    Rule(
        "file.no_rows",
        "berkas tidak memuat baris data",
        "the file holds no data rows",
        why="an empty import is almost always the wrong file or sheet",
    ),
    Rule(
        "file.not_found",
        "berkas tidak ditemukan",
        "file not found",
        why="a wrong path is the commonest mistake; say which file",
    ),
    Rule(
        "file.unreadable",
        "berkas tidak bisa dibaca: {error}",
        "cannot read the file: {error}",
        why="a file that cannot be opened is one problem, named with the system's reason",
    ),
    Rule(
        "file.unsupported",
        "format {suffix} tidak didukung untuk {what}; gunakan {formats}",
        "format {suffix} is not supported for {what}; use {formats}",
        why="only formats whose reading is tested are read; the others are named",
    ),
    Rule(
        "file.bad_csv",
        "bukan CSV yang sah: {error}",
        "not valid CSV: {error}",
        why="a broken quote swallows the rest of the file; stop at the line it starts",
    ),
    Rule(
        "file.bad_workbook",
        "bukan buku kerja Excel (.xlsx) yang bisa dibaca: {error}",
        "not a readable Excel workbook (.xlsx): {error}",
        why="an uploaded file may break the parser in any way; it is bad input, never a crash",
    ),
    Rule(
        "file.no_sheet",
        "lembar `{sheet}` tidak ada; yang ada: {sheets}",
        "no sheet `{sheet}`; the workbook has: {sheets}",
        why="a workbook names its sheets; a wrong name gets the list of the right ones",
    ),
    Rule(
        "file.same_problem_more",
        "...dan {count} baris lain dengan masalah yang sama ({field}: {rule})",
        "...and {count} more rows with the same problem ({field}: {rule})",
        why="a problem repeated in thousands of rows is one problem; twenty examples show it",
    ),
    Rule(
        "value.weekday_names",
        "hari ditulis mon..sun atau Senin..Minggu (juga Jumat/Jum'at), dipisah ; atau ,",
        "weekdays are written mon..sun or Senin..Minggu (also Jumat/Jum'at), separated by ; or ,",
        "Pasal 85(5)",
        why="the client's working days must fit around the livelihood (85(5)); offices write "
        "the days in Indonesian",
    ),
    Rule(
        "value.date_formats",
        "tanggal ditulis YYYY-MM-DD atau DD/MM/YYYY (tidak pernah MM/DD)",
        "dates are written YYYY-MM-DD or DD/MM/YYYY (never MM/DD)",
        why="Indonesia writes day before month; MM/DD is refused because 03/04 would be "
        "ambiguous and a wrong deadline breaks Pasal 85(5)",
    ),
    Rule(
        "value.booleans",
        "ya/tidak, true/false atau 1/0",
        "ya/tidak, true/false or 1/0",
        why="Excel writes TRUE/FALSE, people write ya/tidak",
    ),
    Rule(
        "value.decimal_comma",
        "koma desimal diterima di kolom angka bila berkas dipisah dengan ;",
        "decimal commas are accepted in numeric columns when the file is separated by ;",
        why="an Indonesian-locale Excel writes 110,25 and separates cells with ;; with , as "
        "separator a comma is never a decimal",
    ),
)

# Schema errors of request bodies, by pydantic's error type (English: pydantic's own message).
SCHEMA: tuple[Rule, ...] = (
    Rule("missing", "wajib diisi", "{msg}"),
    Rule("extra_forbidden", "kolom tidak dikenal", "{msg}"),
    Rule("literal_error", "nilai tidak dikenal; yang diizinkan: {expected}", "{msg}"),
    Rule("enum", "nilai tidak dikenal; yang diizinkan: {expected}", "{msg}"),
    Rule("int_type", "harus bilangan bulat", "{msg}"),
    Rule("int_parsing", "harus bilangan bulat", "{msg}"),
    Rule("int_from_float", "harus bilangan bulat", "{msg}"),
    Rule("float_type", "harus berupa angka", "{msg}"),
    Rule("float_parsing", "harus berupa angka", "{msg}"),
    Rule("finite_number", "harus angka yang terhingga", "{msg}"),
    Rule("bool_type", "harus true atau false", "{msg}"),
    Rule("bool_parsing", "harus true atau false", "{msg}"),
    Rule("string_type", "harus berupa teks", "{msg}"),
    Rule("string_too_long", "paling panjang {max_length} karakter", "{msg}"),
    Rule("string_too_short", "paling sedikit {min_length} karakter", "{msg}"),
    Rule("string_pattern_mismatch", "format tidak sesuai pola {pattern}", "{msg}"),
    Rule("date_type", "harus tanggal YYYY-MM-DD", "{msg}"),
    Rule("date_parsing", "harus tanggal YYYY-MM-DD", "{msg}"),
    Rule("date_from_datetime_parsing", "harus tanggal YYYY-MM-DD", "{msg}"),
    Rule("date_from_datetime_inexact", "harus tanggal YYYY-MM-DD", "{msg}"),
    Rule("list_type", "harus berupa daftar", "{msg}"),
    Rule("too_long", "paling banyak {max_length} butir", "{msg}"),
    Rule("too_short", "paling sedikit {min_length} butir", "{msg}"),
    Rule("greater_than_equal", "harus >= {ge}", "{msg}"),
    Rule("greater_than", "harus > {gt}", "{msg}"),
    Rule("less_than_equal", "harus <= {le}", "{msg}"),
    Rule("less_than", "harus < {lt}", "{msg}"),
    Rule("model_type", "harus berupa objek", "{msg}"),
    Rule("dict_type", "harus berupa objek", "{msg}"),
    Rule("json_invalid", "JSON tidak valid", "{msg}"),
    Rule("json_type", "JSON tidak valid", "{msg}"),
    Rule("value_error", "{msg}", "{msg}"),
)


def _index(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    out: dict[str, Rule] = {}
    for r in rules:
        if r.key in out:
            raise AssertionError(f"rule key {r.key!r} defined twice")
        out[r.key] = r
    return out


RULES: Mapping[str, Rule] = _index((*ELIGIBILITY, *PAIRING, *VALIDATION, *FILES))
"""Every eligibility, pairing, validation and file rule by its key."""
REASONS: Mapping[str, Rule] = _index(UNPLACED)
REASON_LABELS: Mapping[str, Rule] = _index(UNPLACED_LABELS)
SCHEMA_ERRORS: Mapping[str, Rule] = _index(SCHEMA)
V: Mapping[str, Rule] = _index(VALIDATION)
"""The validation rules (a short name for the validators)."""


def schema_error(error_type: str, msg: str, ctx: Mapping[str, Any] | None) -> Message:
    """A request body's schema error (pydantic's type, message and context) in both languages."""
    rule = SCHEMA_ERRORS.get(error_type)
    if rule is None:
        return Message(error_type, msg, msg)
    args = {k: str(v) for k, v in (ctx or {}).items()}
    args["msg"] = msg if error_type != "value_error" else msg.removeprefix("Value error, ")
    try:
        return Message(rule.key, rule.indonesian.format(**args), msg)
    except (KeyError, IndexError):
        return Message(rule.key, msg, msg)
