"""A unique rule lost in a race becomes a 409 problem, never a 500."""

from __future__ import annotations

import json

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from starlette.requests import Request

from api import errors


def test_integrity_error_is_a_conflict_problem() -> None:
    app = FastAPI()
    errors.install(app)
    handler = app.exception_handlers[IntegrityError]
    scope = {
        "type": "http",
        "method": "POST",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "path": "/v1/placements",
        "query_string": b"",
        "headers": [(b"accept-language", b"en")],
    }
    exc = IntegrityError("INSERT ...", {}, Exception("UNIQUE constraint failed"))
    r = handler(Request(scope), exc)
    body = json.loads(bytes(r.body))
    assert r.status_code == 409
    assert r.media_type == "application/problem+json"
    assert body["type"] == "/problems/conflict" and body["instance"] == "/v1/placements"
    assert "UNIQUE" not in json.dumps(body)  # no database internals leak out
