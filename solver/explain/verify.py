"""A suggested change is verified by the independent checker on the calendar it leads to."""

from __future__ import annotations

from solver.calendar import Calendar, Kpi, Reason, ScheduledExercise, UnscheduledExercise
from solver.check import check_calendar, figures
from solver.explain.probe import Found
from solver.explain.types import Cost
from solver.scenario import Scenario


def entry(exercise: str, found: Found) -> ScheduledExercise:
    return ScheduledExercise(
        exercise=exercise, start=found.start, end=found.end, site=found.site, units=found.units
    )


def calendar_of(scenario: Scenario, scheduled: list[ScheduledExercise]) -> Calendar:
    placed = {p.exercise for p in scheduled}
    order = {e.id: k for k, e in enumerate(scenario.exercises)}
    scheduled = sorted(scheduled, key=lambda p: order.get(p.exercise, 0))
    calendar = Calendar(
        scenario=scenario.name,
        status="feasible",
        kpi=Kpi(),
        scheduled=scheduled,
        unscheduled=[
            UnscheduledExercise(
                exercise=e.id,
                reasons=[Reason(code="not_scheduled", message="Not in this calendar.")],
            )
            for e in scenario.exercises
            if e.id not in placed
        ],
    )
    calendar.kpi = figures(scenario, calendar)
    return calendar


def checked(scenario: Scenario, scheduled: list[ScheduledExercise]) -> Calendar | None:
    """The calendar of `scheduled` when it keeps every hard rule, else None."""
    calendar = calendar_of(scenario, scheduled)
    return calendar if check_calendar(scenario, calendar).ok else None


def cost(
    scenario: Scenario,
    before: list[ScheduledExercise],
    after: Calendar,
    exercise: str,
) -> Cost:
    """What `after` changes for the rest of the programme, against `before`."""
    units = {u.id: u for u in scenario.units}
    priority = {e.id: e.priority for e in scenario.exercises}
    old = {p.exercise: p for p in before}
    new = {p.exercise: p for p in after.scheduled}
    old_kpi = figures(scenario, calendar_of(scenario, before))
    moved, dropped, lost = [], [], 0

    def nations(p: ScheduledExercise) -> int:
        return len({units[u].nation for u in p.units if u in units})

    for eid, p in old.items():
        q = new.get(eid)
        if q is None:
            dropped.append({"exercise": eid, "priority": priority.get(eid, 0)})
            lost += nations(p)
        elif (q.start, q.site, sorted(q.units)) != (p.start, p.site, sorted(p.units)):
            moved.append(
                {
                    "exercise": eid,
                    "from": {"start": p.start, "end": p.end, "site": p.site, "units": p.units},
                    "to": {"start": q.start, "end": q.end, "site": q.site, "units": q.units},
                }
            )
            lost += max(0, nations(p) - nations(q))
    delta = Kpi(
        priority_scheduled=after.kpi.priority_scheduled - old_kpi.priority_scheduled,
        nation_participations=after.kpi.nation_participations - old_kpi.nation_participations,
        preferred_month_hits=after.kpi.preferred_month_hits - old_kpi.preferred_month_hits,
    )
    return Cost(kpi_delta=delta, moved=moved, dropped=dropped, nations_lost=lost)
