"""Migrations run from code: the schema is made only by Alembic, never by `create_all`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's config for the packaged migrations, bound to `engine` when given."""
    here = Path(str(resources.files("app.db")))
    config = Config(str(here / "alembic.ini"))
    config.set_main_option("script_location", str(here / "migrations"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to `revision` (default: the newest)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the database back down to `revision` (default: empty)."""
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
