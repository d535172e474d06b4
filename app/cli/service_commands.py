"""Commands that run the service: serve, migrate, demo."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console(stderr=True, soft_wrap=True)


def _settings():  # noqa: ANN202 - Settings, imported late to keep `--help` quick
    from app.settings import Settings

    return Settings()


def _migrate(settings, *, quiet: bool = False) -> None:  # noqa: ANN001
    from sqlalchemy.exc import OperationalError

    from app.db import create_db_engine
    from app.db.migrate import current_revision, upgrade

    engine = create_db_engine(settings.database_url)
    try:
        upgrade(engine)
        if quiet:
            return
        console.print(f"database at revision {current_revision(engine)}: {_safe(engine.url)}")
    except OperationalError as error:
        console.print(f"[red]cannot reach the database {_safe(engine.url)}:[/red] {error.orig}")
        raise typer.Exit(code=1) from None
    finally:
        engine.dispose()


def _safe(url) -> str:  # noqa: ANN001
    return url.render_as_string(hide_password=True)


def _load_demo(settings, *, force: bool) -> str:  # noqa: ANN001
    from app.db import create_db_engine, make_sessionmaker
    from app.scenario.demo import load_demo

    engine = create_db_engine(settings.database_url)
    try:
        return load_demo(make_sessionmaker(engine), force=force)
    finally:
        engine.dispose()


def serve(
    demo: Annotated[
        bool, typer.Option(help="load the demo programme when the database is empty")
    ] = True,
) -> None:
    """Apply the migrations, load the demo programme if the database is empty, and serve."""
    import uvicorn

    from app.main import create_app

    settings = _settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    _migrate(settings)
    if demo:
        console.print(_load_demo(settings, force=False))
    from app.cli.token_commands import bootstrap_admin

    secret = bootstrap_admin(settings)
    if secret is not None:
        console.print(
            "[bold]The first admin token[/bold] (shown this once; keep it, the database holds "
            "only its hash):"
        )
        console.print(f"  [bold green]{secret}[/bold green]", highlight=False)
        console.print(
            "Send it as `Authorization: Bearer <token>`; make more with "
            "`pfp-scheduler token create --role ...`."
        )
    console.print(f"API docs: [bold]{settings.docs_url}[/bold]")

    class _StreamClosingServer(uvicorn.Server):
        """uvicorn, ending the open event streams (GET /calendars/{id}/events) when told to
        stop, so a shutdown does not wait for them."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            broadcaster = getattr(app.state, "job_broadcaster", None)
            if broadcaster is not None:
                broadcaster.close_all()
            super().handle_exit(sig, frame)

    app = create_app(settings.model_copy(update={"migrate_on_startup": False}))
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        # event streams still open 5 s into a shutdown are cut; then the lifespan stops the
        # solves, keeping their best calendars
        timeout_graceful_shutdown=5,
    )
    _StreamClosingServer(config).run()


def migrate() -> None:
    """Bring the database (PFP_DATABASE_URL) up to the newest schema."""
    _migrate(_settings())


def demo(
    force: Annotated[
        bool, typer.Option("--force", help="replace the data even when there is some")
    ] = False,
) -> None:
    """Load the demo programme: only into an empty database unless --force."""
    settings = _settings()
    _migrate(settings)
    console.print(_load_demo(settings, force=force))


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the `pfp-scheduler` app."""
    cli.command()(serve)
    cli.command()(migrate)
    cli.command()(demo)
