"""/api/v1/conflicts: what is already wrong in the submitted data, before any solve."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.conflicts import service
from app.conflicts.schemas import ConflictList
from app.db import SessionDep
from app.errors import ErrorDetail, InvalidInput
from solver import CONFLICT_CODES

router = APIRouter(tags=["conflicts"])

_CODES = "\n".join(f"- `{code}`: {meaning}" for code, meaning in CONFLICT_CODES.items())


@router.get(
    "/conflicts",
    response_model=ConflictList,
    description=(
        "The data conflicts of the stored programme, errors first. Each has a stable `code`, a "
        "`severity` (error: no calendar can do what the data asks; warning: suspicious data), a "
        "plain-words `message`, and the ids of the exercises, units, nations and sites it names. "
        "The filters keep the conflicts that name the given id. A liaison officer sees the "
        "conflicts that concern their nation (naming it, one of its units, or an exercise it "
        "could take part in or host); one that also names other nations comes with a generic "
        "message and without their units.\n\nCodes:\n" + _CODES
    ),
    dependencies=[allow(rules.CONFLICTS)],
)
def list_conflicts(
    session: SessionDep,
    principal: PrincipalDep,
    severity: Annotated[Literal["error", "warning"] | None, Query()] = None,
    code: Annotated[str | None, Query(description="one of the codes below")] = None,
    nation: Annotated[str | None, Query(description="a nation code", examples=["SE"])] = None,
    exercise: Annotated[str | None, Query(description="an exercise id")] = None,
    unit: Annotated[str | None, Query(description="a unit id")] = None,
    site: Annotated[str | None, Query(description="a site id")] = None,
) -> ConflictList:
    if code is not None and code not in CONFLICT_CODES:
        raise InvalidInput(
            f"unknown conflict code {code!r}",
            errors=[
                ErrorDetail(
                    f"must be one of {', '.join(CONFLICT_CODES)}",
                    parameter="code",
                    location="query",
                )
            ],
        )
    keep = service.ConflictFilter(severity, code, nation, exercise, unit, site)
    return service.list_conflicts(session=session, keep=keep, only_nation=principal.nation_filter())
