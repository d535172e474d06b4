"""Availability: read and replace a nation's or unit's whole set of windows, guarded by ETags.

A GET answers with a strong ETag built from the owner's `availability_version`. A PUT must send
it back in `If-Match`: the version moves on in one conditional UPDATE in the same transaction
as the window rows are replaced, so of two officers who read the same version exactly one
write is kept and the other gets 412 (none is ever silently lost). Missing If-Match is 428.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import rules
from app.availability import repository
from app.availability.ical import ICalendarInvalid, blackouts_from_ical
from app.availability.repository import Owner, Span
from app.availability.schemas import AvailabilitySet, AvailabilityWindow
from app.errors import (
    BadRequest,
    Conflict,
    ErrorDetail,
    InvalidInput,
    PreconditionFailed,
    PreconditionRequired,
    ResourceNotFound,
)
from solver import Window, problems_from_validation_error

MAX_WINDOWS = 1000
CALENDAR = "text/calendar"


@dataclass(frozen=True, slots=True)
class StoredAvailability:
    """The stored set and the ETag that names this version of it."""

    body: AvailabilitySet
    etag: str


def etag_of(version: int) -> str:
    return f'"{version}"'


def _what(owner: Owner, key: str) -> str:
    return f"{owner} {key!r}"


def _not_found(owner: Owner, key: str) -> ResourceNotFound:
    """The same 404 as the nation's or unit's own (and as a liaison officer gets for another
    nation's), so the availability routes tell nothing more."""
    return rules.nation_not_found(key) if owner == "nation" else rules.unit_not_found(key)


def get_availability(*, session: Session, owner: Owner, key: str) -> StoredAvailability:
    current = repository.version(session, owner, key)
    if current is None:
        raise _not_found(owner, key)
    return StoredAvailability(_body(session, owner, key), etag_of(current))


def _body(session: Session, owner: Owner, key: str) -> AvailabilitySet:
    return _as_body(*repository.windows(session, owner, key))


def _as_body(availability: list[Span], blackouts: list[Span]) -> AvailabilitySet:
    return AvailabilitySet.model_construct(
        availability=[AvailabilityWindow.model_construct(start=a, end=b) for a, b in availability]
        or None,
        blackouts=[AvailabilityWindow.model_construct(start=a, end=b) for a, b in blackouts],
    )


def matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match (weak comparison): does it name this ETag?"""
    if if_none_match is None:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def expected_versions(if_match: str | None, owner: Owner, key: str) -> list[int] | None:
    """The versions If-Match accepts (None for `*`); 428 when absent, 400 when unreadable."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            f"replacing the availability of {_what(owner, key)} needs If-Match with the ETag "
            "of your last GET, so that no one else's change is overwritten unseen",
            errors=[
                ErrorDetail(
                    "required: the ETag of your last GET", parameter="if-match", location="header"
                )
            ],
        )
    if if_match.strip() == "*":
        return None
    versions: list[int] = []
    for tag in (t.strip() for t in if_match.split(",")):
        if tag.startswith("W/"):
            continue  # If-Match compares strongly: a weak tag never matches
        inner = tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else None
        if inner is None or not inner.isdigit() or len(inner) > 19:
            raise BadRequest(
                f'If-Match {if_match!r} is not a list of entity tags such as "1699999999"',
                errors=[
                    ErrorDetail(
                        f"{tag!r} is not a quoted ETag from a GET",
                        parameter="if-match",
                        location="header",
                    )
                ],
            )
        versions.append(int(inner))
    return versions


def stale(owner: Owner, key: str, if_match: str | None, current: int) -> PreconditionFailed:
    """412: the version named in If-Match is no longer the stored one."""
    return PreconditionFailed(
        f"the availability of {_what(owner, key)} has changed since your GET "
        f"(If-Match {if_match}, now {etag_of(current)}); GET it again, then PUT",
        errors=[ErrorDetail("is no longer current", parameter="if-match", location="header")],
        headers={"ETag": etag_of(current)},
    )


def refuse_if_stale(*, session: Session, owner: Owner, key: str, if_match: str | None) -> None:
    """A cheap early 412 (or 428/400) before a writer queues; the conditional UPDATE decides."""
    expected = expected_versions(if_match, owner, key)
    current = repository.version(session, owner, key)
    if expected is not None and current is not None and current not in expected:
        raise stale(owner, key, if_match, current)


def put_availability(
    *,
    session: Session,
    owner: Owner,
    key: str,
    if_match: str | None,
    media_type: str,
    body: bytes,
) -> StoredAvailability:
    """Replace the whole set (JSON) or the blackouts (iCalendar) if If-Match is current."""
    expected = expected_versions(if_match, owner, key)
    if repository.version(session, owner, key) is None:
        raise _not_found(owner, key)
    span = repository.horizon(session)
    if span is None:
        raise Conflict("there is no programme yet: PUT /api/v1/scenario first")
    horizon = Window.model_construct(start=span[0], end=span[1])
    if media_type == CALENDAR:
        availability, blackouts = None, _blackouts_from_ical(body, horizon)
    else:
        availability, blackouts = _windows_from_json(body, horizon)

    version = repository.compare_and_set_version(session, owner, key, expected)
    if version is None:
        current = repository.version(session, owner, key)
        if current is None:
            raise _not_found(owner, key)
        raise stale(owner, key, if_match, current)
    before = _body(session, owner, key)
    repository.replace_windows(session, owner, key, availability=availability, blackouts=blackouts)
    if availability is None:  # iCalendar: the kept availability windows are read back
        stored = StoredAvailability(_body(session, owner, key), etag_of(version))
    else:
        stored = StoredAvailability(_as_body(availability, blackouts), etag_of(version))
    audit.record(
        session,
        action="replace",
        entity="availability",
        entity_id=f"{owner}/{key}",
        nation=key if owner == "nation" else audit.unit_nation(key),
        before=audit.wire(before),
        after=audit.wire(stored.body),
    )
    return stored


def _blackouts_from_ical(body: bytes, horizon: Window) -> list[Span]:
    try:
        found = blackouts_from_ical(body, horizon)
    except ICalendarInvalid as error:
        raise InvalidInput(
            f"the iCalendar file cannot be read: {error.reason}",
            errors=[ErrorDetail(error.reason, pointer="", code="ical_invalid")],
        ) from None
    return [(w.start, w.end) for w in found.blackouts]


def _windows_from_json(body: bytes, horizon: Window) -> tuple[list[Span], list[Span]]:
    try:
        parsed = AvailabilitySet.model_validate_json(body or b"")
    except ValidationError as error:
        problems = problems_from_validation_error(error)
        if any(p.code == "json_invalid" for p in problems):
            raise BadRequest(
                "the request body is not valid JSON",
                errors=[ErrorDetail(p.reason, pointer="", code=p.code) for p in problems],
            ) from None
        raise InvalidInput(
            f"the availability breaks {len(problems)} rule{'s' if len(problems) != 1 else ''}",
            errors=[ErrorDetail(p.reason, pointer=p.pointer, code=p.code) for p in problems],
        ) from None
    errors: list[ErrorDetail] = []
    out: dict[str, list[Span]] = {}
    for name, windows in (("availability", parsed.availability), ("blackouts", parsed.blackouts)):
        windows = windows or []
        if len(windows) > MAX_WINDOWS:
            errors.append(
                ErrorDetail(f"at most {MAX_WINDOWS} windows", f"/{name}", code="too_long")
            )
        for i, w in enumerate(windows):
            errors += _window_errors(w, horizon, f"/{name}/{i}")
        out[name] = [(w.start, w.end) for w in windows]
    if errors:
        raise InvalidInput(
            f"the availability breaks {len(errors)} rule{'s' if len(errors) != 1 else ''}",
            errors=errors,
        )
    return out["availability"], out["blackouts"]


def _window_errors(w: AvailabilityWindow, horizon: Window, at: str) -> list[ErrorDetail]:
    out = []
    if w.end < w.start:
        out.append(
            ErrorDetail(f"end {w.end} is before start {w.start}", f"{at}/end", code="window_order")
        )
    if not horizon.contains(w.start):
        out.append(_outside(w.start, horizon, f"{at}/start"))
    if not horizon.contains(w.end):
        out.append(_outside(w.end, horizon, f"{at}/end"))
    return out


def _outside(day: dt.date, horizon: Window, at: str) -> ErrorDetail:
    return ErrorDetail(
        f"{day} is outside the horizon {horizon.start}..{horizon.end}", at, code="outside_horizon"
    )
