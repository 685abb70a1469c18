"""The matching commands of ``penempatan``: generate, match, suggest, demo.

Exit codes: 0 success, 2 bad input (every problem on its own line, naming the file, the row or
feature, the field, the value and the rule).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.console import fail, out, stages
from api.files.policy import read_policy
from geo.io import FileFormatError, read_clients, read_sites
from matcher.model import Client, Site
from matcher.pipeline import match as run_match
from matcher.pipeline import suggest as run_suggest
from matcher.policy import Policy, PolicyError
from matcher.result import Result
from matcher.solver import SolveParams
from matcher.validate import InputError, validate_inputs

STAGES = {
    "read": "Membaca berkas",
    "eligibility": "Mencari lokasi dalam jangkauan dan memeriksa syarat",
    "solve": "Mencari penempatan optimal",
    "explain": "Menyusun alasan",
    "write": "Menulis hasil",
}

SitesOpt = Annotated[Path, typer.Option("--sites", help="Sites: .geojson, .csv or .gpkg")]
ClientsOpt = Annotated[Path, typer.Option("--clients", help="Clients: .csv or .json")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Policy TOML overriding the defaults")
]


def load_inputs(
    sites_path: Path, clients_path: Path, config: Path | None
) -> tuple[list[Site], list[Client], Policy]:
    """Read, validate and cross-check both files and the policy; exit 2 listing every problem."""
    problems: list[str] = []
    try:
        policy = read_policy(config)
    except PolicyError as exc:
        problems.append(str(exc))
    site_records, client_records = [], []
    try:
        site_records = read_sites(sites_path)
    except FileFormatError as exc:
        problems.append(str(exc))
    try:
        client_records = read_clients(clients_path)
    except FileFormatError as exc:
        problems.append(str(exc))
    if problems:
        raise fail(problems)
    try:
        sites, clients = validate_inputs(site_records, client_records)
    except InputError as exc:
        raise fail([str(p) for p in exc.problems]) from None
    return sites, clients, policy


def _solve_with_progress(
    sites: list[Site],
    clients: list[Client],
    policy: Policy,
    params: SolveParams,
    quiet: bool,
    workers: int = 1,
) -> Result:
    with stages(quiet, STAGES, "eligibility") as on_stage:
        return run_match(sites, clients, policy, params, on_stage=on_stage, workers=workers)


def summary_table(result: Result, title: str = "Ringkasan penempatan") -> Table:
    s = result.summary
    t = Table(title=title, show_header=False, title_justify="left")
    t.add_column("", style="bold")
    t.add_column("", justify="right")
    mean = s.total_distance_km / s.placed if s.placed else 0.0
    t.add_row("Klien", str(s.clients))
    t.add_row("Ditempatkan", f"{s.placed} ({100.0 * s.placed / max(s.clients, 1):.1f}%)")
    t.add_row("Belum ditempatkan", str(s.unplaced))
    t.add_row(
        "Jarak total / rata-rata / maks (km)",
        f"{s.total_distance_km:.1f} / {mean:.2f} / {s.max_distance_km:.2f}",
    )
    t.add_row("Status solver", f"{s.status} (objective {s.objective}, bound {s.bound})")
    t.add_row("Waktu (detik)", f"{s.runtime_s:.2f}")
    reasons = Counter(u.reasons[0].code for u in result.unplaced)
    for code, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        t.add_row(f"  alasan: {code}", str(n))
    return t


def write_outputs(
    result: Result,
    sites: list[Site],
    clients: list[Client],
    json_path: Path,
    csv_path: Path | None,
    geojson_path: Path | None,
) -> None:
    from api.files.results import write_csv, write_json, write_result_geojson

    write_json(result, json_path)
    if csv_path is not None:
        write_csv(result, csv_path)
    if geojson_path is not None:
        write_result_geojson(result, sites, clients, geojson_path)


def match(
    sites: SitesOpt,
    clients: ClientsOpt,
    out_path: Annotated[Path, typer.Option("--out", help="Result JSON")],
    config: ConfigOpt = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write a CSV")] = None,
    geojson: Annotated[Path | None, typer.Option("--geojson", help="Also write GeoJSON")] = None,
    time_limit: Annotated[float, typer.Option(help="CP-SAT limit per component (s)")] = 60.0,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Processes: independent regions (no shared candidate) are solved in parallel",
        ),
    ] = 1,
    seed: Annotated[int, typer.Option(help="Solver seed")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or table")] = False,
) -> None:
    """Place a cohort optimally and write the result (JSON, optionally CSV and GeoJSON)."""
    site_list, client_list, policy = load_inputs(sites, clients, config)
    params = SolveParams(time_limit_s=time_limit, seed=seed)
    result = _solve_with_progress(site_list, client_list, policy, params, quiet, workers)
    write_outputs(result, site_list, client_list, out_path, csv, geojson)
    if not quiet:
        out.print(summary_table(result))
        out.print(f"Hasil ditulis ke {out_path}")


def suggest(
    sites: SitesOpt,
    clients: ClientsOpt,
    client_id: Annotated[str, typer.Option("--client-id", help="The client to place")],
    top: Annotated[int, typer.Option(help="How many sites to list")] = 5,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """Ranked eligible sites for one client, and the other sites' reasons (nothing is written)."""
    site_list, client_list, policy = load_inputs(sites, clients, config)
    client = next((c for c in client_list if c.client_id == client_id), None)
    if client is None:
        raise fail([f"{clients}: client_id = {client_id!r}: names no client in this file"])
    sg = run_suggest(site_list, client, policy, top=top)
    if as_json:
        payload = {
            "client_id": sg.client_id,
            "suggestions": [
                {
                    "site_id": x.site_id,
                    "distance_km": x.distance_km,
                    "room": x.room,
                    "terms": asdict(x.terms),
                }
                for x in sg.ranked
            ],
            "eligible_full": list(sg.eligible_full),
            "sites_in_reach": sg.sites_in_reach,
            "rejected": dict(sg.rejected),
            "reason": sg.reason.to_dict() if sg.reason else None,
        }
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    names = {s.site_id: s for s in site_list}
    t = Table(title=f"Saran lokasi untuk {client_id}", title_justify="left")
    for col in (
        "#",
        "site_id",
        "nama",
        "jenis",
        "km",
        "cocok keahlian",
        "biaya (m)",
        "sisa tempat",
    ):
        t.add_column(
            col, justify="right" if col in ("#", "km", "biaya (m)", "sisa tempat") else "left"
        )
    for k, x in enumerate(sg.ranked, 1):
        s = names[x.site_id]
        t.add_row(
            str(k),
            x.site_id,
            s.name,
            s.kind,
            f"{x.distance_km:.2f}",
            "ya" if x.terms.skill_match else "-",
            str(x.terms.cost_m),
            str(x.room),
        )
    if sg.ranked:
        out.print(t)
    else:
        out.print(
            f"[bold]Tidak ada lokasi yang memenuhi syarat dan masih ada tempat untuk {client_id}."
        )
    from matcher.rules import ELIGIBILITY

    r = Table(title=f"Lokasi ditolak ({sg.sites_in_reach} dalam jangkauan)", title_justify="left")
    r.add_column("aturan")
    r.add_column("alasan")
    r.add_column("Pasal")
    r.add_column("lokasi", justify="right")
    for rule in ELIGIBILITY:
        n = sg.rejected.get(rule.key, 0)
        if n:
            r.add_row(rule.key, rule.indonesian, rule.pasal or "-", str(n))
    out.print(r)
    if sg.reason is not None:
        out.print(f"[bold]{sg.reason.code}[/bold]: {sg.reason.indonesian}")


def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder")],
    district: Annotated[str, typer.Option(help="District to imitate")] = "banyumas",
    clients: Annotated[int, typer.Option(help="Number of clients")] = 300,
    sites: Annotated[int, typer.Option(help="Number of sites")] = 60,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    kabupaten: Annotated[
        int, typer.Option(help="Copies of the kabupaten (1 = one district; more = a region)")
    ] = 1,
    children: Annotated[
        int, typer.Option(help="Child clients (pelayanan masyarakat) after the adults")
    ] = 0,
) -> None:
    """Write a seeded synthetic district: sites.geojson, clients.csv, kecamatan.geojson."""
    from matcher.planning.synthetic import generate_district, generate_region, write_district

    if district != "banyumas":
        raise fail([f"--district = {district!r}: only 'banyumas' is available"])
    if clients < 0 or sites < 0 or kabupaten < 1 or children < 0:
        raise fail(["--clients/--sites/--children must be >= 0 and --kabupaten >= 1"])
    if children and kabupaten != 1:
        raise fail([f"--children = {children}: only for one kabupaten (--kabupaten 1)"])
    if kabupaten == 1:
        d = generate_district(
            district=district, clients=clients, sites=sites, seed=seed, children=children
        )
    else:
        d = generate_region(kabupaten=kabupaten, clients=clients, sites=sites, seed=seed)
    write_district(d, out_dir)
    out.print(f"{len(d.clients)} klien, {len(d.sites)} lokasi ditulis ke {out_dir}")


DEMO_SEED = 2026
DEMO_CHILDREN = 6


def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder")] = Path("out/demo"),
    clients: Annotated[int, typer.Option(help="Number of clients")] = 300,
    sites: Annotated[int, typer.Option(help="Number of sites")] = 60,
    seed: Annotated[int, typer.Option(help="Random seed")] = DEMO_SEED,
    children: Annotated[
        int, typer.Option(help="Child clients (pelayanan masyarakat) after the adults")
    ] = DEMO_CHILDREN,
) -> None:
    """Generate the seeded Banyumas district, place its clients optimally, explain and map it."""
    import geopandas as gpd

    from api.files.maps import write_map
    from matcher.planning.synthetic import generate_district, write_district

    inputs = out_dir / "input"
    out.rule("[bold]Penempatan: demo Kabupaten Banyumas")
    d = generate_district(
        district="banyumas", clients=clients, sites=sites, seed=seed, children=children
    )
    write_district(d, inputs)
    out.print(
        f"Data sintetis (seed {seed}): {len(d.clients)} klien ({children} di antaranya Anak, "
        f"pidana pelayanan masyarakat), {len(d.sites)} lokasi, 27 kecamatan -> {inputs}/"
    )
    site_list, client_list, policy = load_inputs(
        inputs / "sites.geojson", inputs / "clients.csv", None
    )
    result = _solve_with_progress(site_list, client_list, policy, SolveParams(), quiet=False)
    write_outputs(
        result,
        site_list,
        client_list,
        out_dir / "result.json",
        out_dir / "placements.csv",
        out_dir / "placements.geojson",
    )
    areas = gpd.read_file(inputs / "kecamatan.geojson")
    write_map(result, site_list, client_list, areas, out_dir / "map.png")
    out.print(summary_table(result, "Ringkasan penempatan (demo Banyumas)"))
    _print_examples(result, site_list)
    _print_children(result, client_list)
    out.print(f"Ditulis: {out_dir}/result.json, placements.csv, placements.geojson, map.png")


def _print_children(result: Result, clients: list[Client]) -> None:
    kids = [c.client_id for c in clients if c.is_child]
    if not kids:
        return
    where = result.site_of()
    placed = [k for k in kids if k in where]
    out.print(
        f"Anak (pelayanan masyarakat): {len(placed)} dari {len(kids)} ditempatkan, hanya di "
        "lokasi layak Anak, tanpa bahaya, di luar hari sekolah, tidak bersama klien dewasa "
        "dengan tindak pidana seksual atau kekerasan (kebijakan Bapas).",
        soft_wrap=True,
    )
    for u in result.unplaced:
        if u.client_id in kids:
            out.print(
                f"  {u.client_id} {u.reasons[0].code}: {u.reasons[0].indonesian}", soft_wrap=True
            )


def _print_examples(result: Result, sites: list[Site]) -> None:
    names = {s.site_id: s.name for s in sites}
    t = Table(title="Contoh penempatan (dengan alternatif berikutnya)", title_justify="left")
    for col in ("klien", "lokasi", "km", "biaya (m)", "alternatif"):
        t.add_column(col)
    for p in result.placements[:5]:
        alts = ", ".join(
            f"{a.site_id} {a.distance_km:.1f} km" + (" (penuh)" if a.full else "")
            for a in p.alternatives
        )
        t.add_row(
            p.client_id,
            f"{p.site_id} {names[p.site_id]}",
            f"{p.distance_km:.2f}",
            str(p.terms.cost_m),
            alts or "-",
        )
    out.print(t)
    shown: set[str] = set()
    for u in result.unplaced:
        r = u.reasons[0]
        if r.code in shown:
            continue
        shown.add(r.code)
        out.print(
            f"[bold]{u.client_id}[/bold] [yellow]{r.code}[/yellow]: {r.indonesian}", soft_wrap=True
        )
