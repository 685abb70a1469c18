"""Heavy work in a child process (api.services.isolated): its result, and the three ways it is
stopped (time limit, memory limit, the caller gone), each without harm to the parent."""

from __future__ import annotations

import asyncio
import time

from api.services.isolated import Outcome, run_isolated


def _add(a: int, b: int) -> int:
    return a + b


def _sleep_forever() -> None:
    while True:
        time.sleep(0.05)


def _hog_memory() -> int:
    chunks = []
    for _ in range(64):
        chunks.append(bytearray(64 * 1024 * 1024))  # 64 MB at a time, touched
    return len(chunks)


def _raise() -> None:
    raise ValueError("bad spec")


async def _never() -> bool:
    return False


def _run(fn: object, args: tuple[object, ...], **kw: object) -> Outcome:
    opts: dict[str, object] = {
        "wall_s": 10.0,
        "memory_bytes": 256 * 1024 * 1024,
        "cancelled": _never,
    }
    opts.update(kw)
    return asyncio.run(run_isolated(fn, args, **opts))  # type: ignore[arg-type]


def test_result_comes_back():
    assert _run(_add, (2, 3)) == Outcome("ok", 5)


def test_errors_are_named_not_raised():
    outcome = _run(_raise, ())
    assert outcome.kind == "error" and outcome.value == ("ValueError", "bad spec")


def test_time_limit_stops_the_child():
    start = time.monotonic()
    assert _run(_sleep_forever, (), wall_s=0.5).kind == "timeout"
    assert time.monotonic() - start < 5


def test_memory_limit_stops_the_child():
    assert _run(_hog_memory, ()).kind == "memory"


def test_a_caller_gone_cancels_the_child():
    calls = 0

    async def gone() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2

    start = time.monotonic()
    assert _run(_sleep_forever, (), cancelled=gone).kind == "cancelled"
    assert time.monotonic() - start < 5
