"""Tokens on the wire: the secret appears once, in the answer to its creation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.auth.principal import Role
from app.pagination import Page

NationCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str = Field(min_length=1, max_length=200, description="who holds it, e.g. a person")
    nation: NationCode | None = Field(
        default=None, description="the nation a liaison token speaks for (liaison only)"
    )
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)

    @model_validator(mode="after")
    def _nation_for_liaison(self) -> TokenCreate:
        if self.role is Role.liaison and self.nation is None:
            raise ValueError("a liaison token needs `nation`")
        if self.role is not Role.liaison and self.nation is not None:
            raise ValueError("only a liaison token has a `nation`")
        return self


class Token(BaseModel):
    id: str
    name: str
    role: Role
    nation: str | None
    created_at: dt.datetime
    created_by: str | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class NewToken(Token):
    secret: str = Field(description="the bearer token itself: shown this once, never again")


class Me(BaseModel):
    """The principal a token stands for."""

    token_id: str | None
    name: str
    role: Role
    nation: str | None


TokenPage = Page[Token]

__all__ = ["Me", "NewToken", "Token", "TokenCreate", "TokenPage"]
