"""Commands around the solver: solve, check, generate."""

from __future__ import annotations

import typer


def register(cli: typer.Typer) -> None:
    """Add this module's commands to the `pfp-scheduler` app."""
