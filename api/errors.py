"""RFC 9457 problem details for every error, in Indonesian or English.

Every error the service returns is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and ``instance``; a 422 adds ``errors``: each with the field ``path``, the
``value`` given, the ``rule`` broken and, where the law is the rule, the ``pasal``. Unexpected
errors become a plain 500 problem: the traceback goes to the server log, never to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.messages import TITLES, pick_language
from matcher.rules import Message, schema_error
from matcher.validate import InputProblem

log = logging.getLogger("penempatan.api")

PROBLEM_JSON = "application/problem+json"
_MAX_VALUE_CHARS = 200


class Problem(Exception):
    """An error to send as problem+json: a status, a code (the ``type``) and a detail in both
    languages; ``extra`` members are added to the body (RFC 9457 extension members)."""

    def __init__(
        self,
        status: int,
        code: str,
        detail_id: str,
        detail_en: str | None = None,
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail_en or detail_id)
        self.status = status
        self.code = code
        self.detail_id = detail_id
        self.detail_en = detail_en or detail_id
        self.errors = list(errors) if errors is not None else None
        self.headers = headers
        self.extra = extra


_ENTITY_ID = {
    "Client": "Klien",
    "Site": "Lokasi",
    "Placement": "Penempatan",
    "Job": "Pekerjaan latar",
    "Token": "Token",
    "Bapas": "Bapas",
}
"""The word for each kind of record in the Indonesian detail (the same words as the page)."""


def not_found(what: str, ident: object) -> Problem:
    """404 for an unknown id (or one of another Bapas: the two are not told apart)."""
    return Problem(
        404,
        "not-found",
        f"{_ENTITY_ID.get(what, what)} {ident!s} tidak ditemukan.",
        f"{what} {ident!s} not found.",
        entity=what,
        id=str(ident),
    )


def _short(value: Any) -> Any:
    value = jsonable_encoder(value)
    if isinstance(value, str) and len(value) > _MAX_VALUE_CHARS:
        return value[:_MAX_VALUE_CHARS] + "…"
    if isinstance(value, dict | list) and len(repr(value)) > _MAX_VALUE_CHARS:
        return repr(value)[:_MAX_VALUE_CHARS] + "…"
    return value


def input_problems(
    problems: Iterable[InputProblem], *, prefix: str | None = "body", lang: str = "id"
) -> list[dict[str, Any]]:
    """The validator's problems as problem+json ``errors`` items (with the Pasal cited).

    ``prefix`` starts each path (``body.hours``); ``None`` uses each problem's source instead
    (``body.clients.3.hours``); ``""`` gives the bare field (file rows carry a ``source``).
    """
    out = []
    for p in problems:
        head = p.source if prefix is None else prefix
        item: dict[str, Any] = {
            "path": f"{head}.{p.field}" if head else p.field,
            "value": _short(p.value),
            "rule": p.message.text(lang),
            "pasal": p.message.pasal,
        }
        if prefix is not None and p.source and p.source != prefix:
            item["source"] = p.source
        out.append(item)
    return out


class InvalidInput(Problem):
    """422 carrying the validator's problems; rendered in the request's language."""

    def __init__(
        self, problems: Sequence[InputProblem], *, prefix: str | None = "body", **extra: Any
    ):
        super().__init__(
            422,
            "validation",
            f"{len(problems)} masalah pada data; tidak ada yang disimpan.",
            f"{len(problems)} problems in the data; nothing was saved.",
            **extra,
        )
        self.problems = list(problems)
        self.prefix = prefix


def problem_response(request: Request, p: Problem) -> JSONResponse:
    lang = pick_language(request.headers.get("accept-language"))
    title_id, title_en = TITLES.get(p.code, TITLES["internal"])
    body: dict[str, Any] = {
        "type": f"/problems/{p.code}",
        "title": title_en if lang == "en" else title_id,
        "status": p.status,
        "detail": p.detail_en if lang == "en" else p.detail_id,
        "instance": request.url.path,
    }
    if isinstance(p, InvalidInput):
        body["errors"] = input_problems(p.problems, prefix=p.prefix, lang=lang)
    elif p.errors is not None:
        body["errors"] = problem_items(p, lang)
    body.update(jsonable_encoder(p.extra))
    headers = {"Content-Language": lang, **(p.headers or {})}
    return JSONResponse(body, status_code=p.status, media_type=PROBLEM_JSON, headers=headers)


_HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation",
}


def problem_items(p: Problem, lang: str) -> list[dict[str, Any]]:
    """A problem's ``errors`` items in ``lang`` (the API's body and the web pages share them)."""
    return [_in_language(item, lang) for item in p.errors or []]


def _in_language(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """An error item whose ``rule`` is a :class:`Message` (or ``(indonesian, english)``), in the
    request's language."""
    rule = item.get("rule")
    if isinstance(rule, Message):
        return {**item, "rule": rule.text(lang), "pasal": item.get("pasal", rule.pasal)}
    if isinstance(rule, tuple):
        return {**item, "rule": rule[1] if lang == "en" else rule[0]}
    return item


def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "bad-request" if exc.status_code < 500 else "internal")
    title_id, title_en = TITLES[code]
    detail = exc.detail if isinstance(exc.detail, str) else title_en
    if exc.status_code == 404 and detail == "Not Found":
        detail_id, detail_en = "Alamat tidak ditemukan.", "No such path."
    else:
        detail_id, detail_en = (title_id if detail == title_en else detail), detail
    p = Problem(exc.status_code, code, detail_id, detail_en, headers=dict(exc.headers or {}))
    return problem_response(request, p)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = pick_language(request.headers.get("accept-language"))
    errors = []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ())]
        errors.append(
            {
                "path": ".".join(loc),
                "value": None if e.get("type") == "missing" else _short(e.get("input")),
                "rule": schema_error(
                    str(e.get("type", "")), str(e.get("msg", "")), e.get("ctx")
                ).text(lang),
                "pasal": None,
            }
        )
    n = len(errors)
    p = Problem(
        422,
        "validation",
        f"{n} masalah pada data; tidak ada yang disimpan.",
        f"{n} problems in the data; nothing was saved.",
        errors=errors,
    )
    return problem_response(request, p)


def _problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


def _integrity(request: Request, exc: Exception) -> JSONResponse:
    """A write that lost a race to a unique rule (an id taken, a client's second open
    placement) between our check and the commit: a conflict, not a server error."""
    log.warning("integrity conflict on %s %s", request.method, request.url.path)
    p = Problem(
        409,
        "conflict",
        "Data berubah bersamaan oleh permintaan lain; muat ulang lalu coba lagi.",
        "The data changed at the same time by another request; reload and try again.",
    )
    return problem_response(request, p)


def _data(request: Request, exc: Exception) -> JSONResponse:
    """A value the database's column cannot hold (PostgreSQL checks ranges and lengths that
    SQLite does not): the request's fault, and nothing was written."""
    log.warning("value refused by the database on %s %s", request.method, request.url.path)
    p = Problem(
        422,
        "validation",
        "Nilai di luar jangkauan yang dapat disimpan basis data.",
        "A value is outside the range the database can store.",
    )
    return problem_response(request, p)


def _busy(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
    p = Problem(
        503,
        "not-ready",
        "Basis data sedang sibuk; coba lagi sebentar lagi.",
        "The database is busy; try again shortly.",
        headers={"Retry-After": "1"},
    )
    return problem_response(request, p)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    p = Problem(
        500,
        "internal",
        "Terjadi kesalahan internal; sudah dicatat di log server.",
        "An internal error occurred; it has been logged on the server.",
    )
    return problem_response(request, p)


def install(app: FastAPI) -> None:
    """Route every kind of error through problem+json."""
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DataError, _data)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(Exception, _unexpected)
