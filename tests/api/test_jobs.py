"""A job's limits and cancel, as a worker enforces them: the worker's watching thread runs here,
the job in a child process of its own (on the session's kind of database)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live import TestDatabase, session_database

from api import worker
from api.auth import Principal
from api.services import jobs
from api.settings import get_settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import JobRow

STUDY: dict[str, Any] = {
    "title": "berat",
    "base": {"generate": {"clients": 5000, "sites": 2000, "seed": 3}},
    "demand": {"source": "base"},
    "marginal": {"top": 50, "verify": 20},
}
PLANNER = Principal(token_id=1, role="planner", bapas_id=None)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    database: TestDatabase = session_database(tmp_path)
    monkeypatch.setenv("PENEMPATAN_DATABASE_URL", database.url)
    monkeypatch.setenv("PENEMPATAN_QUEUE_URL", f"sqlite:///{tmp_path / 'queue.db'}")
    get_settings.cache_clear()
    worker._database.cache_clear()
    db = worker._database()
    upgrade(db)
    try:
        yield db
    finally:
        db.dispose()
        worker._database.cache_clear()
        get_settings.cache_clear()
        database.drop()


def _job(db: Database, payload: dict[str, Any] = STUDY) -> str:
    return jobs.create(db, PLANNER, kind="scenario", bapas_id=None, size=1, payload=payload).job_id


def _row(db: Database, job_id: str) -> JobRow:
    with db.reading() as s:
        return s.get_one(JobRow, job_id)


def test_a_job_over_its_time_limit_is_stopped(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENEMPATAN_JOB_TIME_LIMIT_S", "1.5")
    get_settings.cache_clear()
    job_id = _job(db)
    worker._run_job(job_id)
    row = _row(db, job_id)
    assert (row.state, row.result) == ("failed", None)
    assert row.error is not None and row.error["type"] == "/problems/time-limit"
    assert "1.5 s" in row.error["detail"]


def test_a_job_over_its_memory_limit_is_stopped(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENEMPATAN_JOB_MEMORY_MB", "40")
    get_settings.cache_clear()
    job_id = _job(db)
    worker._run_job(job_id)
    row = _row(db, job_id)
    assert row.state == "failed"
    assert row.error is not None and row.error["type"] == "/problems/memory-limit"
    assert row.peak_memory_mb is not None and row.peak_memory_mb > 40


def test_a_running_job_is_cancelled(db: Database) -> None:
    job_id = _job(db)
    run = threading.Thread(target=worker._run_job, args=(job_id,))
    run.start()
    while _row(db, job_id).state == "queued":
        time.sleep(0.05)
    jobs.request_cancel(db, job_id)
    run.join(timeout=60)
    assert not run.is_alive()
    row = _row(db, job_id)
    assert row.state == "cancelled" and row.cancel_requested
    assert row.error is not None and row.error["type"] == "/problems/cancelled"
    worker._run_job(job_id)  # a second delivery of the same id does nothing
    assert _row(db, job_id).attempt == 1


def test_a_bad_study_fails_with_its_problem(db: Database) -> None:
    job_id = _job(db, {**STUDY, "demand": {"source": "tea"}})
    worker._run_job(job_id)
    row = _row(db, job_id)
    assert row.state == "failed"
    assert row.error is not None and row.error["status"] == 422
    assert "tea" in str(row.error["errors"])


def test_a_lost_run_is_taken_over_once_then_failed(db: Database) -> None:
    job_id = _job(db)
    assert jobs.claim(db, job_id, "gone:1") == 1
    assert jobs.claim(db, job_id, "other:2") is None  # one claim per attempt
    time.sleep(1.1)
    assert jobs.recover(db, stale_s=1, attempts=2) == ([job_id], [])
    assert jobs.claim(db, job_id, "gone:3") == 2
    time.sleep(1.1)
    assert jobs.recover(db, stale_s=1, attempts=2) == ([], [job_id])
    row = _row(db, job_id)
    assert row.state == "failed" and row.error is not None
    assert row.error["type"] == "/problems/worker-lost"
    assert not jobs.finish(db, job_id, 2, "done", result={})  # the lost run cannot write now
