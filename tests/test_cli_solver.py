"""The solver commands of `pfp-scheduler`: solve, check, generate, and how they refuse bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from solver import Calendar, parse_scenario
from tests.solver.helpers import assert_calendar_valid

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.scenario.json"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text


def test_solve_then_check(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "calendar.json"
    result = runner.invoke(
        cli, ["solve", str(TINY), "--time-limit", "2", "--workers", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    calendar = Calendar.model_validate_json(out.read_text())
    scenario = parse_scenario(json.loads(TINY.read_text()))
    assert_calendar_valid(scenario, calendar)
    assert calendar.kpi.priority_scheduled == 70  # the spec's example is solved to optimality
    assert "figures" in result.stderr and "travel 0 km" in result.stderr  # no coordinates
    assert "exercises on one day" in result.stderr
    assert f"at most {calendar.kpi.nation_participations}," in result.stderr  # proven

    checked = runner.invoke(cli, ["check", str(TINY), str(out)])
    assert checked.exit_code == 0, checked.output
    assert "priority_scheduled" in checked.stdout and "70" in checked.stdout
    assert "travel_km" in checked.stdout
    assert "peak_exercises" in checked.stdout


def test_check_prints_the_travel_it_recomputes(runner: CliRunner, tmp_path: Path) -> None:
    data = json.loads(TINY.read_text())
    for u in data["units"]:
        u["home"] = {"lat": 52.23, "lon": 21.01}  # Warsaw
    for s in data["sites"]:
        s["location"] = {"lat": 38.72, "lon": -9.14}  # Lisbon
    scenario_file = tmp_path / "far.scenario.json"
    scenario_file.write_text(json.dumps(data))
    out = tmp_path / "calendar.json"
    solved = runner.invoke(
        cli, ["solve", str(scenario_file), "--time-limit", "2", "--workers", "1", "-o", str(out)]
    )
    assert solved.exit_code == 0, solved.output + solved.stderr
    calendar = Calendar.model_validate_json(out.read_text())
    units = sum(len(x.units) for x in calendar.scheduled)
    assert units > 0 and calendar.stats is not None
    km = calendar.stats.travel_km
    assert km is not None and 2700 * units < km < 2820 * units  # Warsaw - Lisbon, per unit
    checked = runner.invoke(cli, ["check", str(scenario_file), str(out)])
    assert checked.exit_code == 0, checked.output
    assert f"{km:,.1f}" in checked.stdout


def test_solve_writes_the_calendar_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["solve", str(TINY), "--time-limit", "2", "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.model_validate_json(result.stdout)
    assert calendar.scenario == "Tiny June programme"


def test_check_of_a_tampered_calendar_names_the_rule(runner: CliRunner, tmp_path: Path) -> None:
    calendar = json.loads((DATA / "tiny.calendar.json").read_text())
    calendar["scheduled"][0]["end"] = "1995-06-12"  # CB95 lasts 10 days, not 12
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(calendar))
    result = runner.invoke(cli, ["check", str(TINY), str(tampered)])
    assert result.exit_code == 1
    assert "CB95" in result.stdout and "end" in result.stdout
    _no_traceback(result.output)


def test_check_of_the_spec_example_passes(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(TINY), str(DATA / "tiny.calendar.json")])
    assert result.exit_code == 0, result.stdout
    assert "keeps rules 1-9" in result.stdout


@pytest.mark.parametrize("command", ["solve", "check"])
def test_bad_scenario_names_the_field(runner: CliRunner, tmp_path: Path, command: str) -> None:
    data = json.loads(TINY.read_text())
    data["units"][0]["nation"] = "DE"  # not among the nations
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    args = [command, str(bad)] + ([str(DATA / "tiny.calendar.json")] if command == "check" else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "/units/0/nation" in result.stderr and "unknown nation" in result.stderr
    _no_traceback(result.output)


def test_text_that_is_not_json_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "pfp-scenario/1",')
    result = runner.invoke(cli, ["solve", str(bad)])
    assert result.exit_code == 2
    assert "not JSON" in result.stderr
    _no_traceback(result.output)


def test_missing_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(TINY), str(tmp_path / "nowhere.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    _no_traceback(result.output)


def test_bad_calendar_names_the_field(runner: CliRunner, tmp_path: Path) -> None:
    calendar = json.loads((DATA / "tiny.calendar.json").read_text())
    calendar["scheduled"][1]["start"] = "June 16th"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(calendar))
    result = runner.invoke(cli, ["check", str(TINY), str(bad)])
    assert result.exit_code == 2
    assert "/scheduled/1/start" in result.stderr
    _no_traceback(result.output)


def test_generate_writes_a_valid_scenario(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    result = runner.invoke(cli, ["generate", "--size", "M", "--seed", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    scenario = parse_scenario(json.loads(out.read_text()))
    assert len(scenario.exercises) == 60
    again = runner.invoke(cli, ["generate", "--size", "M", "--seed", "4"])
    assert json.loads(again.stdout) == json.loads(out.read_text())


def test_generate_refuses_an_unknown_size(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["generate", "--size", "XXL"])
    assert result.exit_code == 2
    _no_traceback(result.output)
