"""Which reasons of an unscheduled exercise the published programme shows a liaison officer
or a viewer: those naming no nation's data, and, of the rest, those about the reader's own."""

from __future__ import annotations

from app.calendars.published import public_calendar
from tests.solver.solve_helpers import ROOMY, exercise, scenario, solved, unit, window


def test_a_proven_clash_is_shown_to_every_reader() -> None:
    """Two exercises on the same days at the one site: the one left out says with what it
    clashes (exercises only, no nation), and every reader sees that."""
    s = scenario(
        units=[unit("PL-1"), unit("RO-1", "RO")],
        exercises=[
            exercise("E0", 3, mandatory=False, priority=10, window=window(10, 12)),
            exercise("E1", 3, mandatory=False, priority=7, window=window(11, 13)),
        ],
    )
    calendar = solved(s, ROOMY)
    assert [u.exercise for u in calendar.unscheduled] == ["E1"]
    for own in (None, "PL", "RO"):
        shown = public_calendar(calendar, s, own).unscheduled[0].reasons
        clash = [r for r in shown if r.code == "clashes_with"]
        assert len(clash) == 1 and clash[0].model_extra == {"exercises": ["E0"]}
