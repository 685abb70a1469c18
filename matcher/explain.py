"""Explanations: the reasons, in plain Indonesian and English, behind every decision.

Every unplaced client gets one reason code (with details a program can use):

* ``no_site_in_reach``: no site at all within the client's travel limit;
* ``no_eligible_site``: sites in reach, each rejected by some rule (counts per rule);
* ``deadline_unreachable``: sites in reach would fit but for the hours before the deadline;
* ``eligible_sites_full``: eligible sites exist but others fill them in the optimum (ids);
* ``separation_conflict``: the eligible sites with room hold a co-offender (separate_from);
* ``fixed_site_ineligible``: the court-fixed site breaks a rule (which ones);
* ``fixed_site_full``: the court-fixed site has no room left for this client.
"""

from __future__ import annotations

from collections.abc import Mapping

from matcher.eligibility import RULES
from matcher.result import Reason

MAX_LISTED_SITES = 20


def _rules_text(counts: Mapping[str, int], lang: str) -> str:
    parts = []
    for rule in RULES:
        n = counts.get(rule.key, 0)
        if n:
            label = rule.id if lang == "id" else rule.en
            pasal = f" ({rule.pasal})" if rule.pasal else ""
            parts.append(f"{n} {label}{pasal}")
    return "; ".join(parts)


def no_site_in_reach(reach_km: float) -> Reason:
    return Reason(
        "no_site_in_reach",
        f"Tidak ada lokasi kerja dalam jarak {reach_km:g} km (jalan) dari rumah klien.",
        f"No work site within {reach_km:g} km (by road) of the client's home.",
        {"max_travel_km": reach_km},
    )


def no_eligible_site(in_reach: int, rejected: Mapping[str, int]) -> Reason:
    return Reason(
        "no_eligible_site",
        f"Ada {in_reach} lokasi dalam jangkauan, tetapi tidak ada yang memenuhi syarat "
        f"(satu lokasi bisa gagal beberapa syarat): {_rules_text(rejected, 'id')}.",
        f"{in_reach} site{'s' if in_reach != 1 else ''} in reach, none eligible "
        "(a site may fail several rules): "
        f"{_rules_text(rejected, 'en')}.",
        {"sites_in_reach": in_reach, "rejected": dict(rejected)},
    )


def deadline_unreachable(
    hours: int, hours_per_day: int, deadline: str, sites: int, pasal: str = "Pasal 85(5) KUHP"
) -> Reason:
    """``pasal``: the order's period as its law cites it (``matcher.law``)."""
    return Reason(
        "deadline_unreachable",
        f"{hours} jam kerja ({hours_per_day} jam/hari) tidak dapat diselesaikan sebelum tenggat "
        f"{deadline} di {sites} lokasi yang sesuai dalam jangkauan: hari kerja bersama "
        "(hari tersedia klien, hari buka lokasi, bukan hari libur nasional) tidak cukup "
        f"({pasal}).",
        f"{hours} hours ({hours_per_day} h/day) cannot be completed by the deadline {deadline} at "
        f"any of the {sites} otherwise suitable site(s) in reach: too few common working days "
        f"(client's days, site's open days, no public holidays) ({pasal}).",
        {"hours": hours, "hours_per_day": hours_per_day, "deadline": deadline, "sites": sites},
    )


def eligible_sites_full(site_ids: list[str]) -> Reason:
    listed = site_ids[:MAX_LISTED_SITES]
    more = len(site_ids) - len(listed)
    tail_id = f" dan {more} lainnya" if more else ""
    tail_en = f" and {more} more" if more else ""
    return Reason(
        "eligible_sites_full",
        f"Semua {len(site_ids)} lokasi yang memenuhi syarat sudah penuh oleh penempatan lain: "
        f"{', '.join(listed)}{tail_id}.",
        f"All {len(site_ids)} eligible site{'s' if len(site_ids) != 1 else ''} "
        "filled by other placements: "
        f"{', '.join(listed)}{tail_en}.",
        {"site_ids": site_ids},
    )


def separation_conflict(site_ids: list[str]) -> Reason:
    return Reason(
        "separation_conflict",
        "Lokasi yang memenuhi syarat dan masih ada tempat sudah ditempati klien yang harus "
        f"dipisahkan darinya (separate_from): {', '.join(site_ids[:MAX_LISTED_SITES])}.",
        "The eligible sites with room hold a client it must be kept apart from (separate_from): "
        f"{', '.join(site_ids[:MAX_LISTED_SITES])}.",
        {"site_ids": site_ids},
    )


def fixed_site_ineligible(site_id: str, failed: list[str]) -> Reason:
    counts = dict.fromkeys(failed, 1)
    id_rules = ", ".join(
        r.id + (f" ({r.pasal})" if r.pasal else "") for r in RULES if r.key in counts
    )
    en_rules = ", ".join(
        r.en + (f" ({r.pasal})" if r.pasal else "") for r in RULES if r.key in counts
    )
    return Reason(
        "fixed_site_ineligible",
        f"Lokasi yang ditetapkan putusan pengadilan ({site_id}) tidak memenuhi syarat: {id_rules}. "
        "Klien tidak ditempatkan; mohon koordinasi dengan jaksa dan hakim.",
        f"The court-fixed site ({site_id}) is not eligible: {en_rules}. "
        "The client is not placed; raise it with the prosecutor and the court.",
        {"site_id": site_id, "failed_rules": failed},
    )


def fixed_site_full(site_id: str) -> Reason:
    return Reason(
        "fixed_site_full",
        f"Lokasi yang ditetapkan putusan pengadilan ({site_id}) sudah penuh oleh klien lain "
        "yang juga ditetapkan ke sana.",
        f"The court-fixed site ({site_id}) is already full with other court-fixed clients.",
        {"site_id": site_id},
    )
