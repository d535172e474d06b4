"""The whole programme as one `pfp-scenario/1` document: load, export, replace."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.errors import Conflict, ResourceNotFound
from app.scenario import mapper
from app.scenario import repository as scenario_repository
from app.scenario.rules import describe_problems
from app.scenario.schemas import ProgrammeBody
from solver import Scenario, Window, scenario_problems


class ProgrammeMissing(Conflict):
    """Writes need the programme's horizon, which a scenario or programme PUT sets first."""


def _no_programme(status: type[Conflict] | type[ResourceNotFound]) -> Exception:
    return status(
        "there is no programme yet: PUT /api/v1/scenario (a whole scenario) or "
        "PUT /api/v1/scenario/meta (its name and horizon) first"
    )


def load_scenario(*, session: Session) -> Scenario:
    """The stored programme as a scenario; 409 when there is none yet (writes need it)."""
    scenario = find_scenario(session=session)
    if scenario is None:
        raise _no_programme(ProgrammeMissing)
    return scenario


def export_scenario(*, session: Session) -> Scenario:
    """The stored programme as a scenario, read from one snapshot; 404 when there is none yet."""
    scenario_repository.read_snapshot(session)
    scenario = find_scenario(session=session)
    if scenario is None:
        raise _no_programme(ResourceNotFound)
    return scenario


def find_scenario(*, session: Session) -> Scenario | None:
    programme = scenario_repository.get_programme(session)
    if programme is None:
        return None
    return Scenario.model_construct(
        name=programme.name,
        horizon=Window.model_construct(start=programme.horizon_start, end=programme.horizon_end),
        nations=[mapper.nation_model(r) for r in scenario_repository.nations(session)],
        units=[mapper.unit_model(r) for r in scenario_repository.units(session)],
        sites=[mapper.site_model(r) for r in scenario_repository.sites(session)],
        exercises=[mapper.exercise_model(r) for r in scenario_repository.exercises(session)],
    )


def replace_scenario(*, session: Session, scenario: Scenario) -> None:
    """Replace every stored row by `scenario` (already validated), in the request's transaction."""
    scenario_repository.lock_programme(session)
    before = audit.scenario_summary(find_scenario(session=session))
    scenario_repository.wipe(session)
    scenario_repository.set_programme(
        session, name=scenario.name, start=scenario.horizon.start, end=scenario.horizon.end
    )
    session.flush()
    scenario_repository.bulk_insert(session, scenario)
    after = audit.scenario_summary(find_scenario(session=session))  # as a solve would hash it
    audit.record(
        session, action="replace", entity="scenario", entity_id=None, before=before, after=after
    )


def get_programme(*, session: Session) -> ProgrammeBody:
    programme = scenario_repository.get_programme(session)
    if programme is None:
        raise _no_programme(ResourceNotFound)
    return ProgrammeBody(
        name=programme.name,
        horizon=Window(start=programme.horizon_start, end=programme.horizon_end),
    )


def set_programme(*, session: Session, programme: ProgrammeBody) -> ProgrammeBody:
    """Rename the programme or move its horizon; 409 when stored data falls outside it."""
    scenario_repository.lock_programme(session)
    current = find_scenario(session=session)
    if current is not None:
        after = current.model_copy(update={"name": programme.name, "horizon": programme.horizon})
        problems = scenario_problems(after)
        if problems:
            raise Conflict(
                f"the horizon {programme.horizon.start}..{programme.horizon.end} would break "
                f"{len(problems)} rule(s) for the stored data (see errors); change those first",
                errors=[*describe_problems(after, problems)],
            )
    scenario_repository.set_programme(
        session, name=programme.name, start=programme.horizon.start, end=programme.horizon.end
    )
    before = None if current is None else ProgrammeBody(name=current.name, horizon=current.horizon)
    audit.record(
        session,
        action="replace",
        entity="programme",
        entity_id=None,
        before=audit.wire(before),
        after=audit.wire(programme),
    )
    return programme


__all__ = [
    "ProgrammeMissing",
    "export_scenario",
    "find_scenario",
    "get_programme",
    "load_scenario",
    "replace_scenario",
    "set_programme",
]
