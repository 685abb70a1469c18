"""Schemathesis against the app's own OpenAPI schema, over HTTP, in a Bapas of its own:
no 5xx, and every response (status, content type, body) is the one the schema documents."""

from __future__ import annotations

import tempfile
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from live import Env, client, site
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
def fuzz(env: Env) -> tuple[str, str]:
    """The shared server's URL and an admin token of Bapas ``fuzz`` (a site, a client, a
    proposal there, so that some ids exist)."""
    env.as_("planner_fuzz").post("/v1/sites", json=site("FZ-S1", 1.0, 1.0, capacity=2))
    officer = env.as_("officer_fuzz")
    officer.post("/v1/clients", json=client("FZ-C1", 1.0, 1.0))
    officer.post("/v1/placements", json={"client_id": "FZ-C1", "site_id": "FZ-S1"})
    return env.server.url, env.tokens["admin_fuzz"]


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
def test_api_matches_its_schema(case: schemathesis.Case, fuzz: tuple[str, str]) -> None:
    url, token = fuzz
    response = case.call(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    case.validate_response(response, checks=CHECKS)


def test_openapi_schema_is_served(fuzz: tuple[str, str]) -> None:
    url, _ = fuzz
    doc = httpx.get(f"{url}/openapi.json").json()
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert httpx.get(f"{url}/docs").status_code == 200
