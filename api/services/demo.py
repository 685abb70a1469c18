"""The demo district: an empty database filled once with the synthetic Banyumas district."""

from __future__ import annotations

from sqlalchemy import func, select

from api.services.records import new_client_row, new_site_row
from api.storage.db import Database
from api.storage.models import BapasRow
from matcher.planning.synthetic import generate_district
from matcher.validate import parse_client, parse_site

DEMO_BAPAS = ("purwokerto", "Bapas Kelas II Purwokerto")
DEMO_SEED = 2026


def seed_demo(db: Database, *, clients: int = 300, sites: int = 60, seed: int = DEMO_SEED) -> bool:
    """Fill an empty database with the synthetic Banyumas district; False if it had data."""
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
            s.add(new_site_row(site, bapas_id))
        s.flush()
        for i, values in enumerate(district.clients):
            client, problems = parse_client(
                {k: v for k, v in values.items() if k != "current_site_id"}, f"demo client {i}"
            )
            if client is None:
                raise RuntimeError(f"demo data does not validate: {problems[0]}")
            s.add(new_client_row(client, bapas_id, {}))
    return True


DEMO_USERS = (
    ("pk.sari", "officer", DEMO_BAPAS[0], "Sari (PK)"),
    ("perencana.budi", "planner", DEMO_BAPAS[0], "Budi (perencana)"),
    ("admin", "admin", None, "Admin"),
)


def seed_demo_users(db: Database) -> list[tuple[str, str, str]]:
    """The demo's users (officer, planner, admin) with new random passwords: (name, role,
    password). The passwords are returned once, to be printed; the database keeps hashes."""
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
