"""Request body size limit: 413 problem+json before a large body is read into memory.

A declared ``Content-Length`` above the limit is refused at once; a chunked body is counted as
it arrives and refused when it passes the limit. The site import has its own, larger limit.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from api.messages import TITLES, pick_language

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(HTTPException):
    """Raised while reading a chunked body; FastAPI passes HTTPExceptions through untouched."""

    def __init__(self, limit: int):
        super().__init__(413, f"Request body larger than {limit} bytes.")


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_import_bytes: int):
        self.app = app
        self.max_bytes = max_bytes
        self.max_import_bytes = max_import_bytes

    def _limit(self, path: str) -> int:
        imports = ("/sites/import", "/lokasi/unggah")  # the API's and the page's site upload
        return self.max_import_bytes if path.endswith(imports) else self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope.get("path", ""))
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                lang = pick_language(headers.get(b"accept-language", b"").decode("latin-1"))
                await _refuse(send, scope.get("path", ""), limit, lang)
                return
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counting, send)


async def _refuse(send: Send, path: str, limit: int, lang: str) -> None:
    title_id, title_en = TITLES["payload-too-large"]
    body = {
        "type": "/problems/payload-too-large",
        "title": title_en if lang == "en" else title_id,
        "status": 413,
        "detail": (
            f"Request body larger than {limit} bytes."
            if lang == "en"
            else f"Isi permintaan lebih dari {limit} byte."
        ),
        "instance": path,
        "max_bytes": limit,
    }
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
