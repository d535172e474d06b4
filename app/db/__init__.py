"""Persistence: the engine, the request's session, the ORM models and the migrations."""

from app.db.engine import create_db_engine, is_sqlite, normalise_url
from app.db.session import SessionDep, get_session, make_sessionmaker

__all__ = [
    "SessionDep",
    "create_db_engine",
    "get_session",
    "is_sqlite",
    "make_sessionmaker",
    "normalise_url",
]
