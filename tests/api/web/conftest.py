"""A live server with the demo district for the browser tests, and Debian's Chromium driven by
Playwright. Without /usr/bin/chromium the tests are skipped and the run says so at the end."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from live import CENTRE, LiveServer, client_for

from api.auth import issue_token
from api.services.demo import DEMO_BAPAS, seed_demo, seed_demo_users
from api.services.users import add_user
from api.storage.migrate import upgrade
from api.storage.models import BapasRow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_NOTICE = (
    f"Browser tests SKIPPED: Debian's Chromium is not at {CHROMIUM} "
    "(as root: apt-get install -y chromium; .ci/run installs it)."
)
_skipped: list[str] = []


def chromium_present() -> bool:
    return Path(CHROMIUM).exists() and shutil.which("chromium") is not None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped:
        terminalreporter.write_sep("!", SKIP_NOTICE, yellow=True, bold=True)


TODAY = dt.date.today()
OTHER_PASSWORD = "cilacap-password-1"


@dataclass
class Demo:
    server: LiveServer
    passwords: dict[str, str]  # user name -> password
    tokens: dict[str, str]
    ids: dict[str, str]

    @property
    def url(self) -> str:
        return self.server.url


def _prepare(server: LiveServer) -> tuple[dict[str, str], dict[str, str]]:
    db = server.database()
    upgrade(db)
    seed_demo(db)
    passwords = {name: pw for name, _, pw in seed_demo_users(db)}
    with db.writing() as s:
        s.add(BapasRow(bapas_id="cilacap", name="Bapas Cilacap", sites_version=0))
        s.flush()
        add_user(
            s,
            username="pk.cilacap",
            password=OTHER_PASSWORD,
            role="officer",
            bapas_id="cilacap",
            display_name="PK Cilacap",
        )
    passwords["pk.cilacap"] = OTHER_PASSWORD
    tokens = {
        "officer": issue_token(db, role="officer", bapas_id=DEMO_BAPAS[0])[1],
        "planner": issue_token(db, role="planner", bapas_id=DEMO_BAPAS[0])[1],
    }
    db.dispose()
    return passwords, tokens


def _client(client_id: str, lat: float, lon: float, **fields: Any) -> dict[str, Any]:
    start = TODAY - dt.timedelta(days=10)
    return {
        "client_id": client_id,
        "lat": lat,
        "lon": lon,
        "gender": "male",
        "offence": "traffic",
        "hours": 40,
        "hours_per_day": 4,
        "start_date": start.isoformat(),
        "deadline": (start + dt.timedelta(days=120)).isoformat(),
        "available_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "fitness": "moderate",
        **fields,
    }


def _site(site_id: str, lat: float, lon: float, capacity: int) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "name": f"Balai Desa {site_id}",
        "kind": "village_office",
        "lat": lat,
        "lon": lon,
        "capacity": capacity,
        "open_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "hours_per_day": 8,
        "work_types": ["cleaning"],
        "district": "banyumas",
        "subdistrict": "Purwokerto Barat",
    }


def _through_api(server: LiveServer, tokens: dict[str, str]) -> dict[str, str]:
    """The day's cast, made through the API as programs do (bearer tokens keep working): a new
    client to place, a site with one place for the race, and a placement at risk."""
    lat, lon = CENTRE
    officer = client_for(server, tokens["officer"])
    planner = client_for(server, tokens["planner"])
    for body in (
        _site("RACE-1", lat + 0.05, lon + 0.05, 1),
        _site("RISK-1", lat - 0.05, lon + 0.05, 2),
    ):
        assert planner.post("/v1/sites", json=body).status_code == 201
    start = TODAY - dt.timedelta(days=100)
    clients = [
        _client("K-WEB-1", lat + 0.001, lon + 0.001, skills=["cleaning"]),
        _client("K-RACE-A", lat + 0.05, lon + 0.05),
        _client("K-RACE-B", lat + 0.0501, lon + 0.0501),
        # 40 hours, 4 a day, and five days before the deadline: at risk once placed.
        _client(
            "K-RISK-1",
            lat - 0.05,
            lon + 0.05,
            start_date=start.isoformat(),
            deadline=(TODAY + dt.timedelta(days=5)).isoformat(),
        ),
    ]
    for body in clients:
        r = officer.post("/v1/clients", json=body)
        assert r.status_code == 201, r.text
    r = officer.post("/v1/placements", json={"client_id": "K-RISK-1", "site_id": "RISK-1"})
    assert r.status_code == 201, r.text
    assert officer.post(f"/v1/placements/{r.json()['placement_id']}/confirm").status_code == 200
    officer.close()
    planner.close()
    return {"client": "K-WEB-1", "race_site": "RACE-1", "risk_client": "K-RISK-1"}


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    if not chromium_present():
        _skipped.append("chromium")
        pytest.skip(SKIP_NOTICE)
    tmp = tmp_path_factory.mktemp("web")
    server = LiveServer(
        f"sqlite:///{tmp / 'penempatan.db'}",
        tmp / "server.log",
        queue_url=f"sqlite:///{tmp / 'queue.db'}",
    )
    passwords, tokens = _prepare(server)
    server.start()
    try:
        ids = _through_api(server, tokens)
        yield Demo(server, passwords, tokens, ids)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(demo: Demo) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/ when PENEMPATAN_SCREENSHOTS=docs, else a temporary folder."""
    target = os.environ.get("PENEMPATAN_SCREENSHOTS")
    return Path(target) if target else tmp_path
