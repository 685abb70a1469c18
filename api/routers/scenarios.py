"""``POST /v1/scenarios``: compare capacity what-ifs (planners), as ``penempatan simulate`` does.

The request mirrors the scenario TOML (``examples/scenario-banyumas.toml``) as JSON. The base is
either the seeded synthetic district (``base.generate``) or inline ``base.sites`` (and, for
``demand.source = "base"``, ``base.clients``), records of the data contract; the stored registry
is not read here. The demand is the base's clients or one generated per kecamatan
(``demand.source = "generate"``); new-site candidates may be inline points. Every section is
checked by :func:`matcher.planning.study.parse_scenario`, every problem returned at once
(422) before anything runs. The study itself is a job (``kind = "scenario"``): the request
answers 202 with the job, whose ``result`` at ``/v1/jobs/{job_id}`` is the study, and a worker
process runs it (a study may take minutes and gigabytes; the API answers meanwhile).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import Planner, Svc
from api.errors import InvalidInput, Problem
from api.schemas.common import PROBLEM_RESPONSES
from api.schemas.jobs import JobPublic
from api.worker import submit
from geo.district import kecamatan_polygons, load_kecamatan_centres
from matcher.model import Client, Site
from matcher.planning.areas import Areas
from matcher.planning.demand import DemandError, generate_cohort
from matcher.planning.facility import FacilityError, candidate_sites
from matcher.planning.scenarios import ScenarioError
from matcher.planning.simulation import SimulationError
from matcher.planning.study import (
    SpecError,
    candidate_points,
    generated_base,
    parse_scenario,
    run_study,
)
from matcher.policy import PolicyError, policy_with
from matcher.rules import V
from matcher.validate import InputError, InputProblem, validate_inputs

router = APIRouter(prefix="/v1", tags=["planning"], responses=PROBLEM_RESPONSES)

MAX_CLIENTS = 5_000
MAX_SITES = 2_000
MAX_CANDIDATES = 400
MAX_ARRIVALS = 6_000  # arrivals_per_day x court days of the simulation


class GenerateBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    district: str = "banyumas"
    clients: int = Field(300, ge=0, le=MAX_CLIENTS)
    sites: int = Field(60, ge=0, le=MAX_SITES)
    seed: int = Field(0, ge=0, le=2**32 - 1)


class BaseIn(BaseModel):
    """The base registry: generated, or inline records of the data contract."""

    model_config = ConfigDict(extra="forbid")

    district: str = Field("banyumas", description="its packaged kecamatan areas are used")
    generate: GenerateBase | None = None
    sites: list[dict[str, Any]] | None = Field(None, max_length=MAX_SITES)
    clients: list[dict[str, Any]] | None = Field(None, max_length=MAX_CLIENTS)
    policy: dict[str, Any] | None = Field(
        None, description="policy overrides (matching, offence, health), as in policy.toml"
    )


class ScenarioRequest(BaseModel):
    """The scenario file as JSON; ``demand``, ``edits``, ``simulation``, ``facility`` and
    ``marginal`` take the keys of the TOML sections (see examples/scenario-banyumas.toml)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "title": "Banyumas: tambah kapasitas",
                "base": {"generate": {"clients": 300, "sites": 60, "seed": 2026}},
                "demand": {"source": "base"},
                "edits": [
                    {"name": "tambah", "add_capacity": {"S00033": 2}},
                    {"name": "jauh", "travel_limit_km": 20},
                ],
                "marginal": {"top": 5, "verify": 3},
            }
        },
    )

    title: str = "Skenario"
    base: BaseIn
    demand: dict[str, Any] = Field(default_factory=lambda: {"source": "base"})
    edits: list[dict[str, Any]] = Field(default_factory=list, max_length=50)
    simulation: dict[str, Any] | None = None
    facility: dict[str, Any] | None = Field(
        None,
        description='as [facility], or with "points": [[lat, lon], ...] as the candidates',
    )
    marginal: dict[str, Any] | None = None


class _Record:
    """A raw record for the validator, with where it came from."""

    def __init__(self, source: str, values: dict[str, Any]):
        self.source = source
        self.values = values


def _split(line: str) -> dict[str, Any]:
    """``"body: [demand].source = 'tea': one of ..."`` -> path and rule."""
    head, sep, rule = line.partition(": ")
    if head == "body" and sep:
        head, sep, rule = rule.partition(": ")
    path, _, value = head.partition(" = ")
    item: dict[str, Any] = {"path": path.strip(), "rule": rule.strip() or line}
    if value:
        item["value"] = value
    return item


def _invalid(lines: list[str]) -> Problem:
    return Problem(
        422,
        "validation",
        f"{len(lines)} masalah pada skenario; tidak ada yang dihitung.",
        f"{len(lines)} problems in the scenario; nothing was computed.",
        errors=[_split(line) for line in lines],
    )


def _too_large(what: str, size: int, limit: int) -> Problem:
    return Problem(
        413,
        "payload-too-large",
        f"{what} {size} melebihi batas {limit}.",
        f"{what} {size} exceeds the limit of {limit}.",
        size=size,
        limit=limit,
    )


def _base(body: ScenarioRequest) -> tuple[list[Site], list[Client], Areas]:
    b = body.base
    if (b.generate is None) == (b.sites is None):
        raise InvalidInput(
            [InputProblem("body.base", "generate", None, V["generate_or_sites"].say())]
        )
    if b.generate is not None:
        g = b.generate
        try:
            return generated_base(g.district, g.clients, g.sites, g.seed)
        except ValueError as exc:
            raise InvalidInput(
                [
                    InputProblem(
                        "body.base.generate", "district", g.district, V["district"].say(error=exc)
                    )
                ]
            ) from None
    assert b.sites is not None
    try:
        sites, clients = validate_inputs(
            [_Record(f"body.base.sites.{i}", r) for i, r in enumerate(b.sites)],
            [_Record(f"body.base.clients.{i}", r) for i, r in enumerate(b.clients or [])],
        )
        areas = Areas.from_frame(kecamatan_polygons(load_kecamatan_centres(b.district)))
    except InputError as exc:
        raise InvalidInput(exc.problems, prefix=None) from None
    except ValueError as exc:
        raise InvalidInput(
            [InputProblem("body.base", "district", b.district, V["district"].say(error=exc))]
        ) from None
    return sites, clients, areas


Prepared = tuple[Any, list[Site], list[Client], Areas, dict[str, Any], list[Site], dict[str, Any]]


@router.post(
    "/scenarios",
    status_code=202,
    response_model=JobPublic,
    summary="Compare capacity what-ifs, simulate six months, find new sites (planners): a job",
)
def scenarios(body: ScenarioRequest, services: Svc, who: Planner) -> JSONResponse:
    """Check the scenario, then queue the study; the job's result is the study JSON of
    ``penempatan simulate`` (without the files)."""
    prepared = prepare(body)
    job = submit(
        services.db,
        services.queue,
        who,
        kind="scenario",
        bapas_id=who.bapas_id,
        size=len(prepared[2]),
        payload=body.model_dump(mode="json"),
    )
    return JSONResponse(
        jsonable_encoder(job), status_code=202, headers={"Location": f"/v1/jobs/{job['job_id']}"}
    )


def compute(body: ScenarioRequest) -> dict[str, Any]:
    """The study (run by a worker): the checks again, then the study."""
    spec, sites, clients, areas, overrides, candidates, inputs = prepare(body)
    try:
        study = run_study(spec, sites, clients, areas, overrides, candidates, inputs)
    except (ScenarioError, FacilityError, SimulationError, PolicyError) as exc:
        raise _invalid([str(exc)]) from None
    return study.to_dict()


def prepare(body: ScenarioRequest) -> Prepared:
    """Every check of the scenario (422 or 413 naming each problem) and the study's inputs."""
    facility = dict(body.facility) if body.facility is not None else None
    points = facility.pop("points", None) if facility is not None else None
    if facility is not None and points is not None:
        facility["candidates"] = "file"
        facility["path"] = "(request)"
    table: dict[str, Any] = {
        "title": body.title,
        "base": {"generate": {}},  # the request model checks the real base
        "demand": body.demand,
        "edits": body.edits,
    }
    for key, value in (
        ("simulation", body.simulation),
        ("facility", facility),
        ("marginal", body.marginal),
    ):
        if value is not None:
            table[key] = value
    if body.demand.get("source") == "file":
        raise _invalid(["body.demand.source = 'file': upload the cohort as base.clients"])
    try:
        spec = parse_scenario(table, "body")
    except SpecError as exc:
        raise _invalid(exc.problems) from None
    if spec.simulation is not None:
        s = spec.simulation.stream
        expected = int(s.rate * s.days * 5 / 7)
        if expected > MAX_ARRIVALS:
            raise _too_large("simulation arrivals", expected, MAX_ARRIVALS)

    sites, base_clients, areas = _base(body)
    overrides = body.base.policy or {}
    try:
        policy_with(overrides)
    except PolicyError as exc:
        raise _invalid([f"body.base.policy: {exc}"]) from None
    if spec.demand.source == "base":
        if not base_clients:
            raise _invalid(["body.demand.source = 'base': base.clients is empty"])
        clients = base_clients
    else:
        assert spec.demand.spec is not None
        if spec.demand.spec.clients > MAX_CLIENTS:
            raise _too_large("demand.clients", spec.demand.spec.clients, MAX_CLIENTS)
        try:
            clients = generate_cohort(spec.demand.spec, areas)
        except DemandError as exc:
            raise _invalid([f"body.demand: {exc}"]) from None

    candidates: list[Site] = []
    if spec.facility is not None:
        f = spec.facility
        try:
            if points is not None:
                pts = [(float(p[0]), float(p[1])) for p in points]
                names = [f"calon {i + 1}" for i in range(len(pts))]
            else:
                district = body.base.generate.district if body.base.generate else body.base.district
                pts, names = candidate_points(f, areas, sites, district)
            if len(pts) > MAX_CANDIDATES:
                raise _too_large("facility candidates", len(pts), MAX_CANDIDATES)
            candidates = candidate_sites(
                pts, f.kind, f.capacity, names=names, attributes=f.attributes
            )
        except (FacilityError, ValueError, TypeError, IndexError) as exc:
            raise _invalid([f"body.facility: {exc}"]) from None

    inputs = {"base": body.base.model_dump(exclude={"sites", "clients"}), "clients": len(clients)}
    return spec, sites, clients, areas, overrides, candidates, inputs
