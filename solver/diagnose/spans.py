"""Day spans: sorted lists of (first, last) day offsets from the horizon start."""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int]  # first and last day offset from the horizon start, both included

# --- day spans ----------------------------------------------------------------------------


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping or adjacent spans joined."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def intersect(xs: list[Span], ys: list[Span]) -> list[Span]:
    out: list[Span] = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if a <= b:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(xs: list[Span], ys: list[Span]) -> list[Span]:
    out: list[Span] = []
    j = 0
    for a, b in xs:
        while j < len(ys) and ys[j][1] < a:
            j += 1
        k, cur = j, a
        while k < len(ys) and ys[k][0] <= b:
            if ys[k][0] > cur:
                out.append((cur, ys[k][0] - 1))
            cur = max(cur, ys[k][1] + 1)
            k += 1
        if cur <= b:
            out.append((cur, b))
    return out


def start_spans(days: list[Span], duration: int, lo: int, hi: int) -> list[Span]:
    """The start days in lo..hi from which all `duration` days lie in `days` (sorted spans)."""
    out: list[Span] = []
    for a, b in days:
        if a > hi:
            break
        last = b - duration + 1
        if last < lo:
            continue
        first = a if a > lo else lo
        if last > hi:
            last = hi
        if first <= last:
            out.append((first, last))
    return out


def count_by_start(groups: Iterable[list[Span]], lo: int, hi: int) -> list[int]:
    """For each start in lo..hi, how many of the groups of start spans include it."""
    diff = [0] * (hi - lo + 2)
    for spans in groups:
        for a, b in spans:
            diff[a - lo] += 1
            diff[b - lo + 1] -= 1
    out, run = [], 0
    for k in range(hi - lo + 1):
        run += diff[k]
        out.append(run)
    return out
