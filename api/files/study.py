"""Writing a planning study: JSON, kecamatan GeoJSON with metrics, a PNG map, a brief in Indonesian.

The brief is one page of markdown a planner can paste into a letter to the Pemda: what was
tried, what changes, by how much. Numbers use the Indonesian decimal comma.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # files only: no screen in a district office server
import matplotlib.pyplot as plt
from matplotlib.colors import TwoSlopeNorm

from api.files.maps import draw_registry, points
from geo.district import write_areas
from matcher.planning.areas import Areas
from matcher.planning.scenarios import Outcome
from matcher.planning.study import Study
from matcher.rules import REASON_LABELS

POLICY_NAMES = {
    "greedy": "terdekat saat datang (manual)",
    "batch": "optimasi harian",
    "batch_urgent": "optimasi harian, yang lama menunggu didahulukan",
}


def num(x: float, decimals: int = 1) -> str:
    """Indonesian number format: 1.234,5."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def pct(x: float, decimals: int = 1) -> str:
    return f"{num(100.0 * x, decimals)}%"


def signed(x: float, decimals: int = 0) -> str:
    if round(x, decimals) == 0:
        return "0"
    return ("+" if x > 0 else "−") + num(abs(x), decimals)


def write_study(study: Study, areas: Areas, out_dir: Path) -> list[Path]:
    """Write study.json, kecamatan.geojson, map.png and brief.md; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        out_dir / "study.json",
        out_dir / "kecamatan.geojson",
        out_dir / "map.png",
        out_dir / "brief.md",
    ]
    paths[0].write_text(
        json.dumps(study.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    frame = kecamatan_frame(study, areas)
    write_areas(frame, paths[1])
    write_map(study, frame, paths[2])
    paths[3].write_text(brief(study), encoding="utf-8")
    return paths


def best_scenario(study: Study) -> Outcome | None:
    """The edit set that places the most clients (then the shortest mean trip)."""
    runs = list(study.comparison.scenarios)
    if not runs:
        return None
    return max(runs, key=lambda o: (o.placed, -o.mean_km, o.name))


def kecamatan_frame(study: Study, areas: Areas) -> gpd.GeoDataFrame:
    """One row per kecamatan: the base's metrics, and each scenario's placed count and change."""
    base = {a.name: a for a in study.comparison.base.areas}
    rows: list[dict[str, Any]] = []
    for name, pop in zip(areas.names, areas.population.tolist(), strict=True):
        a = base.get(name)
        clients = a.clients if a else 0
        row: dict[str, Any] = {
            "kecamatan": name,
            "population": int(pop),
            "clients": clients,
            "placed": a.placed if a else 0,
            "unplaced": a.unplaced if a else 0,
            "unplaced_share": round(a.unplaced / clients, 4) if a and clients else 0.0,
            "mean_km": a.mean_km if a else 0.0,
            "women": a.women if a else 0,
            "women_with_access": a.women_with_access if a else 0,
            "sites": a.sites if a else 0,
            "places": a.places if a else 0,
            "used": a.used if a else 0,
        }
        for s in study.comparison.scenarios:
            other = {x.name: x for x in s.areas}.get(name)
            placed = other.placed if other else 0
            row[f"placed__{s.name}"] = placed
            row[f"unplaced__{s.name}"] = other.unplaced if other else 0
            row[f"change__{s.name}"] = placed - row["placed"]
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry=list(areas.geometry), crs="EPSG:4326")


def _draw_sites(ax: Any, outcome: Outcome, study: Study, highlight_new: Sequence[str]) -> None:
    draw_registry(
        ax,
        [s for s in outcome.sites if s.usable],
        [s for s in outcome.sites if not s.usable],
        unusable_label="belum disetujui / ditutup / komersial",
    )
    top = [m.site_id for m in study.marginal[:5]]
    at = {s.site_id: s for s in outcome.sites}
    marked = [at[sid] for sid in top if sid in at]
    if marked:
        points(
            ax,
            marked,
            s=120,
            facecolors="none",
            edgecolors="#6a51a3",
            linewidths=1.4,
            label="+1 tempat paling membantu",
            zorder=4,
        )
    new = [s for s in outcome.sites if s.site_id in highlight_new]
    if new:
        points(
            ax,
            new,
            s=140,
            c="#f16913",
            marker="*",
            edgecolors="black",
            linewidths=0.4,
            label="lokasi tambahan skenario",
            zorder=5,
        )


def write_map(study: Study, frame: gpd.GeoDataFrame, path: Path) -> None:
    """Two panels: the base's unplaced share per kecamatan, and the best scenario's change."""
    best = best_scenario(study)
    fig, axes = plt.subplots(1, 2 if best else 1, figsize=(16 if best else 9, 6), dpi=100)
    ax0 = axes[0] if best else axes
    frame.assign(pct_unplaced=100.0 * frame["unplaced_share"]).plot(
        column="pct_unplaced",
        ax=ax0,
        cmap="OrRd",
        edgecolor="#8c8c8c",
        linewidth=0.5,
        legend=True,
        legend_kwds={"label": "% klien belum ditempatkan", "shrink": 0.6},
        vmin=0,
    )
    base = study.comparison.base
    _draw_sites(ax0, base, study, [])
    if study.facility is not None:
        where = {c.site_id: c for c in study.candidates}
        chosen = [where[s] for s in study.facility.chosen if s in where]
        points(
            ax0,
            chosen,
            s=160,
            c="#2171b5",
            marker="P",
            edgecolors="white",
            linewidths=0.6,
            label=f"{len(chosen)} lokasi baru terbaik (model lokasi)",
            zorder=5,
        )
    ax0.set_title(
        f"Dasar: {base.placed} dari {base.clients} klien ditempatkan, "
        f"rata-rata {num(base.mean_km)} km",
        fontsize=11,
    )
    for ax in [ax0] + ([axes[1]] if best else []):
        for name, geom in zip(frame["kecamatan"], frame.geometry, strict=True):
            pt = geom.representative_point()
            ax.annotate(str(name), (pt.x, pt.y), fontsize=5.5, ha="center", color="#404040")
        ax.set_xlabel("bujur")
        ax.set_ylabel("lintang")
        ax.set_aspect("equal")
    ax0.legend(loc="lower left", fontsize=7, framealpha=0.9)
    if best:
        ax1 = axes[1]
        col = f"change__{best.name}"
        span = max(1, int(frame[col].abs().max()))
        frame.plot(
            column=col,
            ax=ax1,
            cmap="RdBu",
            norm=TwoSlopeNorm(vmin=-span, vcenter=0, vmax=span),
            edgecolor="#8c8c8c",
            linewidth=0.5,
            legend=True,
            legend_kwds={"label": "perubahan klien ditempatkan", "shrink": 0.6},
        )
        base_ids = {s.site_id for s in base.sites}
        _draw_sites(ax1, best, study, [s.site_id for s in best.sites if s.site_id not in base_ids])
        d = best.placed - base.placed
        ax1.set_title(f"Skenario terbaik '{best.name}': {signed(d)} klien ditempatkan", fontsize=11)
        ax1.legend(loc="lower left", fontsize=7, framealpha=0.9)
    fig.suptitle(study.title, fontsize=13)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)


def _reasons(outcome: Outcome, top: int = 2) -> str:
    parts = [
        f"{n} karena {(REASON_LABELS[code].indonesian if code in REASON_LABELS else code)}"
        for code, n in list(outcome.unplaced_by_reason.items())[:top]
    ]
    return "; ".join(parts)


def brief(study: Study) -> str:
    """The one-page brief in Indonesian (markdown)."""
    cmp = study.comparison
    base = cmp.base
    inputs = study.inputs
    lines = [f"# {study.title}", ""]
    lines.append(f"*Ringkasan untuk Pemerintah Daerah. {inputs.get('about', '')}* ".rstrip())
    lines.append("")
    usable_sites = sum(1 for s in base.sites if s.usable)
    lines.append(
        f"**Yang diuji.** Registri saat ini: {usable_sites} lokasi kerja yang dapat dipakai "
        f"dengan {base.places} tempat, untuk {base.clients} klien "
        f"({inputs.get('demand', 'permintaan')}). "
        f"{len(cmp.scenarios)} perubahan diuji masing-masing terhadap registri saat ini; "
        "setiap skenario diselesaikan secara optimal (sebanyak mungkin klien ditempatkan, "
        "lalu jarak total terpendek) dengan aturan yang sama (KUHP Pasal 85, jarak, "
        "keamanan, kesehatan, gender, agama, tenggat)."
    )
    lines.append("")
    lines.append(
        "| Skenario | Perubahan | Ditempatkan | Selisih | Jarak rata-rata / p90 (km) "
        "| Tempat terpakai | Akses perempuan |"
    )
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for o in cmp.outcomes():
        diff = "–" if o is base else signed(o.placed - base.placed)
        lines.append(
            f"| {'dasar' if o is base else o.name} | {o.description} "
            f"| {o.placed} ({pct(o.placed / o.clients if o.clients else 0.0)}) | {diff} "
            f"| {num(o.mean_km)} / {num(o.p90_km)} | {o.used}/{o.places} "
            f"| {pct(o.women_access, 0)} |"
        )
    lines.append("")
    worst = sorted(base.areas, key=lambda a: (-a.unplaced, a.name))[:3]
    best = best_scenario(study)
    summary = (
        f"**Yang berubah.** Saat ini {base.unplaced} klien belum dapat ditempatkan "
        f"({_reasons(base)}); terbanyak di "
        + ", ".join(f"{a.name} ({a.unplaced} dari {a.clients})" for a in worst)
        + "."
    )
    if best is not None:
        gain = best.placed - base.placed
        summary += (
            f" Skenario terbaik, **{best.name}**, menempatkan {signed(gain)} klien "
            f"({base.placed} → {best.placed}), jarak rata-rata {num(base.mean_km)} → "
            f"{num(best.mean_km)} km."
        )
        losers = [o for o in cmp.scenarios if o.placed < base.placed]
        for o in losers:
            summary += f" Sebaliknya, **{o.name}** mengurangi {base.placed - o.placed} penempatan."
    lines.append(summary)
    lines.append("")
    if study.facility is not None:
        f = study.facility
        names = {c.site_id: c.name for c in study.candidates}
        chosen = ", ".join(f"{names.get(s, s)} ({f.served.get(s, 0)} klien)" for s in f.chosen)
        lines.append(
            f"**Lokasi baru.** Dari {f.candidates} titik calon, {f.p} lokasi baru "
            f"yang paling banyak menambah penempatan (dihitung optimal, status {f.status}): "
            f"{chosen}. Hasilnya {f.baseline_placed} → {f.placed} klien ditempatkan "
            f"({signed(f.placed - f.baseline_placed)})."
        )
        lines.append("")
    if study.marginal:
        top = [m for m in study.marginal if m.placed_gain > 0][:5] or list(study.marginal[:5])
        site_name = {s.site_id: s.name for s in base.sites}
        parts = []
        for m in top:
            extra = f"+{m.placed_gain} klien" if m.placed_gain else f"hemat {num(m.km_saved)} km"
            parts.append(f"{site_name.get(m.site_id, m.site_id)} ({m.site_id}, {extra})")
        checked = sum(1 for m in study.marginal if m.checked)
        agree = sum(1 for m in study.marginal if m.agrees)
        lines.append(
            "**Satu tempat tambahan paling membantu di:** "
            + "; ".join(parts)
            + f". ({agree} dari {checked} lokasi teratas diperiksa ulang dengan optimasi penuh "
            "dan hasilnya sama.)"
        )
        lines.append("")
    if study.simulations:
        sims = study.simulations
        first = sims[0].runs[0] if sims[0].runs else None
        arrived = first.arrival.size if first is not None else 0
        lines.append(
            f"**Enam bulan ke depan (simulasi harian).** {arrived} putusan baru datang dalam "
            f"{inputs.get('simulation_days', 182)} hari (acak Poisson per kecamatan, "
            f"{num(float(inputs.get('arrivals_per_day', 0.0)))} per hari kerja); "
            "klien mulai bekerja, menyelesaikan jamnya pada hari kerja bersama "
            "(bukan hari libur nasional), lalu tempatnya bebas kembali."
        )
        lines.append("")
        lines.append(
            "| Skenario | Cara penempatan | Ditempatkan | Selesai tepat waktu | Tunggu rata-rata "
            "(hari) | Hari-klien tanpa tempat | Pemakaian rata-rata | Terhadap optimum |"
        )
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
        for pc in sims:
            for r in pc.runs:
                got = r.metrics()
                share = pc.share_of_optimum(r)
                versus = "–"
                if share is not None:
                    versus = f"{num(share[0])}%" if share[0] == share[1] else f"≥ {num(share[0])}%"
                lines.append(
                    f"| {'dasar' if pc.scenario == 'base' else pc.scenario} "
                    f"| {POLICY_NAMES.get(r.policy, r.policy)} "
                    f"| {got['placed']}/{got['arrived']} "
                    f"| {pct(got['share_finished_by_deadline'])} "
                    f"| {num(got['waiting_days_mean'])} | {got['client_days_without_place']} "
                    f"| {pct(got['utilisation_mean'], 0)} | {versus} |"
                )
        h = sims[0].hindsight
        first_name = "dasar" if sims[0].scenario == "base" else sims[0].scenario
        if h is not None:
            lines.append("")
            lines.append(
                f"*Optimum = penempatan terbaik bila seluruh putusan enam bulan sudah diketahui "
                f"sejak awal (skenario {first_name}: antara {h.lower} dan {h.upper} "
                "klien; batas atas dihitung tepat dengan aliran jaringan). "
                "'≥' berarti persentase terhadap batas atas, jadi angka sebenarnya "
                "mungkin lebih tinggi.*"
            )
        lines.append("")
    lines.append(
        "*Catatan: data sintetis yang menyerupai Kabupaten Banyumas, bukan data klien nyata; "
        "jarak adalah perkiraan jalan (garis lurus × faktor jalan). Hitungan dapat diulang "
        "dengan berkas skenario yang sama.*"
    )
    return "\n".join(lines) + "\n"
