"""The programme as a timeline: rows (per site, nation or unit) of bars, laid out for an SVG.

Pure: a scenario snapshot and its calendar in, positions out. A bar runs from the left edge of
its first day to the right edge of its last day; bars that overlap in a row go on lanes.
"""

from __future__ import annotations

import calendar as month_names
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal

from app.exports.document import Placement, placements
from solver import Calendar, Scenario

View = Literal["site", "nation", "unit"]
VIEWS: dict[str, str] = {"site": "per site", "nation": "per nation", "unit": "per unit"}
LABEL_W = 210
CHART_W = 900
HEADER_H = 34
LANE_H = 26
BAR_H = 20
PALETTE = 8  # CSS classes type-0 .. type-7


@dataclass(frozen=True, slots=True)
class Bar:
    exercise: str
    name: str
    type: str
    type_class: str
    start: dt.date
    end: dt.date
    site: str
    site_name: str
    host: str | None
    nations: list[str]
    units: list[str]
    x: float
    y: float
    width: float
    clipped: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(slots=True)
class Row:
    key: str
    label: str
    y: float = 0.0
    height: float = LANE_H
    bars: list[Bar] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    major: bool


@dataclass(frozen=True, slots=True)
class Timeline:
    view: View
    start: dt.date
    end: dt.date
    rows: list[Row]
    ticks: list[Tick]
    width: int
    height: float
    label_w: int
    types: list[tuple[str, str]]  # (type, css class), every type of the programme
    nations: list[tuple[str, str]]  # (code, name)
    months: list[tuple[str, str]]  # (YYYY-MM, label) inside the horizon
    shown: list[Placement]  # the scheduled exercises that pass the filters, by start
    scheduled: int  # all scheduled exercises


def months_of(start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    out = []
    day = start.replace(day=1)
    while day <= end:
        out.append((f"{day:%Y-%m}", f"{month_names.month_name[day.month]} {day.year}"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def month_span(month: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days of `month` (YYYY-MM) inside the horizon, or None if it is not a month of it."""
    if month not in {m for m, _ in months_of(start, end)}:
        return None
    first = dt.date.fromisoformat(month + "-01")
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return max(first, start), min(last, end)


def _ticks(start: dt.date, end: dt.date, day_w: float) -> list[Tick]:
    ticks = []
    day = start
    while day <= end:
        x = LABEL_W + (day - start).days * day_w
        if day_w >= 14:  # a month or so: every day, numbered
            ticks.append(Tick(x, str(day.day), day.day == 1 or day.weekday() == 0))
        elif day.day == 1 or day == start:
            ticks.append(
                Tick(x, f"{day:%b %Y}" if day.month == 1 or day == start else f"{day:%b}", True)
            )
        day += dt.timedelta(days=1)
    return ticks


def _row_keys(p: Placement, view: View) -> list[tuple[str, str]]:
    if view == "site":
        return [(p.entry.site, f"{p.site_name} ({p.host})" if p.host else p.site_name)]
    if view == "nation":
        return [(n.code, f"{n.name} ({n.code})") for n in p.nations]
    return [(u.id, f"{u.id} ({u.nation})") for u in p.units]


def build_timeline(
    scenario: Scenario,
    calendar: Calendar,
    *,
    view: View = "site",
    month: str | None = None,
    exercise_type: str | None = None,
    nation: str | None = None,
) -> Timeline:
    """Lay out `calendar`'s scheduled exercises (filtered by type and nation) over the horizon,
    or over one month of it."""
    h_start, h_end = scenario.horizon.start, scenario.horizon.end
    span = month_span(month, h_start, h_end) if month else None
    start, end = span or (h_start, h_end)
    day_w = CHART_W / ((end - start).days + 1)
    types = sorted({e.type for e in scenario.exercises})
    classes = {t: f"type-{i % PALETTE}" for i, t in enumerate(types)}
    all_placed = placements(scenario, calendar)
    shown = [
        p
        for p in all_placed
        if (exercise_type is None or (p.exercise is not None and p.exercise.type == exercise_type))
        and (nation is None or nation in p.nation_codes or p.host == nation)
    ]
    rows: dict[str, Row] = {}
    lanes: dict[str, list[dt.date]] = {}  # per row: the last day taken on each lane
    for p in shown:
        if p.entry.end < start or p.entry.start > end:
            continue
        first, last = max(p.entry.start, start), min(p.entry.end, end)
        kind = p.exercise.type if p.exercise is not None else "?"
        for key, label in _row_keys(p, view):
            row = rows.setdefault(key, Row(key, label))
            taken = lanes.setdefault(key, [])
            lane = next((i for i, day in enumerate(taken) if day < first), len(taken))
            if lane == len(taken):
                taken.append(last)
            else:
                taken[lane] = last
            row.bars.append(
                Bar(
                    exercise=p.entry.exercise,
                    name=p.name,
                    type=kind,
                    type_class=classes.get(kind, "type-x"),
                    start=p.entry.start,
                    end=p.entry.end,
                    site=p.entry.site,
                    site_name=p.site_name,
                    host=p.host,
                    nations=p.nation_codes,
                    units=[u.id for u in p.units],
                    x=round(LABEL_W + (first - start).days * day_w, 2),
                    y=lane,  # the lane for now; made absolute below
                    width=round(((last - first).days + 1) * day_w, 2),
                    clipped=(first, last) != (p.entry.start, p.entry.end),
                )
            )
    ordered = sorted(rows.values(), key=lambda r: r.label)
    y = float(HEADER_H)
    for row in ordered:
        row.y = y
        row.height = max(1, len(lanes[row.key])) * LANE_H
        row.bars = [replace(b, y=y + b.y * LANE_H + (LANE_H - BAR_H) / 2) for b in row.bars]
        y += row.height
    return Timeline(
        view=view,
        start=start,
        end=end,
        rows=ordered,
        ticks=_ticks(start, end, day_w),
        width=LABEL_W + CHART_W,
        height=y + 4,
        label_w=LABEL_W,
        types=[(t, classes[t]) for t in types],
        nations=sorted((n.code, n.name) for n in scenario.nations),
        months=months_of(h_start, h_end),
        shown=shown,
        scheduled=len(all_placed),
    )


__all__ = ["BAR_H", "LANE_H", "VIEWS", "Bar", "Row", "Tick", "Timeline", "build_timeline"]
