"""Alembic's environment: the engine comes from the caller (app.db.migrate) or `-x url=`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from app.db.engine import create_db_engine
from app.db.models import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> tuple[Engine, bool]:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine, False
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url is None:
        from app.settings import Settings

        url = Settings().database_url
    return create_db_engine(url), True


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite://")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine, owned = _engine()
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
