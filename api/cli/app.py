"""The ``penempatan`` command line: the root app and where each command lives.

match.py     generate, match, suggest, demo, template
planning.py  simulate (the planning study)
service.py   serve, migrate, token
worker.py    worker (runs the jobs)

Exit codes: 0 success, 2 bad input (every problem on its own line, naming the file, the row or
feature, the field, the value and the rule).

Each command's module is imported only when that command runs (or shows its own help): a person
waits for ``penempatan --help`` or a small ``match``, and FastAPI, SQLAlchemy, matplotlib and the
planning code cost seconds to import. The root help lists the commands from ``COMMANDS`` below
(``tests/api/cli/test_lazy_commands.py`` checks the texts against ``match.HELP``).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from api.cli.console import detect_lang, set_lang, tr


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a command lives: ``module.attr`` is a function (a command) or a ``typer.Typer``
    (a group); ``help`` is its help in Indonesian and English."""

    module: str
    attr: str
    help: tuple[str, str]


COMMANDS: dict[str, LazyCommand] = {
    "match": LazyCommand(
        "api.cli.match",
        "match",
        (
            "Tempatkan satu kohort secara optimal dan tulis hasilnya (JSON; juga CSV, GeoJSON, "
            "XLSX).",
            "Place a cohort optimally and write the result (JSON; also CSV, GeoJSON, XLSX).",
        ),
    ),
    "suggest": LazyCommand(
        "api.cli.match",
        "suggest",
        (
            "Lokasi yang memenuhi syarat untuk satu klien, berperingkat, dan alasan lokasi lain "
            "ditolak (tidak ada yang disimpan).",
            "Ranked eligible sites for one client, and why the other sites were rejected "
            "(nothing is saved).",
        ),
    ),
    "generate": LazyCommand(
        "api.cli.match",
        "generate",
        (
            "Tulis kabupaten sintetis (ber-seed): sites.geojson, clients.csv, kecamatan.geojson.",
            "Write a seeded synthetic district: sites.geojson, clients.csv, kecamatan.geojson.",
        ),
    ),
    "demo": LazyCommand(
        "api.cli.match",
        "demo",
        (
            "Buat kabupaten Banyumas sintetis, tempatkan kliennya secara optimal, jelaskan dan "
            "petakan.",
            "Generate the seeded Banyumas district, place its clients optimally, explain and "
            "map it.",
        ),
    ),
    "template": LazyCommand(
        "api.cli.match",
        "template",
        (
            "Tulis buku kerja Excel untuk lokasi atau klien, dengan daftar pilihan nilai dan "
            "lembar penjelasan (kosong, atau diisi dari berkas dengan --from).",
            "Write an Excel workbook for sites or clients, with drop-down lists and a sheet "
            "explaining the columns (blank, or filled from a file with --from).",
        ),
    ),
    "serve": LazyCommand(
        "api.cli.service",
        "serve",
        (
            "Migrasi basis data, isi demo bila diminta, dan jalankan API (dokumentasi di /docs).",
            "Migrate the database, optionally seed the demo, and serve the API (docs at /docs).",
        ),
    ),
    "simulate": LazyCommand(
        "api.cli.planning",
        "simulate",
        (
            "Bandingkan skenario, simulasikan enam bulan, cari lokasi baru; tulis JSON, GeoJSON, "
            "PNG dan ringkasan.",
            "Compare scenarios, simulate six months, find new sites; write JSON, GeoJSON, PNG, "
            "brief.",
        ),
    ),
    "migrate": LazyCommand(
        "api.cli.service",
        "migrate",
        (
            "Migrasi basis data ke skema terbaru (Alembic), lalu selesai.",
            "Migrate the database to the latest schema (Alembic), then exit.",
        ),
    ),
    "worker": LazyCommand(
        "api.cli.worker",
        "worker",
        (
            "Jalankan pekerja antrean tugas (kohort besar, studi perencanaan, impor besar).",
            "Run job-queue workers (large cohorts, planning studies, large imports).",
        ),
    ),
    # Typer lists groups after commands
    "token": LazyCommand(
        "api.cli.service", "token_app", ("Token bearer untuk API.", "Bearer tokens for the API.")
    ),
}


def load_command(name: str) -> Any:
    """The click command (or group) of ``name``, importing its module now."""
    spec = COMMANDS[name]
    target = getattr(importlib.import_module(spec.module), spec.attr)
    if isinstance(target, typer.Typer):
        group = typer.main.get_group(target)
        group.help = tr(*spec.help)
        return group
    single = typer.Typer(add_completion=False)
    single.command(name, help=tr(*spec.help))(target)
    return typer.main.get_command(single)


class LazyGroup(TyperGroup):
    """A Typer group that imports a command's module only when that command is used.

    While the root help is being written, each command is a light placeholder carrying its
    one-line help; any other use (running it, its own ``--help``) loads the real command.
    """

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(n for n in COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return TyperCommand(cmd_name, help=tr(*COMMANDS[cmd_name].help))
        cmd = load_command(cmd_name)
        cmd.name = cmd_name
        return cmd

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.core._click.exceptions.UsageError as e:
            matches = get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches and "Did you mean" not in e.message:
                names = ", ".join(f"{m!r}" for m in matches)
                e.message = f"{e.message.rstrip('.')}. Did you mean {names}?"
            raise

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyGroup,
    help=tr(
        "Penempatan: penempatan klien pidana kerja sosial (KUHP Pasal 85) secara optimal.",
        "Penempatan: optimal placement of community-service clients (KUHP Pasal 85).",
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=tr(
                "Bahasa: id (bawaan) atau en; tanpa opsi ini LANG=en... memilih Inggris",
                "Language: id (default) or en; without it LANG=en... selects English",
            ),
        ),
    ] = None,
) -> None:
    # every run decides afresh (tests run several commands in one process)
    set_lang(lang if lang is not None else detect_lang([], os.environ))


def main() -> None:
    app()
