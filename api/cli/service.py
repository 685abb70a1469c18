"""``penempatan serve`` and ``penempatan token create`` (registered by ``api.cli``).

``serve`` migrates the database, seeds the demo Banyumas district when asked (``--demo``) and
the database has no Bapas yet, prints demo tokens, starts one job worker (``penempatan worker``,
unless ``--job-workers 0``: then run workers yourself) and uvicorn.
"""

from __future__ import annotations

import logging
import subprocess
import sys

import typer

from api.auth import issue_token
from api.cli.console import tr
from api.services.demo import DEMO_BAPAS, seed_demo, seed_demo_users
from api.settings import get_settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import ROLES, BapasRow

service_app = typer.Typer(help="Run the API service.", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens for the API.", no_args_is_help=True)


log = logging.getLogger("penempatan.api")


@service_app.callback()
def _service() -> None:
    """Run the API service (a group, so that `serve` stays a sub-command)."""


@token_app.callback()
def _tokens() -> None:
    """Bearer tokens for the API (a group, so that `create` stays a sub-command)."""


@service_app.command("serve")
def serve(
    host: str = typer.Option(
        "127.0.0.1", help=tr("alamat yang didengarkan", "address to listen on")
    ),
    port: int = typer.Option(8000, help=tr("porta", "port")),
    demo: bool = typer.Option(
        False,
        "--demo",
        help=tr(
            "isi kabupaten demo ke basis data kosong", "seed the demo district into an empty DB"
        ),
    ),
    workers: int = typer.Option(
        1,
        help=tr(
            "proses pekerja uvicorn (1 paling cocok untuk SQLite)",
            "uvicorn worker processes (1 suits SQLite best)",
        ),
    ),
    job_workers: int = typer.Option(
        1,
        min=0,
        help=tr(
            "pekerja antrean tugas di samping API (0: jalankan `penempatan worker` sendiri)",
            "job workers started beside the API (0: run `penempatan worker` yourself)",
        ),
    ),
) -> None:
    """Migrate the database, optionally seed the demo, and serve the API (docs at /docs)."""
    from api.server import run

    settings = get_settings()
    db = Database(settings)
    upgrade(db)
    if demo:
        if seed_demo(db):
            typer.echo(f"Seeded the demo: Bapas {DEMO_BAPAS[0]}, Banyumas (60 sites, 300 clients).")
            typer.echo(
                f"Sign in at http://{host}:{port}/ (passwords shown once; stored only as hashes):"
            )
            for username, role, password in seed_demo_users(db):
                typer.echo(f"  {role:<8} user {username:<15} password {password}")
        _, officer = issue_token(db, role="officer", bapas_id=DEMO_BAPAS[0], label="demo")
        _, planner = issue_token(db, role="planner", bapas_id=DEMO_BAPAS[0], label="demo")
        _, admin = issue_token(db, role="admin", bapas_id=None, label="demo")
        typer.echo("Demo tokens (shown once; stored only as hashes):")
        typer.echo(f"  officer  {officer}")
        typer.echo(f"  planner  {planner}")
        typer.echo(f"  admin    {admin}")
        typer.echo(f"  export TOKEN={officer}")
    db.dispose()
    typer.echo(f"Serving on http://{host}:{port} (docs: http://{host}:{port}/docs)")
    jobs = [
        subprocess.Popen([sys.executable, "-m", "api.cli", "worker"]) for _ in range(job_workers)
    ]
    if jobs:
        typer.echo(f"{len(jobs)} job worker(s) on the queue {settings.queue_url}")
    try:
        run(host, port, workers)
    finally:
        for p in jobs:
            p.terminate()
        for p in jobs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


@service_app.command("migrate")
def migrate() -> None:
    """Bring the database (PENEMPATAN_DATABASE_URL) to the newest schema, then exit; run it once
    after an upgrade, before starting the new API and workers."""
    from sqlalchemy import text

    db = Database(get_settings())
    upgrade(db)
    with db.reading() as s:
        version = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.dispose()
    typer.echo(f"database at revision {version}")


@token_app.command("create")
def create_token(
    role: str = typer.Option(
        ..., help=tr(f"salah satu dari {', '.join(ROLES)}", f"one of {', '.join(ROLES)}")
    ),
    bapas: str | None = typer.Option(
        None,
        help=tr(
            "Bapas-nya (wajib untuk officer dan planner)",
            "the Bapas (required for officer and planner)",
        ),
    ),
    label: str = typer.Option(
        "", help=tr("catatan milik siapa token ini", "a note on whose token this is")
    ),
) -> None:
    """Create a token and print it once (the database keeps only its hash)."""
    if role not in ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(ROLES)}", param_hint="--role")
    if role != "admin" and bapas is None:
        raise typer.BadParameter(f"a {role} token needs --bapas", param_hint="--bapas")
    db = Database(get_settings())
    upgrade(db)
    if bapas is not None:
        with db.reading() as s:
            known = s.get(BapasRow, bapas) is not None
        if not known:
            db.dispose()
            typer.echo(
                f"Unknown Bapas {bapas!r}: run `penempatan serve --demo` once, or add it with "
                "POST /v1/bapas using an admin token.",
                err=True,
            )
            raise typer.Exit(2)
    token_id, secret = issue_token(db, role=role, bapas_id=bapas, label=label)
    db.dispose()
    typer.echo(f"token {token_id}: role {role}, Bapas {bapas or 'all'} (shown once)", err=True)
    typer.echo(secret)
