"""Background jobs for large cohorts: one worker thread, progress by stage, results in memory.

A job's result lives in the process that ran it (the placements it wrote are in the database);
after a restart, ``GET /v1/assignments/{job_id}`` answers 404 and the placements remain.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("penempatan.jobs")

Progress = Callable[[str, float], None]
KEEP_FINISHED = 200


@dataclass
class Job:
    job_id: str
    bapas_id: str | None
    cohort: int
    status: str = "queued"
    stage: str = "queued"
    progress: float = 0.0
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    work: Callable[[Progress], dict[str, Any]] | None = field(default=None, repr=False)

    def public(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "status": self.status,
            "stage": self.stage,
            "progress": round(self.progress, 3),
            "cohort": self.cohort,
            "result": self.result,
            "error": self.error,
        }


class JobRunner:
    """Runs submitted jobs one at a time on a daemon thread (solves are CPU-bound)."""

    def __init__(self, on_error: Callable[[BaseException], dict[str, Any]]):
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._on_error = on_error
        self._thread: threading.Thread | None = None

    def submit(
        self, *, bapas_id: str | None, cohort: int, work: Callable[[Progress], dict[str, Any]]
    ) -> Job:
        job = Job(job_id=uuid.uuid4().hex, bapas_id=bapas_id, cohort=cohort, work=work)
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > KEEP_FINISHED:
                oldest = next(iter(self._jobs.values()))
                if oldest.status in ("queued", "running"):
                    break
                self._jobs.popitem(last=False)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="jobs", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._execute(job)

    def _execute(self, job: Job) -> None:
        def progress(stage: str, fraction: float) -> None:
            job.stage, job.progress = stage, max(job.progress, min(fraction, 1.0))

        job.status = "running"
        try:
            assert job.work is not None
            job.result = job.work(progress)
            job.status, job.stage, job.progress = "done", "done", 1.0
        except BaseException as exc:  # a failed job reports its problem instead of dying
            job.error = self._on_error(exc)
            job.status, job.stage = "failed", "failed"
            if not isinstance(exc, Exception):
                raise
        finally:
            job.work = None

    def stop(self) -> None:
        self._queue.put(None)
