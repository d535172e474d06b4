"""A liaison officer's share of an approved calendar's conflicts: what concerns their nation,
without other nations' availability, limits or budget.

- `unscheduled`: the explanations of exercises the nation is involved in (see
  `app.conflicts.scope`) or whose causes name it. Causes about a nation's or a unit's own data
  (availability, max_exercises, budget) are kept for the nation's own only; a placement of
  another exercise is told from the published calendar (which exercise, when, where); the
  static "too few declared" cause loses its list of other nations' units. The message is
  rebuilt from the causes kept. Suggestions are kept when every change they make is to the
  nation or its own units (what its liaison officer can act on).
- `soft`: the missed wishes of the nation's own (`below_desired_exercises`) and of the
  exercises it is involved in, their suggestions on the same terms.
- `data_conflicts`: as `GET /conflicts` shows them to the liaison officer.
"""

from __future__ import annotations

from app.calendar_conflicts.schemas import CalendarConflicts
from app.conflicts.scope import conflicts_for_nation, involved_exercises, unit_nations
from solver import Calendar, Explanation, Scenario, SoftConflict, Suggestion
from solver.explain import Cause

# Causes about one nation's or one unit's own data.
OWN_DATA_CAUSES = frozenset(
    {
        "unit_availability",
        "nation_availability",
        "nation_max_exercises",
        "nation_budget",
        "unit_max_exercises",
    }
)


class _Scope:
    def __init__(self, scenario: Scenario, calendar: Calendar, nation: str):
        self.nation = nation
        self.unit_nation = unit_nations(scenario)
        self.involved = involved_exercises(scenario, nation)
        self.names = {e.id: e.name for e in scenario.exercises}
        self.sites = {s.id: s.name for s in scenario.sites}
        self.placed = {s.exercise: s for s in calendar.scheduled}

    def names_other_nation(self, cause: Cause) -> bool:
        nations = {cause.nation} if cause.nation else set()
        if cause.unit:
            nations.add(self.unit_nation.get(cause.unit, "?"))
        return bool(nations - {self.nation})

    def names_own_nation(self, cause: Cause) -> bool:
        return cause.nation == self.nation or (
            cause.unit is not None and self.unit_nation.get(cause.unit) == self.nation
        )

    def cause(self, cause: Cause) -> Cause | None:
        """The cause as the liaison officer may see it, or None."""
        if self.names_other_nation(cause):
            return None
        if cause.kind in OWN_DATA_CAUSES:
            return cause if self.names_own_nation(cause) else None
        if cause.kind == "placement" and cause.exercise is not None:
            held = self.placed.get(cause.exercise)
            name = f"{self.names.get(cause.exercise, cause.exercise)} ({cause.exercise})"
            if held is None:
                message = f"it competes with {name}"
            else:
                site = self.sites.get(held.site, held.site)
                message = f"it competes with {name}, held {held.start} to {held.end} at {site}"
            return cause.model_copy(update={"message": message})
        if cause.kind == "capability_short":
            message = "too few units of a required capability are declared"
            return cause.model_copy(update={"message": message})
        return cause

    def own_change(self, entity: str, key: str, to: object) -> bool:
        if entity == "nation":
            return key == self.nation
        if entity == "unit":
            nation = self.unit_nation.get(key)
            if nation is None and isinstance(to, dict):
                nation = to.get("nation")
            return nation == self.nation
        return False

    def suggestion(self, s: Suggestion | None) -> Suggestion | None:
        if s is None or not s.changes:
            return None
        if all(self.own_change(c.entity, c.id, c.to) for c in s.changes):
            return s
        return None

    def explanation(self, x: Explanation) -> Explanation | None:
        kept = [c for c in (self.cause(c) for c in x.causes) if c is not None]
        concerns = x.exercise in self.involved or any(self.names_own_nation(c) for c in kept)
        if not concerns:
            return None
        parts = [c.message for c in kept]
        if len(kept) < len(x.causes):
            parts.append("constraints that concern other nations' data")
        message = f"{x.name} ({x.exercise}) is not scheduled" + (
            ": " + "; ".join(parts) + "." if parts else "."
        )
        suggestions = [s for s in map(self.suggestion, x.suggestions) if s is not None]
        return x.model_copy(update={"causes": kept, "message": message, "suggestions": suggestions})

    def soft(self, s: SoftConflict) -> SoftConflict | None:
        if s.code == "below_desired_exercises":
            if s.nation != self.nation:
                return None
        elif s.exercise not in self.involved:
            return None
        return s.model_copy(update={"suggestion": self.suggestion(s.suggestion)})


def for_nation(
    result: CalendarConflicts, scenario: Scenario, calendar: Calendar, nation: str
) -> CalendarConflicts:
    """`result` narrowed to what concerns `nation` (`scenario`: the calendar's snapshot)."""
    scope = _Scope(scenario, calendar, nation)
    unscheduled = [x for x in map(scope.explanation, result.unscheduled) if x is not None]
    return result.model_copy(
        update={
            "unscheduled": unscheduled,
            "soft": [s for s in map(scope.soft, result.soft) if s is not None],
            "data_conflicts": conflicts_for_nation(result.data_conflicts, scenario, nation),
            "minimal": sum(x.minimal for x in unscheduled),
        }
    )


__all__ = ["OWN_DATA_CAUSES", "for_nation"]
