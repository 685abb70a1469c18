"""Suggestions for one client: the top-k eligible sites with a free place. Nothing is written.

The registry of the client's Bapas is in memory (``registry``); only the sites within the
client's reach (plus a court-fixed site) go through ``matcher.pipeline.suggest``, which is exact
because every rule but distance is a property of the (client, site) pair alone. Sites where a
co-offender (``separate_from``) already works are removed and counted as ``separation``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from sqlalchemy import JSON, String, text
from sqlalchemy.orm import Session

from api.services.registry import Registry, active_at
from geo.distance import haversine_km
from matcher import explain
from matcher.eligibility import RULES, evaluate
from matcher.model import Client, Site
from matcher.pipeline import suggest
from matcher.policy import Policy
from matcher.result import Reason

SEPARATION = (
    "separation",
    "klien yang harus dipisahkan sudah bekerja di sana",
    "a co-offender already works there",
)
_RULE_TEXT = {r.key: (r.id, r.en, r.pasal or None) for r in RULES}


def reason_out(reason: Reason, lang: str) -> dict[str, Any]:
    return {
        "code": reason.code,
        "message": reason.message_en if lang == "en" else reason.message_id,
        "details": reason.details,
    }


def pair_failures(client: Client, site: Site, policy: Policy) -> list[str]:
    """The rules (``matcher.eligibility.RULES`` keys) that forbid this client at this site."""
    elig, _, _ = evaluate([client], [site], policy)
    if len(elig.arcs) == 0:
        return ["too_far"]
    return [r.key for k, r in enumerate(RULES) if not elig.passes[k, 0]]


def partner_sites(s: Session, client_id: str) -> set[str]:
    """Sites where a co-offender of this client has an active placement."""
    return set(s.connection().execute(_PARTNER_SITES, {"c": client_id}).scalars())


def child_apart_sites(s: Session, client: Client, policy: Policy) -> set[str]:
    """Children's policy: for a child, the sites where an adult convicted of one of
    ``apart_from_offences`` works now; for such an adult, the sites where a child works now.
    (Counted with ``separation``: the same kind of rule, between clients.)"""
    from api.services.records import load_client_record

    apart = policy.children.apart_from_offences
    if not apart or (not client.is_child and client.offence not in apart):
        return set()
    # an adult only needs the sites where children work: a cheap text filter first
    like = "%" if client.is_child else "%pelayanan_masyarakat%"
    rows = s.connection().execute(_ACTIVE_RECORDS, {"c": client.client_id, "like": like}).all()
    out = set()
    for site_id, record in rows:
        other = load_client_record(record)
        if (
            other.is_child != client.is_child
            and (client.offence if other.is_child else other.offence) in apart
        ):
            out.add(site_id)
    return out


_ACTIVE_RECORDS = text(
    "SELECT p.site_id, c.record FROM placements p JOIN clients c ON c.client_id = p.client_id "
    "WHERE p.status = 'active' AND p.client_id != :c AND CAST(c.record AS TEXT) LIKE :like"
).columns(site_id=String, record=JSON)

_PARTNER_SITES = text(
    "SELECT site_id FROM placements WHERE status = 'active' AND client_id IN ("
    "SELECT other_id FROM client_separations WHERE client_id = :c "
    "UNION SELECT client_id FROM client_separations WHERE other_id = :c)"
)


def suggest_for(
    s: Session, reg: Registry, client: Client, policy: Policy, *, top: int, lang: str
) -> dict[str, Any]:
    reach = client.max_travel_km if client.max_travel_km is not None else policy.max_travel_km
    if reg.sites:
        d = haversine_km(client.lat, client.lon, reg.lat, reg.lon)
        near = set(np.flatnonzero(d <= reach / policy.road_factor * (1 + 1e-9) + 1e-9).tolist())
    else:
        near = set()
    fixed = client.fixed_site_id
    fixed_j = reg.index.get(fixed) if fixed else None
    if fixed_j is not None:
        near.add(fixed_j)
    blocked_ids = partner_sites(s, client.client_id) | child_apart_sites(s, client, policy)
    blocked = {j for j in near if reg.sites[j].site_id in blocked_ids}
    subset = sorted(near - blocked)
    sites = [reg.sites[j] for j in subset]
    active = active_at(s, [site.site_id for site in sites])
    room = np.array([site.capacity - active.get(site.site_id, 0) for site in sites], np.int64)
    room = np.maximum(room, 0)
    # A court-fixed site that left the registry: rank as if unfixed, then report it.
    unfixed = fixed is not None and fixed_j is None
    client_for_match = _without_fixed(client) if unfixed else client
    sg = suggest(
        sites, client_for_match, policy, top=top if fixed is None else len(sites), room=room
    )
    ranked = list(sg.ranked)
    full = list(sg.eligible_full)
    reason = sg.reason
    if fixed is not None:
        ranked = [r for r in ranked if r.site_id == fixed]
        full = [f for f in full if f == fixed]
        if fixed_j is None:
            reason = fixed_site_inactive(fixed)
        elif fixed_j in blocked:
            reason = explain.separation_conflict([fixed])
        elif not ranked and full:
            reason = explain.fixed_site_full(fixed)
        elif not ranked:
            reason = explain.fixed_site_ineligible(
                fixed, pair_failures(client, reg.sites[fixed_j], policy)
            )
    in_reach = sg.sites_in_reach + len(blocked)
    rejected = dict(sg.rejected)
    rejected["too_far"] = len(reg.sites) - in_reach
    if blocked:
        rejected["separation"] = len(blocked)
    by_id = {site.site_id: site for site in sites}
    return {
        "client_id": client.client_id,
        "suggestions": [
            {
                "rank": k + 1,
                "site_id": r.site_id,
                "name": by_id[r.site_id].name,
                "kind": by_id[r.site_id].kind,
                "subdistrict": by_id[r.site_id].subdistrict,
                "distance_km": r.distance_km,
                "free": r.room,
                "terms": {
                    "distance_m": r.terms.distance_m,
                    "skill_match": r.terms.skill_match,
                    "skill_bonus_m": r.terms.skill_bonus_m,
                    "cost_m": r.terms.cost_m,
                },
            }
            for k, r in enumerate(ranked[:top])
        ],
        "eligible_full": full,
        "sites_in_reach": in_reach,
        "rejected": _rejections(rejected, lang),
        "reason": reason_out(reason, lang) if reason is not None and not ranked else None,
    }


def _without_fixed(client: Client) -> Client:
    return replace(client, fixed_site_id=None)


def fixed_site_inactive(site_id: str) -> Reason:
    return Reason(
        "fixed_site_inactive",
        f"Lokasi yang ditetapkan putusan pengadilan ({site_id}) tidak aktif lagi di daftar lokasi; "
        "mohon koordinasi dengan jaksa dan hakim.",
        f"The court-fixed site ({site_id}) is no longer active in the registry; "
        "raise it with the prosecutor and the court.",
        {"site_id": site_id},
    )


def _rejections(counts: dict[str, int], lang: str) -> list[dict[str, Any]]:
    out = []
    texts = {**_RULE_TEXT, SEPARATION[0]: (SEPARATION[1], SEPARATION[2], None)}
    for key, n in counts.items():
        if n <= 0:
            continue
        text_id, text_en, pasal = texts[key]
        out.append(
            {
                "rule": key,
                "count": n,
                "message": text_en if lang == "en" else text_id,
                "pasal": pasal,
            }
        )
    return out
