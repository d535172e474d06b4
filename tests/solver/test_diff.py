"""diff_calendars: added, dropped, moved, units changed, unchanged, in plain words."""

from __future__ import annotations

import datetime as dt

from solver import Calendar, CalendarDiff, ScheduledExercise, diff_calendars
from tests.solver.helpers import load_example, load_example_calendar


def _with(calendar: Calendar, scheduled: list[ScheduledExercise]) -> Calendar:
    return calendar.model_copy(update={"scheduled": scheduled})


def _entry(calendar: Calendar, eid: str) -> ScheduledExercise:
    return next(x for x in calendar.scheduled if x.exercise == eid)


def test_a_calendar_against_itself_is_empty() -> None:
    a = load_example_calendar("tiny")
    d = diff_calendars(a, a.model_copy(deep=True))
    assert isinstance(d, CalendarDiff)
    assert d.is_empty
    assert (d.added, d.dropped, d.moved, d.units_changed, d.changed, d.summary) == (
        [],
        [],
        [],
        [],
        [],
        [],
    )
    assert d.unchanged == len(a.scheduled) == 2
    assert d.model_dump(mode="json")["is_empty"] is True


def test_unit_order_does_not_count_as_a_change() -> None:
    a = load_example_calendar("tiny")
    cb = _entry(a, "CB95")
    b = _with(
        a,
        [cb.model_copy(update={"units": list(reversed(cb.units))}), _entry(a, "CH95")],
    )
    assert diff_calendars(a, b).is_empty


def test_added_dropped_moved_and_units_changed() -> None:
    scenario = load_example("tiny")
    a = load_example_calendar("tiny")
    cb, ch = _entry(a, "CB95"), _entry(a, "CH95")
    moved_ch = ch.model_copy(
        update={
            "start": dt.date(1995, 6, 20),
            "end": dt.date(1995, 6, 26),
            "site": "SE-GOTLAND",
            "units": ["NL-MED-1", "RO-INF-1"],
        }
    )
    cv = ScheduledExercise(
        exercise="CV95",
        start=dt.date(1995, 6, 28),
        end=dt.date(1995, 7, 2),
        site="SE-GOTLAND",
        units=["SE-SAR-1"],
    )
    b = _with(a, [moved_ch, cv])  # CB95 dropped, CH95 moved with other units, CV95 added
    d = diff_calendars(a, b, scenario)

    assert [x.exercise for x in d.added] == ["CV95"]
    assert d.added[0].units == ["SE-SAR-1"] and d.added[0].site == "SE-GOTLAND"
    assert [x.exercise for x in d.dropped] == ["CB95"]
    assert d.dropped[0].start == cb.start and d.dropped[0].units == sorted(cb.units)
    assert len(d.moved) == 1
    m = d.moved[0]
    assert (m.exercise, m.from_start, m.from_site) == ("CH95", ch.start, "PL-DRAWSKO")
    assert (m.to_start, m.to_end, m.to_site) == (
        dt.date(1995, 6, 20),
        dt.date(1995, 6, 26),
        "SE-GOTLAND",
    )
    assert len(d.units_changed) == 1
    u = d.units_changed[0]
    assert (u.exercise, u.added, u.removed) == ("CH95", ["RO-INF-1"], ["PL-INF-1"])
    assert d.unchanged == 0
    assert d.changed == ["CB95", "CH95", "CV95"]
    assert not d.is_empty

    text = "\n".join(d.summary)
    assert len(d.summary) == 4  # dropped, moved, units, added
    assert "Cooperative Bridge 95 (CB95) dropped (was 1-10 June 1995 at" in text
    assert "Cooperative Help 95 (CH95) moved from 16-22 June 1995 at" in text
    assert "to 20-26 June 1995 at" in text
    assert "CH95) gains RO-INF-1 (Romania) and loses PL-INF-1 (Poland)." in text
    assert "Cooperative Venture 95 (CV95) added: 28 June - 2 July 1995 at" in text
    assert "with SE-SAR-1 (Sweden)." in text


def test_only_units_changed_is_not_moved() -> None:
    a = load_example_calendar("tiny")
    cb, ch = _entry(a, "CB95"), _entry(a, "CH95")
    b = _with(a, [cb.model_copy(update={"units": ["PL-INF-1", "RO-INF-1"]}), ch])
    d = diff_calendars(a, b)
    assert d.moved == []
    assert [(x.exercise, x.added, x.removed) for x in d.units_changed] == [
        ("CB95", [], ["NL-MED-1"])
    ]
    assert d.unchanged == 1 and d.changed == ["CB95"]
    assert d.summary == ["CB95 loses NL-MED-1."]  # no scenario: ids only


def test_dates_only_move_keeps_units() -> None:
    a = load_example_calendar("tiny")
    cb, ch = _entry(a, "CB95"), _entry(a, "CH95")
    later = ch.model_copy(update={"start": dt.date(1995, 6, 17), "end": dt.date(1995, 6, 23)})
    d = diff_calendars(a, _with(a, [cb, later]))
    assert [x.exercise for x in d.moved] == ["CH95"] and d.units_changed == []
    assert d.summary == [
        "CH95 moved from 16-22 June 1995 at PL-DRAWSKO to 17-23 June 1995 at PL-DRAWSKO."
    ]


def test_empty_calendars() -> None:
    a = load_example_calendar("tiny")
    empty = _with(a, [])
    d = diff_calendars(empty, a)
    assert [x.exercise for x in d.added] == ["CB95", "CH95"] and d.unchanged == 0
    back = diff_calendars(a, empty)
    assert [x.exercise for x in back.dropped] == ["CB95", "CH95"]
    assert diff_calendars(empty, empty).is_empty
