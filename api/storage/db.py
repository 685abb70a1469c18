"""The engine and the two kinds of transaction: read, and write.

SQLite (the default) runs in WAL mode with foreign keys on and ``synchronous=FULL``: WAL with
NORMAL may lose the last acknowledged writes on a power cut; FULL syncs the log on every commit,
so a placement the service confirmed stays confirmed. Its write transactions start with
``BEGIN IMMEDIATE``: the write lock is taken at the start, so two writers queue (up to the busy
timeout) instead of one failing when it upgrades a read lock; this is what makes the capacity
re-check at confirmation race-free. On PostgreSQL the same code locks the site row with
``SELECT ... FOR UPDATE`` (``with_for_update()``, which SQLite ignores).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from api.settings import Settings

_WRITE = "penempatan_write"


def make_engine(settings: Settings) -> Engine:
    """An engine for ``settings.database_url``; creates the SQLite file's folder."""
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=settings.pool_size, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        connect_args={"check_same_thread": False, "timeout": settings.busy_timeout_ms / 1000},
    )
    busy = int(settings.busy_timeout_ms)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """The engine plus session factories for reading and for writing."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = make_engine(settings)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time anyway; queueing writers of this process on a lock
        # keeps them in order instead of in SQLite's busy-wait sleeps (long tail latencies).
        # BEGIN IMMEDIATE still orders writers of different processes.
        self._write_lock: threading.Lock | None = (
            threading.Lock() if self.engine.dialect.name == "sqlite" else None
        )

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading; its transaction is rolled back when the block ends."""
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        if self._write_lock is None:
            with self._write() as session, session.begin():
                yield session
            return
        with self._write_lock, self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
