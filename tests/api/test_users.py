"""Users of the web pages: argon2 hashes, sign-in, sessions ended by a password reset, and the
admin's Bapas scope; and the pages' map draws every mark with its own shape and a scale bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import box

from api.auth import Principal
from api.errors import Problem
from api.services import users
from api.settings import Settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import AuditRow, BapasRow, UserRow
from api.web import svgmap

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(Settings(database_url=f"sqlite:///{tmp_path / 'u.db'}"))
    upgrade(database)
    with database.writing() as s:
        s.add(BapasRow(bapas_id="purwokerto", name="Bapas Purwokerto", sites_version=0))
        s.add(BapasRow(bapas_id="cilacap", name="Bapas Cilacap", sites_version=0))
    return database


def test_password_is_stored_as_argon2_and_sign_in_checks_it(db: Database) -> None:
    with db.writing() as s:
        made = users.add_user(
            s, username="PK.Sari", password=PASSWORD, role="officer", bapas_id="purwokerto"
        )
    assert made["username"] == "pk.sari"
    with db.reading() as s:
        row = s.get_one(UserRow, made["user_id"])
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash
    with db.writing() as s:
        assert users.sign_in(s, username="pk.sari", password="wrong password") is None
        assert users.sign_in(s, username="nobody", password=PASSWORD) is None
        opened = users.sign_in(s, username="pk.sari", password=PASSWORD)
    assert opened is not None
    secret, csrf = opened
    with db.reading() as s:
        hit = users.session_user(s, secret)
        assert users.session_user(s, secret + "x") is None
        audit = [a.action for a in s.query(AuditRow)]
    assert hit is not None
    who, user, token = hit
    assert (who.role, who.bapas_id, who.user_id, token) == (
        "officer",
        "purwokerto",
        made["user_id"],
        csrf,
    )
    assert user["username"] == "pk.sari"
    assert audit == ["user.create", "user.sign_in"]


def test_reset_password_ends_sessions_and_stays_in_the_admins_bapas(db: Database) -> None:
    admin = Principal(token_id=0, role="admin", bapas_id="purwokerto", user_id=99)
    with db.writing() as s:
        mine = users.create_user(
            s, admin, username="pk.a", password=PASSWORD, role="officer", bapas_id=None
        )
        theirs = users.add_user(
            s, username="pk.b", password=PASSWORD, role="officer", bapas_id="cilacap"
        )
        opened = users.sign_in(s, username="pk.a", password=PASSWORD)
    assert mine["bapas_id"] == "purwokerto"
    assert opened is not None
    with db.writing() as s:
        users.reset_password(s, admin, mine["user_id"], password="a new password 2")
    with db.reading() as s:
        assert users.session_user(s, opened[0]) is None
    with db.writing() as s, pytest.raises(Problem) as err:
        users.reset_password(s, admin, theirs["user_id"], password="a new password 2")
    assert err.value.status == 404
    with db.writing() as s, pytest.raises(Problem) as err:
        users.create_user(
            s, admin, username="pk.c", password=PASSWORD, role="officer", bapas_id="cilacap"
        )
    assert err.value.status == 404
    with db.reading() as s:
        assert [u["username"] for u in users.list_users(s, admin)] == ["pk.a"]


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"username": "x"}, "username"),
        ({"password": "short"}, "password"),
        ({"role": "planner", "bapas_id": None}, "bapas_id"),
        ({"role": "boss"}, "role"),
    ],
)
def test_bad_user_data_names_the_field_and_saves_nothing(
    db: Database, fields: dict[str, object], path: str
) -> None:
    values: dict[str, object] = {
        "username": "pk.ok",
        "password": PASSWORD,
        "role": "officer",
        "bapas_id": "purwokerto",
        **fields,
    }
    with db.writing() as s, pytest.raises(Problem) as err:
        users.add_user(s, **values)  # type: ignore[arg-type]
    assert err.value.status == 422
    assert err.value.errors is not None and err.value.errors[0]["path"] == path
    with db.reading() as s:
        assert s.query(UserRow).count() == 0


def test_map_marks_have_their_own_shapes_a_legend_and_a_scale_bar() -> None:
    spec = svgmap.MapSpec(
        marks=[
            svgmap.Mark(109.23, -7.42, "home", "Rumah"),
            svgmap.Mark(109.24, -7.43, "suggested", "1"),
            svgmap.Mark(109.25, -7.41, "full"),
        ],
        areas=[svgmap.Area(box(109.2, -7.45, 109.26, -7.40), "Purwokerto Barat", label="PB")],
        legend=[("home", "Rumah klien"), ("suggested", "Disarankan"), ("full", "Penuh")],
        title="Peta",
    )
    svg = str(svgmap.draw(spec))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="mark mark-') == 3
    assert "<rect" in svg and "<circle" in svg  # a square home, round sites
    assert 'stroke="#fff" stroke-width="2"' in svg  # the full site's cross
    assert "Rumah klien" in svg and "Penuh" in svg and "PB" in svg
    assert " km</text>" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
