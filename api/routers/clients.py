"""Clients of a Bapas (officers)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api.deps import Officer, Svc
from api.errors import Problem
from api.files.tables import CLIENTS
from api.schemas.clients import (
    ClientCreate,
    ClientImportReport,
    ClientPage,
    ClientPublic,
    ClientUpdate,
)
from api.schemas.common import ID_PATTERN, PROBLEM_RESPONSES, PathId
from api.services import audit, imports
from api.services import clients as svc
from geo.io import RawRecord

router = APIRouter(prefix="/v1/clients", tags=["clients"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=ClientPage, summary="The Bapas' clients")
def list_clients(
    services: Svc,
    who: Officer,
    unplaced: Annotated[
        bool | None, Query(description="only clients without (or with) an open placement")
    ] = None,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    search: Annotated[str | None, Query(max_length=64, description="part of the client id")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    with services.db.reading() as s:
        return svc.list_clients(
            s,
            who,
            bapas_id=bapas_id,
            unplaced=unplaced,
            limit=limit,
            offset=offset,
            search=search,
        )


@router.post(
    "",
    response_model=ClientPublic,
    status_code=201,
    summary="Add a client and the court order (checked against Pasal 85)",
)
def create_client(body: ClientCreate, services: Svc, who: Officer) -> dict[str, Any]:
    values = body.model_dump(mode="json", exclude={"bapas_id"})
    with services.db.writing() as s:
        return svc.create_client(
            s, who, values=values, bapas_id=body.bapas_id, extent=services.policy.extent
        )


_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "an Excel workbook (first sheet, or ?sheet=), a CSV file as Excel writes "
        "it, or a JSON array of client objects, with the fields of the data contract",
        "content": {
            imports.XLSX: {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        },
    }
}


@router.post(
    "/import",
    response_model=ClientImportReport,
    summary="Register many clients from XLSX, CSV or JSON: all rows or none (422 per row)",
    openapi_extra=_IMPORT_BODY,
    responses={415: PROBLEM_RESPONSES[422] | {"description": "not XLSX, CSV or JSON"}},
)
async def import_clients(
    services: Svc,
    who: Officer,
    upload: imports.Uploaded,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
) -> dict[str, Any]:
    def work() -> dict[str, Any]:
        if upload.media_type in imports.TABLE_TYPES:
            records = imports.read_upload(upload.data, upload.media_type, CLIENTS, upload.sheet)
        elif upload.media_type == "application/json":
            records = _json_records(upload.data)
        else:
            raise imports.unsupported(
                "XLSX, text/csv atau application/json", "XLSX, text/csv or application/json"
            )
        with services.db.writing() as s:
            return imports.import_clients(s, who, records=records, bapas_id=bapas_id)

    return await run_in_threadpool(work)


def _json_records(data: bytes) -> list[RawRecord]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Problem(
            400, "bad-request", f"Bukan JSON yang sah: {exc}", f"Not valid JSON: {exc}"
        ) from None
    items = doc.get("clients") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise Problem(
            400,
            "bad-request",
            'Kirim larik objek klien atau {"clients": [...]}.',
            'Send an array of client objects or {"clients": [...]}.',
        )
    return [RawRecord(f"item {i}", dict(x)) for i, x in enumerate(items)]


@router.get("/{client_id}", response_model=ClientPublic, summary="One client")
def get_client(client_id: PathId, services: Svc, who: Officer) -> dict[str, Any]:
    """The record carries health, religion and offence: every read is audited (ids only)."""
    with services.db.reading() as s:
        body = svc.read_client(s, who, client_id)
    with services.db.writing() as s:
        audit.record(s, who, "client.read", "client", client_id)
    return body


@router.patch("/{client_id}", response_model=ClientPublic, summary="Change some fields")
def update_client(
    client_id: PathId, body: ClientUpdate, services: Svc, who: Officer
) -> dict[str, Any]:
    changes = body.model_dump(mode="json", exclude_unset=True)
    with services.db.writing() as s:
        return svc.update_client(s, who, client_id, changes=changes, extent=services.policy.extent)
