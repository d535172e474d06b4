"""/api/v1/audit: the trail of writes, newest first (admin: all; planner: programme data)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Query

from app.audit import service
from app.audit.repository import EventFilter
from app.audit.schemas import Action, AuditPage, Entity
from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.db import SessionDep
from app.dependencies import PageDep
from app.errors import ErrorDetail, InvalidInput

router = APIRouter(tags=["audit"])

RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII
)
TIME_HELP = "RFC 3339 date-time with an offset, e.g. 1995-06-01T00:00:00Z"


def _instant(value: str | None, parameter: str) -> dt.datetime | None:
    """An RFC 3339 date-time (an offset required) in UTC; 422 naming `parameter` otherwise."""
    if value is None:
        return None
    value = re.sub(r" (\d{2}:\d{2})$", r"+\1", value)  # an unencoded `+` arrives as a space
    parsed = None
    if RFC3339.match(value):
        try:
            parsed = dt.datetime.fromisoformat(value.upper()).astimezone(dt.UTC)
        except (ValueError, OverflowError):  # 1995-02-30; 0001-01-01T00:00:00+01:00
            parsed = None
    if parsed is None:
        raise InvalidInput(
            f"{parameter} {value!r} is not an RFC 3339 date-time",
            errors=[ErrorDetail(reason=TIME_HELP, parameter=parameter, location="query")],
        )
    return parsed


@router.get("/audit", response_model=AuditPage, dependencies=[allow(rules.AUDIT)])
def list_audit_events(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    nation: Annotated[
        str | None, Query(pattern=r"^[A-Z]{2}$", description="the nation concerned")
    ] = None,
    entity: Annotated[Entity | None, Query(description="the kind of resource written")] = None,
    entity_id: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            pattern=r"^[^\x00-\x1f]+$",
            description="the resource's id (an availability's: `nation/PL`, `unit/PL-INF-1`)",
        ),
    ] = None,
    action: Annotated[Action | None, Query()] = None,
    actor: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=16,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="the writer's token id",
        ),
    ] = None,
    since: Annotated[str | None, Query(description=f"from this instant on; {TIME_HELP}")] = None,
    until: Annotated[str | None, Query(description=f"before this instant; {TIME_HELP}")] = None,
) -> AuditPage:
    """Every write, newest first: who (the token), when, what (entity, id, nation), and the
    resource before and after. An admin sees all; a planner, the writes to programme data
    (sites, exercises, scenario, programme, calendars)."""
    start, end = _instant(since, "since"), _instant(until, "until")
    if start is not None and end is not None and end < start:
        raise InvalidInput(
            f"until {until} is before since {since}",
            errors=[
                ErrorDetail(reason="must not be before since", parameter="until", location="query")
            ],
        )
    where = EventFilter(
        nation=nation,
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor=actor,
        since=start,
        until=end,
    )
    return service.list_events(session=session, principal=principal, page=page, where=where)
