"""Who is asking: the role and, for a liaison officer, the nation a token speaks for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The five roles; what each may do is in `app.auth.rules`."""

    admin = "admin"
    planner = "planner"
    approver = "approver"
    liaison = "liaison"
    viewer = "viewer"


@dataclass(frozen=True, slots=True)
class Principal:
    """The holder of a token, as the request's handlers see it."""

    token_id: str | None
    name: str
    role: Role
    nation: str | None = None

    @property
    def is_liaison(self) -> bool:
        return self.role is Role.liaison

    def speaks_for(self, nation_code: str | None) -> bool:
        """May this principal see and change `nation_code`'s own data (liaison: only its own)?"""
        if self.role is Role.liaison:
            return nation_code is not None and nation_code == self.nation
        return self.role in (Role.admin, Role.planner, Role.approver)

    def nation_filter(self) -> str | None:
        """The nation a listing must be limited to (a liaison's own), or None for all."""
        return self.nation if self.role is Role.liaison else None


# The identity of commands run on the server itself (`pfp-scheduler demo`, migrations...).
SYSTEM = Principal(token_id=None, name="system", role=Role.admin)

__all__ = ["SYSTEM", "Principal", "Role"]
