"""Sites: list, read, create, replace, delete, each write checked against the contract."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.db.models import SiteRecord
from app.dependencies import PageParams
from app.errors import Conflict, ErrorDetail, ResourceNotFound
from app.pagination import Page
from app.scenario import mapper, writes
from app.scenario import repository as scenario_repository
from app.sites import repository
from solver import Site


def list_sites(
    *, session: Session, page: PageParams, host: str | None = None, kind: str | None = None
) -> Page[Site]:
    records, total = repository.list_sites(
        session, host=host, kind=kind, limit=page.limit, offset=page.offset
    )
    return Page[Site](
        items=[mapper.site_model(r) for r in records],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def get_record(*, session: Session, site_id: str) -> SiteRecord:
    record = repository.get_site(session, site_id)
    if record is None:
        raise ResourceNotFound(f"no site with id {site_id!r}")
    return record


def get_site(*, session: Session, site_id: str) -> Site:
    return mapper.site_model(get_record(session=session, site_id=site_id))


def create_site(*, session: Session, site: Site) -> Site:
    writes.check_create(session=session, collection="sites", item=site, find=repository.get_site)
    session.add(mapper.fill_site(SiteRecord(), site))
    session.flush()
    audit.record(
        session,
        action="create",
        entity="site",
        entity_id=site.id,
        nation=site.host,
        after=audit.wire(site),
    )
    return site


def replace_site(*, session: Session, site_id: str, site: Site) -> Site:
    record = writes.check_replace(
        session=session,
        collection="sites",
        path_key=site_id,
        item=site,
        get_record=lambda: get_record(session=session, site_id=site_id),
    )
    before = mapper.site_model(record)
    mapper.fill_site(record, site)
    session.flush()
    audit.record(
        session,
        action="replace",
        entity="site",
        entity_id=site_id,
        nation=site.host,
        before=audit.wire(before),
        after=audit.wire(site),
    )
    return site


def delete_site(*, session: Session, site_id: str) -> None:
    scenario_repository.lock_programme(session)
    record = get_record(session=session, site_id=site_id)
    reasons = [
        f"site {site_id} is listed among the eligible sites of exercise {e}"
        for e in repository.exercises_listing(session, site_id)
    ]
    reasons += [
        f"exercise {e} is pinned to site {site_id}"
        for e in repository.exercises_pinned_to(session, site_id)
    ]
    if reasons:
        raise Conflict(
            "; ".join(reasons) + ". Change those exercises first.",
            errors=[ErrorDetail(r, pointer="") for r in reasons],
        )
    before = mapper.site_model(record)
    session.delete(record)
    session.flush()
    audit.record(
        session,
        action="delete",
        entity="site",
        entity_id=site_id,
        nation=before.host,
        before=audit.wire(before),
    )
