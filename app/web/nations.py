"""The nation pages: the list (staff) and one nation's page, with its availability editor.

The page itself shows the nation and its units (a liaison officer's own data). Where the units
are assigned and the nation's conflicts are drawn by `nation.js` from the JSON API, so that they
are exactly what the API shows this role, and are drawn again after each change of
availability: the conflict an edit causes shows at once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from starlette.responses import Response

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.db import SessionDep
from app.dependencies import PageParams
from app.errors import ServiceError
from app.nations import service as nations_service
from app.scenario import service as scenario_service
from app.units import service as units_service
from app.web.routing import page_router
from app.web.templating import render

router = page_router()

MANY = 10_000  # every unit of one nation; every nation


@router.get("/nations", dependencies=[allow(rules.ALL_DATA_READ)])
def nations_page(request: Request, session: SessionDep) -> Response:
    """Every nation, with a link to its page (a liaison officer's menu links their own)."""
    nations = nations_service.list_nations(session=session, page=PageParams(MANY, 0)).items
    units = units_service.list_units(session=session, page=PageParams(MANY, 0)).items
    count: dict[str, int] = {}
    for unit in units:
        count[unit.nation] = count.get(unit.nation, 0) + 1
    return render(
        request, "nations.html", title="Nations - pfp-scheduler", nations=nations, units=count
    )


@router.get("/nations/{code}", dependencies=[allow(rules.NATION_READ)])
def nation_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    code: Annotated[str, Path(max_length=2)],
) -> Response:
    """A nation, its units, their availability (an editor for those who may change it), where
    its units go and its conflicts. A liaison officer's rule admits their own nation only."""
    nation = nations_service.get_nation(session=session, code=code)
    units = units_service.list_units(session=session, page=PageParams(MANY, 0), nation=code).items
    try:
        horizon = scenario_service.get_programme(session=session).horizon
    except ServiceError:  # no programme stored yet
        horizon = None
    return render(
        request,
        "nation.html",
        title=f"{nation.name} - pfp-scheduler",
        nation=nation,
        units=units,
        horizon=horizon,
        may_write=rules.NATION_WRITE.admits(principal.role),
    )


__all__ = ["router"]
