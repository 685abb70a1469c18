"""People who sign in to the web pages: users, passwords and browser sessions.

A password is hashed with argon2 (``pwdlib``'s recommended hasher) and never stored. A browser
session is a random secret in an HttpOnly cookie; the database keeps its SHA-256 only, with the
session's CSRF token and its expiry. Resetting a password ends every session of that user.
A signed-in user becomes a :class:`~api.auth.Principal` with the user's role and Bapas, so the
pages pass the same role and Bapas checks as the API's bearer tokens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any

from pwdlib import PasswordHash
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.auth import Principal, require_role
from api.errors import Problem, not_found
from api.services import audit
from api.storage.models import ROLES, BapasRow, UserRow, WebSessionRow
from matcher.rules import Message, V

SESSION_HOURS = 12
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")

_hasher = PasswordHash.recommended()
# Checking an unknown user name still costs one hash, so the time taken does not tell which
# user names exist.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_password() -> str:
    """A random password for a new or reset user (shown once to the admin)."""
    return secrets.token_urlsafe(12)


def _invalid(path: str, value: Any, rule: Message) -> Problem:
    return Problem(
        422,
        "validation",
        "Data pengguna tidak sah; tidak ada yang disimpan.",
        "The user data is not valid; nothing was saved.",
        errors=[{"path": path, "value": value, "rule": rule, "pasal": None}],
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise _invalid("password", "***", V["password_length"].say(min=MIN_PASSWORD))


def user_public(row: UserRow) -> dict[str, Any]:
    return {
        "user_id": row.user_id,
        "username": row.username,
        "role": row.role,
        "bapas_id": row.bapas_id,
        "display_name": row.display_name,
        "created_at": row.created_at,
    }


def add_user(
    s: Session,
    *,
    username: str,
    password: str,
    role: str,
    bapas_id: str | None,
    display_name: str = "",
    who: Principal | None = None,
) -> dict[str, Any]:
    """A new user (the demo and ``create_user`` both come here); 409 when the name is taken."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise _invalid("username", username, V["username"].say())
    if role not in ROLES:
        raise _invalid("role", role, V["required_choice"].say(allowed=", ".join(ROLES)))
    if role != "admin" and bapas_id is None:
        raise _invalid("bapas_id", None, V["role_needs_bapas"].say(role=role))
    if bapas_id is not None and s.get(BapasRow, bapas_id) is None:
        raise not_found("Bapas", bapas_id)
    _check_password(password)
    if s.scalar(select(UserRow.user_id).where(UserRow.username == username)) is not None:
        raise Problem(
            409,
            "conflict",
            f"Nama pengguna {username} sudah dipakai.",
            f"The user name {username} is taken.",
        )
    row = UserRow(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        bapas_id=bapas_id,
        display_name=display_name.strip()[:200],
        password_set_at=_now(),
    )
    s.add(row)
    s.flush()
    audit.record(s, who, "user.create", "user", row.user_id, after={"role": role})
    return user_public(row)


def create_user(
    s: Session,
    who: Principal,
    *,
    username: str,
    password: str,
    role: str,
    bapas_id: str | None,
    display_name: str = "",
) -> dict[str, Any]:
    """An admin creates a user in its own Bapas (an admin of every Bapas: in any)."""
    require_role(who, ("admin",))
    if who.bapas_id is not None:
        if bapas_id not in (None, who.bapas_id):
            raise not_found("Bapas", bapas_id)
        bapas_id = who.bapas_id
    return add_user(
        s,
        username=username,
        password=password,
        role=role,
        bapas_id=bapas_id,
        display_name=display_name,
        who=who,
    )


def list_users(s: Session, who: Principal) -> list[dict[str, Any]]:
    require_role(who, ("admin",))
    q = select(UserRow).order_by(UserRow.username)
    if who.bapas_id is not None:
        q = q.where(UserRow.bapas_id == who.bapas_id)
    return [user_public(r) for r in s.scalars(q)]


def reset_password(s: Session, who: Principal, user_id: int, *, password: str) -> dict[str, Any]:
    """Set a new password and end every session of the user."""
    require_role(who, ("admin",))
    row = s.get(UserRow, user_id)
    if row is None or (who.bapas_id is not None and row.bapas_id != who.bapas_id):
        raise not_found("User", user_id)
    _check_password(password)
    row.password_hash = _hasher.hash(password)
    row.password_set_at = _now()
    s.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id))
    audit.record(s, who, "user.password_reset", "user", user_id)
    return user_public(row)


def list_bapas(s: Session, who: Principal) -> list[dict[str, str]]:
    """The Bapas this principal may see (as ``GET /v1/bapas``)."""
    q = select(BapasRow).order_by(BapasRow.bapas_id)
    if who.bapas_id is not None:
        q = q.where(BapasRow.bapas_id == who.bapas_id)
    return [{"bapas_id": b.bapas_id, "name": b.name} for b in s.scalars(q)]


def bapas_name(s: Session, bapas_id: str | None) -> str:
    if bapas_id is None:
        return ""
    row = s.get(BapasRow, bapas_id)
    return row.name if row is not None else bapas_id


# --------------------------------------------------------------------------------------------
# Sign-in and sessions


def sign_in(s: Session, *, username: str, password: str) -> tuple[str, str] | None:
    """A new session (cookie secret, CSRF token) for a right name and password, else ``None``."""
    row = s.scalars(select(UserRow).where(UserRow.username == username.strip().lower())).first()
    if row is None:
        _hasher.verify(password, _DUMMY_HASH)
        return None
    valid, rehashed = _hasher.verify_and_update(password, row.password_hash)
    if not valid:
        return None
    if rehashed is not None:
        row.password_hash = rehashed
    now = _now()
    s.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    s.add(
        WebSessionRow(
            session_hash=_digest(secret),
            user_id=row.user_id,
            csrf=csrf,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    audit.record(
        s,
        Principal(token_id=0, role=row.role, bapas_id=row.bapas_id, user_id=row.user_id),
        "user.sign_in",
        "user",
        row.user_id,
    )
    return secret, csrf


def session_user(s: Session, secret: str | None) -> tuple[Principal, dict[str, Any], str] | None:
    """The principal, the user and the CSRF token behind a session cookie, if it is live."""
    if not secret:
        return None
    hit = s.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.user_id == WebSessionRow.user_id)
        .where(WebSessionRow.session_hash == _digest(secret))
    ).first()
    if hit is None:
        return None
    session, user = hit
    if session.expires_at < _now():
        return None
    who = Principal(token_id=0, role=user.role, bapas_id=user.bapas_id, user_id=user.user_id)
    return who, user_public(user), session.csrf


def sign_out(s: Session, secret: str | None) -> None:
    if secret:
        s.execute(delete(WebSessionRow).where(WebSessionRow.session_hash == _digest(secret)))
