"""The schema is made by the migrations alone: empty database up to head and back down."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app.db import create_db_engine
from app.db.migrate import current_revision, downgrade, upgrade
from app.db.models import Base
from tests.app.conftest import create_postgres_database, drop_postgres_database


def _up_and_down(url: str) -> None:
    engine = create_db_engine(url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) is not None
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        for name, table in Base.metadata.tables.items():
            columns = {c["name"] for c in inspect(engine).get_columns(name)}
            assert columns == {c.name for c in table.columns}, name
        downgrade(engine)
        assert current_revision(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)  # and up again, from base
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_sqlite_up_to_head_and_down_to_base(tmp_path) -> None:
    _up_and_down(f"sqlite:///{tmp_path / 'fresh.db'}")


@pytest.mark.postgres
def test_postgresql_up_to_head_and_down_to_base(postgres_base_url: str) -> None:
    url, admin = create_postgres_database(postgres_base_url)
    try:
        _up_and_down(url)
    finally:
        drop_postgres_database(admin, url)


def _models_match_migrations(url: str) -> None:
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == [], f"the models and the migrations differ: {diff}"
    finally:
        engine.dispose()


def test_sqlite_models_match_the_migrations(tmp_path) -> None:
    _models_match_migrations(f"sqlite:///{tmp_path / 'check.db'}")


@pytest.mark.postgres
def test_postgresql_models_match_the_migrations(postgres_base_url: str) -> None:
    url, admin = create_postgres_database(postgres_base_url)
    try:
        _models_match_migrations(url)
    finally:
        drop_postgres_database(admin, url)


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'sub' / 'pragmas.db'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        engine.dispose()
