"""The ``penempatan`` command line: the root app and where each command lives.

match.py     generate, match, suggest, demo
planning.py  simulate (the planning study)
service.py   serve, token

Exit codes: 0 success, 2 bad input (every problem on its own line, naming the file, the row or
feature, the field, the value and the rule).

Each command's module is imported only when that command runs (or shows its own help): a person
waits for ``penempatan --help`` or a small ``match``, and FastAPI, SQLAlchemy, matplotlib and the
planning code cost seconds to import. The root help lists the commands from ``COMMANDS`` below
(``tests/api/cli/test_cli.py`` checks each line against the command's own docstring).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a command lives: ``module.attr`` is a function (a command) or a ``typer.Typer``
    (a group); ``help`` is the one line the root help shows."""

    module: str
    attr: str
    help: str


COMMANDS: dict[str, LazyCommand] = {
    "match": LazyCommand(
        "api.cli.match",
        "match",
        "Place a cohort optimally and write the result (JSON, optionally CSV and GeoJSON).",
    ),
    "suggest": LazyCommand(
        "api.cli.match",
        "suggest",
        "Ranked eligible sites for one client, and the other sites' reasons (nothing is written).",
    ),
    "generate": LazyCommand(
        "api.cli.match",
        "generate",
        "Write a seeded synthetic district: sites.geojson, clients.csv, kecamatan.geojson.",
    ),
    "demo": LazyCommand(
        "api.cli.match",
        "demo",
        "Generate the seeded Banyumas district, place its clients optimally, explain and map it.",
    ),
    "serve": LazyCommand(
        "api.cli.service",
        "serve",
        "Migrate the database, optionally seed the demo, and serve the API (docs at /docs).",
    ),
    "simulate": LazyCommand(
        "api.cli.planning",
        "simulate",
        "Compare scenarios, simulate six months, find new sites; write JSON, GeoJSON, PNG, brief.",
    ),
    "token": LazyCommand("api.cli.service", "token_app", "Bearer tokens for the API."),
}


def load_command(name: str) -> Any:
    """The click command (or group) of ``name``, importing its module now."""
    spec = COMMANDS[name]
    target = getattr(importlib.import_module(spec.module), spec.attr)
    if isinstance(target, typer.Typer):
        return typer.main.get_group(target)
    single = typer.Typer(add_completion=False)
    single.command(name)(target)
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
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name].help)
        cmd = load_command(cmd_name)
        cmd.name = cmd_name
        self.commands[cmd_name] = cmd
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
    help="Penempatan: penempatan klien pidana kerja sosial (KUHP Pasal 85) secara optimal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    # A callback makes the app a group even though its commands are registered lazily.
    pass


def main() -> None:
    app()
