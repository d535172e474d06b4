"""/api/v1/nations/{code}/availability and /api/v1/units/{id}/availability.

The liaison officer's main act: read the whole set of windows and blackouts (with its ETag),
then replace it whole with `If-Match` — as JSON, or as an iCalendar file of blackouts.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Response

from app.auth import rules
from app.auth.rules import allow
from app.availability import service
from app.availability.dependencies import OneWriterOnSqlite, RawBody
from app.availability.repository import Owner
from app.availability.schemas import AvailabilitySet
from app.db import SessionDep
from app.dependencies import require_content_type

router = APIRouter(tags=["availability"])

CodePath = Annotated[str, Path(description="ISO 3166-1 alpha-2 code", examples=["PL"])]
UnitPath = Annotated[str, Path(description="the unit's id", examples=["PL-INF-1"])]
IfMatch = Annotated[
    str | None, Header(description="the ETag of your last GET (required: 428 without it)")
]
IfNoneMatch = Annotated[str | None, Header(description="answer 304 if this is still current")]
MediaType = Annotated[str, Depends(require_content_type("application/json", service.CALENDAR))]

_PUT_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/AvailabilitySet"}},
            "text/calendar": {
                "schema": {
                    "type": "string",
                    "description": "an iCalendar file: its events (recurrences expanded over "
                    "the horizon) and FREEBUSY BUSY-UNAVAILABLE periods replace the blackouts; "
                    "the availability windows are kept",
                }
            },
        },
    }
}
_PUT_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "a body or If-Match header that cannot be read"},
    404: {"description": "no such nation or unit"},
    412: {"description": "If-Match is no longer current: GET again (the ETag header is current)"},
    415: {"description": "neither application/json nor text/calendar"},
    422: {"description": "windows out of order or outside the horizon; an unreadable iCalendar"},
    428: {"description": "If-Match is missing"},
}


def _answer(stored: service.StoredAvailability, response: Response) -> AvailabilitySet:
    response.headers["ETag"] = stored.etag
    response.headers["Cache-Control"] = "no-cache"
    return stored.body


def _get(
    session: SessionDep, owner: Owner, key: str, if_none_match: str | None, response: Response
) -> AvailabilitySet | Response:
    stored = service.get_availability(session=session, owner=owner, key=key)
    if service.matches(if_none_match, stored.etag):
        return Response(status_code=304, headers={"ETag": stored.etag})
    return _answer(stored, response)


def _put(
    session: SessionDep,
    owner: Owner,
    key: str,
    if_match: str | None,
    media_type: str,
    body: bytes,
    response: Response,
) -> AvailabilitySet:
    stored = service.put_availability(
        session=session,
        owner=owner,
        key=key,
        if_match=if_match,
        media_type=media_type,
        body=body,
    )
    return _answer(stored, response)


@router.get(
    "/nations/{code}/availability",
    response_model=AvailabilitySet,
    responses={304: {"description": "not modified"}, 404: {"description": "no such nation"}},
    dependencies=[allow(rules.NATION_READ)],
)
def get_nation_availability(
    session: SessionDep, code: CodePath, response: Response, if_none_match: IfNoneMatch = None
) -> Any:
    """The nation's availability windows and blackouts; the ETag header names this version."""
    return _get(session, "nation", code, if_none_match, response)


@router.put(
    "/nations/{code}/availability",
    response_model=AvailabilitySet,
    openapi_extra=_PUT_DOC,
    responses=_PUT_RESPONSES,
    dependencies=[allow(rules.NATION_WRITE), OneWriterOnSqlite],
)
def put_nation_availability(
    session: SessionDep,
    code: CodePath,
    media_type: MediaType,
    body: RawBody,
    response: Response,
    if_match: IfMatch = None,
) -> AvailabilitySet:
    """Replace the nation's whole set in one write, if If-Match is still current."""
    return _put(session, "nation", code, if_match, media_type, body, response)


@router.get(
    "/units/{unit_id}/availability",
    response_model=AvailabilitySet,
    responses={304: {"description": "not modified"}, 404: {"description": "no such unit"}},
    dependencies=[allow(rules.NATION_READ)],
)
def get_unit_availability(
    session: SessionDep, unit_id: UnitPath, response: Response, if_none_match: IfNoneMatch = None
) -> Any:
    """The unit's own availability windows and blackouts (its nation's apply on top)."""
    return _get(session, "unit", unit_id, if_none_match, response)


@router.put(
    "/units/{unit_id}/availability",
    response_model=AvailabilitySet,
    openapi_extra=_PUT_DOC,
    responses=_PUT_RESPONSES,
    dependencies=[allow(rules.NATION_WRITE), OneWriterOnSqlite],
)
def put_unit_availability(
    session: SessionDep,
    unit_id: UnitPath,
    media_type: MediaType,
    body: RawBody,
    response: Response,
    if_match: IfMatch = None,
) -> AvailabilitySet:
    """Replace the unit's whole set in one write, if If-Match is still current."""
    return _put(session, "unit", unit_id, if_match, media_type, body, response)
