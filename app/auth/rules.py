"""What each route needs: one access rule per route, declared where the route is.

Every route names its rule in its decorator, `dependencies=[allow(rules.X)]`. A test walks all
routes of the app and fails when one has none. The rules say which roles pass; a rule with
`liaison="own"` also lets a liaison officer through for their own nation's data: the nation is
taken from the path (`{code}`, or the nation of `{unit_id}`), and another nation's data answers
404, exactly as if it did not exist. Routes without a nation in the path that admit liaison
officers narrow their answer themselves with `principal.nation_filter()`: the listings in their
query, a unit's body `nation` with `check_own_nation`, the conflicts with
`app.conflicts.scope` and `app.calendar_conflicts.scope`, the published programme with
`app.calendars.published` (for viewers too). `tests/app/test_access.py` tries every role on
every route against a table written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam
from sqlalchemy import select

from app.auth.dependencies import PrincipalDep
from app.auth.principal import Principal, Role
from app.db.models import UnitRecord
from app.errors import ErrorDetail, Forbidden, ResourceNotFound

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.admin, Role.planner, Role.approver})


@dataclass(frozen=True, eq=False)
class Rule:
    """An access rule: the roles that pass, and whether a liaison passes for their own nation."""

    name: str
    summary: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    liaison: Literal["no", "own", "yes"] = "no"
    public: bool = False

    def admits(self, role: Role) -> bool:
        if self.public:
            return True
        if role is Role.liaison:
            return self.liaison != "no"
        return role in self.roles

    def describe(self) -> str:
        """For the README's table and the OpenAPI description: who may call the route."""
        if self.public:
            return "anyone, without a token"
        names = [r.value for r in Role if r is not Role.liaison and r in self.roles]
        if self.liaison == "own":
            names.append("liaison (own nation)")
        elif self.liaison == "yes":
            names.append("liaison")
        return ", ".join(names)


PUBLIC = Rule("public", "health checks and the API description", public=True)
SIGNED_IN = Rule("signed-in", "any valid token", ALL_ROLES, liaison="yes")
PUBLISHED = Rule("published", "the published programme", ALL_ROLES, liaison="yes")
PUBLISHED_NATION = Rule(
    "published-nation",
    "a nation's slice of the published programme",
    frozenset({Role.admin, Role.planner, Role.approver, Role.viewer}),
    liaison="own",
)
PROGRAMME_READ = Rule(
    "programme-read", "sites, exercise requests, the programme's name and horizon", STAFF, "yes"
)
ALL_DATA_READ = Rule("all-data-read", "every nation's data and every calendar", STAFF)
NATION_READ = Rule("nation-read", "a nation, its units and their availability", STAFF, "own")
NATION_WRITE = Rule(
    "nation-write", "change a nation, its units and availability", frozenset({Role.admin}), "own"
)
NATION_ADMIN = Rule("nation-admin", "declare or remove a nation", frozenset({Role.admin}))
PROGRAMME_WRITE = Rule(
    "programme-write",
    "sites, exercise requests, scenario imports",
    frozenset({Role.admin, Role.planner}),
)
SOLVE = Rule("solve", "start and cancel solves", frozenset({Role.admin, Role.planner}))
APPROVE = Rule("approve", "approve a calendar", frozenset({Role.admin, Role.approver}))
CONFLICTS = Rule("conflicts", "conflicts (a liaison's: those of their nation)", STAFF, "yes")
AUDIT = Rule(
    "audit",
    "the audit trail (a planner's: writes to programme data)",
    frozenset({Role.admin, Role.planner}),
)
TOKENS = Rule("tokens", "create, list and revoke tokens", frozenset({Role.admin}))

RULES = (
    PUBLIC,
    SIGNED_IN,
    PUBLISHED,
    PUBLISHED_NATION,
    PROGRAMME_READ,
    ALL_DATA_READ,
    NATION_READ,
    NATION_WRITE,
    NATION_ADMIN,
    PROGRAMME_WRITE,
    SOLVE,
    APPROVE,
    CONFLICTS,
    AUDIT,
    TOKENS,
)

# Routes that are not API routes (FastAPI's own pages, the pages' static files) and need no token.
PUBLIC_PATHS = frozenset(
    {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/docs-assets", "/static"}
)


def nation_not_found(code: str) -> ResourceNotFound:
    """The 404 for a nation that does not exist, or that a liaison officer may not see."""
    return ResourceNotFound(f"no nation with code {code!r}")


def unit_not_found(unit_id: str) -> ResourceNotFound:
    """The 404 for a unit that does not exist, or that a liaison officer may not see."""
    return ResourceNotFound(f"no unit with id {unit_id!r}")


def check_own_nation(principal: Principal, nation_code: str) -> None:
    """404 (as for a missing nation) unless `principal` may act for `nation_code`."""
    if principal.is_liaison and nation_code != principal.nation:
        raise nation_not_found(nation_code)


# A nation's fields its liaison officer may not change: its status in the programme is the
# Council's decision, not the nation's (its name, availability and limits are the nation's own).
LIAISON_FIXED_NATION_FIELDS = ("role",)


def check_liaison_nation_change(principal: Principal, before: object, after: object) -> None:
    """403 naming the field when a liaison officer's replace of their nation changes one of
    `LIAISON_FIXED_NATION_FIELDS` (`before`/`after`: the stored and the sent nation)."""
    if not principal.is_liaison:
        return
    changed = [f for f in LIAISON_FIXED_NATION_FIELDS if getattr(before, f) != getattr(after, f)]
    if changed:
        raise Forbidden(
            "a liaison officer may not change their nation's " + ", ".join(changed),
            errors=[
                ErrorDetail(
                    f"only an admin may change it (stored: {getattr(before, f)!r})",
                    pointer=f"/{f}",
                )
                for f in changed
            ],
        )


def is_staff(principal: Principal) -> bool:
    """Admin, planner or approver: sees every nation's data and every calendar."""
    return principal.role in STAFF


def _check_liaison_path(request: Request, principal: Principal) -> None:
    params = request.path_params
    if "code" in params:
        check_own_nation(principal, str(params["code"]))
    if "unit_id" in params:
        unit_id = str(params["unit_id"])
        with request.app.state.sessionmaker() as session:  # short: see _authenticate
            nation = session.scalar(select(UnitRecord.nation_code).where(UnitRecord.id == unit_id))
        if nation != principal.nation:
            raise unit_not_found(unit_id)


def _enforcer(rule: Rule):  # noqa: ANN202 - a FastAPI dependency
    def enforce(request: Request, principal: PrincipalDep) -> Principal:
        if not rule.admits(principal.role):
            raise Forbidden(
                f"a {principal.role.value} token may not do this: it needs {rule.describe()}"
            )
        if principal.is_liaison and rule.liaison == "own":
            _check_liaison_path(request, principal)
        return principal

    enforce.pfp_rule = rule  # type: ignore[attr-defined]
    return enforce


def _public() -> None:
    return None


_public.pfp_rule = PUBLIC  # type: ignore[attr-defined]
_ENFORCERS = {rule.name: (_public if rule.public else _enforcer(rule)) for rule in RULES}


def allow(rule: Rule) -> DependsParam:
    """The dependency a route lists to declare (and enforce) its access rule."""
    return Depends(_ENFORCERS[rule.name])


def rule_of(call: object) -> Rule | None:
    """The access rule a dependency callable enforces, if it is one of ours."""
    return getattr(call, "pfp_rule", None)


__all__ = [
    "ALL_DATA_READ",
    "APPROVE",
    "AUDIT",
    "CONFLICTS",
    "LIAISON_FIXED_NATION_FIELDS",
    "NATION_ADMIN",
    "NATION_READ",
    "NATION_WRITE",
    "PROGRAMME_READ",
    "PROGRAMME_WRITE",
    "PUBLIC",
    "PUBLIC_PATHS",
    "PUBLISHED",
    "PUBLISHED_NATION",
    "RULES",
    "SIGNED_IN",
    "SOLVE",
    "STAFF",
    "TOKENS",
    "Rule",
    "allow",
    "check_liaison_nation_change",
    "check_own_nation",
    "is_staff",
    "nation_not_found",
    "rule_of",
    "unit_not_found",
]
