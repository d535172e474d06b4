"""The timeline's layout (pure): rows, lanes, bar positions, month zoom and filters."""

from __future__ import annotations

import datetime as dt

from app.web.timeline import CHART_W, LABEL_W, build_timeline, month_span, months_of
from solver import Calendar, Scenario
from tests.app.conftest import tiny_scenario

D = dt.date


def _scenario() -> Scenario:
    data = tiny_scenario()
    data["horizon"] = {"start": "1995-06-01", "end": "1995-07-31"}
    return Scenario.model_validate(data)


def _calendar(*entries: tuple[str, str, str, str, list[str]]) -> Calendar:
    return Calendar.model_validate(
        {
            "scenario": "Tiny June programme",
            "status": "feasible",
            "kpi": {},
            "scheduled": [
                {"exercise": e, "start": s, "end": t, "site": site, "units": units}
                for e, s, t, site, units in entries
            ],
        }
    )


CALENDAR = _calendar(
    ("CB95", "1995-06-01", "1995-06-10", "PL-DRAWSKO", ["PL-INF-1", "RO-INF-1", "NL-MED-1"]),
    ("CH95", "1995-06-05", "1995-06-11", "PL-DRAWSKO", ["NL-MED-1", "PL-INF-1"]),
    ("CV95", "1995-06-28", "1995-07-02", "SE-GOTLAND", ["SE-SAR-1"]),
)


def test_a_bar_runs_from_its_first_to_its_last_day_and_overlaps_go_on_lanes() -> None:
    timeline = build_timeline(_scenario(), CALENDAR)
    day_w = CHART_W / 61
    rows = {r.key: r for r in timeline.rows}
    assert set(rows) == {"PL-DRAWSKO", "SE-GOTLAND"}
    cb, ch = sorted(rows["PL-DRAWSKO"].bars, key=lambda b: b.start)
    assert cb.x == LABEL_W and round(cb.width, 2) == round(10 * day_w, 2)
    assert ch.x == round(LABEL_W + 4 * day_w, 2)
    assert ch.y > cb.y  # overlapping dates: a second lane
    assert rows["PL-DRAWSKO"].height == 2 * rows["SE-GOTLAND"].height
    assert (cb.start, cb.end, cb.days) == (D(1995, 6, 1), D(1995, 6, 10), 10)
    assert timeline.scheduled == 3 and len(timeline.shown) == 3


def test_rows_per_nation_and_per_unit() -> None:
    by_nation = build_timeline(_scenario(), CALENDAR, view="nation")
    assert {r.key for r in by_nation.rows} == {"PL", "RO", "NL", "SE"}
    assert len(next(r for r in by_nation.rows if r.key == "NL").bars) == 2
    by_unit = build_timeline(_scenario(), CALENDAR, view="unit")
    assert {r.key for r in by_unit.rows} == {"PL-INF-1", "RO-INF-1", "NL-MED-1", "SE-SAR-1"}


def test_zoom_to_a_month_clips_the_bars_that_cross_it_and_keeps_their_dates() -> None:
    timeline = build_timeline(_scenario(), CALENDAR, month="1995-07")
    assert (timeline.start, timeline.end) == (D(1995, 7, 1), D(1995, 7, 31))
    (row,) = timeline.rows
    (bar,) = row.bars
    assert (
        bar.clipped and bar.x == LABEL_W and (bar.start, bar.end) == (D(1995, 6, 28), D(1995, 7, 2))
    )
    assert [t.label for t in timeline.ticks][:3] == ["1", "2", "3"]


def test_filters_by_type_and_nation() -> None:
    assert [
        p.entry.exercise
        for p in build_timeline(_scenario(), CALENDAR, exercise_type="humanitarian").shown
    ] == ["CH95"]
    assert [p.entry.exercise for p in build_timeline(_scenario(), CALENDAR, nation="RO").shown] == [
        "CB95"
    ]
    assert [p.entry.exercise for p in build_timeline(_scenario(), CALENDAR, nation="SE").shown] == [
        "CV95"
    ]


def test_months_of_the_horizon_and_a_month_outside_it() -> None:
    assert months_of(D(1995, 6, 15), D(1995, 8, 1)) == [
        ("1995-06", "June 1995"),
        ("1995-07", "July 1995"),
        ("1995-08", "August 1995"),
    ]
    assert month_span("1995-06", D(1995, 6, 15), D(1995, 8, 1)) == (D(1995, 6, 15), D(1995, 6, 30))
    assert month_span("1996-01", D(1995, 6, 15), D(1995, 8, 1)) is None
