"""``penempatan simulate``: run a planning scenario file and write the planner's report.

Reads the scenario TOML and every file it names (paths relative to the scenario file), turns
them into domain objects, runs the study (:mod:`matcher.planning.study`) and writes study.json,
kecamatan.geojson, map.png and brief.md. Exit code 2 for bad input, every problem on its own
line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli.console import fail, out, stages, tr
from api.files.study import POLICY_NAMES
from matcher.planning.areas import Areas
from matcher.planning.facility import FacilityError
from matcher.planning.inputs import InputsError, read_scenario, resolve_inputs
from matcher.planning.scenarios import ScenarioError
from matcher.planning.simulation import SimulationError
from matcher.planning.study import (
    ScenarioSpec,
    Study,
    run_study,
)
from matcher.policy import PolicyError

STAGES = {
    "scenarios": "Menghitung skenario",
    "simulation": "Simulasi enam bulan",
    "facility": "Mencari lokasi baru terbaik",
    "marginal": "Menghitung nilai satu tempat tambahan",
}


def _inputs(scenario: Path) -> tuple[ScenarioSpec, tuple[Any, ...]]:
    try:
        spec = read_scenario(scenario)
        return spec, resolve_inputs(spec, scenario.resolve().parent)
    except InputsError as exc:
        raise fail(exc.problems) from None


def run(scenario: Path, quiet: bool = True) -> tuple[Study, Areas]:
    """Read the scenario and everything it names, and run the study (for tests and the API)."""
    spec, (sites, clients, areas, overrides, candidates, about) = _inputs(scenario)
    with stages(quiet, STAGES, "Menyiapkan") as on_stage:
        try:
            study = run_study(
                spec, sites, clients, areas, overrides, candidates, about, on_stage=on_stage
            )
        except (ScenarioError, FacilityError, SimulationError, PolicyError) as exc:
            raise fail([str(exc)]) from None
    return study, areas


def simulate(
    scenario: Annotated[
        Path, typer.Option("--scenario", help=tr("Berkas skenario (TOML)", "Scenario TOML"))
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", help=tr("Folder keluaran", "Output folder"))
    ] = Path("out/sim"),
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help=tr("Tanpa kemajuan dan tabel", "No progress or tables")),
    ] = False,
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
        out.print(
            "biaya = jarak tempuh dikurangi bonus keahlian; perubahan negatif = klien bekerja "
            "lebih dekat atau lebih sesuai keahliannya"
        )
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
            title += f" (optimum bila kedatangan sudah diketahui: {h.lower}..{h.upper})"
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
                POLICY_NAMES.get(r.policy, r.policy),
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
    for col in ("#", "lokasi", "nama", "+klien", "perubahan biaya (km)", "diperiksa"):
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
