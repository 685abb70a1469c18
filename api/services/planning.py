"""Planning studies for the pages: run a scenario file as ``penempatan simulate`` does, and keep
each Bapas' latest result in memory for its planners to read.

The scenario is read and resolved by the same functions as the CLI
(:mod:`matcher.planning.inputs`), so the page, the CLI and ``POST /v1/scenarios`` run the one
study (:mod:`matcher.planning.study`) under the one set of rules. A study takes seconds; one
Bapas runs one at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.auth import Principal, require_role
from api.errors import Problem
from matcher.planning.areas import Areas
from matcher.planning.facility import FacilityError
from matcher.planning.inputs import InputsError, read_scenario, resolve_inputs
from matcher.planning.scenarios import ScenarioError
from matcher.planning.simulation import SimulationError
from matcher.planning.study import ScenarioSpec, SpecError, Study, parse_scenario, run_study
from matcher.policy import PolicyError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scenario-banyumas.toml"
MAX_SCENARIO_BYTES = 200_000


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


def _invalid(name: str, items: list[dict[str, Any]]) -> Problem:
    return Problem(
        422,
        "validation",
        f"{len(items)} masalah pada berkas skenario {name}; tidak ada yang dihitung.",
        f"{len(items)} problems in the scenario file {name}; nothing was computed.",
        errors=items,
    )


def _file_references(spec: ScenarioSpec) -> list[str]:
    """The keys of an uploaded scenario that name other files (which an upload cannot bring)."""
    keys = ("sites", "clients", "areas", "policy")
    named = [f"[base] {key}" for key in keys if getattr(spec.base, key)]
    if spec.demand.source == "file":
        named.append("[demand] source = 'file'")
    if spec.facility is not None and spec.facility.candidates == "file":
        named.append("[facility] candidates = 'file'")
    return named


def check_scenario(name: str, data: bytes) -> ScenarioSpec:
    """The scenario of an uploaded file (TOML), or 422 with every problem, before anything runs."""
    if len(data) > MAX_SCENARIO_BYTES:
        raise Problem(
            413,
            "payload-too-large",
            f"Berkas skenario melebihi {MAX_SCENARIO_BYTES} byte.",
            f"The scenario file exceeds {MAX_SCENARIO_BYTES} bytes.",
        )
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _invalid(
            name,
            [
                {
                    "path": name,
                    "value": None,
                    "rule": (f"bukan TOML yang sah: {exc}", f"not valid TOML: {exc}"),
                }
            ],
        ) from None
    try:
        spec = parse_scenario(table, name)
    except SpecError as exc:
        items = [{"path": name, "value": None, "rule": p} for p in exc.problems]
        raise _invalid(name, items) from None
    named = _file_references(spec)
    if named:
        raise _invalid(
            name,
            [
                {
                    "path": key,
                    "value": None,
                    "rule": (
                        "berkas unggahan tidak dapat menyebut berkas lain; pakai [base] generate",
                        "an uploaded scenario cannot name other files; use [base] generate",
                    ),
                }
                for key in named
            ],
        )
    return spec


def _study(name: str, spec: ScenarioSpec, root: Path) -> tuple[Study, Areas]:
    """Resolve the scenario's inputs and run its study; every problem as a 422."""
    try:
        sites, clients, areas, overrides, candidates, about = resolve_inputs(spec, root)
        study = run_study(spec, sites, clients, areas, overrides, candidates, about)
    except InputsError as exc:
        items = [{"path": name, "value": None, "rule": p} for p in exc.problems]
        raise _invalid(name, items) from None
    except (ScenarioError, FacilityError, SimulationError, PolicyError) as exc:
        raise _invalid(name, [{"path": name, "value": None, "rule": str(exc)}]) from None
    return study, areas


def run_upload(who: Principal, name: str, data: bytes) -> StudyRun:
    """Run an uploaded scenario file (checked first; a generated base, no other files)."""
    require_role(who, ("planner",))
    spec = check_scenario(name, data)
    return _run(who, name, lambda: _study(name, spec, EXAMPLE.parent))


def run_example(who: Principal) -> StudyRun:
    """Run the example scenario (examples/scenario-banyumas.toml) for this planner's Bapas."""
    require_role(who, ("planner",))

    def work() -> tuple[Study, Areas]:
        try:
            spec = read_scenario(EXAMPLE)
        except InputsError as exc:
            items = [{"path": EXAMPLE.name, "value": None, "rule": p} for p in exc.problems]
            raise _invalid(EXAMPLE.name, items) from None
        return _study(EXAMPLE.name, spec, EXAMPLE.parent)

    return _run(who, EXAMPLE.name, work)


def _run(who: Principal, name: str, work: Callable[[], tuple[Study, Areas]]) -> StudyRun:
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
        study, areas = work()
        result = StudyRun(
            scenario=name,
            study=study,
            areas=areas,
            finished_at=dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
        )
        _latest[key] = result
        return result
    finally:
        with _lock:
            _running.discard(key)
