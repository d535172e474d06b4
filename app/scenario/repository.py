"""Queries over the whole programme: load it as a scenario, replace it, wipe it."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from app.db.models import (
    AfterLinkRecord,
    EligibleSiteRecord,
    ExerciseRecord,
    NationRecord,
    NationWindowRecord,
    PinnedUnitRecord,
    Programme,
    RequirementRecord,
    SiteRecord,
    SiteWindowRecord,
    UnitRecord,
    UnitWindowRecord,
    new_availability_version,
)
from app.scenario import mapper
from solver import Scenario

PROGRAMME_ID = 1

# children before parents, so that every delete keeps the foreign keys
TABLES_CHILD_FIRST = (
    AfterLinkRecord,
    PinnedUnitRecord,
    EligibleSiteRecord,
    RequirementRecord,
    ExerciseRecord,
    SiteWindowRecord,
    SiteRecord,
    UnitWindowRecord,
    UnitRecord,
    NationWindowRecord,
    NationRecord,
    Programme,
)


def read_snapshot(session: Session) -> None:
    """Make the rest of this (read-only) transaction see one snapshot of the data, so that a
    whole-programme read taken while a scenario is being replaced is all old or all new.

    Call it first, before any other statement of the session's transaction. Should a
    dependency (an access rule's lookup) have read already, on PostgreSQL that transaction is
    committed first (the one exception to "only the request dependency commits"), as the
    isolation level can only be chosen before a transaction's first statement.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        if session.in_transaction():
            session.commit()
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif dialect == "sqlite":
        connection = session.connection()
        driver_connection = connection.connection.driver_connection
        if driver_connection is not None and not driver_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")  # pysqlite opens none for reads


def lock_programme(session: Session) -> None:
    """Take the programme's write lock for this transaction: every write of the programme's
    data starts here, so checks against the whole scenario see what is committed and two
    writes never interleave (PostgreSQL: a row lock; SQLite: the database's write lock)."""
    session.execute(
        update(Programme).where(Programme.id == PROGRAMME_ID).values(id=Programme.id),
        execution_options={"synchronize_session": False},
    )


def get_programme(session: Session) -> Programme | None:
    return session.get(Programme, PROGRAMME_ID)


def set_programme(session: Session, *, name: str, start, end) -> Programme:  # noqa: ANN001
    programme = session.get(Programme, PROGRAMME_ID)
    if programme is None:
        programme = Programme(id=PROGRAMME_ID, name=name, horizon_start=start, horizon_end=end)
        session.add(programme)
    else:
        programme.name = name
        programme.horizon_start = start
        programme.horizon_end = end
    return programme


# The whole programme is read with one plain SELECT per table (no ORM identity map): rows
# carry the records' attribute names, so `app.scenario.mapper` reads them like records.


def _rows(session: Session, *columns: Any, order_by: tuple[Any, ...]) -> list[Any]:
    return list(session.execute(select(*columns).order_by(*order_by)))


def _by_owner(rows: list[Any], owner: str) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, owner)].append(row)
    return grouped


def _columns(model: type) -> list[Any]:
    return [getattr(model, attr.key) for attr in inspect(model).column_attrs]


def nations(session: Session) -> list[SimpleNamespace]:
    """Every nation with its `windows`, by code."""
    windows = _by_owner(
        _rows(
            session,
            *_columns(NationWindowRecord),
            order_by=(
                NationWindowRecord.nation_code,
                NationWindowRecord.kind,
                NationWindowRecord.position,
            ),
        ),
        "nation_code",
    )
    rows = _rows(session, *_columns(NationRecord), order_by=(NationRecord.code,))
    return [SimpleNamespace(**row._asdict(), windows=windows.get(row.code, [])) for row in rows]


def units(session: Session) -> list[SimpleNamespace]:
    """Every unit with its `windows`, by id."""
    windows = _by_owner(
        _rows(
            session,
            *_columns(UnitWindowRecord),
            order_by=(UnitWindowRecord.unit_id, UnitWindowRecord.kind, UnitWindowRecord.position),
        ),
        "unit_id",
    )
    rows = _rows(session, *_columns(UnitRecord), order_by=(UnitRecord.id,))
    return [SimpleNamespace(**row._asdict(), windows=windows.get(row.id, [])) for row in rows]


def sites(session: Session) -> list[SimpleNamespace]:
    """Every site with its availability `windows`, by id."""
    windows = _by_owner(
        _rows(
            session,
            *_columns(SiteWindowRecord),
            order_by=(SiteWindowRecord.site_id, SiteWindowRecord.position),
        ),
        "site_id",
    )
    rows = _rows(session, *_columns(SiteRecord), order_by=(SiteRecord.id,))
    return [SimpleNamespace(**row._asdict(), windows=windows.get(row.id, [])) for row in rows]


def exercises(session: Session) -> list[SimpleNamespace]:
    """Every exercise with its requirements, eligible sites, `after` links and pinned units."""
    children = {
        name: _by_owner(
            _rows(session, *_columns(model), order_by=(model.exercise_id, model.position)),
            "exercise_id",
        )
        for name, model in (
            ("requirements", RequirementRecord),
            ("eligible_sites", EligibleSiteRecord),
            ("after", AfterLinkRecord),
            ("pinned_units", PinnedUnitRecord),
        )
    }
    rows = _rows(session, *_columns(ExerciseRecord), order_by=(ExerciseRecord.id,))
    return [
        SimpleNamespace(
            **row._asdict(), **{name: group.get(row.id, []) for name, group in children.items()}
        )
        for row in rows
    ]


def wipe(session: Session) -> None:
    """Delete every row of the programme (one statement per table)."""
    for table in TABLES_CHILD_FIRST:
        session.execute(delete(table))
    session.expunge_all()


def bulk_insert(session: Session, scenario: Scenario) -> None:
    """Insert every row of `scenario` into empty tables, one multi-row INSERT per table."""
    version = new_availability_version()
    nations = [mapper.nation_rows(n) for n in scenario.nations]
    units = [mapper.unit_rows(u) for u in scenario.units]
    sites = [mapper.site_rows(s) for s in scenario.sites]
    exercises = [mapper.exercise_rows(e) for e in scenario.exercises]
    batches: list[tuple[type, list[mapper.Row]]] = [
        (NationRecord, [{**row, "availability_version": version} for row, _ in nations]),
        (NationWindowRecord, [w for _, windows in nations for w in windows]),
        (UnitRecord, [{**row, "availability_version": version} for row, _ in units]),
        (UnitWindowRecord, [w for _, windows in units for w in windows]),
        (SiteRecord, [row for row, _ in sites]),
        (SiteWindowRecord, [w for _, windows in sites for w in windows]),
        (ExerciseRecord, [rows.exercise for rows in exercises]),
        (RequirementRecord, [q for rows in exercises for q in rows.requirements]),
        (EligibleSiteRecord, [q for rows in exercises for q in rows.eligible_sites]),
        (AfterLinkRecord, [q for rows in exercises for q in rows.after]),
        (PinnedUnitRecord, [q for rows in exercises for q in rows.pinned_units]),
    ]
    for model, rows in batches:
        if rows:
            session.execute(insert(model), rows)


def max_availability_version(session: Session) -> int:
    nation = session.scalar(select(func.max(NationRecord.availability_version))) or 0
    unit = session.scalar(select(func.max(UnitRecord.availability_version))) or 0
    return max(nation, unit)
