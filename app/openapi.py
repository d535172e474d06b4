"""The OpenAPI document: every status an operation can answer, errors as problem+json, and the
bearer security scheme.

The statuses are derived from what each route is, so they are written once, here:

| status | on | why |
| --- | --- | --- |
| 400 | operations with a body | a body that is not JSON at all |
| 401 | secured operations (not /healthz, /readyz) | no valid token; `WWW-Authenticate: Bearer` |
| 403 | operations whose access rule does not admit every role | the token's role may not |
| 404 | operations with a path parameter or an own-nation rule | no such resource (a liaison: or another nation's) |
| 409 | writes (POST, PUT, PATCH, DELETE) | the change clashes with stored data |
| 413 | operations with a body | body above PFP_MAX_BODY_BYTES |
| 415 | operations with a body | a Content-Type the operation does not read |
| 422 | operations with a parameter or a body | a rule of the contract, naming the field |
| 429 | secured writes | the token's write rate or solve limit; `Retry-After` |
| 503 | every operation | the database is unreachable; `Retry-After` |

A route adds what only it can answer with `responses=` in its decorator (304, 406, 409 on a
read, 412, 428, ...); the description it gives is kept. Every 4xx and 5xx is
`application/problem+json` with the `Problem` schema. There is no `4XX` catch-all: a status not
listed is a bug, which the schemathesis fuzz (tests/app/test_fuzz.py) finds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field

from app.auth import rules
from app.auth.principal import Role
from app.errors import PROBLEM_JSON

BEARER = "bearerAuth"
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


class ProblemError(BaseModel):
    """One thing wrong: a pointer into the body, or a named parameter, and a reason."""

    pointer: str | None = Field(default=None, description="RFC 6901 pointer into the body")
    parameter: str | None = Field(default=None, description="a query, path or header parameter")
    in_: str | None = Field(default=None, alias="in", description="where the parameter is")
    reason: str
    code: str | None = None


class Problem(BaseModel):
    """RFC 9457 problem details, as every 4xx and 5xx answer of this API carries them."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemError] = Field(default_factory=list)


_REF = {"$ref": "#/components/schemas/Problem"}

_RETRY_AFTER = {
    "description": "seconds to wait before trying again",
    "schema": {"type": "integer", "minimum": 0},
}
_CHALLENGE = {
    "description": 'the Bearer challenge, e.g. `Bearer realm="pfp-scheduler", '
    'error="invalid_token"`',
    "required": True,
    "schema": {"type": "string"},
}

# status -> (description, headers) of the statuses this module adds where they apply
_STATUSES: dict[str, tuple[str, dict[str, Any]]] = {
    "400": ("the body is not JSON at all", {}),
    "401": (
        "no valid token: send `Authorization: Bearer <token>`",
        {"WWW-Authenticate": _CHALLENGE},
    ),
    "403": ("the token's role may not do this", {}),
    "404": ("no such resource (a liaison officer: or not their nation's)", {}),
    "409": ("the change clashes with stored data; nothing was changed", {}),
    "413": ("the body is larger than PFP_MAX_BODY_BYTES", {}),
    "415": ("the Content-Type is not one this operation reads", {}),
    "422": ("the request breaks a rule (see errors)", {}),
    "429": (
        "too many writes or solves for this token; try again after Retry-After",
        {"Retry-After": {**_RETRY_AFTER, "required": True}},
    ),
    "503": ("the database is unreachable or busy", {"Retry-After": _RETRY_AFTER}),
}


# Statuses that follow neither from an operation's shape nor from its decorator's `responses=`.
_ALSO: dict[tuple[str, str], dict[str, str]] = {
    ("get", "/api/v1/programme"): {"404": "no calendar has been approved yet"},
    ("get", "/api/v1/calendars/{calendar_id}/diff/{other_id}"): {
        "409": "either job has no calendar (yet)"
    },
}


def _route_rules(app: FastAPI) -> dict[tuple[str, str], rules.Rule | None]:
    """(method, path) -> the access rule its route declares (included routers walked too)."""
    found: dict[tuple[str, str], rules.Rule | None] = {}
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context.original_route, "dependant", None)
        if dependant is None:
            continue
        rule = next(
            (r for d in dependant.dependencies if (r := rules.rule_of(d.call)) is not None),
            None,
        )
        path = context.path_format or context.path
        for method in context.methods or ():
            found[(method.lower(), path)] = rule
    return found


def _statuses(method: str, operation: dict[str, Any], rule: rules.Rule | None) -> list[str]:
    """The statuses that follow from what the operation is (see the module's table)."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    secured = rule is None or not rule.public
    out = ["503"]
    if secured:
        out.append("401")
        if rule is None or not all(rule.admits(role) for role in Role):
            out.append("403")
    if any(p.get("in") == "path" for p in parameters) or (
        rule is not None and rule.liaison == "own"
    ):
        out.append("404")  # own-nation rules: another nation's data is 404 to a liaison officer
    if has_body:
        out += ["400", "413", "415", "422"]
    elif parameters:
        out.append("422")
    if method in WRITE_METHODS:
        out.append("409")
        if secured:
            out.append("429")
    return out


def _document(
    method: str, path: str, operation: dict[str, Any], rule: rules.Rule | None, problem: dict
) -> None:
    responses = operation.setdefault("responses", {})
    for status, description in _ALSO.get((method, path), {}).items():
        responses.setdefault(status, {"description": description})
    for status in _statuses(method, operation, rule):
        description, headers = _STATUSES[status]
        answer = responses.setdefault(status, {"description": description})
        if headers:
            answer["headers"] = {**headers, **answer.get("headers", {})}
    for status, answer in responses.items():
        if status.startswith(("4", "5")):
            answer["content"] = problem
    if responses.get("422", {}).get("description") == "Validation Error":
        responses["422"]["description"] = _STATUSES["422"][0]
    operation["responses"] = dict(sorted(responses.items()))
    if rule is None or not rule.public:
        operation["security"] = [{BEARER: []}]
        who = rule.describe() if rule is not None else "a valid token"
        note = f"Who may call it: {who}."
        description = operation.get("description", "")
        operation["description"] = f"{description}\n\n{note}" if description else note


def problem_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """An `app.openapi` that documents every status, errors as problem+json, and the token."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        definition = Problem.model_json_schema(
            by_alias=True, ref_template="#/components/schemas/{model}"
        )
        schemas.update(definition.pop("$defs", {}))
        schemas["Problem"] = definition
        components.setdefault("securitySchemes", {})[BEARER] = {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "opaque",
            "description": "an API token (`pfp_...`): `pfp-scheduler token create`, or "
            "POST /api/v1/tokens as an admin",
        }
        problem = {PROBLEM_JSON: {"schema": _REF}}
        route_rules = _route_rules(app)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                rule = route_rules.get((method, path))
                _document(method, path, operation, rule, problem)
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = schema
        return schema

    return openapi


__all__ = ["BEARER", "Problem", "ProblemError", "problem_openapi"]
