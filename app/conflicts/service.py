"""Data conflicts of the stored programme: the scenario is built by the one mapper, then
`solver.data_conflicts` (pure) finds them; filters keep those naming a nation, exercise, ..."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.conflicts.schemas import ConflictList
from app.conflicts.scope import conflicts_for_nation
from app.scenario import service as scenario_service
from solver import DataConflict, data_conflicts


@dataclass(frozen=True, slots=True)
class ConflictFilter:
    severity: str | None = None
    code: str | None = None
    nation: str | None = None
    exercise: str | None = None
    unit: str | None = None
    site: str | None = None

    def keeps(self, c: DataConflict) -> bool:
        return (
            (self.severity is None or c.severity == self.severity)
            and (self.code is None or c.code == self.code)
            and (self.nation is None or self.nation in c.nations)
            and (self.exercise is None or self.exercise in c.exercises)
            and (self.unit is None or self.unit in c.units)
            and (self.site is None or self.site in c.sites)
        )


def list_conflicts(
    *, session: Session, keep: ConflictFilter, only_nation: str | None = None
) -> ConflictList:
    """The conflicts `keep` keeps; `only_nation` (a liaison officer's own): those concerning
    it, redacted as `app.conflicts.scope` says, before the filters apply."""
    scenario = scenario_service.find_scenario(session=session)
    if scenario is None:
        return ConflictList(scenario=None, errors=0, warnings=0, items=[])
    found = data_conflicts(scenario)
    if only_nation is not None:
        found = conflicts_for_nation(found, scenario, only_nation)
    items = [c for c in found if keep.keeps(c)]
    errors = sum(c.severity == "error" for c in items)
    return ConflictList(
        scenario=scenario.name, errors=errors, warnings=len(items) - errors, items=items
    )
