"""Queries about availability: versions (compare-and-set) and the window rows of one owner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.orm import Session

from app.db.models import (
    NationRecord,
    NationWindowRecord,
    Programme,
    UnitRecord,
    UnitWindowRecord,
    new_availability_version,
)

Owner = Literal["nation", "unit"]
Span = tuple[dt.date, dt.date]


@dataclass(frozen=True, slots=True)
class _Tables:
    record: type[NationRecord] | type[UnitRecord]
    window: type[NationWindowRecord] | type[UnitWindowRecord]
    key: str  # the record's key attribute
    owner: str  # the window's column naming its owner


TABLES: dict[str, _Tables] = {
    "nation": _Tables(NationRecord, NationWindowRecord, "code", "nation_code"),
    "unit": _Tables(UnitRecord, UnitWindowRecord, "id", "unit_id"),
}


def horizon(session: Session) -> Span | None:
    programme = session.scalars(select(Programme)).first()
    return None if programme is None else (programme.horizon_start, programme.horizon_end)


def version(session: Session, owner: Owner, key: str) -> int | None:
    t = TABLES[owner]
    column = t.record.availability_version
    return session.scalar(select(column).where(getattr(t.record, t.key) == key))


def windows(session: Session, owner: Owner, key: str) -> tuple[list[Span], list[Span]]:
    """The owner's availability windows and blackouts, each in their stored order."""
    t = TABLES[owner]
    rows = session.execute(
        select(t.window.kind, t.window.start, t.window.end)
        .where(getattr(t.window, t.owner) == key)
        .order_by(t.window.kind, t.window.position)
    )
    availability: list[Span] = []
    blackouts: list[Span] = []
    for kind, start, end in rows:
        (availability if kind == "availability" else blackouts).append((start, end))
    return availability, blackouts


def compare_and_set_version(
    session: Session, owner: Owner, key: str, expected: Sequence[int] | None
) -> int | None:
    """Move the version on, only if it is one of `expected` (None: any); the new one, or None.

    One conditional UPDATE: the database serialises writers on the row, so of two writers
    holding the same version exactly one finds it still current.
    """
    t = TABLES[owner]
    column = t.record.availability_version
    fresh = new_availability_version()
    statement = (
        update(t.record)
        .where(getattr(t.record, t.key) == key)
        .values(availability_version=case((column >= fresh, column + 1), else_=fresh))
        .returning(column)
        .execution_options(synchronize_session=False)
    )
    if expected is not None:
        statement = statement.where(column.in_(list(expected)))
    return session.execute(statement).scalar_one_or_none()


def replace_windows(
    session: Session,
    owner: Owner,
    key: str,
    *,
    availability: list[Span] | None,
    blackouts: list[Span],
) -> None:
    """Replace the blackouts, and the availability windows unless `availability` is None."""
    t = TABLES[owner]
    kinds = ["blackout"] if availability is None else ["availability", "blackout"]
    session.execute(
        delete(t.window)
        .where(getattr(t.window, t.owner) == key, t.window.kind.in_(kinds))
        .execution_options(synchronize_session=False)
    )
    rows = [
        {t.owner: key, "kind": "availability", "position": i, "start": a, "end": b}
        for i, (a, b) in enumerate(availability or [])
    ]
    rows += [
        {t.owner: key, "kind": "blackout", "position": i, "start": a, "end": b}
        for i, (a, b) in enumerate(blackouts)
    ]
    if rows:
        session.execute(insert(t.window), rows)
