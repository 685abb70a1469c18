"""One live server for the API tests (a session fixture), with three Bapas and their tokens.

The schema fuzzer works in Bapas ``fuzz`` only: Bapas isolation keeps it off the others' rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live import BAPAS, Env, LiveServer, prepare_database


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp("api")
    server = LiveServer(
        tmp / "penempatan.db",
        tmp / "server.log",
        PENEMPATAN_MAX_COHORT="60",
        PENEMPATAN_ASYNC_COHORT="20",
        PENEMPATAN_MAX_BODY_BYTES="200000",
        # the schema fuzzer asks for many unknown ids; tests/api/test_hostile.py checks limits
        PENEMPATAN_RATE_LIMIT_AUTH="100000/minute",
        PENEMPATAN_RATE_LIMIT_NOT_FOUND="100000/minute",
    )
    tokens = prepare_database(server, BAPAS)
    server.start()
    try:
        yield Env(server, tokens)
    finally:
        server.stop()
