"""/api/v1/scenario (the whole programme as one document) and /api/v1/scenario/meta."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from app.auth import rules as access
from app.auth.rules import allow
from app.db import SessionDep
from app.dependencies import JsonBody
from app.scenario import rules, service
from app.scenario.schemas import ProgrammeBody, ScenarioSummary
from solver import SCENARIO_FORMAT, Scenario, parse_scenario_json

router = APIRouter(tags=["scenario"])


async def _raw_body(request: Request) -> bytes:
    return await request.body()


RawBody = Annotated[bytes, Depends(_raw_body)]

_SCENARIO_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}},
    }
}


@router.get(
    "/scenario",
    response_class=Response,
    responses={200: {"model": Scenario, "description": "the stored programme"}},
    dependencies=[allow(access.ALL_DATA_READ)],
)
def export_scenario(session: SessionDep) -> Response:
    """The whole stored programme as a `pfp-scenario/1` document."""
    scenario = service.export_scenario(session=session)
    return Response(scenario.model_dump_json(), media_type="application/json")


@router.put(
    "/scenario",
    response_model=ScenarioSummary,
    dependencies=[allow(access.PROGRAMME_WRITE), JsonBody],
    openapi_extra=_SCENARIO_BODY,
)
def replace_scenario(session: SessionDep, body: RawBody) -> ScenarioSummary:
    """Replace all data with a `pfp-scenario/1` document, in one transaction.

    A document that breaks the contract gets 422 listing every problem with its pointer,
    and nothing is changed.
    """
    rules.check_document_size(session, body)  # 422 above PFP_MAX_*, before the contract's rules
    scenario = parse_scenario_json(body)  # ScenarioInvalid -> 422
    rules.check_storable(scenario)
    service.replace_scenario(session=session, scenario=scenario)
    return ScenarioSummary(
        name=scenario.name,
        horizon=scenario.horizon,
        nations=len(scenario.nations),
        units=len(scenario.units),
        sites=len(scenario.sites),
        exercises=len(scenario.exercises),
    )


@router.get("/scenario/schema", response_class=Response, dependencies=[allow(access.SIGNED_IN)])
def scenario_schema() -> Response:
    """The JSON Schema of a `pfp-scenario/1` document, generated from the models."""
    schema = Scenario.model_json_schema()
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    schema.setdefault("title", SCENARIO_FORMAT)
    return Response(json.dumps(schema), media_type="application/schema+json")


@router.get(
    "/scenario/meta", response_model=ProgrammeBody, dependencies=[allow(access.PROGRAMME_READ)]
)
def get_programme(session: SessionDep) -> ProgrammeBody:
    """The programme's name and planning horizon."""
    return service.get_programme(session=session)


@router.put(
    "/scenario/meta",
    response_model=ProgrammeBody,
    dependencies=[allow(access.PROGRAMME_WRITE), JsonBody],
)
def set_programme(session: SessionDep, programme: ProgrammeBody) -> ProgrammeBody:
    """Rename the programme or move its horizon (409 if stored data would fall outside)."""
    rules.check_horizon_size(session, programme.horizon)  # 422 above PFP_MAX_HORIZON_DAYS
    return service.set_programme(session=session, programme=programme)
