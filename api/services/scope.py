"""Which Bapas a request acts in: its token's own, or the one an all-Bapas admin names."""

from __future__ import annotations

from sqlalchemy.orm import Session

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
