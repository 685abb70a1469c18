"""``penempatan worker``: run the jobs (large cohorts, planning studies, large imports).

Any number of workers, on any machines, may serve one queue: on one machine the default
SQLite queue file (``PENEMPATAN_QUEUE_URL=sqlite:///var/queue.db``), across machines Redis
(``PENEMPATAN_QUEUE_URL=redis://host:6379/0``), with every worker and API instance on the same
database (``PENEMPATAN_DATABASE_URL``). ``penempatan serve`` starts one worker by itself.
"""

from __future__ import annotations

import logging

import typer


def worker(
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1, max=64, help="jobs this worker runs at once (one process each)"
    ),
) -> None:
    """Take jobs off the queue and run them until stopped (Ctrl-C or SIGTERM)."""
    from api.worker import start_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    start_worker(jobs)
