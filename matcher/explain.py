"""Explanations: the reasons, in plain Indonesian and English, behind every decision.

Every unplaced client gets one reason code (with details a program can use):

* ``no_site_in_reach``: no site at all within the client's travel limit;
* ``no_eligible_site``: sites in reach, each rejected by some rule (counts per rule);
* ``deadline_unreachable``: sites in reach would fit but for the hours before the deadline;
* ``eligible_sites_full``: eligible sites exist but others fill them in the optimum (ids);
* ``separation_conflict``: the eligible sites with room hold a co-offender (separate_from);
* ``fixed_site_ineligible``: the court-fixed site breaks a rule (which ones);
* ``fixed_site_full``: the court-fixed site has no room left for this client;
* ``fixed_site_inactive``: the court-fixed site left the registry (the service).

The sentences are the templates of :data:`matcher.rules.REASONS`; this module fills them in.
"""

from __future__ import annotations

from collections.abc import Mapping

from matcher.result import Reason
from matcher.rules import ELIGIBILITY, REASONS

MAX_LISTED_SITES = 20


def _rules_text(counts: Mapping[str, int], lang: str) -> str:
    return "; ".join(
        f"{counts[r.key]} {r.cited(lang)}" for r in ELIGIBILITY if counts.get(r.key, 0)
    )


def _reason(code: str, details: dict[str, object], **args: object) -> Reason:
    m = REASONS[code].say(**args)
    return Reason(code, m.indonesian, m.english, details)


def _plural(n: int) -> str:
    return "s" if n != 1 else ""


def no_site_in_reach(reach_km: float) -> Reason:
    return _reason("no_site_in_reach", {"max_travel_km": reach_km}, reach_km=reach_km)


def no_eligible_site(in_reach: int, rejected: Mapping[str, int]) -> Reason:
    return Reason(
        "no_eligible_site",
        REASONS["no_eligible_site"].indonesian.format(
            in_reach=in_reach, rules=_rules_text(rejected, "id")
        ),
        REASONS["no_eligible_site"].english.format(
            in_reach=in_reach, plural=_plural(in_reach), rules=_rules_text(rejected, "en")
        ),
        {"sites_in_reach": in_reach, "rejected": dict(rejected)},
    )


def deadline_unreachable(
    hours: int, hours_per_day: int, deadline: str, sites: int, pasal: str = "Pasal 85(5) KUHP"
) -> Reason:
    """``pasal``: the order's period as its own law cites it (``matcher.law``)."""
    args = {"hours": hours, "hours_per_day": hours_per_day, "deadline": deadline, "sites": sites}
    return _reason("deadline_unreachable", dict(args), pasal=pasal, **args)


def eligible_sites_full(site_ids: list[str]) -> Reason:
    listed = site_ids[:MAX_LISTED_SITES]
    more = len(site_ids) - len(listed)
    return _reason(
        "eligible_sites_full",
        {"site_ids": site_ids},
        n=len(site_ids),
        plural=_plural(len(site_ids)),
        sites=", ".join(listed),
        more_id=f" dan {more} lainnya" if more else "",
        more_en=f" and {more} more" if more else "",
    )


def separation_conflict(site_ids: list[str]) -> Reason:
    return _reason(
        "separation_conflict",
        {"site_ids": site_ids},
        sites=", ".join(site_ids[:MAX_LISTED_SITES]),
    )


def fixed_site_ineligible(site_id: str, failed: list[str]) -> Reason:
    broken = [r for r in ELIGIBILITY if r.key in failed]
    return Reason(
        "fixed_site_ineligible",
        REASONS["fixed_site_ineligible"].indonesian.format(
            site_id=site_id, rules=", ".join(r.cited("id") for r in broken)
        ),
        REASONS["fixed_site_ineligible"].english.format(
            site_id=site_id, rules=", ".join(r.cited("en") for r in broken)
        ),
        {"site_id": site_id, "failed_rules": failed},
    )


def fixed_site_full(site_id: str) -> Reason:
    return _reason("fixed_site_full", {"site_id": site_id}, site_id=site_id)


def fixed_site_inactive(site_id: str) -> Reason:
    return _reason("fixed_site_inactive", {"site_id": site_id}, site_id=site_id)
