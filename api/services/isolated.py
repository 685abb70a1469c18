"""Heavy work in a child process, with a wall-time limit, a memory limit and cancellation.

A planning study can take minutes and gigabytes. Run inside the service's own process it would
hold the GIL from every officer's request (``/healthz`` waited 17 s), could not be stopped when
the caller goes away, and could take the machine's memory. Here it runs in a forked child:

* memory: the child's address space is capped (``RLIMIT_AS``) at what it had at the fork plus
  ``memory_bytes``; past it the work fails with MemoryError, the service does not;
* time: the parent ends the child after ``wall_s`` seconds (and ``RLIMIT_CPU`` backs that up);
* cancellation: the parent polls ``cancelled()`` (the client went away) and ends the child.

Fork, not spawn: the child needs nothing but the arguments already in memory, and spawning would
import the whole service again (several seconds on a loaded machine). The child runs only pure
computation (``matcher``), never the database or the event loop it inherited.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import resource
import signal
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any


@dataclass(frozen=True, slots=True)
class Outcome:
    """``kind`` is ok, error (``value`` is (exception type name, message)), memory, timeout,
    cancelled or crashed."""

    kind: str
    value: Any = None


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(
    conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], memory: int, cpu: int
) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        limit = _vm_bytes() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    except (ValueError, OSError):
        pass
    try:
        result = fn(*args)
        conn.send(Outcome("ok", result))
    except MemoryError:
        conn.send(Outcome("memory"))
    except Exception as exc:
        traceback.print_exc()  # to the server's log (stderr is inherited)
        try:
            conn.send(Outcome("error", (type(exc).__name__, str(exc))))
        except Exception:
            conn.send(Outcome("error", ("Exception", traceback.format_exc(limit=1))))
    finally:
        conn.close()


async def run_isolated(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    wall_s: float,
    memory_bytes: int,
    cancelled: Callable[[], Awaitable[bool]],
    poll_s: float = 0.1,
) -> Outcome:
    """Run ``fn(*args)`` in a forked child; the result must pickle."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child,
        args=(child, fn, args, memory_bytes, int(wall_s) + 1),
        daemon=True,
        name="penempatan-study",
    )
    proc.start()
    child.close()
    deadline = time.monotonic() + wall_s
    try:
        while True:
            if parent.poll():
                try:
                    outcome: Outcome = parent.recv()
                except (EOFError, OSError):
                    return Outcome("crashed")
                return outcome
            if not proc.is_alive() and not parent.poll():
                code = proc.exitcode
                if code in (-signal.SIGXCPU, -signal.SIGKILL):
                    return Outcome("timeout")
                return Outcome("memory" if code == -signal.SIGSEGV else "crashed", code)
            if time.monotonic() > deadline:
                return Outcome("timeout")
            if await cancelled():
                return Outcome("cancelled")
            await asyncio.sleep(poll_s)
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join(2)
            if proc.is_alive():
                proc.kill()
        proc.join(1)
        parent.close()
