"""The job queue (huey) and what a worker does with a job.

The queue is huey's: a SQLite file by default (``var/queue.db``: one machine, nothing else to
run), Redis when ``PENEMPATAN_QUEUE_URL=redis://...`` (workers on any number of machines). It
carries only job ids; the jobs' state lives in the database (:mod:`api.services.jobs`).

``penempatan worker`` runs huey's consumer. Each job runs in a child process of its own, forked
from a clean server process that has the solver and the planning code already imported (the
``forkserver`` start method: a job starts in milliseconds, not after seconds of imports, and
never inherits the worker's threads or connections). The worker's thread watches it: it beats
the job's heartbeat, and stops the child when the job is cancelled, passes its time limit
(``PENEMPATAN_JOB_TIME_LIMIT_S``) or its memory limit (``PENEMPATAN_JOB_MEMORY_MB``, resident
memory). The child dies with the fork server, which ends with its worker
(``PR_SET_PDEATHSIG``). A worker that starts, and every worker once a minute, takes over runs
whose worker stopped reporting (:func:`api.services.jobs.recover`): queued again while attempts
are left, else failed; each kind writes its outcome in one transaction, so a lost run leaves
nothing half-written.
"""

from __future__ import annotations

import base64
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey

from api.services import jobs
from api.settings import Settings, get_settings
from api.storage.db import Database

log = logging.getLogger("penempatan.worker")

_POLL_S = 0.25
_BEAT_S = 1.0
# What a job's process needs, imported once by the fork server (children start from it).
_PRELOAD = ["api.worker", "api.services.assignments", "api.services.sites", "api.routers.scenarios"]


def _processes() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def make_huey(settings: Settings) -> Huey:
    """The queue named by ``settings.queue_url`` (results stay in the database, not in huey)."""
    url = settings.queue_url
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey(settings.queue_name, url=url, results=False)
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.queue_name, filename=str(path), results=False)


class Queue:
    """A huey instance with the one task that runs a job, and the periodic take-over check
    (made at the first use: an app that never queues a job opens no queue)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._huey: Huey | None = None
        self._run: Any = None

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            huey = make_huey(self.settings)
            self._run = huey.task(name="penempatan.run_job")(_run_job)
            huey.periodic_task(crontab(minute="*"), name="penempatan.recover")(_recover)
            self._huey = huey
        return self._huey

    def enqueue(self, job_id: str) -> None:
        assert self.huey is not None
        self._run(job_id)


@lru_cache(maxsize=1)
def queue() -> Queue:
    """This process' queue (from the environment's settings)."""
    return Queue(get_settings())


@lru_cache(maxsize=1)
def _database() -> Database:
    return Database(get_settings())


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def submit(db: Database, q: Queue, who: Any, **fields: Any) -> dict[str, Any]:
    """Record a job and put it on the queue; returns its public view."""
    row = jobs.create(db, who, **fields)
    q.enqueue(row.job_id)
    with db.reading() as s:
        return jobs.public(s.get_one(type(row), row.job_id))


def _recover() -> None:
    settings = get_settings()
    again, _ = jobs.recover(
        _database(), stale_s=settings.job_stale_s, attempts=settings.job_attempts
    )
    for job_id in again:
        queue().enqueue(job_id)


def start_worker(workers: int) -> None:
    """Migrate, take over lost runs, re-queue queued jobs, and consume until stopped."""
    from api.storage.migrate import upgrade

    db = _database()
    upgrade(db)
    q = queue()
    settings = q.settings
    again, failed = jobs.recover(db, stale_s=settings.job_stale_s, attempts=settings.job_attempts)
    # A queued job whose id is also still on the queue runs once: the claim is conditional.
    for job_id in jobs.queued_ids(db):
        q.enqueue(job_id)
    log.warning(
        "worker %s: %d worker thread(s) on %s; %d lost run(s) queued again, %d failed",
        worker_name(),
        workers,
        settings.queue_url.split("@")[-1],
        len(again),
        len(failed),
    )
    from multiprocessing import forkserver

    _processes()
    forkserver.ensure_running()  # import the job code now, not when the first job arrives
    consumer = q.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, check_worker_health=True
    )
    consumer.run()


# The watching thread.


def _rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc; 0 where there is none)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def _run_job(job_id: str) -> None:
    settings = get_settings()
    db = _database()
    attempt = jobs.claim(db, job_id, worker_name())
    if attempt is None:
        return  # cancelled, finished, or another worker has it
    child = _processes().Process(
        target=_child, args=(job_id, attempt, settings), name=f"job-{job_id[:8]}"
    )
    child.start()
    assert child.pid is not None
    started = time.monotonic()
    last_beat = 0.0
    peak = 0.0
    why: tuple[str, dict[str, Any] | None] | None = None
    while True:
        child.join(_POLL_S)
        peak = max(peak, _rss_mb(child.pid))
        if not child.is_alive():
            break
        elapsed = time.monotonic() - started
        if elapsed > settings.job_time_limit_s:
            why = ("failed", _limit("time-limit", f"{settings.job_time_limit_s:g} s", job_id))
        elif peak > settings.job_memory_mb:
            why = ("failed", _limit("memory-limit", f"{settings.job_memory_mb} MB", job_id))
        elif time.monotonic() - last_beat >= _BEAT_S:
            last_beat = time.monotonic()
            cancel = jobs.heartbeat(db, job_id, attempt, peak)
            if cancel is None:
                why = ("gone", None)  # taken over or finished elsewhere: stop this run
            elif cancel:
                why = ("cancelled", _cancelled(job_id))
        if why is not None:
            child.kill()
            child.join()
            break
    if why is None:
        # The child wrote its outcome; unless it died first (a crash, the OOM killer).
        code = child.exitcode
        if jobs.finish(
            db,
            job_id,
            attempt,
            "failed",
            error={
                "type": "/problems/internal",
                "title": "internal",
                "status": 500,
                "detail": f"The job's process ended with code {code} before it finished; "
                "nothing of the job was written.",
                "instance": f"/v1/jobs/{job_id}",
            },
            peak_mb=peak,
        ):
            log.error("job %s: its process ended with code %s", job_id, code)
        else:
            jobs.finish_peak(db, job_id, peak)
        return
    state, error = why
    if state != "gone":
        jobs.finish(db, job_id, attempt, state, error=error, peak_mb=peak)
        log.warning("job %s %s: %s", job_id, state, (error or {}).get("detail"))


def _limit(code: str, limit: str, job_id: str) -> dict[str, Any]:
    return {
        "type": f"/problems/{code}",
        "title": code,
        "status": 503,
        "detail": f"The job passed its {code.replace('-', ' ')} of {limit} and was stopped; "
        "nothing of the job was written.",
        "instance": f"/v1/jobs/{job_id}",
    }


def _cancelled(job_id: str) -> dict[str, Any]:
    return {
        "type": "/problems/cancelled",
        "title": "cancelled",
        "status": 409,
        "detail": "The job was cancelled while it ran; nothing of the job was written.",
        "instance": f"/v1/jobs/{job_id}",
    }


# The child process: runs one job and writes its outcome.


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _child(job_id: str, attempt: int, settings: Settings) -> None:
    _die_with_parent()
    db = Database(settings)
    from api.storage.models import JobRow

    with db.reading() as s:
        row = s.get_one(JobRow, job_id)
    kind, payload, who = row.kind, row.payload, jobs.principal_of(row)

    def progress(stage: str, fraction: float) -> None:
        jobs.report(db, job_id, attempt, stage, fraction)

    try:
        result = EXECUTORS[kind](db, settings, who, payload, progress)
    except BaseException as exc:
        jobs.finish(db, job_id, attempt, "failed", error=jobs.problem_of(exc, kind))
        if not isinstance(exc, Exception):
            raise
    else:
        jobs.finish(db, job_id, attempt, "done", result=result)
    finally:
        db.dispose()


# What each kind runs (in the child). Imports are local: the child imports only what it runs.

Executor = Callable[[Database, Settings, Any, dict[str, Any], jobs.Progress], dict[str, Any]]


def _assignment(
    db: Database, settings: Settings, who: Any, p: dict[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    from api.files.policy import read_policy
    from api.services import assignments
    from api.services.registry import RegistryCache

    request = assignments.CohortRequest(
        client_ids=p["client_ids"], inline=p["inline"], pending=p["pending"], dry_run=p["dry_run"]
    )
    return assignments.plan(
        db,
        who,
        RegistryCache().get,
        read_policy(settings.policy_path),
        bapas=p["bapas"],
        request=request,
        max_cohort=settings.max_cohort,
        time_limit_s=settings.solver_time_limit_s,
        lang=p["lang"],
        progress=progress,
    )


def _scenario(
    db: Database, settings: Settings, who: Any, p: dict[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    from api.routers.scenarios import ScenarioRequest, compute

    progress("studying", 0.1)
    return compute(ScenarioRequest.model_validate(p))


def _import(
    db: Database, settings: Settings, who: Any, p: dict[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    from api.services import sites

    progress("importing", 0.1)
    data = base64.b64decode(p["data"])
    with db.writing() as s:
        return sites.import_sites(
            s,
            who,
            data=data,
            media_type=p["media_type"],
            bapas_id=p["bapas_id"],
            sheet=p.get("sheet"),
        )


EXECUTORS: dict[str, Executor] = {
    "assignment": _assignment,
    "scenario": _scenario,
    "import": _import,
}
