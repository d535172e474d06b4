"""Bearer tokens: opaque random secrets, stored only as their sha256.

A secret is `pfp_` + 43 URL-safe characters (256 random bits), so a plain sha256 is the right
hash: there is nothing to guess that a slow hash would protect. Lookup is by that hash, over a
unique index, so comparing secrets never happens in Python.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.principal import Principal, Role
from app.db.models import ApiTokenRecord

SECRET_PREFIX = "pfp_"
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)  # last_used_at is written at most this often


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: `secret` is shown once and never stored."""

    record: ApiTokenRecord
    secret: str


def issue_token(
    session: Session,
    *,
    role: Role,
    name: str,
    nation: str | None = None,
    created_by: str | None = None,
    expires_at: dt.datetime | None = None,
) -> IssuedToken:
    """A new token for `role` (a liaison's bound to `nation`). The caller commits."""
    if (role is Role.liaison) != (nation is not None):
        raise ValueError("a liaison token needs a nation, and only a liaison token has one")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    record = ApiTokenRecord(
        id="tok_" + secrets.token_hex(6),
        name=name,
        role=role.value,
        nation_code=nation,
        secret_sha256=hash_secret(secret),
        created_at=_now(),
        created_by=created_by,
        expires_at=expires_at,
    )
    session.add(record)
    session.flush()
    return IssuedToken(record=record, secret=secret)


def revoke_token(session: Session, token_id: str) -> ApiTokenRecord | None:
    """Revoke `token_id` (idempotent); None when there is no such token."""
    record = session.get(ApiTokenRecord, token_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = _now()
        session.flush()
    return record


def list_tokens(session: Session, *, include_revoked: bool = False) -> Sequence[ApiTokenRecord]:
    query = select(ApiTokenRecord).order_by(ApiTokenRecord.created_at, ApiTokenRecord.id)
    if not include_revoked:
        query = query.where(ApiTokenRecord.revoked_at.is_(None))
    return session.scalars(query).all()


def any_token(session: Session) -> bool:
    """Has any token ever been issued (revoked ones count)?"""
    return session.scalar(select(ApiTokenRecord.id).limit(1)) is not None


def principal_for(record: ApiTokenRecord) -> Principal:
    return Principal(
        token_id=record.id, name=record.name, role=Role(record.role), nation=record.nation_code
    )


def authenticate_secret(session: Session, secret: str) -> Principal | None:
    """The principal holding `secret`, or None if it is unknown, revoked or expired."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    record = session.scalar(
        select(ApiTokenRecord).where(ApiTokenRecord.secret_sha256 == hash_secret(secret))
    )
    now = _now()
    if record is None or record.revoked_at is not None:
        return None
    if record.expires_at is not None and record.expires_at <= now:
        return None
    if record.last_used_at is None or record.last_used_at + LAST_USED_RESOLUTION < now:
        record.last_used_at = now
    return principal_for(record)


__all__ = [
    "IssuedToken",
    "any_token",
    "authenticate_secret",
    "hash_secret",
    "issue_token",
    "list_tokens",
    "principal_for",
    "revoke_token",
]
