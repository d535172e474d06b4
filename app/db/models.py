"""The ORM models: one table per concept of the scenario, typed with `Mapped[...]`.

The solver's pydantic types (`solver.Nation`, ...) are the wire format; these are how the data
is stored; `app.scenario.mapper` converts between the two. Natural keys (nation code, unit,
site and exercise ids) are the primary keys, so references read like the scenario does.
List order inside a resource (windows, requirements, ...) is kept in a `position` column.

`availability_version` on nations and units changes on every change of their windows and
blackouts (never reused for the same key); the availability endpoints build ETags from it.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment, always read back in UTC with its offset (a `timestamptz` on PostgreSQL).

    SQLite keeps no offset: the value is written in UTC and given back as UTC, so an API answer
    is an RFC 3339 `date-time` in UTC on both databases and comparisons never mix naive and aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)  # PostgreSQL answers in the session's time zone


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WINDOW_KINDS = ("availability", "blackout")


def new_availability_version() -> int:
    """A version never used before for a key: microseconds since the epoch."""
    return time.time_ns() // 1000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Programme(Base):
    """The scenario's own fields: its name and planning horizon (a single row, id 1)."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    horizon_start: Mapped[dt.date] = mapped_column(Date)
    horizon_end: Mapped[dt.date] = mapped_column(Date)


class _WindowColumns:
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[dt.date] = mapped_column("start_date", Date)
    end: Mapped[dt.date] = mapped_column("end_date", Date)


class NationRecord(Base):
    __tablename__ = "nations"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    max_exercises: Mapped[int | None] = mapped_column(Integer)
    budget_person_days: Mapped[int | None] = mapped_column(BigInteger)
    desired_exercises: Mapped[int | None] = mapped_column(Integer)
    availability_version: Mapped[int] = mapped_column(BigInteger, default=new_availability_version)

    windows: Mapped[list[NationWindowRecord]] = relationship(
        cascade="all, delete-orphan",
        order_by="(NationWindowRecord.kind, NationWindowRecord.position)",
        passive_deletes=True,
    )


class NationWindowRecord(_WindowColumns, Base):
    """An availability window (`kind="availability"`) or a blackout of a nation."""

    __tablename__ = "nation_windows"
    __table_args__ = (CheckConstraint("kind IN ('availability', 'blackout')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nation_code: Mapped[str] = mapped_column(
        ForeignKey("nations.code", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))


class UnitRecord(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    nation_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), index=True)
    capability: Mapped[str] = mapped_column(String(100), index=True)
    personnel: Mapped[int] = mapped_column(Integer)
    max_exercises: Mapped[int | None] = mapped_column(Integer)
    rest_days: Mapped[int] = mapped_column(Integer, default=0)
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    availability_version: Mapped[int] = mapped_column(BigInteger, default=new_availability_version)

    windows: Mapped[list[UnitWindowRecord]] = relationship(
        cascade="all, delete-orphan",
        order_by="(UnitWindowRecord.kind, UnitWindowRecord.position)",
        passive_deletes=True,
    )


class UnitWindowRecord(_WindowColumns, Base):
    """An availability window (`kind="availability"`) or a blackout of a unit."""

    __tablename__ = "unit_windows"
    __table_args__ = (CheckConstraint("kind IN ('availability', 'blackout')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))


class SiteRecord(Base):
    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    host_code: Mapped[str] = mapped_column(ForeignKey("nations.code"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # null: every exercise type; a list (possibly empty): those types only
    supports: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    capacity_personnel: Mapped[int | None] = mapped_column(Integer)
    concurrent: Mapped[int] = mapped_column(Integer, default=1)
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)

    windows: Mapped[list[SiteWindowRecord]] = relationship(
        cascade="all, delete-orphan",
        order_by="SiteWindowRecord.position",
        passive_deletes=True,
    )


class SiteWindowRecord(_WindowColumns, Base):
    """An availability window of a site."""

    __tablename__ = "site_windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)


class ExerciseRecord(Base):
    __tablename__ = "exercises"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(30), index=True)
    duration_days: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.date | None] = mapped_column(Date)
    window_end: Mapped[dt.date | None] = mapped_column(Date)
    min_nations: Mapped[int] = mapped_column(Integer, default=1)
    max_personnel: Mapped[int | None] = mapped_column(Integer)
    # false: every site supporting the type is eligible; true: the listed sites alone
    sites_listed: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(Integer, default=10)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_months: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    pin_start: Mapped[dt.date | None] = mapped_column(Date)
    pin_site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), index=True)
    pin_units_listed: Mapped[bool] = mapped_column(Boolean, default=False)

    requirements: Mapped[list[RequirementRecord]] = relationship(
        cascade="all, delete-orphan", order_by="RequirementRecord.position", passive_deletes=True
    )
    eligible_sites: Mapped[list[EligibleSiteRecord]] = relationship(
        cascade="all, delete-orphan", order_by="EligibleSiteRecord.position", passive_deletes=True
    )
    after: Mapped[list[AfterLinkRecord]] = relationship(
        cascade="all, delete-orphan",
        order_by="AfterLinkRecord.position",
        passive_deletes=True,
        foreign_keys="AfterLinkRecord.exercise_id",
    )
    pinned_units: Mapped[list[PinnedUnitRecord]] = relationship(
        cascade="all, delete-orphan", order_by="PinnedUnitRecord.position", passive_deletes=True
    )


class RequirementRecord(Base):
    """`units`..`max_units` assigned units of one capability."""

    __tablename__ = "exercise_requirements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[str] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    capability: Mapped[str] = mapped_column(String(100), index=True)
    units: Mapped[int] = mapped_column(Integer)
    max_units: Mapped[int | None] = mapped_column(Integer)


class EligibleSiteRecord(Base):
    """A site listed in an exercise's `sites`."""

    __tablename__ = "exercise_sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[str] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), index=True)


class AfterLinkRecord(Base):
    """`exercise_id` starts at least `gap_days` after `predecessor_id` ends."""

    __tablename__ = "exercise_after"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[str] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    predecessor_id: Mapped[str] = mapped_column(ForeignKey("exercises.id"), index=True)
    gap_days: Mapped[int] = mapped_column(Integer, default=0)


class PinnedUnitRecord(Base):
    """A unit the planners pinned to an exercise."""

    __tablename__ = "exercise_pinned_units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[str] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)


CALENDAR_STATUSES = ("queued", "running", "completed", "failed", "cancelled")
CALENDAR_STATES = ("draft", "approved")


class CalendarRecord(Base):
    """A solve job and the calendar it proposed: one version of the programme's calendar.

    `scenario_json` is the pfp-scenario/1 text the solve was given (its sha256 beside it);
    `calendar` the pfp-calendar/1 document, written with the final status in one transaction.
    An approved calendar never changes. `explanations` caches its conflicts (the explain code).
    """

    __tablename__ = "calendars"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'completed', 'failed', 'cancelled')", name="status"
        ),
        CheckConstraint("state IN ('draft', 'approved')", name="state"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), index=True)
    state: Mapped[str] = mapped_column(String(10), index=True, default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    params: Mapped[dict] = mapped_column(JSON)
    scenario_json: Mapped[str] = mapped_column(Text)
    scenario_sha256: Mapped[str] = mapped_column(String(64))
    calendar: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    progress: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    error: Mapped[str | None] = mapped_column(Text)
    base_id: Mapped[str | None] = mapped_column(ForeignKey("calendars.id"), index=True)
    diff: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    explanations: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    requested_by: Mapped[str | None] = mapped_column(String(16), index=True)


ROLES = ("admin", "planner", "approver", "liaison", "viewer")


class ApiTokenRecord(Base):
    """A bearer token: only the sha256 of its secret is kept; revoked tokens stay, for the audit.

    `nation_code` binds a liaison token to its nation; it is not a foreign key, as nations come
    and go with scenario imports while the token stays.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'planner', 'approver', 'liaison', 'viewer')", name="role"
        ),
        CheckConstraint("(role = 'liaison') = (nation_code IS NOT NULL)", name="liaison_nation"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    nation_code: Mapped[str | None] = mapped_column(String(2))
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(String(16))
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class AuditEventRecord(Base):
    """One write: who (the token and its role), when, what (entity, id, nation), before and after.

    Written in the same transaction as the write it records; never changed afterwards.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    actor_token_id: Mapped[str | None] = mapped_column(String(16), index=True)
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(10))
    actor_nation: Mapped[str | None] = mapped_column(String(2))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(32), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(100))
    nation_code: Mapped[str | None] = mapped_column(String(2), index=True)
    before: Mapped[dict | list | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict | list | None] = mapped_column(JSON(none_as_null=True))


__all__ = [
    "ROLES",
    "ApiTokenRecord",
    "AuditEventRecord",
    "CALENDAR_STATES",
    "CALENDAR_STATUSES",
    "CalendarRecord",
    "WINDOW_KINDS",
    "AfterLinkRecord",
    "Base",
    "EligibleSiteRecord",
    "ExerciseRecord",
    "NationRecord",
    "NationWindowRecord",
    "PinnedUnitRecord",
    "Programme",
    "RequirementRecord",
    "SiteRecord",
    "SiteWindowRecord",
    "UnitRecord",
    "UnitWindowRecord",
    "new_availability_version",
]
