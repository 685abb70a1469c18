"""The ``penempatan`` command line: the root app and where each command lives.

match.py     generate, match, suggest, demo
planning.py  simulate (the planning study)
attendance.py calendar (a placement's work calendar, attendance, letters)
service.py   serve, token

Exit codes: 0 success, 2 bad input (every problem on its own line, naming the file, the row or
feature, the field, the value and the rule).
"""

from __future__ import annotations

import typer

from api.cli import attendance, match, planning, service

app = typer.Typer(
    help="Penempatan: penempatan klien pidana kerja sosial (KUHP Pasal 85) secara optimal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(match.match)
app.command()(match.suggest)
app.command()(match.generate)
app.command()(match.demo)
app.command("serve")(service.serve)
app.add_typer(service.token_app, name="token")
app.command("simulate")(planning.simulate)
app.command("calendar")(attendance.calendar)


def main() -> None:
    app()
