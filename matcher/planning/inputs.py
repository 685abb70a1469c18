"""A study's inputs, for the CLI and the API alike: the scenario file read and checked, and
the base registry, the demand, the policy overrides and the facility candidates it names.

Every problem is raised at once as :class:`InputsError` (one readable line each); the doors turn
it into exit 2 (CLI) or 422 (API).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.district import kecamatan_polygons, load_kecamatan_centres
from geo.io import FileFormatError, read_clients, read_sites
from matcher.model import Client, Site
from matcher.planning.areas import Areas
from matcher.planning.demand import DemandError, generate_cohort
from matcher.planning.facility import FacilityError, candidate_sites
from matcher.planning.study import (
    ScenarioSpec,
    SpecError,
    candidate_points,
    generated_base,
    parse_scenario,
)
from matcher.policy import PolicyError, policy_with
from matcher.validate import InputError, check_references, parse_clients, validate_inputs


class InputsError(ValueError):
    """The scenario or a file it names cannot be used; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]):
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))


def read_scenario(path: Path) -> ScenarioSpec:
    """Parse and check a scenario TOML; :class:`InputsError` with every problem."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputsError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise InputsError([f"{path}: is a folder, not a scenario file"]) from None
    except UnicodeDecodeError:
        raise InputsError([f"{path}: not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputsError([f"{path}: not valid TOML: {exc}"]) from None
    try:
        return parse_scenario(table, str(path))
    except SpecError as exc:
        raise InputsError(exc.problems) from None


def _policy_overrides(path: Path | None) -> dict[str, Any]:
    """The policy file's table, checked against the default policy (naming the key at fault)."""
    if path is None:
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        policy_with(table, str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputsError([f"{path}: cannot be read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputsError([f"{path}: not valid TOML: {exc}"]) from None
    except PolicyError as exc:
        raise InputsError([str(exc)]) from None
    return table


def resolve_inputs(
    spec: ScenarioSpec, root: Path
) -> tuple[list[Site], list[Client], Areas, dict[str, Any], list[Site], dict[str, Any]]:
    """Base sites, demand, areas, policy overrides, facility candidates, and a description,
    from the scenario and the files it names (paths relative to ``root``)."""
    b = spec.base
    about: dict[str, Any] = {"title": spec.title}
    try:
        if b.generate is not None:
            g = b.generate
            sites, base_clients, areas = generated_base(
                b.district, g["clients"], g["sites"], g["seed"]
            )
            about["about"] = (
                f"Data sintetis Kabupaten {b.district.title()} (seed {g['seed']}), "
                "dibangkitkan ulang setiap kali."
            )
            about["base"] = {"generate": dict(g), "district": b.district}
        else:
            assert b.sites is not None  # parse_scenario guarantees it
            site_records = read_sites(root / b.sites)
            client_records = read_clients(root / b.clients) if b.clients else []
            sites, base_clients = validate_inputs(site_records, client_records)
            if b.areas:
                areas = Areas.from_frame(gpd.read_file(root / b.areas))
            else:
                areas = Areas.from_frame(kecamatan_polygons(load_kecamatan_centres(b.district)))
            about["about"] = f"Registri dari {b.sites}."
            about["base"] = {"sites": b.sites, "clients": b.clients, "areas": b.areas}
    except (FileFormatError, ValueError) as exc:
        problems = exc.problems if isinstance(exc, InputError) else [exc]
        raise InputsError([str(p) for p in problems]) from None
    overrides = _policy_overrides(root / b.policy if b.policy else None)

    d = spec.demand
    if d.source == "base":
        if not base_clients:
            raise InputsError(["[demand] source = 'base', but the base has no clients"])
        clients = base_clients
        about["demand"] = "klien dari registri dasar"
    elif d.source == "file":
        assert d.path is not None
        try:
            records = read_clients(root / d.path)
        except FileFormatError as exc:
            raise InputsError([str(exc)]) from None
        clients, problems, sources = parse_clients(records)
        problems += check_references(sites, clients, sources) if not problems else []
        if problems:
            raise InputsError([str(p) for p in problems])
        about["demand"] = f"kohort dari berkas {d.path}"
    else:
        assert d.spec is not None
        try:
            clients = generate_cohort(d.spec, areas)
        except DemandError as exc:
            raise InputsError([str(exc)]) from None
        about["demand"] = (
            f"permintaan dibangkitkan per kecamatan menurut jumlah penduduk dan komposisi "
            f"tindak pidana, seed {d.spec.seed}"
        )
    about["clients"] = len(clients)

    candidates: list[Site] = []
    f = spec.facility
    if f is not None:
        try:
            if f.candidates == "file":
                assert f.path is not None
                recs = read_sites(root / f.path)
                points = [(float(r.values["lat"]), float(r.values["lon"])) for r in recs]
                names = [str(r.values.get("name") or f"calon {i + 1}") for i, r in enumerate(recs)]
            else:
                points, names = candidate_points(f, areas, sites, b.district)
            candidates = candidate_sites(
                points, f.kind, f.capacity, names=names, attributes=f.attributes
            )
        except (FileFormatError, FacilityError, ValueError, KeyError, TypeError) as exc:
            raise InputsError([f"[facility] candidates: {exc}"]) from None
    if spec.simulation is not None:
        about["simulation_days"] = spec.simulation.stream.days
        about["arrivals_per_day"] = spec.simulation.stream.rate
    return sites, clients, areas, overrides, candidates, about
