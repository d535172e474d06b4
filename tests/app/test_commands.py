"""The service's commands: migrate and demo against a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from typer.testing import CliRunner

from app.cli import cli
from app.db import create_db_engine, make_sessionmaker
from app.db.migrate import current_revision
from app.scenario import service as scenario_service
from app.scenario.demo import demo_scenario


def _run(*args: str, url: str):  # noqa: ANN202
    return CliRunner().invoke(cli, list(args), env={"PFP_DATABASE_URL": url})


def test_migrate_makes_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'pfp.db'}"
    result = _run("migrate", url=url)
    assert result.exit_code == 0, result.output
    engine = create_db_engine(url)
    try:
        assert current_revision(engine) is not None
        assert "units" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_demo_loads_the_shipped_programme_only_into_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    shipped = demo_scenario()
    result = _run("demo", url=url)
    assert result.exit_code == 0, result.output
    engine = create_db_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            stored = scenario_service.find_scenario(session=session)
        if shipped is None:
            assert stored is None
            assert "no demo programme" in result.output
            return
        assert stored is not None and stored.name == shipped.name
        assert len(stored.units) == len(shipped.units)
        again = _run("demo", url=url)
        assert again.exit_code == 0 and "already holds a programme" in again.output
        forced = _run("demo", "--force", url=url)
        assert forced.exit_code == 0 and "loaded the demo programme" in forced.output
    finally:
        engine.dispose()


def test_token_commands_create_list_and_revoke(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pfp.db'}"
    created = _run("token", "create", "--role", "liaison", "--nation", "pl", "--name", "N", url=url)
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("pfp_") and len(secret) > 40
    token_id = created.stderr.split("created token ")[1].split()[0]
    listed = _run("token", "list", url=url)
    assert token_id in listed.stdout and "liaison" in listed.stdout
    assert _run("token", "revoke", token_id, url=url).exit_code == 0
    assert token_id not in _run("token", "list", url=url).stdout
    assert _run("token", "revoke", "tok_nosuch", url=url).exit_code == 1
    assert _run("token", "create", "--role", "viewer", "--nation", "PL", url=url).exit_code == 2
