"""Day spans: sorted lists of (first, last) day offsets from the horizon start."""

from __future__ import annotations

from solver.model.days import intersect, normalise, subtract

Span = tuple[int, int]  # first and last day offset from the horizon start, both included

# The set operations are the model's own (solver.model.days): one implementation of each.
merge = normalise

__all__ = ["Span", "intersect", "merge", "start_spans", "subtract"]


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
