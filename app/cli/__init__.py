"""The `pfp-scheduler` command: one typer app, its commands kept by topic in sibling modules."""

from __future__ import annotations

import typer

from app.cli import service_commands, solver_commands, token_commands

cli = typer.Typer(
    name="pfp-scheduler",
    help="Partnership for Peace exercise scheduling: serve the API, solve and check calendars.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
service_commands.register(cli)
solver_commands.register(cli)
token_commands.register(cli)


def main() -> None:
    cli()


__all__ = ["cli", "main"]
