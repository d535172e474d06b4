"""`pfp-scheduler token create|revoke|list`: bearer tokens, made on the server itself."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.auth.principal import Role

console = Console(stderr=True, soft_wrap=True)
token_cli = typer.Typer(
    name="token", help="Create, list and revoke bearer tokens.", no_args_is_help=True
)


def _sessionmaker():  # noqa: ANN202 - migrates first, so the tables exist
    from app.cli.service_commands import _migrate, _settings
    from app.db import create_db_engine, make_sessionmaker

    settings = _settings()
    _migrate(settings, quiet=True)
    engine = create_db_engine(settings.database_url)
    return engine, make_sessionmaker(engine)


@token_cli.command("create")
def create(
    role: Annotated[Role, typer.Option(help="what the token may do")],
    nation: Annotated[
        str | None,
        typer.Option(help="the nation a liaison token speaks for (ISO 3166-1 alpha-2)"),
    ] = None,
    name: Annotated[str, typer.Option(help="who holds it")] = "",
    expires_in_days: Annotated[
        int | None, typer.Option(min=1, max=3650, help="valid this many days (default: forever)")
    ] = None,
) -> None:
    """Create a token and print its secret once (on stdout, alone, for scripts)."""
    from app.auth.router import record_token_write
    from app.auth.tokens import issue_token

    if nation is not None:
        nation = nation.upper()
    if (role is Role.liaison) != (nation is not None):
        console.print("[red]--nation is needed for a liaison token, and only for one[/red]")
        raise typer.Exit(code=2)
    if nation is not None and (len(nation) != 2 or not nation.isalpha()):
        console.print(f"[red]--nation {nation!r} is not a two-letter code[/red]")
        raise typer.Exit(code=2)
    expires_at = None
    if expires_in_days is not None:
        expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days)
    engine, factory = _sessionmaker()
    try:
        with factory.begin() as session:
            issued = issue_token(
                session,
                role=role,
                name=name or f"{role.value} token",
                nation=nation,
                expires_at=expires_at,
            )
            record_token_write(session, "create", issued.record, before=None)  # by the system
            token_id = issued.record.id
    finally:
        engine.dispose()
    console.print(f"created token {token_id} ({role.value}{' for ' + nation if nation else ''})")
    print(issued.secret)


@token_cli.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="the token's id, e.g. tok_0123abcd4567")],
) -> None:
    """Revoke a token at once."""
    from app.auth.router import revoke_and_record

    engine, factory = _sessionmaker()
    try:
        with factory.begin() as session:
            record = revoke_and_record(session, token_id)  # recorded as by the system
    finally:
        engine.dispose()
    if record is None:
        console.print(f"[red]no token with id {token_id!r}[/red]")
        raise typer.Exit(code=1)
    console.print(f"revoked {token_id} ({record.name})")


@token_cli.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="revoked tokens too")] = False,
) -> None:
    """The tokens (never their secrets)."""
    from app.auth.tokens import list_tokens

    engine, factory = _sessionmaker()
    try:
        with factory() as session:
            records = list_tokens(session, include_revoked=all_)
    finally:
        engine.dispose()
    table = Table("role", "nation", "name", "created", "last used", "revoked")
    table.add_column("id", no_wrap=True)
    for r in records:
        table.add_row(
            r.role,
            r.nation_code or "",
            r.name,
            f"{r.created_at:%Y-%m-%d %H:%M}",
            f"{r.last_used_at:%Y-%m-%d %H:%M}" if r.last_used_at else "",
            f"{r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "",
            r.id,
        )
    out = Console()
    if not out.is_terminal:
        out = Console(width=160)  # piped: no terminal width to fit, keep the rows whole
    out.print(table)


def bootstrap_admin(settings) -> str | None:  # noqa: ANN001
    """On a database that never had a token, create an admin token; its secret, else None."""
    from app.auth.router import record_token_write
    from app.auth.tokens import any_token, issue_token
    from app.db import create_db_engine, make_sessionmaker

    engine = create_db_engine(settings.database_url)
    try:
        with make_sessionmaker(engine).begin() as session:
            if any_token(session):
                return None
            issued = issue_token(session, role=Role.admin, name="first admin")
            record_token_write(session, "create", issued.record, before=None)
            return issued.secret
    finally:
        engine.dispose()


def register(cli: typer.Typer) -> None:
    cli.add_typer(token_cli)


__all__ = ["bootstrap_admin", "register"]
