"""The caller's `should_stop`, asked inside every long loop of a solve.

A solve may be cancelled at any moment: while preparing the candidates, during the greedy
calendar, while finding the data conflicts, or inside a CP-SAT search. Every one of those
loops asks the same `StopSignal` every few items, so a cancel is noticed within a fraction
of a second whatever the step, and the solve returns the best valid calendar it has.
"""

from __future__ import annotations

from collections.abc import Callable


class Stopped(Exception):
    """Raised by a step that cannot hand back anything useful once told to stop."""


class StopSignal:
    """`should_stop`, latched: once it has said stop, it says so for good without asking
    the caller again (a cancel is never taken back), and `fired` tells it afterwards."""

    def __init__(self, should_stop: Callable[[], bool] | None = None):
        self._ask = should_stop
        self.fired = False

    def __call__(self) -> bool:
        if not self.fired and self._ask is not None and self._ask():
            self.fired = True
        return self.fired

    @property
    def asked(self) -> bool:
        """Whether there is anyone to ask at all (no `should_stop`: never stops)."""
        return self._ask is not None


def latched(should_stop: Callable[[], bool] | None) -> StopSignal:
    """A `StopSignal` for `should_stop` (the same object if it is one already)."""
    if isinstance(should_stop, StopSignal):
        return should_stop
    return StopSignal(should_stop)


NEVER = StopSignal(None)
