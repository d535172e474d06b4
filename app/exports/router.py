"""Calendar exports: pfp-calendar/1 JSON, CSV and iCalendar, whole or per nation.

`/calendars/{id}/export.json|.csv|.ics` (or `/export` with `?format=` or an `Accept` header);
`/calendars/{id}/nations/{code}.ics|.csv`; the published programme (latest approved calendar)
as `/programme.ics` and `/nations/{code}/programme.ics`. Responses carry a strong ETag (the
body's hash), so calendar programs polling a feed get 304 until it changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from app.auth import rules
from app.auth.dependencies import PrincipalDep
from app.auth.principal import Principal
from app.auth.rules import allow
from app.db import SessionDep
from app.errors import ErrorDetail
from app.exports import service
from app.exports.csv_export import calendar_csv
from app.exports.document import CalendarVersion, calendar_json
from app.exports.ical_export import ALL, calendar_ical, programme_slug

router = APIRouter(tags=["exports"])

Format = Literal["json", "csv", "ics"]
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}
_ACCEPTED = {
    "application/json": "json",
    "text/csv": "csv",
    "text/calendar": "ics",
}
_RESPONSES = {
    200: {
        "content": {
            "application/json": {},
            "text/csv": {"schema": {"type": "string"}},
            "text/calendar": {"schema": {"type": "string"}},
        }
    },
    304: {"description": "not modified (If-None-Match)"},
    404: {"description": "unknown calendar or nation, or no published programme"},
    409: {"description": "the job has no calendar yet"},
}
ID = Annotated[str, Path(description="the calendar id")]


def _render(
    version: CalendarVersion, fmt: str, nation: str | None = None, personnel_of: str | None = ALL
) -> bytes:
    render: dict[str, Callable[[], bytes]] = {
        "json": lambda: calendar_json(version),
        "csv": lambda: calendar_csv(version, nation=nation),
        "ics": lambda: calendar_ical(version, nation=nation, personnel_of=personnel_of),
    }
    return render[fmt]()


def _personnel_of(principal: Principal) -> str | None:
    """Whose units' personnel a published feed shows: staff all, a liaison their own only."""
    return ALL if rules.is_staff(principal) else principal.nation


def _download(
    request: Request,
    version: CalendarVersion,
    fmt: str,
    nation: str | None = None,
    personnel_of: str | None = ALL,
) -> Response:
    body = _render(version, fmt, nation, personnel_of)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    stem = programme_slug(version.scenario.name) + f"-{version.id}"
    if nation is not None:
        stem += f"-{nation.lower()}"
    headers = {
        "ETag": etag,
        "Content-Disposition": f'attachment; filename="{stem}.{fmt}"',
        "Cache-Control": "no-cache",
        "Vary": "Authorization",  # the published feeds differ by role
    }
    wanted = request.headers.get("if-none-match", "")
    if etag in (t.strip() for t in wanted.split(",")) or wanted.strip() == "*":
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=MEDIA_TYPES[fmt], headers=headers)


def negotiate(accept: str | None) -> str:
    """The export format an `Accept` header prefers (q-values honoured); JSON for */*."""
    if not accept:
        return "json"
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        media = media.lower()
        fmt = _ACCEPTED.get(media) or ("json" if media in ("*/*", "application/*") else None)
        fmt = fmt or ("csv" if media == "text/*" else None)
        if fmt is not None and q > 0 and (best is None or (q, -position) > best[:2]):
            best = (q, -position, fmt)
    if best is None:
        raise service.NotAcceptable(
            "none of the accepted media types can be produced",
            errors=[
                ErrorDetail(
                    "accept one of " + ", ".join(_ACCEPTED), parameter="accept", location="header"
                )
            ],
        )
    return best[2]


@router.get(
    "/calendars/{calendar_id}/export",
    responses=_RESPONSES | {406: {"description": "no acceptable format in Accept"}},
    dependencies=[allow(rules.ALL_DATA_READ)],
)
def export_calendar(
    request: Request,
    session: SessionDep,
    calendar_id: ID,
    format: Annotated[Format | None, Query(description="else chosen by Accept")] = None,
    nation: Annotated[
        str | None, Query(description="only this nation's exercises (csv, ics)")
    ] = None,
) -> Response:
    """The calendar as JSON (pfp-calendar/1), CSV or iCalendar, by `format` or `Accept`."""
    fmt = format or negotiate(request.headers.get("accept"))
    version = service.calendar_version(
        session=session, calendar_id=calendar_id, with_previous=fmt == "ics"
    )
    if nation is not None:
        service.require_nation(version, nation)
    return _download(request, version, fmt, None if fmt == "json" else nation)


def _export_as(fmt: str) -> Callable[..., Response]:
    def export(request: Request, session: SessionDep, calendar_id: ID) -> Response:
        version = service.calendar_version(
            session=session, calendar_id=calendar_id, with_previous=fmt == "ics"
        )
        return _download(request, version, fmt)

    export.__name__ = f"export_calendar_{fmt}"
    export.__doc__ = f"The calendar as {MEDIA_TYPES[fmt].split(';')[0]}."
    return export


for _fmt in MEDIA_TYPES:
    router.add_api_route(
        f"/calendars/{{calendar_id}}/export.{_fmt}",
        _export_as(_fmt),
        methods=["GET"],
        responses=_RESPONSES,
        response_class=Response,
        dependencies=[allow(rules.ALL_DATA_READ)],
    )


@router.get(
    "/calendars/{calendar_id}/nations/{code}.ics",
    responses=_RESPONSES,
    dependencies=[allow(rules.ALL_DATA_READ)],
)
def export_nation_ical(
    request: Request, session: SessionDep, calendar_id: ID, code: str
) -> Response:
    """One nation's feed from any calendar: only the exercises where it has units."""
    version = service.calendar_version(session=session, calendar_id=calendar_id, with_previous=True)
    service.require_nation(version, code)
    return _download(request, version, "ics", code)


@router.get(
    "/calendars/{calendar_id}/nations/{code}.csv",
    responses=_RESPONSES,
    dependencies=[allow(rules.ALL_DATA_READ)],
)
def export_nation_csv(
    request: Request, session: SessionDep, calendar_id: ID, code: str
) -> Response:
    """One nation's exercises from any calendar, as CSV."""
    version = service.calendar_version(session=session, calendar_id=calendar_id)
    service.require_nation(version, code)
    return _download(request, version, "csv", code)


@router.get("/programme.ics", responses=_RESPONSES, dependencies=[allow(rules.PUBLISHED)])
def published_ical(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """The published programme (latest approved calendar) as an iCalendar feed. Units are
    named with their nation and capability; their personnel only for staff and for a liaison
    officer's own nation."""
    version = service.require_published(session=session, with_previous=True)
    return _download(request, version, "ics", personnel_of=_personnel_of(principal))


@router.get(
    "/nations/{code}/programme.ics",
    responses=_RESPONSES,
    dependencies=[allow(rules.PUBLISHED_NATION)],
)
def published_nation_ical(
    request: Request, session: SessionDep, principal: PrincipalDep, code: str
) -> Response:
    """A nation's feed of the published programme: the exercises where it has units (a
    liaison officer: their own nation's only; personnel as in `/programme.ics`)."""
    version = service.require_published(session=session, with_previous=True)
    service.require_nation(version, code)
    return _download(request, version, "ics", code, _personnel_of(principal))
