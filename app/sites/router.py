"""/api/v1/sites: the host training areas, ports and airfields."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response, status

from app.auth import rules
from app.auth.rules import allow
from app.db import SessionDep
from app.dependencies import JsonBody, PageDep
from app.sites import service
from app.sites.schemas import SitePage
from solver import Site
from solver.scenario import SiteKind

router = APIRouter(prefix="/sites", tags=["sites"])

SiteIdPath = Annotated[str, Path(description="the site's id", examples=["PL-DRAWSKO"])]


@router.get("", response_model=SitePage, dependencies=[allow(rules.PROGRAMME_READ)])
def list_sites(
    session: SessionDep,
    page: PageDep,
    host: Annotated[
        str | None, Query(pattern=r"^[A-Z]{2}$", description="the host nation's code")
    ] = None,
    kind: Annotated[SiteKind | None, Query()] = None,
) -> SitePage:
    """The sites, by id; filter by `host` nation and `kind`."""
    return service.list_sites(session=session, page=page, host=host, kind=kind)


@router.get("/{site_id}", response_model=Site, dependencies=[allow(rules.PROGRAMME_READ)])
def get_site(session: SessionDep, site_id: SiteIdPath) -> Site:
    return service.get_site(session=session, site_id=site_id)


@router.post(
    "",
    response_model=Site,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(rules.PROGRAMME_WRITE), JsonBody],
)
def create_site(session: SessionDep, site: Site, response: Response) -> Site:
    created = service.create_site(session=session, site=site)
    response.headers["Location"] = f"/api/v1/sites/{quote(created.id, safe='')}"
    return created


@router.put(
    "/{site_id}", response_model=Site, dependencies=[allow(rules.PROGRAMME_WRITE), JsonBody]
)
def replace_site(session: SessionDep, site_id: SiteIdPath, site: Site) -> Site:
    return service.replace_site(session=session, site_id=site_id, site=site)


@router.delete(
    "/{site_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[allow(rules.PROGRAMME_WRITE)],
)
def delete_site(session: SessionDep, site_id: SiteIdPath) -> Response:
    """Refused (409) while an exercise lists the site or is pinned to it."""
    service.delete_site(session=session, site_id=site_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
