"""``penempatan simulate``: run a planning scenario file and write the planner's report.

Reads the scenario TOML and every file it names (paths relative to the scenario file), turns
them into domain objects, runs the study (:mod:`matcher.planning.study`) and writes study.json,
kecamatan.geojson, map.png and brief.md. Exit code 2 for bad input, every problem on its own
line.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli.console import fail, out, stages
from api.files.policy import read_policy
from geo.io import FileFormatError, read_clients, read_sites
from matcher.model import Client, Site
from matcher.planning.areas import Areas
from matcher.planning.demand import DemandError, generate_cohort
from matcher.planning.facility import FacilityError, candidate_sites
from matcher.planning.scenarios import ScenarioError
from matcher.planning.simulation import SimulationError
from matcher.planning.study import (
    ScenarioSpec,
    SpecError,
    Study,
    candidate_points,
    generated_base,
    parse_scenario,
    run_study,
)
from matcher.policy import PolicyError
from matcher.validate import InputError, check_references, parse_clients, validate_inputs

STAGES = {
    "scenarios": "Menghitung skenario",
    "simulation": "Simulasi enam bulan",
    "facility": "Mencari lokasi baru terbaik",
    "marginal": "Menghitung nilai satu tempat tambahan",
}


def read_scenario(path: Path) -> ScenarioSpec:
    """Parse and check a scenario TOML; exit 2 with every problem."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail([f"{path}: file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise fail([f"{path}: not valid TOML: {exc}"]) from None
    try:
        return parse_scenario(table, str(path))
    except SpecError as exc:
        raise fail(exc.problems) from None


def _policy_overrides(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        read_policy(path)  # checks the file, naming the key at fault
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except PolicyError as exc:
        raise fail([str(exc)]) from None


def resolve_inputs(
    spec: ScenarioSpec, root: Path
) -> tuple[list[Site], list[Client], Areas, dict[str, Any], list[Site], dict[str, Any]]:
    """Base sites, demand, areas, policy overrides, facility candidates, and a description."""
    import geopandas as gpd

    from geo.district import kecamatan_polygons, load_kecamatan_centres

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
        raise fail([str(p) for p in problems]) from None
    overrides = _policy_overrides(root / b.policy if b.policy else None)

    d = spec.demand
    if d.source == "base":
        if not base_clients:
            raise fail(["[demand] source = 'base', but the base has no clients"])
        clients = base_clients
        about["demand"] = "klien dari registri dasar"
    elif d.source == "file":
        assert d.path is not None
        try:
            records = read_clients(root / d.path)
        except FileFormatError as exc:
            raise fail([str(exc)]) from None
        clients, problems, sources = parse_clients(records)
        problems += check_references(sites, clients, sources) if not problems else []
        if problems:
            raise fail([str(p) for p in problems])
        about["demand"] = f"kohort dari berkas {d.path}"
    else:
        assert d.spec is not None
        try:
            clients = generate_cohort(d.spec, areas)
        except DemandError as exc:
            raise fail([str(exc)]) from None
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
            raise fail([f"[facility] candidates: {exc}"]) from None
    if spec.simulation is not None:
        about["simulation_days"] = spec.simulation.stream.days
        about["arrivals_per_day"] = spec.simulation.stream.rate
    return sites, clients, areas, overrides, candidates, about


def run(scenario: Path, quiet: bool = True) -> tuple[Study, Areas]:
    """Read the scenario and everything it names, and run the study (for tests and the API)."""
    spec = read_scenario(scenario)
    sites, clients, areas, overrides, candidates, about = resolve_inputs(
        spec, scenario.resolve().parent
    )
    with stages(quiet, STAGES, "Menyiapkan") as on_stage:
        try:
            study = run_study(
                spec, sites, clients, areas, overrides, candidates, about, on_stage=on_stage
            )
        except (ScenarioError, FacilityError, SimulationError, PolicyError) as exc:
            raise fail([str(exc)]) from None
    return study, areas


def simulate(
    scenario: Annotated[Path, typer.Option("--scenario", help="Scenario TOML")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder")] = Path("out/sim"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or tables")] = False,
) -> None:
    """Compare scenarios, simulate six months, find new sites; write JSON, GeoJSON, PNG, brief."""
    from api.files.study import write_study

    study, areas = run(scenario, quiet)
    paths = write_study(study, areas, out_dir)
    if quiet:
        return
    out.print(scenario_table(study))
    for t in simulation_tables(study):
        out.print(t)
    if study.facility is not None:
        f = study.facility
        names = {c.site_id: c.name for c in study.candidates}
        out.print(
            f"[bold]Lokasi baru ({f.p}, status {f.status}):[/bold] "
            + ", ".join(f"{names.get(s, s)} ({f.served.get(s, 0)} klien)" for s in f.chosen)
            + f" -> {f.baseline_placed} menjadi {f.placed} klien ditempatkan",
            soft_wrap=True,
        )
    if study.marginal:
        out.print(marginal_table(study))
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in study.timings.items())
    out.print(f"Waktu: {timing}")
    out.print("Ditulis: " + ", ".join(str(p) for p in paths), soft_wrap=True)


def scenario_table(study: Study) -> Table:
    t = Table(title=f"Skenario: {study.title}", title_justify="left")
    for col in ("skenario", "ditempatkan", "selisih", "km rata2/p90/maks", "tempat", "akses ♀"):
        t.add_column(col, justify="left" if col == "skenario" else "right")
    base = study.comparison.base
    for o in study.comparison.outcomes():
        t.add_row(
            o.name,
            f"{o.placed}/{o.clients}",
            "-" if o is base else f"{o.placed - base.placed:+d}",
            f"{o.mean_km:.2f}/{o.p90_km:.2f}/{o.max_km:.2f}",
            f"{o.used}/{o.places}",
            f"{100 * o.women_access:.0f}%",
        )
    return t


def simulation_tables(study: Study) -> list[Table]:
    tables = []
    for pc in study.simulations:
        h = pc.hindsight
        title = f"Simulasi 6 bulan: {pc.scenario}"
        if h is not None:
            title += f" (optimum hindsight {h.lower}..{h.upper})"
        t = Table(title=title, title_justify="left")
        for col in (
            "kebijakan",
            "ditempatkan",
            "tepat waktu",
            "tunggu rata2/p90",
            "hari tanpa tempat",
            "pemakaian",
            "% optimum",
            "km",
        ):
            t.add_column(col, justify="left" if col == "kebijakan" else "right")
        for r in pc.runs:
            m = r.metrics()
            share = pc.share_of_optimum(r)
            t.add_row(
                r.policy,
                f"{m['placed']}/{m['arrived']}",
                f"{100 * m['share_finished_by_deadline']:.1f}%",
                f"{m['waiting_days_mean']:.1f}/{m['waiting_days_p90']:.0f}",
                str(m["client_days_without_place"]),
                f"{100 * m['utilisation_mean']:.0f}%",
                "-"
                if share is None
                else (f"{share[0]:.1f}" if share[0] == share[1] else f">={share[0]:.1f}"),
                f"{m['mean_km']:.2f}",
            )
        tables.append(t)
    return tables


def marginal_table(study: Study) -> Table:
    names: Mapping[str, str] = {s.site_id: s.name for s in study.comparison.base.sites}
    t = Table(title="Satu tempat tambahan: paling membantu", title_justify="left")
    for col in ("#", "lokasi", "nama", "+klien", "biaya (km)", "diperiksa"):
        t.add_column(col, justify="left" if col in ("lokasi", "nama") else "right")
    for k, m in enumerate(study.marginal, 1):
        t.add_row(
            str(k),
            m.site_id,
            names.get(m.site_id, ""),
            str(m.placed_gain),
            f"{m.cost_change_m / 1000:+.2f}",
            "-" if not m.checked else ("sama" if m.agrees else "BEDA"),
        )
    return t
