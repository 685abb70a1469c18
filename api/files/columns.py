"""What each column of our files means, in Indonesian and English: the explanation sheet of
every workbook we write and of the blank templates.

Allowed values come from ``matcher.vocab`` (one definition per vocabulary); the Pasal behind a
limit is named where the law sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher import vocab

BOOLEAN = ("ya", "tidak")

ID_MEANINGS: dict[str, tuple[str, str]] = {
    "client_id": ("kode klien", "client code"),
    "site_id": ("kode lokasi", "site code"),
    "site_name": ("nama lokasi", "site name"),
    "kind": ("jenis lokasi", "kind of site"),
}
"""The (Indonesian, English) meaning of the columns every result sheet shares, said once so
the placement list, the supervision report and the suggestions name them alike."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    id: str
    en: str
    required: bool = False
    choices: tuple[str, ...] = ()
    """One of these (a drop-down list in the template)."""
    many: tuple[str, ...] = ()
    """Any of these, separated by ``;`` (listed in the explanation sheet)."""
    example: str = ""
    kind: str = "text"  # text | int | number | date | bool


def _sorted(values: frozenset[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(values))


SITE_COLUMNS: tuple[Column, ...] = (
    Column("site_id", "kode lokasi, unik", "site code, unique", True, example="S-001"),
    Column("name", "nama lokasi", "site name", example="Masjid Agung Baitussalam"),
    Column(
        "kind", "jenis lokasi", "kind of site", choices=_sorted(vocab.SITE_KINDS), example="school"
    ),
    Column(
        "lat",
        "lintang (derajat WGS84)",
        "latitude (WGS84 degrees)",
        True,
        example="-7.4245",
        kind="number",
    ),
    Column(
        "lon",
        "bujur (derajat WGS84)",
        "longitude (WGS84 degrees)",
        True,
        example="109.2302",
        kind="number",
    ),
    Column(
        "capacity",
        "jumlah klien sekaligus (>= 0)",
        "clients at the same time (>= 0)",
        True,
        example="3",
        kind="int",
    ),
    Column(
        "open_days",
        "hari buka",
        "open weekdays",
        True,
        many=vocab.WEEKDAYS,
        example="Senin;Selasa;Rabu",
    ),
    Column(
        "hours_per_day",
        "jam kerja sehari, 1-8 (Pasal 85(5))",
        "hours a day, 1-8 (Pasal 85(5))",
        example="4",
        kind="int",
    ),
    Column(
        "approved",
        "disetujui Pemda/Kejaksaan",
        "approved",
        choices=BOOLEAN,
        example="ya",
        kind="bool",
    ),
    Column(
        "commercial",
        "komersial (tidak pernah layak, Pasal 85(3))",
        "commercial (never eligible, Pasal 85(3))",
        choices=BOOLEAN,
        example="tidak",
        kind="bool",
    ),
    Column(
        "population",
        "siapa yang ada di lokasi",
        "who is present",
        many=_sorted(vocab.POPULATIONS),
        example="children",
    ),
    Column(
        "hazards",
        "bahaya pekerjaan",
        "work hazards",
        many=_sorted(vocab.HAZARDS),
        example="heights;chemicals",
    ),
    Column(
        "physical_demand", "beban fisik", "physical demand", choices=vocab.DEMANDS, example="light"
    ),
    Column(
        "gender_policy",
        "aturan gender lokasi",
        "site's gender policy",
        choices=_sorted(vocab.GENDER_POLICIES),
        example="any",
    ),
    Column(
        "supervisor_gender",
        "gender pembimbing di lokasi",
        "supervisors' gender",
        choices=_sorted(vocab.SUPERVISOR_GENDERS),
        example="mixed",
    ),
    Column(
        "religion",
        "agama tempat ibadah (kosong bila bukan)",
        "religion of a place of worship (empty if none)",
        choices=_sorted(vocab.RELIGIONS),
        example="islam",
    ),
    Column(
        "work_types",
        "jenis pekerjaan",
        "kinds of work",
        many=_sorted(vocab.WORK_TYPES),
        example="cleaning;gardening",
    ),
    Column("district", "kabupaten/kota", "district", example="Banyumas"),
    Column("subdistrict", "kecamatan", "subdistrict (kecamatan)", example="Purwokerto Utara"),
)

CLIENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "client_id",
        "kode klien (samaran, bukan nama)",
        "client code (pseudonymous, never a name)",
        True,
        example="K-0001",
    ),
    Column(
        "lat",
        "lintang rumah (derajat WGS84)",
        "home latitude (WGS84 degrees)",
        True,
        example="-7.4312",
        kind="number",
    ),
    Column(
        "lon",
        "bujur rumah (derajat WGS84)",
        "home longitude (WGS84 degrees)",
        True,
        example="109.2478",
        kind="number",
    ),
    Column(
        "gender", "jenis kelamin", "gender", True, choices=_sorted(vocab.GENDERS), example="male"
    ),
    Column("age", "umur (12-120)", "age (12-120)", example="24", kind="int"),
    Column(
        "offence",
        "kategori tindak pidana",
        "offence category",
        True,
        choices=_sorted(vocab.OFFENCES),
        example="property_theft",
    ),
    Column(
        "hours",
        "jam kerja sosial seluruhnya, 8-240 (Pasal 85(4))",
        "hours ordered, 8-240 (Pasal 85(4))",
        True,
        example="120",
        kind="int",
    ),
    Column(
        "hours_per_day",
        "jam sehari menurut putusan, 1-8 (Pasal 85(5))",
        "hours a day from the verdict, 1-8 (Pasal 85(5))",
        True,
        example="4",
        kind="int",
    ),
    Column(
        "start_date",
        "tanggal mulai (DD/MM/YYYY atau YYYY-MM-DD)",
        "start date (DD/MM/YYYY or YYYY-MM-DD)",
        True,
        example="15/01/2027",
        kind="date",
    ),
    Column(
        "deadline",
        "batas selesai, paling lama 6 bulan setelah mulai (Pasal 85(5))",
        "deadline, at most 6 months after the start (Pasal 85(5))",
        True,
        example="15/07/2027",
        kind="date",
    ),
    Column(
        "available_days",
        "hari klien bisa bekerja",
        "days the client can work",
        True,
        many=vocab.WEEKDAYS,
        example="Senin;Rabu;Jumat",
    ),
    Column(
        "fitness",
        "beban fisik terberat yang boleh",
        "heaviest physical demand allowed",
        choices=vocab.DEMANDS,
        example="moderate",
    ),
    Column(
        "health", "catatan kesehatan", "health flags", many=_sorted(vocab.HEALTH_FLAGS), example=""
    ),
    Column(
        "religion",
        "agama (untuk tempat ibadah)",
        "religion (for places of worship)",
        choices=_sorted(vocab.RELIGIONS),
        example="islam",
    ),
    Column(
        "worship_site_consent",
        "setuju bekerja di tempat ibadah agama lain",
        "consents to a place of worship of another religion",
        choices=BOOLEAN,
        example="tidak",
        kind="bool",
    ),
    Column("skills", "keahlian", "skills", many=_sorted(vocab.WORK_TYPES), example="gardening"),
    Column(
        "max_travel_km",
        "jarak tempuh terjauh (km; kosong = bawaan 15)",
        "longest trip (km; empty = default 15)",
        example="15",
        kind="number",
    ),
    Column(
        "needs_female_supervisor",
        "perlu pembimbing perempuan",
        "needs a female supervisor",
        choices=BOOLEAN,
        example="tidak",
        kind="bool",
    ),
    Column(
        "exclusion_zones",
        "zona larangan korban: lat,lon,radius_km; dipisah ;",
        "victim exclusion zones: lat,lon,radius_km; separated by ;",
        example="",
    ),
    Column(
        "separate_from",
        "kode klien yang tidak boleh satu lokasi; dipisah ;",
        "client codes not to share a site; separated by ;",
        example="",
    ),
    Column("fixed_site_id", "lokasi yang ditetapkan hakim", "site fixed by the court", example=""),
    Column(
        "current_site_id",
        "lokasi saat ini (penempatan yang ada)",
        "current site (an existing placement)",
        example="",
    ),
)


def explanation_rows(columns: tuple[Column, ...], lang: str = "id") -> list[list[str]]:
    """One row per column: name, required, meaning, allowed values, example."""
    yes, no = ("ya", "tidak") if lang != "en" else ("yes", "no")
    rows = []
    for c in columns:
        if c.choices:
            allowed = ", ".join(c.choices)
        elif c.many:
            sep = " (dipisah ;)" if lang != "en" else " (separated by ;)"
            allowed = ", ".join(c.many) + sep
            if c.many == vocab.WEEKDAYS:
                allowed += " — Senin..Minggu" if lang != "en" else " — or Senin..Minggu"
        else:
            allowed = ""
        rows.append(
            [c.name, yes if c.required else no, c.en if lang == "en" else c.id, allowed, c.example]
        )
    return rows
