"""The OpenAPI document, with every error answer described as RFC 9457 problem+json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from app.errors import PROBLEM_JSON


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


def problem_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """An `app.openapi` that documents errors as problem+json (4XX, and 503)."""

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
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        definition = Problem.model_json_schema(
            by_alias=True, ref_template="#/components/schemas/{model}"
        )
        components.update(definition.pop("$defs", {}))
        components["Problem"] = definition
        problem = {PROBLEM_JSON: {"schema": _REF}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in list(responses):
                    if status.startswith(("4", "5")):
                        responses[status]["content"] = problem
                if responses.get("422", {}).get("description") == "Validation Error":
                    responses["422"]["description"] = "the request breaks a rule (see errors)"
                responses.setdefault(
                    "4XX", {"description": "the request was refused", "content": problem}
                )
                responses.setdefault(
                    "503", {"description": "the database is unreachable", "content": problem}
                )
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    return openapi
