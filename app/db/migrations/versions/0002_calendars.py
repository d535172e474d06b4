"""calendars: solve jobs and the calendars they proposed (hand-reviewed autogenerate)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 23:05:12.816794
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendars",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("scenario_json", sa.Text(), nullable=False),
        sa.Column("scenario_sha256", sa.String(length=64), nullable=False),
        sa.Column("calendar", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("progress", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("base_id", sa.String(length=16), nullable=True),
        sa.Column("diff", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("explanations", sa.JSON(none_as_null=True), nullable=True),
        sa.CheckConstraint("state IN ('draft', 'approved')", name=op.f("ck_calendars_state")),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'completed', 'failed', 'cancelled')",
            name=op.f("ck_calendars_status"),
        ),
        sa.ForeignKeyConstraint(
            ["base_id"], ["calendars.id"], name=op.f("fk_calendars_base_id_calendars")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendars")),
    )
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendars_approved_at"), ["approved_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendars_base_id"), ["base_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendars_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendars_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendars_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendars_status"))
        batch_op.drop_index(batch_op.f("ix_calendars_state"))
        batch_op.drop_index(batch_op.f("ix_calendars_created_at"))
        batch_op.drop_index(batch_op.f("ix_calendars_base_id"))
        batch_op.drop_index(batch_op.f("ix_calendars_approved_at"))

    op.drop_table("calendars")
