"""The site registry of each Bapas, kept in memory as domain objects and coordinate arrays.

Suggestions read it on every request, so it is never re-read from the database per request:
each Bapas row carries ``sites_version``, bumped in the same transaction as every site write,
and a process rebuilds its copy only when the version it holds is stale (this also keeps
several server processes consistent).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from api.errors import not_found
from api.services.records import load_site
from api.storage.models import BapasRow, PlacementRow, SiteRow
from matcher.arrays import SiteArrays
from matcher.model import Site


@dataclass(frozen=True)
class Registry:
    """The active sites of one Bapas at one version."""

    bapas_id: str
    version: int
    sites: tuple[Site, ...]
    index: dict[str, int]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    capacity: NDArray[np.int64]
    arrays: SiteArrays  # every rule's site attributes as arrays, built once per version


class RegistryCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, Registry] = {}

    def get(self, s: Session, bapas_id: str) -> Registry:
        """The registry of ``bapas_id``, rebuilt if a site was written since it was built."""
        version = s.connection().execute(_VERSION, {"b": bapas_id}).scalar()
        if version is None:
            raise not_found("Bapas", bapas_id)
        hit = self._items.get(bapas_id)
        if hit is not None and hit.version == version:
            return hit
        with self._lock:
            hit = self._items.get(bapas_id)
            if hit is not None and hit.version == version:
                return hit
            rows = s.scalars(
                select(SiteRow)
                .where(SiteRow.bapas_id == bapas_id, SiteRow.active.is_(True))
                .order_by(SiteRow.site_id)
            ).all()
            sites = tuple(load_site(r) for r in rows)
            reg = Registry(
                bapas_id=bapas_id,
                version=version,
                sites=sites,
                index={site.site_id: j for j, site in enumerate(sites)},
                lat=np.array([site.lat for site in sites], np.float64),
                lon=np.array([site.lon for site in sites], np.float64),
                capacity=np.array([site.capacity for site in sites], np.int64),
                arrays=SiteArrays.of(list(sites)),
            )
            self._items[bapas_id] = reg
            return reg


# The per-request reads of suggestions, as plain SQL (no statement building on the hot path).
_VERSION = text("SELECT sites_version FROM bapas WHERE bapas_id = :b")
_ACTIVE_AT = text(
    "SELECT site_id, count(*) FROM placements WHERE status = 'active' AND site_id IN :ids "
    "GROUP BY site_id"
).bindparams(bindparam("ids", expanding=True))


def active_at(s: Session, site_ids: list[str]) -> dict[str, int]:
    """Active placements per site, for the given sites."""
    if not site_ids:
        return {}
    rows = s.connection().execute(_ACTIVE_AT, {"ids": site_ids}).all()
    return {sid: int(n) for sid, n in rows}


def bump_version(s: Session, bapas_id: str) -> None:
    """Mark the registry of ``bapas_id`` as changed (call inside the writing transaction)."""
    s.execute(
        update(BapasRow)
        .where(BapasRow.bapas_id == bapas_id)
        .values(sites_version=BapasRow.sites_version + 1)
    )


def counts_by_site(
    s: Session, status: str, site_ids: Iterable[str] | None = None, bapas_id: str | None = None
) -> dict[str, int]:
    """Placements with ``status`` per site (for the given sites, or a whole Bapas)."""
    q = select(PlacementRow.site_id, func.count()).where(PlacementRow.status == status)
    if site_ids is not None:
        ids = list(site_ids)
        if not ids:
            return {}
        q = q.where(PlacementRow.site_id.in_(ids))
    if bapas_id is not None:
        q = q.where(PlacementRow.bapas_id == bapas_id)
    rows = s.connection().execute(q.group_by(PlacementRow.site_id)).all()
    return {sid: int(n) for sid, n in rows}
