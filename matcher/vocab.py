"""Vocabularies of the data contract (DESIGN.md). An unknown value in a known field is an error.

Each vocabulary is one ``Literal`` type (used by the API's schemas too) and the set or ordered
tuple of its values (used by validation and eligibility), so the two can never drift apart.
"""

from __future__ import annotations

from typing import Literal, get_args

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SiteKind = Literal[
    "place_of_worship",
    "school",
    "park",
    "market",
    "health_facility",
    "social_institution",
    "government_office",
    "village_office",
    "roads_drains",
    "pesantren",
    "tourism",
    "other",
]
Population = Literal["children", "elderly", "patients", "disabled"]
Hazard = Literal["cash_handling", "medicines", "heights", "chemicals", "heavy_lifting", "traffic"]
Demand = Literal["light", "moderate", "heavy"]
Gender = Literal["female", "male"]
GenderPolicy = Literal["any", "female_only", "male_only"]
SupervisorGender = Literal["female", "male", "mixed"]
ReligionName = Literal["islam", "kristen", "katolik", "hindu", "buddha", "konghucu"]
WorkType = Literal[
    "cleaning",
    "gardening",
    "administration",
    "teaching_assist",
    "construction",
    "cooking",
    "care_support",
    "maintenance",
    "other",
]
Offence = Literal[
    "property_theft",
    "fraud_embezzlement",
    "minor_assault",
    "domestic_violence",
    "sexual_offence",
    "narcotics_use",
    "gambling",
    "traffic",
    "defamation_ite",
    "public_order",
    "vandalism",
    "environment",
    "other",
]
HealthFlag = Literal["epilepsy", "pregnancy", "respiratory", "mobility", "other"]

WEEKDAYS: tuple[str, ...] = get_args(Weekday)
SITE_KINDS = frozenset(get_args(SiteKind))
POPULATIONS = frozenset(get_args(Population))
HAZARDS = frozenset(get_args(Hazard))
DEMANDS: tuple[str, ...] = get_args(Demand)
"""Physical demand levels in increasing order; a client's fitness is the heaviest allowed."""
GENDERS = frozenset(get_args(Gender))
GENDER_POLICIES = frozenset(get_args(GenderPolicy))
SUPERVISOR_GENDERS = frozenset(get_args(SupervisorGender))
RELIGIONS = frozenset(get_args(ReligionName))
WORK_TYPES = frozenset(get_args(WorkType))
OFFENCES = frozenset(get_args(Offence))
HEALTH_FLAGS = frozenset(get_args(HealthFlag))

WEEKDAY_ALIASES: dict[str, str] = {
    "senin": "mon",
    "selasa": "tue",
    "rabu": "wed",
    "kamis": "thu",
    "jumat": "fri",
    "jum'at": "fri",
    "jum’at": "fri",
    "sabtu": "sat",
    "minggu": "sun",
    "ahad": "sun",
}
"""Indonesian day names (as offices write them) for the contract's ``mon``..``sun``."""

LABELS_ID: dict[str, str] = {
    # site kinds
    "place_of_worship": "tempat ibadah",
    "school": "sekolah",
    "park": "taman",
    "market": "pasar",
    "health_facility": "fasilitas kesehatan",
    "social_institution": "lembaga sosial",
    "government_office": "kantor pemerintah",
    "village_office": "kantor desa/kelurahan",
    "roads_drains": "jalan dan saluran",
    "pesantren": "pesantren",
    "tourism": "tempat wisata",
    "other": "lainnya",
    # populations
    "children": "anak-anak",
    "elderly": "lansia",
    "patients": "pasien",
    "disabled": "penyandang disabilitas",
    # hazards
    "cash_handling": "memegang uang",
    "medicines": "obat-obatan",
    "heights": "ketinggian",
    "chemicals": "bahan kimia",
    "heavy_lifting": "angkat berat",
    "traffic": "lalu lintas",
    # demands
    "light": "ringan",
    "moderate": "sedang",
    "heavy": "berat",
    # genders and policies
    "female": "perempuan",
    "male": "laki-laki",
    "mixed": "campuran",
    "any": "semua",
    "female_only": "khusus perempuan",
    "male_only": "khusus laki-laki",
    # work types
    "cleaning": "kebersihan",
    "gardening": "pertamanan",
    "administration": "administrasi",
    "teaching_assist": "membantu mengajar",
    "construction": "pertukangan",
    "cooking": "memasak",
    "care_support": "membantu perawatan",
    "maintenance": "pemeliharaan",
    # weekdays
    "mon": "Senin",
    "tue": "Selasa",
    "wed": "Rabu",
    "thu": "Kamis",
    "fri": "Jumat",
    "sat": "Sabtu",
    "sun": "Minggu",
}
"""What an Indonesian reader sees for a code of the vocabularies (files, tables, templates).
Offence categories are named in the offence policy (matcher/data/policy.toml)."""


def label(code: str, lang: str = "id") -> str:
    """A vocabulary code as a person reads it (the code itself in English)."""
    if lang == "en":
        return code.replace("_", " ")
    return LABELS_ID.get(code, code)
