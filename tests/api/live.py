"""A real server for the tests: uvicorn in a subprocess on a free loopback port, a real SQLite
file in a temporary folder, and builders for sites and clients of the data contract."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from api.auth import issue_token
from api.settings import Settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import BapasRow

ROOT = Path(__file__).resolve().parents[2]
ALL_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CENTRE = (-7.4245, 109.2302)  # Purwokerto
TODAY = dt.date.today()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``uvicorn api.main:app`` against ``db_path``; ``stop()`` then ``start()`` restarts it."""

    def __init__(self, db_path: Path, log_path: Path, **env: str):
        self.db_path = db_path
        self.log_path = log_path
        self.url_db = f"sqlite:///{db_path}"
        self.env = {**os.environ, "PENEMPATAN_DATABASE_URL": self.url_db, **env}
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def database(self) -> Database:
        return Database(Settings(database_url=self.url_db))

    def start(self, timeout: float = 90.0) -> None:
        """Start on a new free port, or on the same port again after ``stop()``."""
        self.port = self.port or free_port()
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not become ready")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


def prepare_database(server: LiveServer, bapas: dict[str, str]) -> dict[str, str]:
    """Migrate, add the Bapas, and issue one token per (role, Bapas); returns name -> secret."""
    db = server.database()
    upgrade(db)
    with db.writing() as s:
        for bapas_id, name in bapas.items():
            s.add(BapasRow(bapas_id=bapas_id, name=name, sites_version=0))
    tokens = {"admin": issue_token(db, role="admin", bapas_id=None)[1]}
    for bapas_id in bapas:
        tokens[f"admin_{bapas_id}"] = issue_token(db, role="admin", bapas_id=bapas_id)[1]
        for role in ("officer", "planner"):
            tokens[f"{role}_{bapas_id}"] = issue_token(db, role=role, bapas_id=bapas_id)[1]
    db.dispose()
    return tokens


BAPAS = {
    "purwokerto": "Bapas Purwokerto",
    "cilacap": "Bapas Cilacap",
    "fuzz": "Bapas of the schema fuzzer (nothing else lives there)",
}


class Env:
    """The running server and its tokens (by name: ``admin``, ``officer_purwokerto``, ...)."""

    def __init__(self, server: LiveServer, tokens: dict[str, str]):
        self.server = server
        self.tokens = tokens

    def as_(self, name: str | None, **headers: str) -> httpx.Client:
        return client_for(self.server, self.tokens[name] if name else None, **headers)


def client_for(server: LiveServer, token: str | None, **headers: str) -> httpx.Client:
    h = dict(headers)
    if token is not None:
        h["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=server.url, headers=h, timeout=60.0)


def site(site_id: str, dlat: float = 0.0, dlon: float = 0.0, **fields: Any) -> dict[str, Any]:
    """A light, approved, non-commercial site near Purwokerto, open Monday to Saturday."""
    return {
        "site_id": site_id,
        "name": f"Lokasi {site_id}",
        "kind": "village_office",
        "lat": CENTRE[0] + dlat,
        "lon": CENTRE[1] + dlon,
        "capacity": 3,
        "open_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
        "hours_per_day": 8,
        "work_types": ["cleaning", "administration"],
        "subdistrict": "Purwokerto Barat",
        **fields,
    }


def client(client_id: str, dlat: float = 0.0, dlon: float = 0.0, **fields: Any) -> dict[str, Any]:
    """A client whose order started ten days ago: 40 hours, 4 a day, four months to finish."""
    start = TODAY - dt.timedelta(days=10)
    return {
        "client_id": client_id,
        "lat": CENTRE[0] + dlat,
        "lon": CENTRE[1] + dlon,
        "gender": "male",
        "offence": "traffic",
        "hours": 40,
        "hours_per_day": 4,
        "start_date": start.isoformat(),
        "deadline": (start + dt.timedelta(days=120)).isoformat(),
        "available_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
        "fitness": "moderate",
        **fields,
    }


def last_workday(day: dt.date | None = None) -> dt.date:
    """The last day on or before ``day`` (default today) that is no public holiday: with a site
    and a client of ``ALL_WEEK``, a day the work calendar allows."""
    from matcher.calendar import is_holiday

    d = day or TODAY
    while is_holiday(d):
        d -= dt.timedelta(days=1)
    return d


def backdate(server: LiveServer, placement_id: int, day: dt.date) -> None:
    """Set a placement's confirmation day (the service never back-dates one itself)."""
    from sqlalchemy import update

    from api.storage.models import PlacementRow

    db = server.database()
    with db.writing() as s:
        s.execute(
            update(PlacementRow)
            .where(PlacementRow.placement_id == placement_id)
            .values(confirmed_at=dt.datetime.combine(day, dt.time(8)))
        )
    db.dispose()
