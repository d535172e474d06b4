"""The contract's cross-rules for a write of one resource, reusing `solver.scenario_problems`.

A write is checked by building the would-be scenario (the stored one with the new or changed
resource in place) and running the solver's own rules on it, so no rule is written twice.
Problems inside the resource come back as 422 with pointers into the request body; problems
the change causes elsewhere (e.g. a pin that no longer fits) come back as 409 naming them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.errors import Conflict, ErrorDetail, InvalidInput
from app.settings import Settings
from solver import Scenario, ScenarioInvalid, ScenarioProblem, Window, scenario_problems
from solver.scenario import pointer as json_pointer

Collection = Literal["nations", "units", "sites", "exercises"]
KEY_FIELD: dict[str, str] = {"nations": "code", "units": "id", "sites": "id", "exercises": "id"}
SINGULAR: dict[str, str] = {
    "nations": "nation",
    "units": "unit",
    "sites": "site",
    "exercises": "exercise",
}


def _key(item: BaseModel, collection: Collection) -> str:
    return getattr(item, KEY_FIELD[collection])


INT_MAX = 2**31 - 1  # the widest integer column every backend stores (PostgreSQL INTEGER)


def storage_problems(data: Any, *path: str | int) -> Iterator[ScenarioProblem]:
    """Values the contract allows but no database column can hold: integers beyond 32 bits,
    NUL characters in text, floats that are not finite. `data` is a model's `model_dump()`."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from storage_problems(value, *path, key)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from storage_problems(value, *path, index)
    elif isinstance(data, bool):
        return
    elif isinstance(data, int) and not -INT_MAX <= data <= INT_MAX:
        yield ScenarioProblem(json_pointer(*path), f"must be at most {INT_MAX}", "too_large")
    elif isinstance(data, str) and "\x00" in data:
        yield ScenarioProblem(json_pointer(*path), "must not contain NUL characters", "nul")
    elif isinstance(data, float) and not math.isfinite(data):
        yield ScenarioProblem(json_pointer(*path), "must be a finite number", "not_finite")


def check_storable(scenario: Scenario) -> None:
    """Raise `ScenarioInvalid` for values no database column can hold."""
    problems = list(storage_problems(scenario.model_dump()))
    if problems:
        raise ScenarioInvalid(problems)


def check_storable_item(*, collection: Collection, item: BaseModel) -> None:
    """Raise InvalidInput (pointers into the body) for values no database column can hold."""
    storable = [
        ErrorDetail(p.reason, pointer=p.pointer, code=p.code)
        for p in storage_problems(item.model_dump())
    ]
    if storable:
        raise InvalidInput(
            f"the {SINGULAR[collection]} holds values no database can store", errors=storable
        )


def check_write(
    *, scenario: Scenario, collection: Collection, item: BaseModel, replaces: str | None
) -> Scenario:
    """Raise InvalidInput / Conflict unless `item` (new, or replacing `replaces`) keeps the rules."""
    items = list(getattr(scenario, collection))
    if replaces is None:
        index = len(items)
        items.append(item)
    else:
        index = next(i for i, x in enumerate(items) if _key(x, collection) == replaces)
        items[index] = item
    after = scenario.model_copy(update={collection: items})
    prefix = json_pointer(collection, index)
    mine: list[ErrorDetail] = []
    others: list[ScenarioProblem] = []
    for problem in scenario_problems(after):
        if problem.pointer == prefix or problem.pointer.startswith(prefix + "/"):
            mine.append(
                ErrorDetail(
                    problem.reason, pointer=problem.pointer[len(prefix) :], code=problem.code
                )
            )
        elif collection == "exercises" and problem.code == "after_cycle":
            mine.append(ErrorDetail(problem.reason, pointer="/after", code=problem.code))
        else:
            others.append(problem)
    if others:
        # only what this write causes: drop problems the stored data already had
        before = {(p.pointer, p.reason) for p in scenario_problems(scenario)}
        others = [p for p in others if (p.pointer, p.reason) not in before]
    what = f"{SINGULAR[collection]} {_key(item, collection)!r}"
    if mine:
        raise InvalidInput(
            f"{what} breaks {len(mine)} rule{'s' if len(mine) != 1 else ''} of the scenario",
            errors=mine,
        )
    if others:
        raise Conflict(
            f"{what} would break what refers to it: "
            + "; ".join(d.reason for d in describe_problems(after, others)),
            errors=list(describe_problems(after, others)),
        )
    return after


def describe_problems(scenario: Scenario, problems: list[ScenarioProblem]) -> Iterator[ErrorDetail]:
    """Problems elsewhere in the scenario, each reason naming the resource it is about."""
    for p in problems:
        parts = p.pointer.split("/")[1:]
        label = p.pointer
        if len(parts) >= 2 and parts[0] in KEY_FIELD and parts[1].isdigit():
            collection = parts[0]
            items = getattr(scenario, collection)
            index = int(parts[1])
            if index < len(items):
                rest = "/".join(parts[2:])
                label = f"{SINGULAR[collection]} {_key(items[index], collection)}"  # type: ignore[arg-type]
                if rest:
                    label += f" ({rest})"
        yield ErrorDetail(f"{label}: {p.reason}", pointer="", code=p.code)


# --- the programme's size: limits that keep one request from taking the service down ---

LIMITS_KEY = "pfp.scenario_limits"  # in session.info: the app's sessionmaker puts them there


@dataclass(frozen=True, slots=True)
class ScenarioLimits:
    """The most a stored programme may hold (PFP_MAX_*); above, a write is refused with 422."""

    nations: int
    units: int
    sites: int
    exercises: int
    horizon_days: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ScenarioLimits:
        return cls(
            nations=settings.max_nations,
            units=settings.max_units,
            sites=settings.max_sites,
            exercises=settings.max_exercises,
            horizon_days=settings.max_horizon_days,
        )

    def of(self, collection: Collection) -> int:
        return getattr(self, collection)


def limits_of(session: Session) -> ScenarioLimits | None:
    """The limits the request's session carries; None outside the app (commands on the server)."""
    return session.info.get(LIMITS_KEY)


def _count_error(
    limits: ScenarioLimits, collection: Collection, count: int, pointer: str
) -> ErrorDetail:
    most = limits.of(collection)
    return ErrorDetail(
        f"{count} {collection} is above the limit of {most} a programme may hold "
        f"(PFP_MAX_{collection.upper()})",
        pointer=pointer,
        code="too_many",
    )


def _horizon_error(limits: ScenarioLimits, days: int, pointer: str) -> ErrorDetail:
    return ErrorDetail(
        f"a horizon of {days} days is longer than the limit of {limits.horizon_days} days "
        "(PFP_MAX_HORIZON_DAYS)",
        pointer=pointer,
        code="too_long",
    )


def _raise_over(errors: list[ErrorDetail], what: str) -> None:
    if errors:
        raise InvalidInput(
            f"{what} is larger than this service accepts: " + "; ".join(e.reason for e in errors),
            errors=errors,
        )


def check_document_size(session: Session, body: bytes) -> None:
    """422 for a scenario document above the limits, before the contract's rules are run on it
    (so an oversized document costs no more than one parse). A body that is not a scenario's
    shape is left to the contract's checks, which say what is wrong with it."""
    limits = limits_of(session)
    if limits is None:
        return
    try:
        data = json.loads(body)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    errors = [
        _count_error(limits, collection, len(items), f"/{collection}")
        for collection in ("nations", "units", "sites", "exercises")
        if isinstance(items := data.get(collection), list) and len(items) > limits.of(collection)
    ]
    days = _horizon_days(data.get("horizon"))
    if days is not None and days > limits.horizon_days:
        errors.append(_horizon_error(limits, days, "/horizon"))
    _raise_over(errors, "the scenario")


def _horizon_days(horizon: Any) -> int | None:
    if not isinstance(horizon, dict):
        return None
    try:
        start = dt.date.fromisoformat(horizon["start"])
        end = dt.date.fromisoformat(horizon["end"])
    except (KeyError, TypeError, ValueError):
        return None
    return (end - start).days + 1


def check_horizon_size(session: Session, horizon: Window) -> None:
    """422 (pointer `/horizon`) for a horizon longer than PFP_MAX_HORIZON_DAYS."""
    limits = limits_of(session)
    if limits is None:
        return
    days = (horizon.end - horizon.start).days + 1
    if days > limits.horizon_days:
        _raise_over([_horizon_error(limits, days, "/horizon")], "the horizon")


def check_room_for_one(session: Session, *, collection: Collection, stored: int) -> None:
    """422 when the programme already holds the most `collection` it may (the pointer is the
    whole body: the resource that would be one too many)."""
    limits = limits_of(session)
    if limits is None or stored < limits.of(collection):
        return
    most = limits.of(collection)
    raise InvalidInput(
        f"the programme already holds {stored} {collection}, the most it may hold",
        errors=[
            ErrorDetail(
                f"no room for another {SINGULAR[collection]}: the limit is {most} "
                f"(PFP_MAX_{collection.upper()})",
                pointer="",
                code="too_many",
            )
        ],
    )
