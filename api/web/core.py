"""What every page shares: the signed-in visitor, CSRF, the language, rendering, and problems.

A page handler is a plain ``def`` (FastAPI runs it in the thread pool, as the API's routes) and
calls the same ``api.services`` functions as the API, with the visitor's principal; a
:class:`~api.errors.Problem` the service raises becomes an HTML page in the visitor's language
(``PageRoute``), with the same status code the API would give.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Form, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from api.auth import Principal, require_role
from api.deps import Services, get_services
from api.errors import InvalidInput, Problem, input_problems, problem_items
from api.services import users
from api.web.words import source_label, word
from matcher.rules import schema_error

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")

SESSION_COOKIE = "pnm_session"
LANG_COOKIE = "pnm_lang"
LOGIN_CSRF_COOKIE = "pnm_login_csrf"

# Pages ask nothing of any other host: everything they use is served here.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


@dataclass(frozen=True)
class Visitor:
    """A signed-in person: the principal the services check, the user, the session's CSRF
    token and the page language."""

    who: Principal
    user: dict[str, Any]
    csrf: str
    lang: str
    bapas_name: str

    def t(self, key: str, **values: object) -> str:
        return word(key, self.lang, **values)


class SignInRequired(Exception):
    def __init__(self, next_path: str):
        super().__init__(next_path)
        self.next_path = next_path


class BadCsrf(Exception):
    pass


def page_lang(request: Request) -> str:
    """Indonesian unless the visitor chose English (a cookie set by the language link)."""
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "id"


def get_visitor(request: Request, services: Annotated[Services, Depends(get_services)]) -> Visitor:
    secret = request.cookies.get(SESSION_COOKIE)
    with services.db.reading() as s:
        hit = users.session_user(s, secret)
        if hit is None:
            raise SignInRequired(request.url.path)
        who, user, csrf = hit
        name = users.bapas_name(s, who.bapas_id)
    visitor = Visitor(who=who, user=user, csrf=csrf, lang=page_lang(request), bapas_name=name)
    request.state.visitor = visitor
    return visitor


Page = Annotated[Visitor, Depends(get_visitor)]


def get_form_visitor(visitor: Page, csrf: Annotated[str, Form(max_length=200)] = "") -> Visitor:
    """The visitor of a form post whose CSRF token matches the session's (else 403)."""
    if not secrets.compare_digest(csrf.encode(), visitor.csrf.encode()):
        raise BadCsrf()
    return visitor


FormPage = Annotated[Visitor, Depends(get_form_visitor)]


def needs(visitor: Visitor, *roles: str) -> None:
    """The API's role check (403 as the API's), for a page."""
    require_role(visitor.who, roles)


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def render(
    request: Request,
    name: str,
    visitor: Visitor | None,
    *,
    status: int = 200,
    lang: str | None = None,
    **context: Any,
) -> HTMLResponse:
    lang = lang or (visitor.lang if visitor else page_lang(request))

    def t(key: str, **values: object) -> str:
        return word(key, lang, **values)

    ctx = {"v": visitor, "t": t, "lang": lang, "path": request.url.path, **context}
    return templates.TemplateResponse(request, name, ctx, status_code=status)


def problem_view(p: Problem, lang: str) -> dict[str, Any]:
    """A service's problem as the page shows it: the detail and each item (row, field, value,
    rule, Pasal) in the page's language, from the same texts the API sends."""
    if isinstance(p, InvalidInput):
        items = input_problems(p.problems, prefix=p.prefix, lang=lang)
    else:
        items = problem_items(p, lang)
    for item in items:
        item["where"] = source_label(str(item.get("source") or ""), lang)
    return {
        "status": p.status,
        "code": p.code,
        "detail": p.detail_en if lang == "en" else p.detail_id,
        "errors": items,
    }


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _problem_page(request: Request, p: Problem) -> Response:
    visitor: Visitor | None = getattr(request.state, "visitor", None)
    lang = visitor.lang if visitor else page_lang(request)
    return render(
        request, "error.html", visitor, status=p.status, problem=problem_view(p, lang), lang=lang
    )


def _schema_rule(e: Any) -> tuple[str, str]:
    """A form field's schema error in both languages (the API's words, from matcher.rules)."""
    rule = schema_error(str(e.get("type", "")), str(e.get("msg", "")), e.get("ctx"))
    return rule.text("id"), rule.text("en")


class PageRoute(APIRoute):
    """A page: sign-in redirects, CSRF and service problems become HTML, with security headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired as exc:
                response = redirect("/?next=" + quote(exc.next_path))
            except BadCsrf:
                response = _problem_page(
                    request,
                    Problem(403, "forbidden", word("bad_csrf", "id"), word("bad_csrf", "en")),
                )
            except RequestValidationError as exc:
                items = [
                    {
                        "path": ".".join(str(x) for x in e.get("loc", ())),
                        "value": e.get("input"),
                        "rule": _schema_rule(e),
                        "pasal": None,
                    }
                    for e in exc.errors()
                ]
                response = _problem_page(
                    request,
                    Problem(
                        422,
                        "validation",
                        "Isian formulir tidak sah.",
                        "The form is not valid.",
                        errors=items,
                    ),
                )
            except Problem as p:
                response = _problem_page(request, p)
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return run
