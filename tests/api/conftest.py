"""One live server and one job worker for the API tests (session fixtures), with three Bapas
and their tokens, on a database of their own: a SQLite file by default, a new PostgreSQL
database (dropped at the end) when ``PENEMPATAN_TEST_DATABASE_URL`` names a server.

The schema fuzzer works in Bapas ``fuzz`` only: Bapas isolation keeps it off the others' rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live import BAPAS, Env, LiveServer, LiveWorker, prepare_database, session_database


def pytest_report_header() -> str:
    import os

    url = os.environ.get("PENEMPATAN_TEST_DATABASE_URL")
    return f"api tests on: {url or 'SQLite (set PENEMPATAN_TEST_DATABASE_URL for PostgreSQL)'}"


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp("api")
    database = session_database(tmp)
    server = LiveServer(
        database.url,
        tmp / "server.log",
        queue_url=f"sqlite:///{tmp / 'queue.db'}",
        PENEMPATAN_MAX_COHORT="60",
        PENEMPATAN_ASYNC_COHORT="20",
        PENEMPATAN_MAX_BODY_BYTES="200000",
        PENEMPATAN_ASYNC_IMPORT_BYTES="20000",
    )
    worker = LiveWorker(server, tmp / "worker.log")
    try:
        tokens = prepare_database(server, BAPAS)
        server.start()
        worker.start()
        yield Env(server, tokens, database)
    finally:
        worker.stop()
        server.stop()
        database.drop()
