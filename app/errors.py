"""The service's errors, and the one function that turns every error into problem+json.

    ServiceError (message, status_code, errors)
    ├── BadRequest              400  a body that is not JSON at all
    ├── ResourceNotFound        404  no nation, unit, site, exercise or route by that name
    ├── Conflict                409  the change clashes with what is stored (references, ids)
    ├── PreconditionFailed      412  If-Match names a version that is no longer current
    ├── PayloadTooLarge         413  body above PFP_MAX_BODY_BYTES
    ├── UnsupportedMediaType    415  a Content-Type the endpoint does not read
    ├── InvalidInput            422  a body that breaks the rules of the scenario contract
    └── PreconditionRequired    428  a write that must carry If-Match did not

Every answer is RFC 9457 `application/problem+json`:
`{type, title, status, detail, instance, errors: [{pointer, reason}]}` where `pointer` is an
RFC 6901 pointer into the request body; errors about a query, path or header parameter carry
`{parameter, in, reason}` instead. `solver.ScenarioInvalid` becomes 422 with its problems.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from solver import ScenarioInvalid
from solver.scenario import pointer as json_pointer

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://pfp-scheduler.example/problems/"

log = logging.getLogger("app.errors")


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One thing wrong with a request: where (a body pointer or a parameter) and why."""

    reason: str
    pointer: str | None = None
    parameter: str | None = None
    location: str | None = None  # "query", "path" or "header", with `parameter`
    code: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.parameter is not None:
            out["parameter"] = self.parameter
            out["in"] = self.location
        else:
            out["pointer"] = self.pointer or ""
        out["reason"] = self.reason
        if self.code:
            out["code"] = self.code
        return out


class ServiceError(Exception):
    """The base of every error the service answers with on purpose."""

    status_code: int = 500
    slug: str = "error"

    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[ErrorDetail] = (),
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)
        self.headers = headers or {}


class BadRequest(ServiceError):
    status_code = 400
    slug = "bad-request"


class Unauthorized(ServiceError):
    """No valid credentials: answers 401 with a `WWW-Authenticate: Bearer` challenge."""

    status_code = 401
    slug = "unauthorized"

    def __init__(self, message: str, *, error: str = "invalid_token", **kwargs: object):
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        challenge = f'Bearer realm="pfp-scheduler", error="{error}"'
        if error == "missing_token":
            challenge = 'Bearer realm="pfp-scheduler"'
        self.headers.setdefault("WWW-Authenticate", challenge)


class Forbidden(ServiceError):
    status_code = 403
    slug = "forbidden"


class ResourceNotFound(ServiceError):
    status_code = 404
    slug = "not-found"


class Conflict(ServiceError):
    status_code = 409
    slug = "conflict"


class PreconditionFailed(ServiceError):
    status_code = 412
    slug = "precondition-failed"


class PayloadTooLarge(ServiceError):
    status_code = 413
    slug = "payload-too-large"


class UnsupportedMediaType(ServiceError):
    status_code = 415
    slug = "unsupported-media-type"


class InvalidInput(ServiceError):
    status_code = 422
    slug = "invalid-input"


class PreconditionRequired(ServiceError):
    status_code = 428
    slug = "precondition-required"


class TooManyRequests(ServiceError):
    """429; give `headers={"Retry-After": seconds}`."""

    status_code = 429
    slug = "too-many-requests"


def problem_response(
    request: Request | None,
    *,
    status: int,
    slug: str,
    detail: str,
    errors: Iterable[ErrorDetail] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    body["errors"] = [e.as_json() for e in errors]
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_details(errors: Sequence[Any]) -> tuple[list[ErrorDetail], bool]:
    """FastAPI's validation errors as details; the flag says the body was not JSON at all."""
    out: list[ErrorDetail] = []
    malformed = False
    for item in errors:
        loc = tuple(
            p for p in item.get("loc", ()) if not (isinstance(p, str) and p.startswith("function-"))
        )
        kind = item.get("type", "invalid")
        where, rest = (loc[0], loc[1:]) if loc else ("body", ())
        if kind == "json_invalid":
            malformed = True
            ctx = item.get("ctx") or {}
            reason = f"the body is not valid JSON: {ctx.get('error', item.get('msg'))}"
            out.append(ErrorDetail(reason=reason, pointer="", code=kind))
        elif where == "body":
            out.append(ErrorDetail(reason=item["msg"], pointer=json_pointer(*rest), code=kind))
        else:
            name = str(rest[0]) if rest else str(where)
            out.append(
                ErrorDetail(reason=item["msg"], parameter=name, location=str(where), code=kind)
            )
    return out, malformed


def register_error_handlers(app: FastAPI) -> None:
    """Map every error the service can meet to one problem+json answer."""

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        return problem_response(
            request,
            status=exc.status_code,
            slug=exc.slug,
            detail=exc.message,
            errors=exc.errors,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        details, malformed = _validation_details(exc.errors())
        if malformed:
            return problem_response(
                request,
                status=400,
                slug="malformed-json",
                detail="the request body is not valid JSON",
                errors=details,
            )
        count = len(details)
        return problem_response(
            request,
            status=422,
            slug=InvalidInput.slug,
            detail=f"the request breaks {count} rule{'s' if count != 1 else ''}",
            errors=details,
        )

    @app.exception_handler(ScenarioInvalid)
    async def _scenario_invalid(request: Request, exc: ScenarioInvalid) -> JSONResponse:
        details = [
            ErrorDetail(reason=p.reason, pointer=p.pointer, code=p.code) for p in exc.problems
        ]
        count = len(details)
        return problem_response(
            request,
            status=422,
            slug="invalid-scenario",
            detail=f"the scenario breaks {count} rule{'s' if count != 1 else ''} of pfp-scenario/1",
            errors=details,
        )

    @app.exception_handler(IntegrityError)
    async def _integrity_error(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error turned into 409: %s", exc.orig)
        return problem_response(
            request,
            status=409,
            slug=Conflict.slug,
            detail="the change clashes with stored data (a reference or a unique id); "
            "nothing was changed",
        )

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        log.warning("data error turned into 422: %s", exc.orig)
        return problem_response(
            request,
            status=422,
            slug=InvalidInput.slug,
            detail="the request holds a value the database cannot store or look up "
            "(e.g. a NUL character or a number out of range); nothing was changed",
        )

    @app.exception_handler(OperationalError)
    async def _database_unavailable(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database error: %s", exc.orig)
        return problem_response(
            request,
            status=503,
            slug="database-unavailable",
            detail="the database cannot be reached or is busy; try again",
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        if status == 404:
            detail = f"no such resource: {request.url.path}"
        elif status == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        else:
            detail = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
        # FastAPI's 400 is a body it could not read at all (e.g. JSON nested too deep)
        errors = [ErrorDetail(reason=detail, pointer="")] if status == 400 else []
        return problem_response(
            request,
            status=status,
            slug=HTTPStatus(status).phrase.lower().replace(" ", "-"),
            detail=detail,
            errors=errors,
            headers=dict(exc.headers or {}),
        )


__all__ = [
    "PROBLEM_JSON",
    "BadRequest",
    "Conflict",
    "ErrorDetail",
    "Forbidden",
    "InvalidInput",
    "PayloadTooLarge",
    "PreconditionFailed",
    "PreconditionRequired",
    "ResourceNotFound",
    "ServiceError",
    "TooManyRequests",
    "Unauthorized",
    "UnsupportedMediaType",
    "problem_response",
    "register_error_handlers",
]
