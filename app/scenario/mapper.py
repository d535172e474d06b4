"""The one mapper between the wire/solver types (`solver.Nation`, ...) and the ORM records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.db.models import (
    AfterLinkRecord,
    EligibleSiteRecord,
    ExerciseRecord,
    NationRecord,
    NationWindowRecord,
    PinnedUnitRecord,
    RequirementRecord,
    SiteRecord,
    SiteWindowRecord,
    UnitRecord,
    UnitWindowRecord,
)
from solver import (
    AfterLink,
    Exercise,
    GeoPoint,
    Nation,
    Pin,
    Requirement,
    Site,
    Unit,
    Window,
)


def _window(record: NationWindowRecord | UnitWindowRecord | SiteWindowRecord) -> Window:
    return Window.model_construct(start=record.start, end=record.end)


def _windows_of(records, kind: str) -> list[Window]:  # noqa: ANN001
    return [_window(r) for r in records if r.kind == kind]


def _point(lat: float | None, lon: float | None) -> GeoPoint | None:
    return None if lat is None or lon is None else GeoPoint(lat=lat, lon=lon)


# --- records -> models -------------------------------------------------------------------
# The argument is an ORM record, or a row of `app.scenario.repository` with the same
# attribute names (the whole-programme read uses plain rows).
# An empty availability list and none mean the same (no limit); both come back as null.


def nation_model(r: NationRecord) -> Nation:
    availability = _windows_of(r.windows, "availability")
    return Nation(
        code=r.code,
        name=r.name,
        role=r.role,  # type: ignore[arg-type]
        availability=availability or None,
        blackouts=_windows_of(r.windows, "blackout"),
        max_exercises=r.max_exercises,
        budget_person_days=r.budget_person_days,
        desired_exercises=r.desired_exercises,
    )


def unit_model(r: UnitRecord) -> Unit:
    availability = _windows_of(r.windows, "availability")
    return Unit(
        id=r.id,
        nation=r.nation_code,
        capability=r.capability,
        personnel=r.personnel,
        availability=availability or None,
        blackouts=_windows_of(r.windows, "blackout"),
        max_exercises=r.max_exercises,
        rest_days=r.rest_days,
        home=_point(r.home_lat, r.home_lon),
    )


def site_model(r: SiteRecord) -> Site:
    return Site(
        id=r.id,
        name=r.name,
        host=r.host_code,
        kind=r.kind,  # type: ignore[arg-type]
        supports=r.supports,  # type: ignore[arg-type]
        availability=[_window(w) for w in r.windows] or None,
        capacity_personnel=r.capacity_personnel,
        concurrent=r.concurrent,
        location=_point(r.location_lat, r.location_lon),
    )


def exercise_model(r: ExerciseRecord) -> Exercise:
    window = None
    if r.window_start is not None and r.window_end is not None:
        window = Window.model_construct(start=r.window_start, end=r.window_end)
    pinned = None
    if r.pinned:
        pinned = Pin(
            start=r.pin_start,
            site=r.pin_site_id,
            units=[p.unit_id for p in r.pinned_units] if r.pin_units_listed else None,
        )
    return Exercise(
        id=r.id,
        name=r.name,
        type=r.type,  # type: ignore[arg-type]
        duration_days=r.duration_days,
        window=window,
        requirements=[
            Requirement(capability=q.capability, units=q.units, max_units=q.max_units)
            for q in r.requirements
        ],
        min_nations=r.min_nations,
        max_personnel=r.max_personnel,
        sites=[s.site_id for s in r.eligible_sites] if r.sites_listed else None,
        priority=r.priority,
        mandatory=r.mandatory,
        preferred_months=r.preferred_months,
        after=[AfterLink(exercise=a.predecessor_id, gap_days=a.gap_days) for a in r.after],
        pinned=pinned,
    )


# --- models -> rows -> records ----------------------------------------------------------
# `*_rows` give each table's rows for one resource as dicts keyed by attribute name: the bulk
# import inserts them as they are; `fill_*` writes them into a new or an existing record
# (children replaced whole), for the writes of one resource.

Row = dict[str, Any]


def nation_windows(n: Nation | Unit) -> list[tuple[str, int, Window]]:
    out = [("availability", i, w) for i, w in enumerate(n.availability or [])]
    out += [("blackout", i, w) for i, w in enumerate(n.blackouts)]
    return out


def nation_rows(n: Nation) -> tuple[Row, list[Row]]:
    """The nation's row and its window rows."""
    row = {
        "code": n.code,
        "name": n.name,
        "role": n.role,
        "max_exercises": n.max_exercises,
        "budget_person_days": n.budget_person_days,
        "desired_exercises": n.desired_exercises,
    }
    windows = [
        {"nation_code": n.code, "kind": k, "position": i, "start": w.start, "end": w.end}
        for k, i, w in nation_windows(n)
    ]
    return row, windows


def unit_rows(u: Unit) -> tuple[Row, list[Row]]:
    """The unit's row and its window rows."""
    row = {
        "id": u.id,
        "nation_code": u.nation,
        "capability": u.capability,
        "personnel": u.personnel,
        "max_exercises": u.max_exercises,
        "rest_days": u.rest_days,
        "home_lat": u.home.lat if u.home else None,
        "home_lon": u.home.lon if u.home else None,
    }
    windows = [
        {"unit_id": u.id, "kind": k, "position": i, "start": w.start, "end": w.end}
        for k, i, w in nation_windows(u)
    ]
    return row, windows


def site_rows(s: Site) -> tuple[Row, list[Row]]:
    """The site's row and its availability window rows."""
    row = {
        "id": s.id,
        "name": s.name,
        "host_code": s.host,
        "kind": s.kind,
        "supports": list(s.supports) if s.supports is not None else None,
        "capacity_personnel": s.capacity_personnel,
        "concurrent": s.concurrent,
        "location_lat": s.location.lat if s.location else None,
        "location_lon": s.location.lon if s.location else None,
    }
    windows = [
        {"site_id": s.id, "position": i, "start": w.start, "end": w.end}
        for i, w in enumerate(s.availability or [])
    ]
    return row, windows


@dataclass(frozen=True, slots=True)
class ExerciseRows:
    exercise: Row
    requirements: list[Row]
    eligible_sites: list[Row]
    after: list[Row]
    pinned_units: list[Row]


def exercise_rows(e: Exercise) -> ExerciseRows:
    """The exercise's row and the rows of its requirements, sites, `after` links and pins."""
    pin = e.pinned
    return ExerciseRows(
        exercise={
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "duration_days": e.duration_days,
            "window_start": e.window.start if e.window else None,
            "window_end": e.window.end if e.window else None,
            "min_nations": e.min_nations,
            "max_personnel": e.max_personnel,
            "sites_listed": e.sites is not None,
            "priority": e.priority,
            "mandatory": e.mandatory,
            "preferred_months": (
                list(e.preferred_months) if e.preferred_months is not None else None
            ),
            "pinned": pin is not None,
            "pin_start": pin.start if pin else None,
            "pin_site_id": pin.site if pin else None,
            "pin_units_listed": pin is not None and pin.units is not None,
        },
        requirements=[
            {
                "exercise_id": e.id,
                "position": i,
                "capability": q.capability,
                "units": q.units,
                "max_units": q.max_units,
            }
            for i, q in enumerate(e.requirements)
        ],
        eligible_sites=[
            {"exercise_id": e.id, "position": i, "site_id": s} for i, s in enumerate(e.sites or [])
        ],
        after=[
            {
                "exercise_id": e.id,
                "position": i,
                "predecessor_id": a.exercise,
                "gap_days": a.gap_days,
            }
            for i, a in enumerate(e.after)
        ],
        pinned_units=[
            {"exercise_id": e.id, "position": i, "unit_id": u}
            for i, u in enumerate((pin.units or []) if pin else [])
        ],
    )


def _set(record: Any, row: Row) -> None:
    for key, value in row.items():
        setattr(record, key, value)


def fill_nation(r: NationRecord, n: Nation) -> NationRecord:
    row, windows = nation_rows(n)
    _set(r, row)
    r.windows = [NationWindowRecord(**w) for w in windows]
    return r


def fill_unit(r: UnitRecord, u: Unit) -> UnitRecord:
    row, windows = unit_rows(u)
    _set(r, row)
    r.windows = [UnitWindowRecord(**w) for w in windows]
    return r


def fill_site(r: SiteRecord, s: Site) -> SiteRecord:
    row, windows = site_rows(s)
    _set(r, row)
    r.windows = [SiteWindowRecord(**w) for w in windows]
    return r


def fill_exercise(r: ExerciseRecord, e: Exercise) -> ExerciseRecord:
    rows = exercise_rows(e)
    _set(r, rows.exercise)
    r.requirements = [RequirementRecord(**q) for q in rows.requirements]
    r.eligible_sites = [EligibleSiteRecord(**q) for q in rows.eligible_sites]
    r.after = [AfterLinkRecord(**q) for q in rows.after]
    r.pinned_units = [PinnedUnitRecord(**q) for q in rows.pinned_units]
    return r
