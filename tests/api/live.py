"""A real server for the tests: uvicorn in a subprocess on a free loopback port, a job worker
(``penempatan worker``) in another, a fresh database (a SQLite file in a temporary folder, or,
when ``PENEMPATAN_TEST_DATABASE_URL`` names a PostgreSQL server, a new database there that is
dropped afterwards), and builders for sites and clients of the data contract."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from api.auth import issue_token
from api.settings import Settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import BapasRow

ROOT = Path(__file__).resolve().parents[2]
CENTRE = (-7.4245, 109.2302)  # Purwokerto
TODAY = dt.date.today()
TEST_DATABASE_URL = "PENEMPATAN_TEST_DATABASE_URL"
REDIS_URL = "redis://127.0.0.1:6379/0"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def answers(host: str, port: int) -> bool:
    """Whether a server accepts connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def postgres_url() -> str:
    """The PostgreSQL server for tests that need one: ``PENEMPATAN_TEST_DATABASE_URL``, else the
    local server if one answers on 127.0.0.1:5432; skips the test (saying why) otherwise."""
    url = os.environ.get(TEST_DATABASE_URL, "")
    if url.startswith("postgresql"):
        return url
    if answers("127.0.0.1", 5432):
        return PG_URL
    pytest.skip(
        "needs PostgreSQL: none answers on 127.0.0.1:5432 (set PENEMPATAN_TEST_DATABASE_URL)"
    )


def redis_url() -> str:
    """Redis for tests that need it, or skip (saying why)."""
    if answers("127.0.0.1", 6379):
        return REDIS_URL
    pytest.skip("needs Redis: none answers on 127.0.0.1:6379")


class TestDatabase:
    """A database of its own: a SQLite file in ``folder``, or (``server_url`` a PostgreSQL URL)
    a new database on that server, dropped with everything in it by ``drop()``."""

    __test__ = False  # not a test class

    def __init__(self, folder: Path, server_url: str | None = None, options: str = ""):
        self.name: str | None = None
        self.server_url = server_url
        if not server_url:
            self.url = f"sqlite:///{folder / 'penempatan.db'}"
            return
        self.name = f"penempatan_test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{self.name}" {options}')
        self.url = make_url(server_url).set(database=self.name).render_as_string(False)

    @property
    def is_postgres(self) -> bool:
        return self.name is not None

    def _admin(self, sql: str) -> None:
        import psycopg

        assert self.server_url is not None
        conninfo = make_url(self.server_url).set(drivername="postgresql").render_as_string(False)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.encode())

    def drop(self) -> None:
        if self.name is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.name = None


def session_database(folder: Path) -> TestDatabase:
    """The database of a test session: PostgreSQL when ``PENEMPATAN_TEST_DATABASE_URL`` is set."""
    return TestDatabase(folder, os.environ.get(TEST_DATABASE_URL) or None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``uvicorn api.main:app`` on the database ``url_db``; ``stop()`` then ``start()`` restarts
    it. ``queue_url`` is the job queue it shares with its workers (:class:`LiveWorker`)."""

    def __init__(self, url_db: str, log_path: Path, *, queue_url: str, **env: str):
        self.log_path = log_path
        self.url_db = url_db
        self.queue_url = queue_url
        self.env = {
            **os.environ,
            "PENEMPATAN_DATABASE_URL": self.url_db,
            "PENEMPATAN_QUEUE_URL": queue_url,
            "PENEMPATAN_POOL_SIZE": "10",
            **env,
        }
        self.env.pop(TEST_DATABASE_URL, None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def database(self) -> Database:
        return Database(Settings(database_url=self.url_db, pool_size=2))

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


class LiveWorker:
    """``penempatan worker`` beside a server (same database, same queue); ``kill()`` stops it
    at once (SIGKILL), as a crash or a pulled plug would."""

    def __init__(self, server: LiveServer, log_path: Path, **env: str):
        self.env = {**server.env, **env}
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to the worker and every process of its group (its job's child too)."""
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            self.proc = None


def wait_job(http: httpx.Client, path: str, timeout: float = 120.0) -> dict[str, Any]:
    """Poll a job until it is finished; returns its last state."""
    deadline = time.monotonic() + timeout
    while True:
        r = http.get(path)
        assert r.status_code == 200, r.text
        job: dict[str, Any] = r.json()
        if job["status"] in ("done", "failed", "cancelled") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


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

    def __init__(self, server: LiveServer, tokens: dict[str, str], database: TestDatabase):
        self.server = server
        self.tokens = tokens
        self.database = database

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
