"""Commands load their modules only when used: the root help lists them from ``COMMANDS``, and
neither ``--help`` nor ``match`` imports the web service, the database, plotting or planning."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from api.cli.app import COMMANDS, app, load_command

HEAVY = (
    "fastapi",
    "sqlalchemy",
    "matplotlib",
    "matcher.planning",
    "pandas",
    "ortools.sat",
    "scipy",
)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_root_help_texts_are_the_commands_own(name: str):
    """The root help's texts are the ones each command is built with (``match.HELP`` for the
    commands of match.py), and loading a command gives a command of that name."""
    from api.cli import match

    if COMMANDS[name].module == "api.cli.match":
        assert COMMANDS[name].help == match.HELP[name]
    assert load_command(name) is not None


def test_root_help_lists_every_command_and_unknown_names_get_a_hint():
    """`--help` shows all commands in order; a typo names the closest command."""
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0
    positions = [r.output.index(f" {n} ") for n in COMMANDS]
    assert positions == sorted(positions)
    r = CliRunner().invoke(app, ["mtch"])
    assert r.exit_code == 2 and "Did you mean 'match'?" in r.output


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys, json\n"
        "from api.cli.app import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "sys.stderr.write('MODULES' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return set(json.loads(done.stderr.split("MODULES", 1)[1]))


def test_help_and_match_import_nothing_heavy(tmp_path: Path):
    """`--help` and a `match` (with co-offenders) leave FastAPI, SQLAlchemy, matplotlib,
    planning, pandas, CP-SAT and scipy unloaded (scipy only for large inputs or regions)."""
    from matcher.planning.synthetic import generate_district, write_district

    write_district(generate_district(clients=200, sites=40, seed=11), tmp_path)
    out = tmp_path / "r.json"
    match = ["match", "--sites", str(tmp_path / "sites.geojson")]
    match += ["--clients", str(tmp_path / "clients.csv"), "--out", str(out), "-q"]
    for args in (["--help"], match):
        loaded = _modules_after(args)
        assert not [m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(HEAVY)], args
    # compact by default, and the alternatives per placement are there
    text = out.read_bytes()
    assert b"\n" not in text.rstrip(b"\n")
    doc = orjson.loads(text)
    assert any(p["alternatives"] for p in doc["placements"])


def test_indent_writes_the_same_result_for_people(tmp_path: Path):
    """`--indent` changes whitespace only."""
    from matcher.planning.synthetic import generate_district, write_district

    write_district(generate_district(clients=80, sites=20, seed=4), tmp_path)
    files = ["--sites", str(tmp_path / "sites.geojson"), "--clients", str(tmp_path / "clients.csv")]
    runner = CliRunner()
    for name, extra in (("a.json", []), ("b.json", ["--indent"])):
        r = runner.invoke(app, ["match", *files, "--out", str(tmp_path / name), "-q", *extra])
        assert r.exit_code == 0, r.output
    a = json.loads((tmp_path / "a.json").read_text())
    b = json.loads((tmp_path / "b.json").read_text())
    a["summary"].pop("runtime_s"), b["summary"].pop("runtime_s")
    assert a == b
    assert (tmp_path / "b.json").read_text().startswith('{\n  "summary"')
