"""Jobs: long work (large cohorts, planning studies, large imports) that a worker runs.

A job is a row of the ``jobs`` table: its kind, the request it runs (``payload``), who asked,
its state (queued -> running -> done | failed | cancelled), stage, progress, result or problem,
and times. The queue (huey, see :mod:`api.worker`) carries only the job id. So any API instance
answers for any job, a restart of the API or of the queue loses no job's state, and cancelling
is a flag in the row that the worker watching the run reads.

Every state change is one conditional ``UPDATE`` (``WHERE state = ... AND attempt = ...``): two
workers can never both claim a job, and a run that was taken over (its worker stopped
reporting) can never write its outcome over the new run's.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.orm import Session

from api import errors
from api.auth import Principal
from api.storage.db import Database
from api.storage.models import JobRow

log = logging.getLogger("penempatan.jobs")

Progress = Callable[[str, float], None]
KINDS = ("assignment", "scenario", "import")
FINISHED = ("done", "failed", "cancelled")
_PATHS = {
    "assignment": "/v1/assignments",
    "scenario": "/v1/scenarios",
    "import": "/v1/sites/import",
}


def _updated(s: Session, stmt: Update) -> int:
    """Rows an UPDATE changed."""
    return int(cast(CursorResult[Any], s.execute(stmt)).rowcount)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def create(
    db: Database,
    who: Principal,
    *,
    kind: str,
    bapas_id: str | None,
    size: int,
    payload: dict[str, Any],
) -> JobRow:
    """A new queued job (the caller then puts its id on the queue)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    row = JobRow(
        job_id=uuid.uuid4().hex,
        kind=kind,
        bapas_id=bapas_id,
        token_id=who.token_id,
        role=who.role,
        principal_bapas=who.bapas_id,
        size=size,
        state="queued",
        stage="queued",
        progress=0.0,
        cancel_requested=False,
        attempt=0,
        payload=payload,
    )
    with db.writing() as s:
        s.add(row)
    return row


def principal_of(row: JobRow) -> Principal:
    """Who asked for the job: its work runs with that caller's rights."""
    return Principal(token_id=row.token_id, role=row.role, bapas_id=row.principal_bapas)


def visible(db: Database, who: Principal, job_id: str, kind: str | None = None) -> JobRow:
    """The job, if ``who`` may see it (its Bapas), else 404 as for an unknown id."""
    with db.reading() as s:
        row = s.get(JobRow, job_id)
    if (
        row is None
        or (kind is not None and row.kind != kind)
        or (row.bapas_id is not None and not who.can_see(row.bapas_id))
        or (row.bapas_id is None and who.bapas_id is not None and row.token_id != who.token_id)
    ):
        raise errors.not_found("Job", job_id)
    return row


def public(row: JobRow) -> dict[str, Any]:
    """The job as the API shows it."""
    return {
        "job_id": row.job_id,
        "kind": row.kind,
        "status": row.state,
        "stage": row.stage,
        "progress": round(row.progress, 3),
        "size": row.size,
        "cohort": row.size,
        "cancel_requested": row.cancel_requested,
        "attempt": row.attempt,
        "created_at": _utc(row.created_at),
        "started_at": _utc(row.started_at),
        "finished_at": _utc(row.finished_at),
        "peak_memory_mb": row.peak_memory_mb,
        "result": row.result,
        "error": row.error,
    }


def _utc(t: dt.datetime | None) -> dt.datetime | None:
    """Stored times are UTC without a zone (as every table keeps them); shown with it."""
    return t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t


def request_cancel(db: Database, job_id: str) -> None:
    """A queued job is cancelled at once; a running one when its worker sees the flag."""
    with db.writing() as s:
        s.execute(
            update(JobRow)
            .where(JobRow.job_id == job_id, JobRow.state == "queued")
            .values(
                state="cancelled",
                stage="cancelled",
                cancel_requested=True,
                finished_at=now(),
                error=_problem(job_id, 409, "cancelled", "The job was cancelled before it ran."),
            )
        )
        s.execute(
            update(JobRow)
            .where(JobRow.job_id == job_id, JobRow.state == "running")
            .values(cancel_requested=True)
        )


# What a worker does to a job's row.


def claim(db: Database, job_id: str, worker: str) -> int | None:
    """queued -> running for this worker; the new attempt number, or None (not queued)."""
    with db.writing() as s:
        row = s.execute(select(JobRow.attempt).where(JobRow.job_id == job_id)).first()
        if row is None:
            return None
        attempt = int(row.attempt) + 1
        t = now()
        done = _updated(
            s,
            update(JobRow)
            .where(JobRow.job_id == job_id, JobRow.state == "queued", JobRow.attempt == row.attempt)
            .values(
                state="running",
                stage="starting",
                attempt=attempt,
                worker=worker[:200],
                started_at=t,
                heartbeat_at=t,
            ),
        )
    return attempt if done == 1 else None


def heartbeat(db: Database, job_id: str, attempt: int, peak_mb: float) -> bool | None:
    """Say the run is alive; returns whether a cancel was asked, or None if the run is no longer
    the job's current one (finished, or taken over)."""
    with db.writing() as s:
        s.execute(
            update(JobRow)
            .where(JobRow.job_id == job_id, JobRow.attempt == attempt, JobRow.state == "running")
            .values(heartbeat_at=now(), peak_memory_mb=round(peak_mb, 1))
        )
        row = s.execute(
            select(JobRow.state, JobRow.attempt, JobRow.cancel_requested).where(
                JobRow.job_id == job_id
            )
        ).first()
    if row is None or row.state != "running" or row.attempt != attempt:
        return None
    return bool(row.cancel_requested)


def report(db: Database, job_id: str, attempt: int, stage: str, fraction: float) -> None:
    """Progress of the current run (never backwards)."""
    with db.writing() as s:
        row = s.get(JobRow, job_id)
        if row is None or row.state != "running" or row.attempt != attempt:
            return
        row.stage = stage[:32]
        row.progress = max(row.progress, min(max(fraction, 0.0), 1.0))


def finish(
    db: Database,
    job_id: str,
    attempt: int,
    state: str,
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
    peak_mb: float | None = None,
) -> bool:
    """The run's outcome, written once; False if the run was no longer current."""
    assert state in FINISHED
    values: dict[str, Any] = {
        "state": state,
        "stage": state,
        "result": result,
        "error": error,
        "finished_at": now(),
    }
    if state == "done":
        values["progress"] = 1.0
    if peak_mb is not None:
        values["peak_memory_mb"] = round(peak_mb, 1)
    with db.writing() as s:
        done = _updated(
            s,
            update(JobRow)
            .where(JobRow.job_id == job_id, JobRow.attempt == attempt, JobRow.state == "running")
            .values(**values),
        )
    return done == 1


def finish_peak(db: Database, job_id: str, peak_mb: float) -> None:
    """The peak memory the watching worker saw, after the run wrote its own outcome."""
    with db.writing() as s:
        s.execute(
            update(JobRow).where(JobRow.job_id == job_id).values(peak_memory_mb=round(peak_mb, 1))
        )


def recover(db: Database, *, stale_s: float, attempts: int) -> tuple[list[str], list[str]]:
    """Runs whose worker stopped reporting ``stale_s`` ago: queued again while they have
    attempts left (returned first, to be put on the queue), else failed (returned second).
    Nothing a lost run did is half-written: each kind writes its outcome in one transaction."""
    cutoff = now() - dt.timedelta(seconds=stale_s)
    with db.reading() as s:
        stale = s.execute(
            select(JobRow.job_id, JobRow.attempt, JobRow.cancel_requested, JobRow.kind).where(
                JobRow.state == "running", JobRow.heartbeat_at < cutoff
            )
        ).all()
    again: list[str] = []
    failed: list[str] = []
    for job_id, attempt, cancel, kind in stale:
        cond = (JobRow.job_id == job_id, JobRow.attempt == attempt, JobRow.state == "running")
        with db.writing() as s:
            if attempt < attempts and not cancel:
                if _updated(
                    s, update(JobRow).where(*cond).values(state="queued", stage="requeued")
                ):
                    again.append(job_id)
            else:
                err = (
                    _problem(job_id, 409, "cancelled", "The job was cancelled.", kind=kind)
                    if cancel
                    else _problem(
                        job_id,
                        500,
                        "worker-lost",
                        f"The worker running the job stopped {attempt} time(s); "
                        "nothing of the job was written.",
                        kind=kind,
                    )
                )
                state = "cancelled" if cancel else "failed"
                stmt = (
                    update(JobRow)
                    .where(*cond)
                    .values(state=state, stage=state, error=err, finished_at=now())
                )
                if _updated(s, stmt):
                    failed.append(job_id)
    for job_id in again:
        log.warning("job %s: its worker stopped reporting; queued again", job_id)
    for job_id in failed:
        log.warning("job %s: its worker stopped reporting; no attempts left, failed", job_id)
    return again, failed


def queued_ids(db: Database) -> list[str]:
    with db.reading() as s:
        return list(
            s.scalars(select(JobRow.job_id).where(JobRow.state == "queued").order_by("created_at"))
        )


def _problem(
    job_id: str, status: int, code: str, detail: str, kind: str = "assignment"
) -> dict[str, Any]:
    return {
        "type": f"/problems/{code}",
        "title": code,
        "status": status,
        "detail": detail,
        "instance": _PATHS.get(kind, "/v1/jobs"),
    }


def problem_of(exc: BaseException, kind: str) -> dict[str, Any]:
    """A failed job's problem body (as an API error would be, in English)."""
    instance = _PATHS.get(kind, "/v1/jobs")
    if isinstance(exc, errors.Problem):
        body: dict[str, Any] = {
            "type": f"/problems/{exc.code}",
            "title": exc.code,
            "status": exc.status,
            "detail": exc.detail_en,
            "instance": instance,
        }
        if isinstance(exc, errors.InvalidInput):
            body["errors"] = errors.input_problems(exc.problems, prefix=exc.prefix, lang="en")
        elif exc.errors:
            body["errors"] = exc.errors
        return body
    log.error("%s job failed", kind, exc_info=exc)
    return {
        "type": "/problems/internal",
        "title": "internal",
        "status": 500,
        "detail": "The job failed; the error has been logged on the server.",
        "instance": instance,
    }
