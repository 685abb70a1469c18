"""``penempatan serve`` and ``penempatan token create`` (registered by ``api.cli``).

``serve`` migrates the database, seeds the demo Banyumas district when asked (``--demo``) and
the database has no Bapas yet, prints demo tokens, and starts uvicorn.
"""

from __future__ import annotations

import logging

import typer
from sqlalchemy import func, select

from api.auth import issue_token
from api.services.records import client_record, site_record
from api.settings import get_settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import ROLES, BapasRow, ClientRow, SiteRow

service_app = typer.Typer(help="Run the API service.", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens for the API.", no_args_is_help=True)

DEMO_BAPAS = ("purwokerto", "Bapas Kelas II Purwokerto")
DEMO_SEED = 2026

log = logging.getLogger("penempatan.api")


@service_app.callback()
def _service() -> None:
    """Run the API service (a group, so that `serve` stays a sub-command)."""


@token_app.callback()
def _tokens() -> None:
    """Bearer tokens for the API (a group, so that `create` stays a sub-command)."""


def seed_demo(db: Database, *, clients: int = 300, sites: int = 60, seed: int = DEMO_SEED) -> bool:
    """Fill an empty database with the synthetic Banyumas district; False if it had data."""
    from geo.synth import generate_district
    from matcher.validate import parse_client, parse_site

    with db.reading() as s:
        if s.scalar(select(func.count()).select_from(BapasRow)):
            return False
    district = generate_district(district="banyumas", clients=clients, sites=sites, seed=seed)
    bapas_id, name = DEMO_BAPAS
    with db.writing() as s:
        s.add(BapasRow(bapas_id=bapas_id, name=name, sites_version=1))
        s.flush()
        for i, values in enumerate(district.sites):
            site, problems = parse_site(values, f"demo site {i}")
            if site is None:
                raise RuntimeError(f"demo data does not validate: {problems[0]}")
            s.add(
                SiteRow(
                    site_id=site.site_id,
                    bapas_id=bapas_id,
                    name=site.name,
                    kind=site.kind,
                    subdistrict=site.subdistrict,
                    lat=site.lat,
                    lon=site.lon,
                    capacity=site.capacity,
                    active=True,
                    record=site_record(site),
                )
            )
        s.flush()
        for i, values in enumerate(district.clients):
            client, problems = parse_client(
                {k: v for k, v in values.items() if k != "current_site_id"}, f"demo client {i}"
            )
            if client is None:
                raise RuntimeError(f"demo data does not validate: {problems[0]}")
            s.add(
                ClientRow(
                    client_id=client.client_id,
                    bapas_id=bapas_id,
                    hours=client.hours,
                    hours_per_day=client.hours_per_day,
                    start_date=client.start_date,
                    deadline=client.deadline,
                    record=client_record(client, {}),
                )
            )
    return True


DEMO_USERS = (
    ("pk.sari", "officer", DEMO_BAPAS[0], "Sari (PK)"),
    ("perencana.budi", "planner", DEMO_BAPAS[0], "Budi (perencana)"),
    ("admin", "admin", None, "Admin"),
)


def seed_demo_users(db: Database) -> list[tuple[str, str, str]]:
    """The demo's users (officer, planner, admin) with new random passwords: (name, role, pw)."""
    from api.services.users import add_user, new_password

    made = []
    with db.writing() as s:
        for username, role, bapas_id, display in DEMO_USERS:
            password = new_password()
            add_user(
                s,
                username=username,
                password=password,
                role=role,
                bapas_id=bapas_id,
                display_name=display,
            )
            made.append((username, role, password))
    return made


@service_app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port"),
    demo: bool = typer.Option(False, "--demo", help="seed the demo district into an empty DB"),
    workers: int = typer.Option(1, help="uvicorn worker processes (1 suits SQLite best)"),
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
    run(host, port, workers)


@token_app.command("create")
def create_token(
    role: str = typer.Option(..., help=f"one of {', '.join(ROLES)}"),
    bapas: str | None = typer.Option(None, help="the Bapas (required for officer and planner)"),
    label: str = typer.Option("", help="a note on whose token this is"),
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
