"""/api/v1/tokens (admin) and /api/v1/auth/me (who am I)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.schemas import Action
from app.auth import rules, tokens
from app.auth.dependencies import PrincipalDep
from app.auth.rules import allow
from app.auth.schemas import Me, NewToken, Token, TokenCreate, TokenPage
from app.db import SessionDep
from app.db.models import ApiTokenRecord
from app.dependencies import JsonBody, PageDep
from app.errors import ResourceNotFound

router = APIRouter(tags=["auth"])

TokenIdPath = Annotated[str, Path(max_length=16, description="a token's id (not its secret)")]


def token_view(record: ApiTokenRecord) -> Token:
    return Token(
        id=record.id,
        name=record.name,
        role=record.role,
        nation=record.nation_code,
        created_at=record.created_at,
        created_by=record.created_by,
        expires_at=record.expires_at,
        revoked_at=record.revoked_at,
        last_used_at=record.last_used_at,
    )


def record_token_write(
    session: Session, action: Action, record: ApiTokenRecord, *, before: Token | None
) -> None:
    """The audit event of a token's creation or revocation (never its secret)."""
    audit.record(
        session,
        action=action,
        entity="token",
        entity_id=record.id,
        nation=record.nation_code,
        before=audit.wire(before),
        after=audit.wire(token_view(record)),
    )


def revoke_and_record(session: Session, token_id: str) -> ApiTokenRecord | None:
    """Revoke `token_id` (None if unknown), recorded in the audit trail when it was live."""
    existing = session.get(ApiTokenRecord, token_id)
    before = None if existing is None or existing.revoked_at else token_view(existing)
    record = tokens.revoke_token(session, token_id)  # the same object, from the identity map
    if record is not None and before is not None:
        record_token_write(session, "revoke", record, before=before)
    return record


@router.get("/auth/me", response_model=Me, dependencies=[allow(rules.SIGNED_IN)])
def whoami(principal: PrincipalDep) -> Me:
    """The role (and nation) of the token in the request."""
    return Me(
        token_id=principal.token_id,
        name=principal.name,
        role=principal.role,
        nation=principal.nation,
    )


@router.get("/tokens", response_model=TokenPage, dependencies=[allow(rules.TOKENS)])
def list_tokens(
    session: SessionDep,
    page: PageDep,
    include_revoked: Annotated[bool, Query()] = False,
) -> TokenPage:
    """The tokens (never their secrets), oldest first."""
    records = tokens.list_tokens(session, include_revoked=include_revoked)
    chosen = records[page.offset : page.offset + page.limit]
    return TokenPage(
        items=[token_view(r) for r in chosen],
        total=len(records),
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/tokens",
    response_model=NewToken,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(rules.TOKENS), JsonBody],
)
def create_token(session: SessionDep, principal: PrincipalDep, body: TokenCreate) -> NewToken:
    """A new token; its `secret` is in this answer only."""
    expires_at = None
    if body.expires_in_days is not None:
        expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=body.expires_in_days)
    issued = tokens.issue_token(
        session,
        role=body.role,
        name=body.name,
        nation=body.nation,
        created_by=principal.token_id,
        expires_at=expires_at,
    )
    record_token_write(session, "create", issued.record, before=None)
    return NewToken(**token_view(issued.record).model_dump(), secret=issued.secret)


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    dependencies=[allow(rules.TOKENS)],
)
def revoke_token(session: SessionDep, token_id: TokenIdPath) -> Response:
    """Revoke a token at once (it stays listed with `revoked_at`, for the audit trail)."""
    if revoke_and_record(session, token_id) is None:
        raise ResourceNotFound(f"no token with id {token_id!r}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
