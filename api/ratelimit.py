"""Slowing down guessing: failed authentication and bursts of 404 get 429 with Retry-After.

Every answer 401 (an unknown, revoked or expired token) or 404 (an id that is not the
caller's, or does not exist: the two are never told apart) counts against two keys: the
client's address, and the token presented (its SHA-256, never the secret). While either key is
over its limit, every request with that key is refused with 429 and ``Retry-After`` before it
does any work. Successful requests cost nothing.

The counting is the kept library ``limits`` (moving windows). Its storage is in memory by
default, which is per process; ``PENEMPATAN_RATE_LIMIT_STORAGE`` takes any ``limits`` storage
URI (``redis://localhost:6379``) so that several workers or instances share the counts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from api.messages import pick_language

log = logging.getLogger("penempatan.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COUNTED = {401: "auth", 404: "missing"}


def async_uri(uri: str) -> str:
    """The ``limits`` asyncio flavour of a storage URI (``memory://`` -> ``async+memory://``)."""
    return uri if uri.startswith("async+") else f"async+{uri}"


class AbuseLimit:
    """ASGI middleware: 429 for an address or token that failed too often recently."""

    def __init__(self, app: ASGIApp, *, storage_uri: str, auth_failures: str, not_found: str):
        self.app = app
        self.limiter = MovingWindowRateLimiter(storage_from_string(async_uri(storage_uri)))
        self.limits: dict[str, RateLimitItem] = {
            "auth": parse(auth_failures),
            "missing": parse(not_found),
        }

    @staticmethod
    def _keys(scope: Scope) -> list[str]:
        client = scope.get("client")
        keys = [f"addr:{client[0] if client else 'unknown'}"]
        for name, value in scope.get("headers") or []:
            if name == b"authorization" and value:
                keys.append(f"token:{hashlib.sha256(value).hexdigest()[:32]}")
                break
        return keys

    async def _blocked(self, keys: list[str]) -> float | None:
        """Seconds until every exceeded window has room again (None: not blocked)."""
        wait = 0.0
        for kind, item in self.limits.items():
            for key in keys:
                if not await self.limiter.test(item, kind, key):
                    stats = await self.limiter.get_window_stats(item, kind, key)
                    wait = max(wait, stats.reset_time - time.time())
        return max(wait, 1.0) if wait > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/v1"):
            await self.app(scope, receive, send)
            return
        keys = self._keys(scope)
        try:
            wait = await self._blocked(keys)
        except Exception:  # a storage outage must not take the service down: count nothing
            log.warning("rate-limit storage unavailable; not limiting", exc_info=True)
            await self.app(scope, receive, send)
            return
        if wait is not None:
            await _too_many(scope, send, wait)
            return
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, sending)
        kind = COUNTED.get(status)
        if kind is not None:
            try:
                for key in keys:
                    await self.limiter.hit(self.limits[kind], kind, key)
            except Exception:
                log.warning("rate-limit storage unavailable; not counted", exc_info=True)


async def _too_many(scope: Scope, send: Send, wait: float) -> None:
    headers = dict(scope.get("headers") or [])
    lang = pick_language(headers.get(b"accept-language", b"").decode("latin-1"))
    seconds = math.ceil(wait)
    body = {
        "type": "/problems/too-many-requests",
        "title": "Too many failed requests" if lang == "en" else "Terlalu banyak permintaan gagal",
        "status": 429,
        "detail": (
            f"Too many failed requests (unknown token or id) from here; try again in {seconds} s."
            if lang == "en"
            else f"Terlalu banyak permintaan gagal (token atau id tidak dikenal) dari sini; "
            f"coba lagi dalam {seconds} detik."
        ),
        "instance": scope.get("path", ""),
    }
    data = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(data)).encode()),
                (b"retry-after", str(seconds).encode()),
                (b"cache-control", b"no-store"),
                (b"content-language", lang.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
