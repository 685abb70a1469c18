"""Planning studies for the pages: run a scenario file as ``penempatan simulate`` does, and keep
each Bapas' latest result in memory for its planners to read.

The scenario file is read by the same functions as the CLI (:func:`api.cli.planning.run`), so
the page, the CLI and ``POST /v1/scenarios`` run the one study (:mod:`matcher.planning.study`)
under the one set of rules. A study takes seconds; one Bapas runs one at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from api.auth import Principal, require_role
from api.errors import Problem
from matcher.planning.areas import Areas
from matcher.planning.study import Study

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scenario-banyumas.toml"


@dataclass(frozen=True)
class StudyRun:
    scenario: str
    study: Study
    areas: Areas
    finished_at: dt.datetime


_lock = threading.Lock()
_running: set[str] = set()
_latest: dict[str, StudyRun] = {}


def _key(who: Principal) -> str:
    return who.bapas_id or "*"


def latest(who: Principal) -> StudyRun | None:
    """The latest study run by a planner of this Bapas (in this process), if any."""
    require_role(who, ("planner",))
    return _latest.get(_key(who))


def run_example(who: Principal) -> StudyRun:
    """Run the example scenario (examples/scenario-banyumas.toml) for this planner's Bapas."""
    from api.cli.planning import run

    require_role(who, ("planner",))
    key = _key(who)
    with _lock:
        if key in _running:
            raise Problem(
                409,
                "conflict",
                "Skenario untuk Bapas ini sedang dihitung; tunggu hasilnya.",
                "A scenario for this Bapas is already running; wait for its result.",
            )
        _running.add(key)
    try:
        study, areas = run(EXAMPLE, quiet=True)
        result = StudyRun(
            scenario=EXAMPLE.name,
            study=study,
            areas=areas,
            finished_at=dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
        )
        _latest[key] = result
        return result
    finally:
        with _lock:
            _running.discard(key)
