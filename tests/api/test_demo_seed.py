"""The demo seed fills an empty database once with valid Banyumas data, and never twice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from api.services.demo import DEMO_BAPAS, seed_demo
from api.settings import Settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import ClientRow, SiteRow


def test_demo_seed_runs_once(tmp_path: Path) -> None:
    db = Database(Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}"))
    upgrade(db)
    assert seed_demo(db, clients=40, sites=12) is True
    assert seed_demo(db, clients=40, sites=12) is False
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SiteRow)) == 12
        assert s.scalar(select(func.count()).select_from(ClientRow)) == 40
        assert {r for (r,) in s.execute(select(SiteRow.bapas_id).distinct())} == {DEMO_BAPAS[0]}
    db.dispose()
