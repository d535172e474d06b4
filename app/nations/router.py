"""/api/v1/nations: the partner and allied nations of the programme."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.db import SessionDep
from app.dependencies import JsonBody, PageDep
from app.nations import service
from app.nations.schemas import NationPage
from solver import Nation

router = APIRouter(prefix="/nations", tags=["nations"])

CodePath = Annotated[str, Path(description="ISO 3166-1 alpha-2 code", examples=["PL"])]


@router.get("", response_model=NationPage, dependencies=[allow(rules.NATION_READ)])
def list_nations(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    role: Annotated[Literal["partner", "ally"] | None, Query()] = None,
) -> NationPage:
    """The nations, by code; `role` keeps partners or allies only. A liaison officer's
    listing holds their own nation only."""
    return service.list_nations(
        session=session, page=page, role=role, code=principal.nation_filter()
    )


@router.get("/{code}", response_model=Nation, dependencies=[allow(rules.NATION_READ)])
def get_nation(session: SessionDep, code: CodePath) -> Nation:
    return service.get_nation(session=session, code=code)


@router.post(
    "",
    response_model=Nation,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(rules.NATION_ADMIN), JsonBody],
)
def create_nation(session: SessionDep, nation: Nation, response: Response) -> Nation:
    created = service.create_nation(session=session, nation=nation)
    response.headers["Location"] = f"/api/v1/nations/{created.code}"
    return created


@router.put("/{code}", response_model=Nation, dependencies=[allow(rules.NATION_WRITE), JsonBody])
def replace_nation(
    session: SessionDep, principal: PrincipalDep, code: CodePath, nation: Nation
) -> Nation:
    """A liaison officer may replace their own nation, but not change its `role` (403)."""
    if principal.is_liaison:
        rules.check_liaison_nation_change(
            principal, service.get_nation(session=session, code=code), nation
        )
    return service.replace_nation(session=session, code=code, nation=nation)


@router.delete(
    "/{code}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[allow(rules.NATION_ADMIN)]
)
def delete_nation(session: SessionDep, code: CodePath) -> Response:
    """Refused (409) while units or sites refer to the nation."""
    service.delete_nation(session=session, code=code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
