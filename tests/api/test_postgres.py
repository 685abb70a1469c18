"""PostgreSQL as the migrations and the models see it (skipped, saying why, without a server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from live import TestDatabase, postgres_url
from sqlalchemy import select, text

from api.settings import Settings
from api.storage.db import Database
from api.storage.migrate import alembic_config, upgrade
from api.storage.models import BapasRow, Base, SiteRow

# A server whose default order is not bytewise: ICU's en-US puts "a1" before "B2".
ICU = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Database]:
    database = TestDatabase(tmp_path, postgres_url(), options=ICU)
    db = Database(Settings(database_url=database.url, pool_size=2))
    try:
        yield db
    finally:
        db.dispose()
        database.drop()


def test_migrations_build_the_models_on_postgresql(pg: Database) -> None:
    upgrade(pg)
    upgrade(pg)  # a second run is a no-op
    with pg.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        collation = conn.execute(
            text(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_name = 'sites' AND column_name = 'site_id'"
            )
        ).scalar()
    assert diff == []
    assert collation == "C"


def test_downgrade_and_upgrade_again(pg: Database) -> None:
    upgrade(pg)
    cfg = alembic_config(pg.settings.database_url)
    with pg.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    upgrade(pg)
    with pg.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "issue10_jobs"
        )


def test_ids_sort_bytewise_as_on_sqlite(pg: Database) -> None:
    """The registry's order decides the solver's ties: it must not depend on the server's
    locale. Without the "C" collation this database would answer a1, B2, c3."""
    upgrade(pg)
    ids = ["c3", "a1", "B2", "S-10", "S1", "s_2"]
    with pg.writing() as s:
        s.add(BapasRow(bapas_id="b", name="B", sites_version=0))
        s.flush()
        for i in ids:
            s.add(
                SiteRow(
                    site_id=i,
                    bapas_id="b",
                    name=i,
                    kind="park",
                    lat=0.0,
                    lon=0.0,
                    capacity=1,
                    record={},
                )
            )
    with pg.reading() as s:
        got = list(s.scalars(select(SiteRow.site_id).order_by(SiteRow.site_id)))
        icu = list(
            s.scalars(text('SELECT site_id FROM sites ORDER BY site_id COLLATE "en-US-x-icu"'))
        )
    assert got == sorted(ids)  # Python sorts str by code point, as SQLite does
    assert icu != got  # and the locale would not have
