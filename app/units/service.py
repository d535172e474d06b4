"""Units: list, read, create, replace, delete, each write checked against the contract."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.db.models import UnitRecord, new_availability_version
from app.dependencies import PageParams
from app.errors import Conflict, ErrorDetail, ResourceNotFound
from app.pagination import Page
from app.scenario import mapper, writes
from app.scenario import repository as scenario_repository
from app.units import repository
from solver import Unit


def list_units(
    *,
    session: Session,
    page: PageParams,
    nation: str | None = None,
    capability: str | None = None,
    only_nation: str | None = None,
) -> Page[Unit]:
    """The units by id; `only_nation` (a liaison officer's own) narrows whatever else is asked."""
    if only_nation is not None and nation not in (None, only_nation):
        return Page[Unit](items=[], total=0, limit=page.limit, offset=page.offset)
    records, total = repository.list_units(
        session,
        nation=only_nation or nation,
        capability=capability,
        limit=page.limit,
        offset=page.offset,
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
    writes.check_create(session=session, collection="units", item=unit, find=repository.get_unit)
    session.add(mapper.fill_unit(UnitRecord(), unit))
    session.flush()
    audit.record(
        session,
        action="create",
        entity="unit",
        entity_id=unit.id,
        nation=unit.nation,
        after=audit.wire(unit),
    )
    return unit


def replace_unit(*, session: Session, unit_id: str, unit: Unit) -> Unit:
    record = writes.check_replace(
        session=session,
        collection="units",
        path_key=unit_id,
        item=unit,
        get_record=lambda: get_record(session=session, unit_id=unit_id),
        lock=repository.lock_unit,
    )
    old = mapper.unit_model(record)
    mapper.fill_unit(record, unit)
    if (old.availability or None, old.blackouts) != (unit.availability or None, unit.blackouts):
        record.availability_version = new_availability_version()
    session.flush()
    audit.record(
        session,
        action="replace",
        entity="unit",
        entity_id=unit_id,
        nation=unit.nation,
        before=audit.wire(old),
        after=audit.wire(unit),
    )
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
    before = mapper.unit_model(record)
    session.delete(record)
    session.flush()
    audit.record(
        session,
        action="delete",
        entity="unit",
        entity_id=unit_id,
        nation=before.nation,
        before=audit.wire(before),
    )
