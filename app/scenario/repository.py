"""Queries over the whole programme: load it as a scenario, replace it, wipe it."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

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

    Call it first, before any other statement of the session's transaction.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
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


def nations(session: Session) -> list[NationRecord]:
    query = select(NationRecord).options(selectinload(NationRecord.windows))
    return list(session.scalars(query.order_by(NationRecord.code)))


def units(session: Session) -> list[UnitRecord]:
    query = select(UnitRecord).options(selectinload(UnitRecord.windows))
    return list(session.scalars(query.order_by(UnitRecord.id)))


def sites(session: Session) -> list[SiteRecord]:
    query = select(SiteRecord).options(selectinload(SiteRecord.windows))
    return list(session.scalars(query.order_by(SiteRecord.id)))


def exercises(session: Session) -> list[ExerciseRecord]:
    query = select(ExerciseRecord).options(
        selectinload(ExerciseRecord.requirements),
        selectinload(ExerciseRecord.eligible_sites),
        selectinload(ExerciseRecord.after),
        selectinload(ExerciseRecord.pinned_units),
    )
    return list(session.scalars(query.order_by(ExerciseRecord.id)))


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
