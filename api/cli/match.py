"""The matching commands of ``penempatan``: generate, match, suggest, demo.

Exit codes: 0 success, 2 bad input (every problem on its own line, naming the file, the row or
feature, the field, the value and the rule).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli import outputs
from api.cli.console import count_text, fail, lang, out, stages, summarised, tr, warn
from api.files.columns import ID_MEANINGS
from api.files.policy import read_policy
from api.files.tables import read_clients, read_sites
from geo.io import SITE_FIELDS
from matcher.model import Client, Site
from matcher.pipeline import Suggestions
from matcher.pipeline import match as run_match
from matcher.pipeline import suggest as run_suggest
from matcher.policy import Policy, PolicyError
from matcher.result import Result
from matcher.rules import ELIGIBILITY, REASON_LABELS, RULES
from matcher.solver import SolveParams
from matcher.validate import InputError, InputProblem, validate_inputs
from matcher.vocab import label

HELP: dict[str, tuple[str, str]] = {
    "match": (
        "Tempatkan satu kohort secara optimal dan tulis hasilnya (JSON; juga CSV, GeoJSON, XLSX).",
        "Place a cohort optimally and write the result (JSON; also CSV, GeoJSON, XLSX).",
    ),
    "suggest": (
        "Lokasi yang memenuhi syarat untuk satu klien, berperingkat, dan alasan lokasi lain "
        "ditolak (tidak ada yang disimpan).",
        "Ranked eligible sites for one client, and why the other sites were rejected "
        "(nothing is saved).",
    ),
    "template": (
        "Tulis buku kerja Excel untuk lokasi atau klien, dengan daftar pilihan nilai dan lembar "
        "penjelasan (kosong, atau diisi dari berkas dengan --from).",
        "Write an Excel workbook for sites or clients, with drop-down lists and a sheet "
        "explaining the columns (blank, or filled from a file with --from).",
    ),
    "generate": (
        "Tulis kabupaten sintetis (ber-seed): sites.geojson, clients.csv, kecamatan.geojson.",
        "Write a seeded synthetic district: sites.geojson, clients.csv, kecamatan.geojson.",
    ),
    "demo": (
        "Buat kabupaten Banyumas sintetis, tempatkan kliennya secara optimal, jelaskan dan "
        "petakan.",
        "Generate the seeded Banyumas district, place its clients optimally, explain and map it.",
    ),
}
"""Each command's help, Indonesian and English (``tr`` picks one when the app is built)."""

STAGES = {
    "read": "Membaca berkas",
    "eligibility": "Mencari lokasi dalam jangkauan dan memeriksa syarat",
    "solve": "Mencari penempatan optimal",
    "explain": "Menyusun alasan",
    "write": "Menulis hasil",
}

SitesOpt = Annotated[
    Path,
    typer.Option(
        "--sites",
        help=tr(
            "Lokasi: .xlsx, .csv, .geojson atau .gpkg",
            "Sites: .xlsx, .csv, .geojson or .gpkg",
        ),
    ),
]
ClientsOpt = Annotated[
    Path,
    typer.Option(
        "--clients", help=tr("Klien: .xlsx, .csv atau .json", "Clients: .xlsx, .csv or .json")
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help=tr("TOML kebijakan yang mengganti bawaan", "Policy TOML overriding the defaults"),
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        help=tr(
            "Lembar buku kerja yang dibaca (bawaan: lembar pertama)",
            "Workbook sheet to read (default: the first sheet)",
        ),
    ),
]
ClientsSheetOpt = Annotated[
    str | None,
    typer.Option(
        "--clients-sheet",
        help=tr(
            "Lembar klien bila lain dari --sheet (satu buku kerja untuk keduanya)",
            "Clients' sheet when it differs from --sheet (one workbook for both)",
        ),
    ),
]
LangOpt = Annotated[
    str | None, typer.Option("--lang", help=tr("id (bawaan) atau en", "id (default) or en"))
]


@dataclass
class Inputs:
    sites: list[Site]
    clients: list[Client]
    policy: Policy
    site_extras: dict[str, dict[str, Any]]
    """Columns of the site file beyond the data contract (an address, a desa), per site."""


def problem_lines(problems: Sequence[InputProblem]) -> list[str]:
    """Each problem on one line in the run's language; a kind repeated more than twenty
    times is counted after its twentieth example."""
    language = lang()
    keys = [(p.field, p.message.text(language)) for p in problems]
    lines = [
        f"{p.source}: {p.field} = {p.value!r}: {k[1]}" for p, k in zip(problems, keys, strict=True)
    ]

    def more(count: int, field: str, rule: str) -> str:
        more_rule = RULES["file.same_problem_more"]
        return more_rule.say(count=count_text(count), field=field, rule=rule).text(language)

    return summarised(keys, lines, more)


def load_inputs(
    sites_path: Path,
    clients_path: Path,
    config: Path | None,
    sheet: str | None = None,
    clients_sheet: str | None = None,
) -> Inputs:
    """Read, validate and cross-check both files and the policy; exit 2 listing every problem
    (a problem of a whole file once, repeated row problems summarised)."""
    language = lang()
    problems: list[str] = []
    policy = None
    try:
        policy = read_policy(config)
    except PolicyError as exc:
        problems.append(str(exc))
    site_table = read_sites(sites_path, sheet=sheet, lang=language)
    client_table = read_clients(clients_path, sheet=clients_sheet or sheet, lang=language)
    for table in (site_table, client_table):
        warn(table.lines(table.warnings, language))
        problems += table.lines(table.errors, language)
    if problems or policy is None:
        raise fail(problems)
    try:
        sites, clients = validate_inputs(site_table.records, client_table.records, policy.extent)
    except InputError as exc:
        raise fail(problem_lines(exc.problems)) from None
    known = set(SITE_FIELDS)
    extras = {}
    for rec in site_table.records:
        extra = {k: v for k, v in rec.values.items() if k not in known and v not in ("", None)}
        if extra:
            extras[str(rec.values.get("site_id", "")).strip()] = extra
    return Inputs(sites, clients, policy, extras)


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


def _reason_text(code: str) -> str:
    """The short name of an unplaced reason in the run's language (``matcher.rules``)."""
    label_rule = REASON_LABELS.get(code)
    return label_rule.text(lang()) if label_rule is not None else code


def summary_table(result: Result, title: str | None = None) -> Table:
    s = result.summary
    t = Table(
        title=title or tr("Ringkasan penempatan", "Placement summary"),
        show_header=False,
        title_justify="left",
    )
    t.add_column("", style="bold")
    t.add_column("", justify="right")
    mean = s.total_distance_km / s.placed if s.placed else 0.0
    t.add_row(tr("Klien", "Clients"), str(s.clients))
    t.add_row(
        tr("Ditempatkan", "Placed"), f"{s.placed} ({100.0 * s.placed / max(s.clients, 1):.1f}%)"
    )
    t.add_row(tr("Belum ditempatkan", "Not placed"), str(s.unplaced))
    t.add_row(
        tr("Jarak total / rata-rata / maks (km)", "Distance total / mean / max (km)"),
        f"{s.total_distance_km:.1f} / {mean:.2f} / {s.max_distance_km:.2f}",
    )
    status = s.status.lower() if lang() == "en" else _STATUS_ID.get(s.status, s.status)
    t.add_row(
        tr("Status solver", "Solver status"),
        tr(
            f"{status} (biaya {s.objective} m, batas bawah {s.bound} m)",
            f"{status} (cost {s.objective} m, bound {s.bound} m)",
        ),
    )
    t.add_row(tr("Waktu (detik)", "Time (seconds)"), f"{s.runtime_s:.2f}")
    reasons = Counter(u.reasons[0].code for u in result.unplaced)
    for code, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        t.add_row(f"  {tr('alasan', 'reason')}: {_reason_text(code)}", str(n))
    return t


_STATUS_ID = {
    "OPTIMAL": "optimal",
    "FEASIBLE": "layak (belum terbukti optimal)",
    "INFEASIBLE": "tidak layak",
    "UNKNOWN": "tidak diketahui",
}


def write_outputs(
    result: Result,
    inputs: Inputs,
    json_path: Path,
    csv_path: Path | None,
    geojson_path: Path | None,
    xlsx_path: Path | None = None,
    excel: bool = False,
    indent: bool = False,
) -> None:
    from api.files.results import write_csv, write_json, write_result_geojson, write_result_xlsx

    targets = [
        ("--out", json_path),
        ("--csv", csv_path),
        ("--geojson", geojson_path),
        ("--xlsx", xlsx_path),
    ]
    try:
        # all or nothing: temporary files, renamed onto their names once every one is written
        with outputs.all_or_nothing([(o, p) for o, p in targets if p is not None]) as tmp:
            write_json(result, tmp(json_path), indent)
            if csv_path is not None:
                write_csv(result, tmp(csv_path), inputs.sites, inputs.site_extras, excel=excel)
            if geojson_path is not None:
                write_result_geojson(result, inputs.sites, inputs.clients, tmp(geojson_path))
            if xlsx_path is not None:
                write_result_xlsx(result, tmp(xlsx_path), inputs.sites, inputs.site_extras, lang())
    except OSError as exc:
        raise fail([f"{exc.filename or json_path}: cannot write: {exc.strerror or exc}"]) from None


XlsxOpt = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        help=tr(
            "Tulis juga buku kerja Excel (dengan lembar penjelasan kolom)",
            "Also write an Excel workbook (with a sheet explaining the columns)",
        ),
    ),
]
ExcelOpt = Annotated[
    bool,
    typer.Option(
        "--excel",
        help=tr(
            "CSV untuk Excel berbahasa Indonesia: BOM, pemisah ; dan koma desimal",
            "CSV for an Indonesian-locale Excel: BOM, ; separator and decimal commas",
        ),
    ),
]


def match(
    sites: SitesOpt,
    clients: ClientsOpt,
    out_path: Annotated[Path, typer.Option("--out", help=tr("Hasil dalam JSON", "Result JSON"))],
    config: ConfigOpt = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help=tr("Tulis juga CSV", "Also write a CSV"))
    ] = None,
    geojson: Annotated[
        Path | None,
        typer.Option("--geojson", help=tr("Tulis juga GeoJSON", "Also write GeoJSON")),
    ] = None,
    indent: Annotated[
        bool,
        typer.Option(
            "--indent",
            help=tr(
                "Indentasi JSON hasil untuk dibaca orang (bawaan: ringkas)",
                "Indent the result JSON for people (default compact)",
            ),
        ),
    ] = False,
    xlsx: XlsxOpt = None,
    excel: ExcelOpt = False,
    sheet: SheetOpt = None,
    clients_sheet: ClientsSheetOpt = None,
    time_limit: Annotated[
        float,
        typer.Option(
            help=tr("Batas waktu CP-SAT per komponen (detik)", "CP-SAT limit per component (s)")
        ),
    ] = 60.0,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help=tr(
                "Proses: wilayah yang tidak berbagi lokasi diselesaikan bersamaan",
                "Processes: independent regions (no shared candidate) are solved in parallel",
            ),
        ),
    ] = 1,
    seed: Annotated[int, typer.Option(help=tr("Benih solver", "Solver seed"))] = 0,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help=tr("Tanpa kemajuan dan tabel", "No progress or table")),
    ] = False,
) -> None:
    """Place a cohort optimally and write the result (HELP["match"] is what a person reads)."""
    outs = [("--out", out_path), ("--csv", csv), ("--geojson", geojson), ("--xlsx", xlsx)]
    # every output is checked before anything is solved; its problems join the inputs' ones
    out_problems = outputs.problems([(o, p) for o, p in outs if p is not None])
    try:
        inputs = load_inputs(sites, clients, config, sheet, clients_sheet)
    except typer.Exit:
        fail(out_problems)
        raise
    if out_problems:
        raise fail(out_problems)
    params = SolveParams(time_limit_s=time_limit, seed=seed)
    result = _solve_with_progress(
        inputs.sites, inputs.clients, inputs.policy, params, quiet, workers
    )
    write_outputs(result, inputs, out_path, csv, geojson, xlsx, excel, indent)
    if not quiet:
        out.print(summary_table(result))
        out.print(tr(f"Hasil ditulis ke {out_path}", f"Result written to {out_path}"))


def suggestion_payload(sg: Suggestions, sites: Sequence[Site], total_sites: int) -> dict[str, Any]:
    """The suggestions as the API words them (``free``, ranks, names, kinds, rule texts)."""
    language = lang()
    at = {s.site_id: s for s in sites}
    rejected = dict(sg.rejected)
    rejected["too_far"] = total_sites - sg.sites_in_reach
    return {
        "client_id": sg.client_id,
        "suggestions": [
            {
                "rank": k,
                "site_id": x.site_id,
                "name": at[x.site_id].name,
                "kind": at[x.site_id].kind,
                "kind_text": label(at[x.site_id].kind, language),
                "subdistrict": at[x.site_id].subdistrict,
                "distance_km": x.distance_km,
                "free": x.room,
                "terms": asdict(x.terms),
            }
            for k, x in enumerate(sg.ranked, 1)
        ],
        "eligible_full": list(sg.eligible_full),
        "sites_in_reach": sg.sites_in_reach,
        "rejected": [
            {
                "rule": r.key,
                "count": rejected[r.key],
                "message": r.text(language),
                "pasal": r.pasal or None,
            }
            for r in ELIGIBILITY
            if rejected.get(r.key, 0) > 0
        ],
        "reason": (
            {
                "code": sg.reason.code,
                "message": sg.reason.text(language),
                "details": sg.reason.details,
            }
            if sg.reason is not None
            else None
        ),
    }


def suggest(
    sites: SitesOpt,
    clients: ClientsOpt,
    client_id: Annotated[
        str,
        typer.Option("--client-id", help=tr("Klien yang dicarikan lokasi", "The client to place")),
    ],
    top: Annotated[
        int, typer.Option(help=tr("Berapa lokasi yang disarankan", "How many sites to list"))
    ] = 5,
    config: ConfigOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=tr("JSON, bukan tabel", "JSON instead of a table"))
    ] = False,
    map_path: Annotated[
        Path | None,
        typer.Option(
            "--map",
            help=tr(
                "Peta PNG: rumah, saran, lokasi penuh, batas jarak",
                "PNG map: home, suggestions, full sites, travel limit",
            ),
        ),
    ] = None,
    geojson: Annotated[
        Path | None,
        typer.Option("--geojson", help=tr("Isi peta sebagai GeoJSON", "The map as GeoJSON")),
    ] = None,
    xlsx: XlsxOpt = None,
    sheet: SheetOpt = None,
    clients_sheet: ClientsSheetOpt = None,
) -> None:
    """Ranked eligible sites for one client, and the other sites' reasons (nothing is saved)."""
    inputs = load_inputs(sites, clients, config, sheet, clients_sheet)
    site_list, policy = inputs.sites, inputs.policy
    client = next((c for c in inputs.clients if c.client_id == client_id), None)
    if client is None:
        raise fail(
            [
                tr(
                    f"{clients}: client_id = {client_id!r}: tidak ada klien dengan kode ini "
                    "di berkas",
                    f"{clients}: client_id = {client_id!r}: names no client in this file",
                )
            ]
        )
    sg = run_suggest(site_list, client, policy, top=top)
    payload = suggestion_payload(sg, site_list, len(site_list))
    reach = client.max_travel_km if client.max_travel_km is not None else policy.max_travel_km
    radius = reach / policy.road_factor
    if map_path is not None or geojson is not None:
        from api.files.suggest_map import (
            SuggestionView,
            write_suggestion_geojson,
            write_suggestion_map,
        )

        view = SuggestionView(client, site_list, sg, radius_km=radius, reach_km=reach)
        if map_path is not None:
            write_suggestion_map(view, map_path, lang())
        if geojson is not None:
            write_suggestion_geojson(view, geojson)
    if xlsx is not None:
        _write_suggestion_xlsx(payload, xlsx)
    if as_json:
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    t = Table(
        title=tr(f"Saran lokasi untuk {client_id}", f"Suggestions for {client_id}"),
        title_justify="left",
    )
    heads = (
        ("#", True),
        ("site_id", False),
        (tr("nama", "name"), False),
        (tr("jenis", "kind"), False),
        ("km", True),
        (tr("keahlian cocok", "skills fit"), False),
        (tr("tempat kosong", "free"), True),
    )
    for col, right in heads:
        t.add_column(col, justify="right" if right else "left")
    for item in payload["suggestions"]:
        t.add_row(
            str(item["rank"]),
            item["site_id"],
            item["name"],
            item["kind_text"],
            f"{item['distance_km']:.2f}",
            tr("ya", "yes") if item["terms"]["skill_match"] else "-",
            str(item["free"]),
        )
    if sg.ranked:
        out.print(t)
        bonus = policy.skill_bonus_m
        note = tr(
            "Urutan: jarak dikurangi bonus keahlian"
            + (f" ({bonus} m bila keahlian cocok)" if bonus else "")
            + ".",
            "Order: distance minus the skill bonus"
            + (f" ({bonus} m when the skills fit)" if bonus else "")
            + ".",
        )
        out.print(note)
    else:
        out.print(
            tr(
                f"[bold]Tidak ada lokasi yang memenuhi syarat dan masih ada tempat untuk "
                f"{client_id}.",
                f"[bold]No eligible site with a free place for {client_id}.",
            )
        )
    r = Table(
        title=tr(
            f"Lokasi ditolak (dari {len(site_list)} lokasi, {sg.sites_in_reach} dalam "
            f"jangkauan {reach:g} km)",
            f"Sites rejected (of {len(site_list)} sites, {sg.sites_in_reach} within {reach:g} km)",
        ),
        title_justify="left",
    )
    r.add_column(tr("alasan", "reason"))
    r.add_column("Pasal")
    r.add_column(tr("lokasi", "sites"), justify="right")
    for item in payload["rejected"]:
        r.add_row(item["message"], item["pasal"] or "-", str(item["count"]))
    out.print(r)
    if payload["reason"] is not None:
        out.print(f"[bold]{payload['reason']['message']}[/bold]", soft_wrap=True)


def _write_suggestion_xlsx(payload: dict[str, Any], path: Path) -> None:
    from api.files.workbooks import Sheet, write_workbook

    columns = ["rank", "site_id", "name", "kind", "subdistrict", "distance_km", "free"]
    columns += ["skill_match", "skill_bonus_m", "cost_m"]
    rows = [
        [
            x["rank"],
            x["site_id"],
            x["name"],
            x["kind_text"],
            x["subdistrict"] or None,
            x["distance_km"],
            x["free"],
            x["terms"]["skill_match"],
            x["terms"]["skill_bonus_m"],
            x["terms"]["cost_m"],
        ]
        for x in payload["suggestions"]
    ]
    meanings = {
        "rank": ("peringkat (1 = terbaik)", "rank (1 = best)"),
        "site_id": ID_MEANINGS["site_id"],
        "name": ID_MEANINGS["site_name"],
        "kind": ID_MEANINGS["kind"],
        "subdistrict": ("kecamatan", "subdistrict (kecamatan)"),
        "distance_km": ("jarak dari rumah (km)", "distance from home (km)"),
        "free": ("tempat yang masih kosong", "places still free"),
        "skill_match": ("keahlian klien cocok", "the client's skills fit"),
        "skill_bonus_m": (
            "bonus keahlian (meter yang dikurangkan dari jarak)",
            "skill bonus (metres taken off the distance)",
        ),
        "cost_m": (
            "jarak dalam meter dikurangi bonus keahlian; bisa negatif",
            "distance in metres minus the skill bonus; may be negative",
        ),
        "rule": ("kode aturan", "rule code"),
        "count": ("jumlah lokasi yang ditolak aturan ini", "sites this rule rejects"),
        "message": ("aturan", "the rule"),
        "pasal": ("Pasal KUHP yang menjadi dasar", "the Pasal of the KUHP behind it"),
    }
    rejected = [[x["rule"], x["count"], x["message"], x["pasal"]] for x in payload["rejected"]]
    en = lang() == "en"
    write_workbook(
        path,
        [
            Sheet("Suggestions" if en else "Saran", columns, rows, meanings),
            Sheet(
                "Rejected" if en else "Ditolak",
                ["rule", "count", "message", "pasal"],
                rejected,
                meanings,
            ),
        ],
        lang(),
    )


def template(
    path: Annotated[
        Path,
        typer.Argument(
            help=tr(
                "sites.xlsx atau clients.xlsx (nama berkas menentukan isinya)",
                "sites.xlsx or clients.xlsx (the file name says which)",
            )
        ),
    ],
    what: Annotated[
        str | None,
        typer.Option(
            "--for",
            help=tr("sites atau clients (bila nama berkas tidak jelas)", "sites or clients"),
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help=tr(
                "Isi templat dari berkas yang ada (.geojson, .csv, .json, .gpkg)",
                "Fill the template from an existing file (.geojson, .csv, .json, .gpkg)",
            ),
        ),
    ] = None,
) -> None:
    """Write a blank (or filled) workbook for sites or clients with drop-down lists."""
    from api.files.workbooks import write_template

    stem = path.stem.lower()
    kind = what or ("clients" if "client" in stem or "klien" in stem else None)
    kind = kind or ("sites" if "site" in stem or "lokasi" in stem else None)
    if kind not in ("sites", "clients") or path.suffix.lower() != ".xlsx":
        raise fail(
            [
                tr(
                    f"{path}: sebut sites.xlsx atau clients.xlsx (atau --for sites|clients)",
                    f"{path}: name sites.xlsx or clients.xlsx (or --for sites|clients)",
                )
            ]
        )
    rows: list[dict[str, Any]] = []
    if source is not None:
        reader = read_sites if kind == "sites" else read_clients
        table = reader(source, lang=lang())
        warn(table.lines(table.warnings, lang()))
        if table.errors:
            raise fail(table.lines(table.errors, lang()))
        rows = [dict(r.values) for r in table.records]
    write_template(kind, path, lang(), rows=rows)
    out.print(
        tr(f"Templat {kind} ditulis ke {path}", f"Template for {kind} written to {path}")
        + (
            tr(f" ({len(rows)} baris dari {source})", f" ({len(rows)} rows from {source})")
            if rows
            else ""
        )
    )


def generate(
    out_dir: Annotated[Path, typer.Option("--out", help=tr("Folder keluaran", "Output folder"))],
    district: Annotated[
        str, typer.Option(help=tr("Kabupaten yang ditiru", "District to imitate"))
    ] = "banyumas",
    clients: Annotated[int, typer.Option(help=tr("Jumlah klien", "Number of clients"))] = 300,
    sites: Annotated[int, typer.Option(help=tr("Jumlah lokasi", "Number of sites"))] = 60,
    seed: Annotated[int, typer.Option(help=tr("Benih acak", "Random seed"))] = 0,
    kabupaten: Annotated[
        int,
        typer.Option(
            help=tr(
                "Salinan kabupaten (1 = satu kabupaten; lebih = satu wilayah)",
                "Copies of the kabupaten (1 = one district; more = a region)",
            )
        ),
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
# The plain demo keeps the district every earlier release placed (its result is a regression
# reference); `penempatan demo --children 6` adds six children's orders (pelayanan masyarakat).
DEMO_CHILDREN = 0


def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help=tr("Folder keluaran", "Output folder"))
    ] = Path("out/demo"),
    clients: Annotated[int, typer.Option(help=tr("Jumlah klien", "Number of clients"))] = 300,
    sites: Annotated[int, typer.Option(help=tr("Jumlah lokasi", "Number of sites"))] = 60,
    seed: Annotated[int, typer.Option(help=tr("Benih acak", "Random seed"))] = DEMO_SEED,
    children: Annotated[
        int,
        typer.Option(
            help=tr("Klien Anak (pelayanan masyarakat)", "Child clients (pelayanan masyarakat)")
        ),
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
    loaded = load_inputs(inputs / "sites.geojson", inputs / "clients.csv", None)
    site_list, client_list = loaded.sites, loaded.clients
    result = _solve_with_progress(site_list, client_list, loaded.policy, SolveParams(), quiet=False)
    write_outputs(
        result,
        loaded,
        out_dir / "result.json",
        out_dir / "placements.csv",
        out_dir / "placements.geojson",
        indent=True,  # the demo's result is for people to read
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
    for col in ("klien", "lokasi", "km", "keahlian cocok", "alternatif"):
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
            "ya" if p.terms.skill_match else "-",
            alts or "-",
        )
    out.print(t)
    shown: set[str] = set()
    for u in result.unplaced:
        r = u.reasons[0]
        if r.code in shown:
            continue
        shown.add(r.code)
        out.print(f"[bold]{u.client_id}[/bold]: {r.indonesian}", soft_wrap=True)
