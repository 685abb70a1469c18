"""Named benchmark instances: read from ``instances.toml``, generated on demand into ``cache/``.

The sizes and seeds are in git; the files are not. A cached instance is reused only when the
stamp file next to it records the same parameters and the same generator source (a change to
``matcher/planning/synthetic.py`` regenerates it).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "instances.toml"
CACHE = HERE / "cache"


@dataclass(frozen=True, slots=True)
class Instance:
    """One named size: what to generate and how long the reference solvers may take."""

    name: str
    label: str
    clients: int
    sites: int
    kabupaten: int
    seed: int
    spacing_km: float
    smoke: bool
    cpsat_time_limit_s: float
    cpsat_workers: int
    mip_time_limit_s: float
    lsa_max_cells: int
    project_time_limit_s: float
    end_to_end: bool = False

    @property
    def size(self) -> str:
        return f"{self.clients:,} x {self.sites:,}"

    def params(self) -> dict[str, Any]:
        """What the files depend on (not the solver limits)."""
        keys = ("clients", "sites", "kabupaten", "seed", "spacing_km")
        return {k: v for k, v in asdict(self).items() if k in keys}


def load_catalogue(path: Path = CATALOGUE) -> list[Instance]:
    """All instances in file order, defaults filled in."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    defaults = doc.get("defaults", {})
    out = []
    for entry in doc["instance"]:
        values = {**defaults, "smoke": False, **entry}
        out.append(Instance(**values))
    return out


def select(names: list[str] | None, smoke: bool) -> list[Instance]:
    """The instances named (in catalogue order), or the smoke ones, or all (but the
    ``end_to_end`` ones, which only ``benchmarks.end_to_end`` runs unless named)."""
    catalogue = load_catalogue()
    if names:
        known = {i.name for i in catalogue}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise SystemExit(f"unknown instance(s) {unknown}; known: {sorted(known)}")
        return [i for i in catalogue if i.name in names]
    return [i for i in catalogue if (i.smoke or not smoke) and not i.end_to_end]


def _generator_digest() -> str:
    # the generator moved to matcher/planning/synthetic.py (with its site profiles) on main
    src = HERE.parent / "matcher" / "planning" / "synthetic.py"
    data = HERE.parent / "matcher" / "planning" / "data"
    h = hashlib.sha256(src.read_bytes())
    for f in sorted(data.glob("*")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def ensure(inst: Instance, cache: Path = CACHE) -> Path:
    """The folder holding ``sites.geojson`` and ``clients.csv`` for ``inst``, generated if
    missing or stale. Returns the folder."""
    folder = cache / f"{inst.name}-{inst.seed}"
    stamp = folder / "stamp.json"
    want = {**inst.params(), "generator": _generator_digest()}
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == want:
        return folder
    from matcher.planning.synthetic import generate_district, generate_region, write_district

    if inst.kabupaten == 1:
        d = generate_district(
            district="banyumas", clients=inst.clients, sites=inst.sites, seed=inst.seed
        )
    else:
        d = generate_region(
            kabupaten=inst.kabupaten,
            clients=inst.clients,
            sites=inst.sites,
            seed=inst.seed,
            spacing_km=inst.spacing_km,
        )
    write_district(d, folder)
    stamp.write_text(json.dumps(want, sort_keys=True) + "\n", encoding="utf-8")
    return folder
