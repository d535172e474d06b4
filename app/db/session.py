"""One session per request: committed when the endpoint succeeds, rolled back otherwise.

Services and repositories never commit; this dependency is the only place that does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose loaded objects stay readable after the commit."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


SCOPE_INFO_KEY = "request_scope"  # session.info: the ASGI scope of the request it serves


def get_session(request: Request) -> Iterator[Session]:
    """The request's session; the commit happens before the response is sent."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session:
        session.info[SCOPE_INFO_KEY] = request.scope  # who is asking: app.auth.principal_of
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


# scope="function": the commit runs before the response goes out, so a failed commit is an
# error answer, never a 2xx for data that was not stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
