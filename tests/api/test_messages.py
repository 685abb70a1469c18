"""Every rule the validator states is born bilingual (matcher.rules), and the language is
picked from Accept-Language (Indonesian unless English is preferred)."""

from __future__ import annotations

import pytest

from api.messages import pick_language
from matcher.validate import parse_client, parse_site

BAD_CLIENT = {
    "client_id": "X",
    "lat": 95,
    "lon": "east",
    "gender": "other",
    "offence": "treason",
    "hours": 300,
    "hours_per_day": 9,
    "start_date": "2026-01-01",
    "deadline": "2026-12-31",
    "available_days": "",
    "threatened_max_years": 7,
    "imposed_prison_months": 9,
    "imposed_fine_rp": 20_000_000,
    "max_travel_km": 500,
    "age": 7,
    "health": "flu",
    "worship_site_consent": "maybe",
    "exclusion_zones": "1,2",
    "separate_from": "X",
}
BAD_SITE = {"site_id": "S", "lat": 0, "lon": 0, "capacity": -1, "hours_per_day": 0.5}


def test_every_validator_rule_is_translated() -> None:
    _, client_problems = parse_client(BAD_CLIENT, "body")
    _, site_problems = parse_site(BAD_SITE, "body")
    problems = client_problems + site_problems
    assert len(problems) >= 18
    untranslated = [p.rule for p in problems if p.message.indonesian == p.message.english]
    assert untranslated == []
    for p in problems:
        assert p.message.text("en") == p.rule
        if p.message.pasal:
            assert p.message.pasal in p.message.indonesian
            assert p.message.pasal in p.message.english


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "id"),
        ("", "id"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("id-ID,id;q=0.9,en;q=0.8", "id"),
        ("en;q=0.5,id;q=0.9", "id"),
        ("fr-FR", "id"),
        ("fr, en;q=0.3", "en"),
    ],
)
def test_language_choice(header: str | None, lang: str) -> None:
    assert pick_language(header) == lang
