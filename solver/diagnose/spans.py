"""Day spans: sorted lists of (first, last) day offsets from the horizon start."""

from __future__ import annotations

from collections.abc import Iterable

from solver.model.days import intersect, normalise, subtract

Span = tuple[int, int]  # first and last day offset from the horizon start, both included

# The set operations are the model's own (solver.model.days): one implementation of each.
merge = normalise

__all__ = ["Span", "count_by_start", "intersect", "merge", "start_spans", "subtract"]


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
