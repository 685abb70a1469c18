"""Vocabularies of the data contract (DESIGN.md). An unknown value in a known field is an error."""

from __future__ import annotations

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SITE_KINDS = frozenset(
    {
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
    }
)
POPULATIONS = frozenset({"children", "elderly", "patients", "disabled"})
HAZARDS = frozenset(
    {"cash_handling", "medicines", "heights", "chemicals", "heavy_lifting", "traffic"}
)
DEMANDS: tuple[str, ...] = ("light", "moderate", "heavy")
"""Physical demand levels in increasing order; a client's fitness is the heaviest allowed."""
GENDERS = frozenset({"female", "male"})
GENDER_POLICIES = frozenset({"any", "female_only", "male_only"})
SUPERVISOR_GENDERS = frozenset({"female", "male", "mixed"})
RELIGIONS = frozenset({"islam", "kristen", "katolik", "hindu", "buddha", "konghucu"})
WORK_TYPES = frozenset(
    {
        "cleaning",
        "gardening",
        "administration",
        "teaching_assist",
        "construction",
        "cooking",
        "care_support",
        "maintenance",
        "other",
    }
)
OFFENCES = frozenset(
    {
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
    }
)
HEALTH_FLAGS = frozenset({"epilepsy", "pregnancy", "respiratory", "mobility", "other"})
