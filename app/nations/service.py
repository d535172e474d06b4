"""Nations: list, read, create, replace, delete, each write checked against the contract."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.db.models import NationRecord, new_availability_version
from app.dependencies import PageParams
from app.errors import Conflict, ErrorDetail, ResourceNotFound
from app.nations import repository
from app.pagination import Page
from app.scenario import mapper, writes
from app.scenario import repository as scenario_repository
from solver import Nation


def _listing(ids: list[str], limit: int = 10) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def list_nations(
    *, session: Session, page: PageParams, role: str | None = None, code: str | None = None
) -> Page[Nation]:
    """The nations by code; `code` keeps that one only (a liaison officer's listing)."""
    records, total = repository.list_nations(
        session, role=role, limit=page.limit, offset=page.offset, code=code
    )
    return Page[Nation](
        items=[mapper.nation_model(r) for r in records],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def get_record(*, session: Session, code: str) -> NationRecord:
    """The stored nation, or 404 (for other domains too, e.g. availability)."""
    record = repository.get_nation(session, code)
    if record is None:
        raise ResourceNotFound(f"no nation with code {code!r}")
    return record


def get_nation(*, session: Session, code: str) -> Nation:
    return mapper.nation_model(get_record(session=session, code=code))


def create_nation(*, session: Session, nation: Nation) -> Nation:
    writes.check_create(
        session=session, collection="nations", item=nation, find=repository.get_nation
    )
    session.add(mapper.fill_nation(NationRecord(), nation))
    session.flush()
    audit.record(
        session,
        action="create",
        entity="nation",
        entity_id=nation.code,
        nation=nation.code,
        after=audit.wire(nation),
    )
    return nation


def replace_nation(*, session: Session, code: str, nation: Nation) -> Nation:
    record = writes.check_replace(
        session=session,
        collection="nations",
        path_key=code,
        item=nation,
        get_record=lambda: get_record(session=session, code=code),
        lock=repository.lock_nation,
    )
    old = mapper.nation_model(record)
    mapper.fill_nation(record, nation)
    if (old.availability or None, old.blackouts) != (nation.availability or None, nation.blackouts):
        record.availability_version = new_availability_version()
    session.flush()
    audit.record(
        session,
        action="replace",
        entity="nation",
        entity_id=code,
        nation=code,
        before=audit.wire(old),
        after=audit.wire(nation),
    )
    return nation


def delete_nation(*, session: Session, code: str) -> None:
    scenario_repository.lock_programme(session)
    repository.lock_nation(session, code)
    record = get_record(session=session, code=code)
    units = repository.unit_ids_of(session, code)
    sites = repository.sites_hosted_by(session, code)
    reasons = []
    if units:
        reasons.append(f"nation {code} has {len(units)} unit(s): {_listing(units)}")
    if sites:
        reasons.append(f"nation {code} hosts {len(sites)} site(s): {_listing(sites)}")
    if reasons:
        raise Conflict(
            "; ".join(reasons) + ". Delete or move those first.",
            errors=[ErrorDetail(r, pointer="") for r in reasons],
        )
    before = audit.wire(mapper.nation_model(record))
    session.delete(record)
    session.flush()
    audit.record(
        session, action="delete", entity="nation", entity_id=code, nation=code, before=before
    )
