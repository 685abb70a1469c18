"""Schemathesis against the app's own OpenAPI schema, over HTTP, on a server of its own:
no 5xx, and every response (status, content type, body) is the one the schema documents."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from live import LiveServer, client, client_for, prepare_database, site
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from api.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    tmp: Path = tmp_path_factory.mktemp("schema")
    server = LiveServer(tmp / "fuzz.db", tmp / "server.log")
    tokens = prepare_database(server, {"purwokerto": "Bapas Purwokerto"})
    server.start()
    try:
        planner = client_for(server, tokens["planner_purwokerto"])
        officer = client_for(server, tokens["officer_purwokerto"])
        planner.post("/v1/sites", json=site("S1", capacity=2))
        officer.post("/v1/clients", json=client("C1"))
        officer.post("/v1/placements", json={"client_id": "C1", "site_id": "S1"})
        yield server, tokens["admin_purwokerto"]
    finally:
        server.stop()


def _openapi() -> dict[str, Any]:
    """The app's own schema (the app is built, never started: no database is opened)."""
    url = f"sqlite:///{tempfile.gettempdir()}/penempatan-openapi-unused.db"
    return create_app(Settings(database_url=url)).openapi()


# Revoking tokens at random would revoke the fuzzer's own.
schema = schemathesis.openapi.from_dict(_openapi()).exclude(
    path="/v1/tokens/{token_id}", method="DELETE"
)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_matches_its_schema(
    case: schemathesis.Case, fuzz_server: tuple[LiveServer, str]
) -> None:
    server, token = fuzz_server
    response = case.call(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    case.validate_response(response, checks=CHECKS)


def test_openapi_schema_is_served(fuzz_server: tuple[LiveServer, str]) -> None:
    server, _ = fuzz_server
    doc = httpx.get(f"{server.url}/openapi.json").json()
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert httpx.get(f"{server.url}/docs").status_code == 200
