"""Days as integers (0 = the horizon's first day) and sets of days as sorted runs.

A run is `(first, last)`, both included. The model's start domains, units' and sites'
available days are all kept as short lists of runs, so that nothing is built per day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable

Runs = list[tuple[int, int]]


def day_index(horizon_start: dt.date, day: dt.date) -> int:
    return (day - horizon_start).days


def normalise(runs: Iterable[tuple[int, int]]) -> Runs:
    """Sorted, merged, non-empty runs."""
    out: Runs = []
    for a, b in sorted(r for r in runs if r[0] <= r[1]):
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def intersect(left: Runs, right: Runs) -> Runs:
    if not left or not right:
        return []
    if left[-1][1] < right[0][0] or right[-1][1] < left[0][0]:
        return []
    if len(left) == 1 and len(right) == 1:
        a = max(left[0][0], right[0][0])
        b = min(left[0][1], right[0][1])
        return [(a, b)] if a <= b else []
    out: Runs = []
    i = j = 0
    while i < len(left) and j < len(right):
        a = max(left[i][0], right[j][0])
        b = min(left[i][1], right[j][1])
        if a <= b:
            out.append((a, b))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(runs: Runs, holes: Runs) -> Runs:
    """The days of `runs` (sorted) that are in none of `holes` (sorted), in one pass."""
    out: Runs = []
    j = 0
    for a, b in runs:
        while j < len(holes) and holes[j][1] < a:
            j += 1
        k, cursor = j, a
        while k < len(holes) and holes[k][0] <= b:
            if holes[k][0] > cursor:
                out.append((cursor, holes[k][0] - 1))
            cursor = max(cursor, holes[k][1] + 1)
            k += 1
        if cursor <= b:
            out.append((cursor, b))
    return out


def clip(runs: Runs, first: int, last: int) -> Runs:
    return intersect(runs, [(first, last)]) if first <= last else []


def starts_for(days: Runs, duration: int) -> Runs:
    """The starts `s` such that every day `s .. s+duration-1` is in `days`."""
    return [(a, b - duration + 1) for a, b in days if b - a + 1 >= duration]


def contains(runs: Runs, value: int) -> bool:
    k = bisect_right(runs, (value, 1 << 62)) - 1
    return k >= 0 and runs[k][0] <= value <= runs[k][1]


def size(runs: Runs) -> int:
    return sum(b - a + 1 for a, b in runs)


def values(runs: Runs) -> Iterable[int]:
    for a, b in runs:
        yield from range(a, b + 1)


def at_least(runs: Runs, low: int) -> Runs:
    return [(max(a, low), b) for a, b in runs if b >= low]


def coverage_at_least(many: list[Runs], count: int) -> Runs:
    """The values that lie in at least `count` of the run lists (a sweep over their ends)."""
    if count <= 0:
        return [(-(1 << 40), 1 << 40)]
    events: list[tuple[int, int]] = []
    for runs in many:
        for a, b in runs:
            events.append((a, 1))
            events.append((b + 1, -1))
    events.sort()
    out: Runs = []
    level = 0
    opened: int | None = None
    for position, delta in events:
        level += delta
        if level >= count and opened is None:
            opened = position
        elif level < count and opened is not None:
            if position - 1 >= opened:
                out.append((opened, position - 1))
            opened = None
    return normalise(out)


# --- the same sets of days as bit masks (bit i = day i): fast on large programmes --------


def mask(runs: Runs) -> int:
    out = 0
    for a, b in runs:
        if b >= a:
            out |= ((1 << (b - a + 1)) - 1) << max(a, 0)
    return out


def runs_of(bits: int) -> Runs:
    out: Runs = []
    while bits:
        low = (bits & -bits).bit_length() - 1
        shifted = bits >> low
        length = (~shifted & (shifted + 1)).bit_length() - 1
        out.append((low, low + length - 1))
        bits &= ~(((1 << length) - 1) << low)
    return out


def starts_mask(days_mask: int, duration: int) -> int:
    """Bit s is set when days s .. s+duration-1 are all in `days_mask`."""
    bits, span = days_mask, 1
    while span < duration:
        step = min(span, duration - span)
        bits &= bits >> step
        span += step
    return bits


def at_least_mask(masks: list[int], count: int) -> int:
    """The bits set in at least `count` of `masks` (saturating bit-sliced counters)."""
    if count <= 0:
        return -1
    levels = [0] * count  # levels[j]: bits seen in at least j+1 masks
    for m in masks:
        for j in range(count - 1, 0, -1):
            levels[j] |= levels[j - 1] & m
        levels[0] |= m
    return levels[count - 1]


def month_runs(first: dt.date, last: dt.date, months: Iterable[int]) -> Runs:
    """The days from `first` to `last` (day 0 is `first`) that fall in one of `months`."""
    wanted = set(months)
    runs = []
    day = first
    while day <= last:
        next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        end = min(next_month - dt.timedelta(days=1), last)
        if day.month in wanted:
            runs.append((day_index(first, day), day_index(first, end)))
        day = next_month
    return normalise(runs)
