"""Start uvicorn, with one or several worker processes.

With ``workers > 1`` uvicorn binds the listening socket itself as ``socket(AF_INET)``, whose
protocol number is 0; asyncio then does not set TCP_NODELAY on the accepted connections (it
only does so for sockets marked IPPROTO_TCP), and a keep-alive client waits out Nagle's
algorithm against its own delayed ACK: about 40 ms on every response after the first
(measured: 48 ms per suggestion on one connection with 2 workers, 3 ms with 1). Here the
socket is created as IPPROTO_TCP and handed to uvicorn's own multiprocess supervisor.

``python -m api.server --port 8000 --workers 2`` runs the app without migrations or seeding
(the benchmark's server); ``penempatan serve`` is the command for people.
"""

from __future__ import annotations

import argparse
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "api.main:app"
WORKER_HEALTHCHECK_S = 120
GRACEFUL_SHUTDOWN_S = 10


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Serve ``api.main:app``; several workers share one TCP_NODELAY-capable socket."""
    if workers <= 1:
        uvicorn.run(
            APP,
            host=host,
            port=port,
            log_level=log_level,
            access_log=access_log,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        )
        return
    config = uvicorn.Config(
        APP,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=access_log,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        # Importing the app (OR-Tools, geopandas, SciPy) takes 6-8 s on a loaded 2-core machine;
        # uvicorn's default 5 s health check killed such workers before they were ready.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )
    Multiprocess(config, sockets=[_listening_socket(host, port)]).run()


def main() -> None:
    ap = argparse.ArgumentParser(description="Serve the Penempatan API (no migrations, no seed).")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--no-access-log", action="store_true")
    args = ap.parse_args()
    run(args.host, args.port, args.workers, args.log_level, not args.no_access_log)


if __name__ == "__main__":
    main()
