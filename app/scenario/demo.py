"""The demo programme shipped as package data (app/demo/pfp-1995.json)."""

from __future__ import annotations

import logging
from importlib import resources

from sqlalchemy.orm import Session, sessionmaker

from app.scenario import repository as scenario_repository
from app.scenario import service as scenario_service
from solver import Scenario, parse_scenario_json

DEMO_FILE = "pfp-1995.json"
log = logging.getLogger("app.demo")


def demo_scenario() -> Scenario | None:
    """The demo programme, or None when this build carries none."""
    path = resources.files("app") / "demo" / DEMO_FILE
    if not path.is_file():
        return None
    return parse_scenario_json(path.read_bytes())


def load_demo(factory: sessionmaker[Session], *, force: bool = False) -> str:
    """Load the demo programme when the database is empty (or always with `force`).

    Returns what happened, in words: loaded, skipped (data present) or missing.
    """
    scenario = demo_scenario()
    if scenario is None:
        return f"no demo programme in this build (app/demo/{DEMO_FILE}); nothing loaded"
    with factory.begin() as session:
        if not force and scenario_repository.get_programme(session) is not None:
            return "the database already holds a programme; demo not loaded (use --force)"
        scenario_service.replace_scenario(session=session, scenario=scenario)
    return (
        f"loaded the demo programme {scenario.name!r}: {len(scenario.nations)} nations, "
        f"{len(scenario.units)} units, {len(scenario.sites)} sites, "
        f"{len(scenario.exercises)} exercises"
    )
