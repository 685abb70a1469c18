"""The ``penempatan`` command line: the root app and where each command lives.

match.py     generate, match, suggest, demo, template
planning.py  simulate (the planning study)
attendance.py calendar (a placement's work calendar, attendance, letters)
service.py   serve, token

Exit codes: 0 success, 2 bad input (every problem on its own line, naming the file, the row or
feature, the field, the value and the rule).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from api.cli import attendance, match, planning, service
from api.cli.console import detect_lang, set_lang, tr

app = typer.Typer(
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


app.command(help=tr(*match.HELP["match"]))(match.match)
app.command(help=tr(*match.HELP["suggest"]))(match.suggest)
app.command(help=tr(*match.HELP["generate"]))(match.generate)
app.command(help=tr(*match.HELP["demo"]))(match.demo)
app.command(help=tr(*match.HELP["template"]))(match.template)
app.command(
    "serve",
    help=tr(
        "Migrasi basis data, isi demo bila diminta, dan jalankan API (dokumentasi di /docs).",
        "Migrate the database, optionally seed the demo, and serve the API (docs at /docs).",
    ),
)(service.serve)
app.add_typer(
    service.token_app,
    name="token",
    help=tr("Token bearer untuk API.", "Bearer tokens for the API."),
)
app.command(
    "simulate",
    help=tr(
        "Bandingkan skenario, simulasikan enam bulan, cari lokasi baru; tulis JSON, GeoJSON, "
        "PNG dan ringkasan.",
        "Compare scenarios, simulate six months, find new sites; write JSON, GeoJSON, PNG, brief.",
    ),
)(planning.simulate)
app.command(
    "calendar",
    help=tr(
        "Kalender kerja satu penempatan, kehadiran, surat peringatan, pemberitahuan pelanggaran "
        "dan surat keterangan selesai.",
        "One placement's work calendar, attendance, warning letters, breach notice and "
        "completion statement.",
    ),
)(attendance.calendar)


def main() -> None:
    app()
