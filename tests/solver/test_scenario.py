"""The scenario contract: the spec's examples parse; documents that break it are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solver import ScenarioInvalid, parse_scenario

DATA = Path(__file__).parent.parent / "data"


@pytest.mark.parametrize("name", ["tiny", "tiny-infeasible"])
def test_spec_examples_parse(name: str) -> None:
    scenario = parse_scenario(json.loads((DATA / f"{name}.scenario.json").read_text()))
    assert len(scenario.exercises) == 3
    assert scenario.units[0].blackouts == []


def _tiny() -> dict:
    return json.loads((DATA / "tiny.scenario.json").read_text())


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        (lambda d: d["units"][0].update(nation="DE"), "/units/0/nation", "unknown_ref"),
        (lambda d: d["units"][1].update(id="PL-INF-1"), "/units/1/id", "duplicate"),
        (
            lambda d: d["exercises"][0].update(after=[{"exercise": "CB95"}]),
            "/exercises/0/after/0/exercise",
            "after_cycle",
        ),
        (
            lambda d: (
                d["exercises"][0].update(after=[{"exercise": "CV95"}]),
                d["exercises"][1].update(after=[{"exercise": "CB95"}]),
            ),
            "/exercises/1/after",
            "after_cycle",
        ),
        (
            lambda d: d["exercises"][2].update(pinned={"site": "SE-GOTLAND"}),
            "/exercises/2/pinned/site",
            "pin_ineligible_site",
        ),
        (
            lambda d: d["exercises"][2].update(pinned={"start": "1995-06-25"}),
            "/exercises/2/pinned/start",
            "pin_outside_window",
        ),
        (
            lambda d: d["exercises"][0].update(duration_days=31),
            "/exercises/0/duration_days",
            "duration_exceeds_window",
        ),
        (
            lambda d: d["units"][0].update(
                blackouts=[{"start": "1995-05-30", "end": "1995-06-02"}]
            ),
            "/units/0/blackouts/0",
            "outside_horizon",
        ),
        (
            lambda d: d["exercises"][0]["requirements"].append(
                {"capability": "medical_team", "units": 1}
            ),
            "/exercises/0/requirements/2/capability",
            "duplicate",
        ),
    ],
)
def test_cross_field_rules_name_the_field(change, pointer: str, code: str) -> None:
    document = _tiny()
    change(document)
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(document)
    assert (pointer, code) in {(p.pointer, p.code) for p in caught.value.problems}


def test_field_rules_come_from_pydantic_with_pointers() -> None:
    document = _tiny()
    document["units"][0]["personnel"] = 0
    document["horizon"] = {"start": "1995-06-30", "end": "1995-06-01"}
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(document)
    pointers = {p.pointer for p in caught.value.problems}
    assert {"/units/0/personnel", "/horizon"} <= pointers
