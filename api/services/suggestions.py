"""Suggestions for one client: the top-k eligible sites with a free place. Nothing is written.

The ranking is :func:`matcher.pipeline.suggest`, the same code a cohort match explains with; this
service adds only what the database knows: the free places of every active site of the Bapas
(``registry``, kept in memory) and the sites where a co-offender (``separate_from``) works now.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.schemas.common import ReasonOut, Terms
from api.schemas.matching import Rejection, SiteSuggestion, SuggestionResponse
from api.services.registry import Registry, counts_by_site
from matcher.model import Client
from matcher.pipeline import suggest
from matcher.policy import Policy
from matcher.result import Reason
from matcher.rules import RULES


def reason_out(reason: Reason, lang: str) -> ReasonOut:
    return ReasonOut(code=reason.code, message=reason.text(lang), details=reason.details)


def partner_sites(s: Session, client_id: str) -> set[str]:
    """Sites where a co-offender of this client has an active placement."""
    return set(s.connection().execute(_PARTNER_SITES, {"c": client_id}).scalars())


_PARTNER_SITES = text(
    "SELECT site_id FROM placements WHERE status = 'active' AND client_id IN ("
    "SELECT other_id FROM client_separations WHERE client_id = :c "
    "UNION SELECT client_id FROM client_separations WHERE other_id = :c)"
)


def suggest_for(
    s: Session, reg: Registry, client: Client, policy: Policy, *, top: int, lang: str
) -> SuggestionResponse:
    active = counts_by_site(s, "active", bapas_id=reg.bapas_id)
    room = np.maximum(
        reg.capacity - np.array([active.get(site.site_id, 0) for site in reg.sites], np.int64), 0
    )
    sg = suggest(
        reg.sites,
        client,
        policy,
        top=top,
        room=room,
        blocked=partner_sites(s, client.client_id),
        site_arrays=reg.arrays,  # built once per registry version, not per request
    )
    return SuggestionResponse(
        client_id=client.client_id,
        suggestions=[
            SiteSuggestion(
                rank=k + 1,
                site_id=r.site_id,
                name=reg.sites[reg.index[r.site_id]].name,
                kind=reg.sites[reg.index[r.site_id]].kind,
                subdistrict=reg.sites[reg.index[r.site_id]].subdistrict,
                distance_km=r.distance_km,
                free=r.room,
                terms=Terms.model_validate(r.terms, from_attributes=True),
            )
            for k, r in enumerate(sg.ranked)
        ],
        eligible_full=list(sg.eligible_full),
        sites_in_reach=sg.sites_in_reach,
        rejected=[
            Rejection(
                rule=key, count=n, message=RULES[key].text(lang), pasal=RULES[key].pasal or None
            )
            for key, n in sg.rejected.items()
        ],
        reason=reason_out(sg.reason, lang) if sg.reason is not None and not sg.ranked else None,
    )
