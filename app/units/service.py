"""Units: list, read, create, replace, delete, each write checked against the contract."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.models import UnitRecord, new_availability_version
from app.dependencies import PageParams
from app.errors import Conflict, ErrorDetail, InvalidInput, ResourceNotFound
from app.pagination import Page
from app.scenario import mapper, rules
from app.scenario import repository as scenario_repository
from app.scenario import service as scenario_service
from app.units import repository
from solver import Unit


def list_units(
    *,
    session: Session,
    page: PageParams,
    nation: str | None = None,
    capability: str | None = None,
) -> Page[Unit]:
    records, total = repository.list_units(
        session, nation=nation, capability=capability, limit=page.limit, offset=page.offset
    )
    return Page[Unit](
        items=[mapper.unit_model(r) for r in records],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def get_record(*, session: Session, unit_id: str) -> UnitRecord:
    """The stored unit, or 404 (for other domains too, e.g. availability)."""
    record = repository.get_unit(session, unit_id)
    if record is None:
        raise ResourceNotFound(f"no unit with id {unit_id!r}")
    return record


def get_unit(*, session: Session, unit_id: str) -> Unit:
    return mapper.unit_model(get_record(session=session, unit_id=unit_id))


def create_unit(*, session: Session, unit: Unit) -> Unit:
    rules.check_storable_item(collection="units", item=unit)
    scenario_repository.lock_programme(session)
    if repository.get_unit(session, unit.id) is not None:
        raise Conflict(
            f"unit {unit.id!r} already exists; PUT /api/v1/units/{unit.id} replaces it",
            errors=[ErrorDetail(f"unit {unit.id!r} already exists", pointer="/id")],
        )
    scenario = scenario_service.load_scenario(session=session)
    rules.check_write(scenario=scenario, collection="units", item=unit, replaces=None)
    session.add(mapper.fill_unit(UnitRecord(), unit))
    session.flush()
    return unit


def replace_unit(*, session: Session, unit_id: str, unit: Unit) -> Unit:
    rules.check_storable_item(collection="units", item=unit)
    scenario_repository.lock_programme(session)
    repository.lock_unit(session, unit_id)
    if unit.id != unit_id:
        raise InvalidInput(
            f"the body's id {unit.id!r} differs from the path's {unit_id!r}",
            errors=[ErrorDetail(f"must be {unit_id!r}, as in the path", pointer="/id")],
        )
    record = get_record(session=session, unit_id=unit_id)
    old = mapper.unit_model(record)
    scenario = scenario_service.load_scenario(session=session)
    rules.check_write(scenario=scenario, collection="units", item=unit, replaces=unit_id)
    mapper.fill_unit(record, unit)
    if (old.availability or None, old.blackouts) != (unit.availability or None, unit.blackouts):
        record.availability_version = new_availability_version()
    session.flush()
    return unit


def delete_unit(*, session: Session, unit_id: str) -> None:
    scenario_repository.lock_programme(session)
    repository.lock_unit(session, unit_id)
    record = get_record(session=session, unit_id=unit_id)
    pinned_in = repository.exercises_pinning(session, unit_id)
    if pinned_in:
        reasons = [f"unit {unit_id} is pinned in exercise {e}" for e in pinned_in]
        raise Conflict(
            "; ".join(reasons) + ". Unpin it first.",
            errors=[ErrorDetail(r, pointer="") for r in reasons],
        )
    session.delete(record)
    session.flush()
