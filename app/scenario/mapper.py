"""The one mapper between the wire/solver types (`solver.Nation`, ...) and the ORM records."""

from __future__ import annotations

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


# --- models -> records -------------------------------------------------------------------
# `fill_*` writes a model into a new or an existing record (children replaced whole).


def nation_windows(n: Nation | Unit) -> list[tuple[str, int, Window]]:
    out = [("availability", i, w) for i, w in enumerate(n.availability or [])]
    out += [("blackout", i, w) for i, w in enumerate(n.blackouts)]
    return out


def fill_nation(r: NationRecord, n: Nation) -> NationRecord:
    r.code = n.code
    r.name = n.name
    r.role = n.role
    r.max_exercises = n.max_exercises
    r.budget_person_days = n.budget_person_days
    r.desired_exercises = n.desired_exercises
    r.windows = [
        NationWindowRecord(kind=k, position=i, start=w.start, end=w.end)
        for k, i, w in nation_windows(n)
    ]
    return r


def fill_unit(r: UnitRecord, u: Unit) -> UnitRecord:
    r.id = u.id
    r.nation_code = u.nation
    r.capability = u.capability
    r.personnel = u.personnel
    r.max_exercises = u.max_exercises
    r.rest_days = u.rest_days
    r.home_lat = u.home.lat if u.home else None
    r.home_lon = u.home.lon if u.home else None
    r.windows = [
        UnitWindowRecord(kind=k, position=i, start=w.start, end=w.end)
        for k, i, w in nation_windows(u)
    ]
    return r


def fill_site(r: SiteRecord, s: Site) -> SiteRecord:
    r.id = s.id
    r.name = s.name
    r.host_code = s.host
    r.kind = s.kind
    r.supports = list(s.supports) if s.supports is not None else None
    r.capacity_personnel = s.capacity_personnel
    r.concurrent = s.concurrent
    r.location_lat = s.location.lat if s.location else None
    r.location_lon = s.location.lon if s.location else None
    r.windows = [
        SiteWindowRecord(position=i, start=w.start, end=w.end)
        for i, w in enumerate(s.availability or [])
    ]
    return r


def fill_exercise(r: ExerciseRecord, e: Exercise) -> ExerciseRecord:
    r.id = e.id
    r.name = e.name
    r.type = e.type
    r.duration_days = e.duration_days
    r.window_start = e.window.start if e.window else None
    r.window_end = e.window.end if e.window else None
    r.min_nations = e.min_nations
    r.max_personnel = e.max_personnel
    r.sites_listed = e.sites is not None
    r.priority = e.priority
    r.mandatory = e.mandatory
    r.preferred_months = list(e.preferred_months) if e.preferred_months is not None else None
    r.pinned = e.pinned is not None
    r.pin_start = e.pinned.start if e.pinned else None
    r.pin_site_id = e.pinned.site if e.pinned else None
    r.pin_units_listed = e.pinned is not None and e.pinned.units is not None
    r.requirements = [
        RequirementRecord(position=i, capability=q.capability, units=q.units, max_units=q.max_units)
        for i, q in enumerate(e.requirements)
    ]
    r.eligible_sites = [
        EligibleSiteRecord(position=i, site_id=s) for i, s in enumerate(e.sites or [])
    ]
    r.after = [
        AfterLinkRecord(position=i, predecessor_id=a.exercise, gap_days=a.gap_days)
        for i, a in enumerate(e.after)
    ]
    units = (e.pinned.units or []) if e.pinned else []
    r.pinned_units = [PinnedUnitRecord(position=i, unit_id=u) for i, u in enumerate(units)]
    return r
