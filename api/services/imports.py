"""Uploaded files of sites or clients: CSV as Excel writes it and XLSX workbooks, read by
``api.files.tables`` (the same reader as the command line), and all-or-nothing client import.

A problem of the whole file (a missing or misspelt column, an unreadable workbook) is one
422 error item for the file, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.errors import Problem
from api.files.tables import Schema, read_table
from api.services.clients import insert_client
from api.services.scope import target_bapas
from api.storage.models import ClientRow, SiteRow
from geo.io import RawRecord
from matcher.rules import RULES, V
from matcher.validate import InputProblem, parse_clients

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_TYPES = ("text/csv", XLSX)


@dataclass(frozen=True, slots=True)
class Upload:
    """The body of an import request, its media type (lower case, no parameters) and the
    workbook sheet asked for."""

    data: bytes
    media_type: str
    sheet: str | None


async def read_request(
    request: Request,
    sheet: Annotated[
        str | None, Query(max_length=100, description="workbook sheet (default: the first)")
    ] = None,
) -> Upload:
    """The one way the site and the client import routes take their upload."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return Upload(await request.body(), media_type, sheet)


Uploaded = Annotated[Upload, Depends(read_request)]
"""An import route's upload (declare it after the caller, so a bad token is told first)."""


def unsupported(accepted: str, accepted_en: str) -> Problem:
    return Problem(
        415,
        "unsupported-media-type",
        f"Kirim {accepted}.",
        f"Send {accepted_en}.",
    )


def read_upload(data: bytes, media_type: str, schema: Schema, sheet: str | None) -> list[RawRecord]:
    """CSV or XLSX rows as records (``source`` ``row N``), or 422 naming the file's problems."""
    name = "upload.xlsx" if media_type == XLSX else "upload.csv"
    table = read_table(data, "", schema, sheet=sheet, lang="en")
    if table.errors:
        raise Problem(
            422,
            "validation",
            f"Berkas {name} tidak bisa dibaca; tidak ada yang disimpan.",
            f"The file {name} cannot be read; nothing was saved.",
            errors=[
                {"path": "file", "value": None, "rule": n.message(), "pasal": None}
                for n in table.errors
            ],
        )
    return table.records


def problem_items(problems: list[InputProblem]) -> list[dict[str, Any]]:
    """Validator problems as 422 items in both languages (``rule`` a Message)."""
    return [
        {
            "path": p.field,
            "source": p.source,
            "value": p.value if not isinstance(p.value, frozenset) else sorted(p.value),
            "rule": p.message,
            "pasal": p.message.pasal,
        }
        for p in problems
    ]


def import_clients(
    s: Session,
    who: Principal,
    *,
    records: list[RawRecord],
    bapas_id: str | None,
) -> dict[str, Any]:
    """Create every client of the file in one transaction, or none (422 lists every bad row).

    A client id that exists already is a problem of its row (an import never overwrites a
    court order); ``separate_from`` names clients of the file or of the Bapas;
    ``fixed_site_id`` names an active site of the Bapas.
    """
    if not records:
        empty = RULES["file.no_rows"].say()
        raise Problem(422, "validation", empty.indonesian, empty.english, errors=[])
    bapas = target_bapas(s, who, bapas_id)
    values = [{k: v for k, v in r.values.items() if k != "current_site_id"} for r in records]
    clean = [RawRecord(r.source, v) for r, v in zip(records, values, strict=True)]
    clients, problems, sources = parse_clients(clean)
    ids = [c.client_id for c in clients]
    existing = set(s.scalars(select(ClientRow.client_id).where(ClientRow.client_id.in_(ids))))
    own = {cid for cid in s.scalars(select(ClientRow.client_id).where(ClientRow.bapas_id == bapas))}
    # every id of the file counts (a partner's own bad row is reported on that row)
    known = own | {str(v.get("client_id", "")).strip() for v in values}
    fixed_ids = {c.fixed_site_id for c in clients if c.fixed_site_id}
    usable_sites = set(
        s.scalars(
            select(SiteRow.site_id).where(
                SiteRow.site_id.in_(fixed_ids), SiteRow.bapas_id == bapas, SiteRow.active
            )
        )
    )
    items = problem_items(problems)
    for c, src in zip(clients, sources, strict=True):
        if c.client_id in existing:
            items += problem_items(
                [InputProblem(src, "client_id", c.client_id, RULES["import.client_exists"].say())]
            )
        for other in sorted(c.separate_from - known):
            items += problem_items(
                [InputProblem(src, "separate_from", other, V["no_client_of_bapas"].say())]
            )
        if c.fixed_site_id and c.fixed_site_id not in usable_sites:
            items += problem_items(
                [
                    InputProblem(
                        src, "fixed_site_id", c.fixed_site_id, V["no_active_site_of_bapas"].say()
                    )
                ]
            )
    if items:
        raise Problem(
            422,
            "validation",
            f"{len(items)} masalah pada berkas; tidak ada yang disimpan.",
            f"{len(items)} problems in the file; nothing was saved.",
            errors=items,
        )
    by_source = {r.source: v for r, v in zip(clean, values, strict=True)}
    for c, src in zip(clients, sources, strict=True):
        extras = {k: _whole(by_source[src].get(k)) for k in _COURT_ORDER}
        insert_client(s, who, c, extras, bapas)
    s.flush()
    return {"created": len(clients), "client_ids": ids}


_COURT_ORDER = ("threatened_max_years", "imposed_prison_months", "imposed_fine_rp")


def _whole(v: Any) -> int | None:
    """A Pasal 85(1) field (already validated as a whole number) as an int, or None."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    return int(float(v))
