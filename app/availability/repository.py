"""Queries about availability: versions (compare-and-set) and the window rows of one owner.

Core statements on the tables, built once per owner with bound parameters: an availability
PUT is a handful of short statements, and under many concurrent officers the time spent
building SQL is time the row (or SQLite's database lock) stays held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import Table, bindparam, case, delete, insert, select, update
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
    record: Table
    window: Table
    key: str  # the record's key column
    owner: str  # the window's column naming its owner


@cache
def _tables(owner: Owner) -> _Tables:
    if owner == "nation":
        return _Tables(NationRecord.__table__, NationWindowRecord.__table__, "code", "nation_code")
    return _Tables(UnitRecord.__table__, UnitWindowRecord.__table__, "id", "unit_id")


@cache
def _statements(owner: Owner) -> dict[str, Any]:
    t = _tables(owner)
    version = t.record.c.availability_version
    key = t.record.c[t.key] == bindparam("key")
    cas = (
        update(t.record)
        .where(key)
        .values(
            availability_version=case(
                (version >= bindparam("fresh"), version + 1), else_=bindparam("fresh")
            )
        )
        .returning(version)
    )
    w = t.window.c
    return {
        "version": select(version).where(key),
        "cas_any": cas,
        "cas": cas.where(version.in_(bindparam("expected", expanding=True))),
        "windows": select(w.kind, w.start_date, w.end_date)
        .where(w[t.owner] == bindparam("key"))
        .order_by(w.kind, w.position),
        "delete": delete(t.window).where(
            w[t.owner] == bindparam("key"), w.kind.in_(bindparam("kinds", expanding=True))
        ),
        "insert": insert(t.window),
    }


_HORIZON = select(Programme.__table__.c.horizon_start, Programme.__table__.c.horizon_end)


def horizon(session: Session) -> Span | None:
    row = session.execute(_HORIZON).first()
    return None if row is None else (row[0], row[1])


def version(session: Session, owner: Owner, key: str) -> int | None:
    return session.scalar(_statements(owner)["version"], {"key": key})


def windows(session: Session, owner: Owner, key: str) -> tuple[list[Span], list[Span]]:
    """The owner's availability windows and blackouts, each in their stored order."""
    availability: list[Span] = []
    blackouts: list[Span] = []
    for kind, start, end in session.execute(_statements(owner)["windows"], {"key": key}):
        (availability if kind == "availability" else blackouts).append((start, end))
    return availability, blackouts


def compare_and_set_version(
    session: Session, owner: Owner, key: str, expected: Sequence[int] | None
) -> int | None:
    """Move the version on, only if it is one of `expected` (None: any); the new one, or None.

    One conditional UPDATE: the database serialises writers on the row, so of two writers
    holding the same version exactly one finds it still current.
    """
    params: dict[str, Any] = {"key": key, "fresh": new_availability_version()}
    if expected is None:
        return session.execute(_statements(owner)["cas_any"], params).scalar_one_or_none()
    params["expected"] = list(expected)
    return session.execute(_statements(owner)["cas"], params).scalar_one_or_none()


def replace_windows(
    session: Session,
    owner: Owner,
    key: str,
    *,
    availability: list[Span] | None,
    blackouts: list[Span],
) -> None:
    """Replace the blackouts, and the availability windows unless `availability` is None."""
    statements = _statements(owner)
    column = _tables(owner).owner
    kinds = ["blackout"] if availability is None else ["availability", "blackout"]
    session.execute(statements["delete"], {"key": key, "kinds": kinds})
    rows = [
        {column: key, "kind": "availability", "position": i, "start_date": a, "end_date": b}
        for i, (a, b) in enumerate(availability or [])
    ]
    rows += [
        {column: key, "kind": "blackout", "position": i, "start_date": a, "end_date": b}
        for i, (a, b) in enumerate(blackouts)
    ]
    if rows:
        session.execute(statements["insert"], rows)
