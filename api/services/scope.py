"""Which Bapas a request acts in: its token's own, or the one an all-Bapas admin names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.auth import Principal
from api.errors import Problem, not_found
from api.storage.models import BapasRow
from matcher.rules import V


def target_bapas(s: Session, who: Principal, requested: str | None) -> str:
    """The Bapas to write into: 403 for another Bapas, 422 when an all-Bapas admin names none."""
    if who.bapas_id is not None:
        if requested is not None and requested != who.bapas_id:
            raise Problem(
                403,
                "forbidden",
                f"Token ini hanya untuk Bapas {who.bapas_id}.",
                f"This token is for Bapas {who.bapas_id} only.",
            )
        return who.bapas_id
    if requested is None:
        raise Problem(
            422,
            "validation",
            "Token admin semua Bapas harus menyebut bapas_id.",
            "An admin token for every Bapas must name a bapas_id.",
            errors=[{"path": "body.bapas_id", "value": None, "rule": V["required"].say()}],
        )
    if s.get(BapasRow, requested) is None:
        raise not_found("Bapas", requested)
    return requested


def visible_row(
    s: Session,
    who: Principal,
    key: InstrumentedAttribute[Any],
    value: Any,
    what: str,
    *,
    lock: bool = False,
) -> Any:
    """The row whose ``key`` column equals ``value``, if the caller's Bapas may see it; else 404,
    the same answer as for an id that does not exist. ``lock`` takes a row lock (``FOR UPDATE``
    on PostgreSQL) for a write that depends on the row."""
    q = select(key.class_).where(key == value)
    if lock:
        q = q.with_for_update()
    row = s.scalars(q).first()
    if row is None or not who.can_see(row.bapas_id):
        raise not_found(what, value)
    return row


def where_given(q: Select[Any], *filters: tuple[InstrumentedAttribute[Any], Any]) -> Select[Any]:
    """``q`` narrowed by ``column == value`` for every filter whose value is given (not None
    or empty): a list's optional query parameters, and the caller's own Bapas."""
    for column, value in filters:
        if value is not None and value != "":
            q = q.where(column == value)
    return q
