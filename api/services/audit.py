"""The audit log: who did what, when, with the ids (and statuses) before and after.

Only ids, statuses and counts are recorded, never a client's health, religion or offence.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.orm import Session

from api.auth import Principal
from api.storage.models import AuditRow

log = logging.getLogger("penempatan.audit")


def record(
    s: Session,
    who: Principal | None,
    action: str,
    entity: str,
    entity_id: object,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one audit row to the caller's transaction (it commits or rolls back with it)."""
    s.add(
        AuditRow(
            token_id=who.token_id if who and who.user_id is None else None,
            user_id=who.user_id if who else None,
            role=who.role if who else "system",
            bapas_id=who.bapas_id if who else None,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
        )
    )
    by = "-" if who is None else (f"user {who.user_id}" if who.user_id else f"token {who.token_id}")
    log.info("%s %s %s by %s", action, entity, entity_id, by)
