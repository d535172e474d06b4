"""The contract's cross-rules for a write of one resource, reusing `solver.scenario_problems`.

A write is checked by building the would-be scenario (the stored one with the new or changed
resource in place) and running the solver's own rules on it, so no rule is written twice.
Problems inside the resource come back as 422 with pointers into the request body; problems
the change causes elsewhere (e.g. a pin that no longer fits) come back as 409 naming them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel

from app.errors import Conflict, ErrorDetail, InvalidInput
from solver import Scenario, ScenarioInvalid, ScenarioProblem, scenario_problems
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
