"""Bearer tokens and roles.

A token is ``secrets.token_urlsafe(32)``, shown once; the database keeps its SHA-256 only.
Roles: ``officer`` (its Bapas' clients, suggestions, assignments and placements), ``planner``
(its Bapas' site registry and reports), ``admin`` (tokens and Bapas; everything, in every Bapas
when the token names none). A request for another Bapas' row gets 404, as an unknown id would:
the service does not tell whether it exists. A role without the right gets 403.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select

from api.errors import Problem
from api.storage.db import Database
from api.storage.models import ROLES, TokenRow

TOKEN_PREFIX = "pnm_"
_CACHE_SECONDS = 5.0  # a revoked token stops working in other processes within this time


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the token's id, role and Bapas (``None``: an admin of every Bapas).

    A person signed in to the web pages has ``user_id`` set and ``token_id`` 0 (no token).
    """

    token_id: int
    role: str
    bapas_id: str | None
    user_id: int | None = None

    def can_see(self, bapas_id: str) -> bool:
        return self.bapas_id is None or self.bapas_id == bapas_id


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def issue_token(
    db: Database, *, role: str, bapas_id: str | None, label: str = ""
) -> tuple[int, str]:
    """Store a new token's hash; return its id and the secret (shown once, never stored)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if role != "admin" and bapas_id is None:
        raise ValueError(f"a {role} token needs a Bapas")
    secret = new_secret()
    with db.writing() as s:
        row = TokenRow(token_hash=hash_token(secret), role=role, bapas_id=bapas_id, label=label)
        s.add(row)
        s.flush()
        token_id = row.token_id
    return token_id, secret


class TokenCache:
    """Hash -> principal for a few seconds, so that a request costs no token query."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, Principal]] = {}

    def get(self, digest: str) -> Principal | None:
        with self._lock:
            hit = self._items.get(digest)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, digest: str, principal: Principal) -> None:
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[digest] = (time.monotonic() + _CACHE_SECONDS, principal)

    def lookup(self, authorization: str | None) -> Principal | None:
        """The cached principal for an ``Authorization`` header, without touching the database."""
        if not authorization:
            return None
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return None
        return self.get(hash_token(secret.strip()))

    def forget(self, token_id: int) -> None:
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if v[1].token_id != token_id}


def _unauthorized(detail_id: str, detail_en: str) -> Problem:
    return Problem(
        401, "unauthorized", detail_id, detail_en, headers={"WWW-Authenticate": "Bearer"}
    )


def authenticate(db: Database, cache: TokenCache, authorization: str | None) -> Principal:
    """The principal behind an ``Authorization: Bearer ...`` header, or 401."""
    if not authorization:
        raise _unauthorized(
            "Header Authorization: Bearer <token> wajib ada.",
            "An Authorization: Bearer <token> header is required.",
        )
    scheme, _, secret = authorization.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise _unauthorized(
            "Gunakan skema Bearer: Authorization: Bearer <token>.",
            "Use the Bearer scheme: Authorization: Bearer <token>.",
        )
    digest = hash_token(secret)
    hit = cache.get(digest)
    if hit is not None:
        return hit
    with db.reading() as s:
        row = s.execute(
            select(TokenRow.token_id, TokenRow.role, TokenRow.bapas_id).where(
                TokenRow.token_hash == digest, TokenRow.revoked_at.is_(None)
            )
        ).first()
    if row is None:
        raise _unauthorized("Token tidak dikenal atau sudah dicabut.", "Unknown or revoked token.")
    principal = Principal(token_id=row.token_id, role=row.role, bapas_id=row.bapas_id)
    cache.put(digest, principal)
    return principal


def require_role(principal: Principal, roles: tuple[str, ...]) -> None:
    """403 unless the principal's role is one of ``roles`` (admin always passes)."""
    if principal.role != "admin" and principal.role not in roles:
        raise Problem(
            403,
            "forbidden",
            f"Peran {principal.role} tidak boleh melakukan ini (perlu: {', '.join(roles)}).",
            f"Role {principal.role} may not do this (needs: {', '.join(roles)}).",
        )
