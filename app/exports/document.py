"""A stored calendar version and its placements, read against the scenario it was solved from."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from solver import Calendar, Exercise, Nation, Scenario, ScheduledExercise, Site, Unit


@dataclass(frozen=True, slots=True)
class CalendarVersion:
    """One calendar as stored: its id, when it was made, and the scenario snapshot it answers."""

    id: str
    created_at: dt.datetime
    scenario: Scenario
    calendar: Calendar
    approved_at: dt.datetime | None = None
    sequence: int | None = None  # the iCalendar SEQUENCE; None: from `changed_at`
    previous: CalendarVersion | None = None  # the version it follows (cancelled events)

    @property
    def changed_at(self) -> dt.datetime:
        """When this version last changed for its readers: approved, else created."""
        return self.approved_at or self.created_at


@dataclass(frozen=True, slots=True)
class Placement:
    """A scheduled exercise with what it names resolved: exercise, site, units and nations."""

    entry: ScheduledExercise
    exercise: Exercise | None
    site: Site | None
    units: list[Unit]
    nations: list[Nation]

    @property
    def name(self) -> str:
        return self.exercise.name if self.exercise is not None else self.entry.exercise

    @property
    def days(self) -> int:
        return (self.entry.end - self.entry.start).days + 1

    @property
    def site_name(self) -> str:
        return self.site.name if self.site is not None else self.entry.site

    @property
    def host(self) -> str | None:
        return self.site.host if self.site is not None else None

    @property
    def nation_codes(self) -> list[str]:
        return [n.code for n in self.nations]


def placements(scenario: Scenario, calendar: Calendar) -> list[Placement]:
    """Every scheduled exercise of `calendar`, by start date then id, resolved in `scenario`.

    Ids the scenario does not know are kept as they are (named by their id)."""
    exercises = {e.id: e for e in scenario.exercises}
    sites = {s.id: s for s in scenario.sites}
    units = {u.id: u for u in scenario.units}
    nations = {n.code: n for n in scenario.nations}
    out = []
    for entry in sorted(calendar.scheduled, key=lambda s: (s.start, s.exercise)):
        assigned = [units[u] for u in entry.units if u in units]
        codes = sorted({u.nation for u in assigned})
        out.append(
            Placement(
                entry=entry,
                exercise=exercises.get(entry.exercise),
                site=sites.get(entry.site),
                units=assigned,
                nations=[nations.get(c) or Nation.model_construct(code=c, name=c) for c in codes],
            )
        )
    return out


def calendar_json(version: CalendarVersion) -> bytes:
    """The `pfp-calendar/1` document, UTF-8 JSON; it validates as `solver.Calendar`."""
    document = version.calendar.model_dump(mode="json", exclude_none=False)
    if document.get("stats") is None:
        document.pop("stats", None)
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
