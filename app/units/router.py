"""/api/v1/units: the units the nations declare, one capability each."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response, status

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.db import SessionDep
from app.dependencies import JsonBody, PageDep
from app.units import service
from app.units.schemas import UnitPage
from solver import Unit

router = APIRouter(prefix="/units", tags=["units"])

UnitIdPath = Annotated[str, Path(description="the unit's id", examples=["PL-INF-1"])]


@router.get("", response_model=UnitPage, dependencies=[allow(rules.NATION_READ)])
def list_units(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    nation: Annotated[str | None, Query(description="a nation code", examples=["PL"])] = None,
    capability: Annotated[
        str | None, Query(description="a capability", examples=["infantry_company"])
    ] = None,
) -> UnitPage:
    """The units, by id; filter by `nation` and `capability`. A liaison officer's listing
    holds their own nation's units only (another `nation` gives an empty page)."""
    return service.list_units(
        session=session,
        page=page,
        nation=nation,
        capability=capability,
        only_nation=principal.nation_filter(),
    )


@router.get("/{unit_id}", response_model=Unit, dependencies=[allow(rules.NATION_READ)])
def get_unit(session: SessionDep, unit_id: UnitIdPath) -> Unit:
    return service.get_unit(session=session, unit_id=unit_id)


@router.post(
    "",
    response_model=Unit,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(rules.NATION_WRITE), JsonBody],
)
def create_unit(
    session: SessionDep, principal: PrincipalDep, unit: Unit, response: Response
) -> Unit:
    """A liaison officer adds units of their own nation only (another: 404, as if unknown)."""
    rules.check_own_nation(principal, unit.nation)
    created = service.create_unit(session=session, unit=unit)
    response.headers["Location"] = f"/api/v1/units/{quote(created.id, safe='')}"
    return created


@router.put("/{unit_id}", response_model=Unit, dependencies=[allow(rules.NATION_WRITE), JsonBody])
def replace_unit(
    session: SessionDep, principal: PrincipalDep, unit_id: UnitIdPath, unit: Unit
) -> Unit:
    """A liaison officer may not move a unit to another nation (404, as for an unknown one)."""
    rules.check_own_nation(principal, unit.nation)
    return service.replace_unit(session=session, unit_id=unit_id, unit=unit)


@router.delete(
    "/{unit_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[allow(rules.NATION_WRITE)]
)
def delete_unit(session: SessionDep, unit_id: UnitIdPath) -> Response:
    """Refused (409) while an exercise pins the unit."""
    service.delete_unit(session=session, unit_id=unit_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
