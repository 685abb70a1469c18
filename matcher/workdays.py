"""Working days before the deadline (Pasal 85(5)), vectorised over clients.

W(client, site) = the dates from ``start_date`` to ``deadline`` (inclusive) whose weekday is in
both the client's available days and the site's open days, and that are not Indonesian public
holidays (the ``holidays`` package). Computed as a per-client table over all 128 weekday sets, so
that every arc looks its W up by (client, site's open-days bitmask) in O(1).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
import numpy as np
from numpy.typing import NDArray

from matcher.vocab import WEEKDAYS

_EPOCH = np.datetime64("1970-01-01", "D")
# 1970-01-01 was a Thursday: weekday index (mon=0) of day number x is (x + 3) % 7.
_THURSDAY = 3


def day_bits(days: frozenset[str] | set[str]) -> int:
    """Weekday names to a 7-bit mask (bit 0 = mon)."""
    return sum(1 << WEEKDAYS.index(d) for d in days)


@lru_cache(maxsize=64)
def _holiday_days(first_year: int, last_year: int) -> tuple[NDArray[np.int64], ...]:
    """Indonesian public holidays as day numbers, one sorted array per weekday."""
    cal = holidays.country_holidays("ID", years=range(first_year, last_year + 1))
    days = np.array(
        sorted((np.datetime64(d, "D") - _EPOCH).astype(np.int64) for d in cal), np.int64
    )
    wd = (days + _THURSDAY) % 7
    return tuple(days[wd == d] for d in range(7))


def holidays_between(start: date, end: date) -> list[date]:
    """Indonesian public holidays from ``start`` to ``end`` inclusive (for explanations)."""
    cal = holidays.country_holidays("ID", years=range(start.year, end.year + 1))
    return sorted(d for d in cal if start <= d <= end)


def weekday_counts(
    start: NDArray[np.int64], end: NDArray[np.int64], available_bits: NDArray[np.integer]
) -> NDArray[np.int32]:
    """Per client and weekday, the non-holiday dates in [start, end] on an available weekday.

    ``start`` and ``end`` are day numbers since 1970-01-01; returns an (n, 7) array.
    """
    n = start.shape[0]
    out = np.zeros((n, 7), np.int32)
    if n == 0:
        return out
    y0 = int(str(np.datetime64(int(start.min()), "D"))[:4])
    y1 = int(str(np.datetime64(int(end.max()), "D"))[:4])
    hol = _holiday_days(y0, y1)
    for d in range(7):
        # dates x <= X with weekday d: floor((X + 3 - d) / 7) + const
        total = (end + _THURSDAY - d) // 7 - (start - 1 + _THURSDAY - d) // 7
        h = np.searchsorted(hol[d], end, side="right") - np.searchsorted(hol[d], start, side="left")
        avail = (np.asarray(available_bits) >> d) & 1
        out[:, d] = np.maximum(total - h, 0) * avail
    return out


_MASKS = np.array([[(m >> d) & 1 for m in range(128)] for d in range(7)], np.int32)  # (7, 128)


def workday_table(counts: NDArray[np.int32]) -> NDArray[np.int32]:
    """(n, 128): working days for every client and every site open-days bitmask."""
    return counts @ _MASKS
