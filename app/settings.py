"""The service's configuration: environment variables with the prefix `PFP_`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; `PFP_DATABASE_URL`, `PFP_HOST`, `PFP_PORT` and so on."""

    model_config = SettingsConfigDict(env_prefix="PFP_", extra="ignore", frozen=True)

    database_url: str = Field(
        default="sqlite:///./var/pfp.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    migrate_on_startup: bool = Field(
        default=True, description="apply the migrations (alembic upgrade head) when the app starts"
    )
    max_body_bytes: int = Field(default=5_000_000, ge=1, description="larger bodies get 413")
    page_size_default: int = Field(default=50, ge=1)
    page_size_max: int = Field(default=500, ge=1)
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    solve_workers_max: int = Field(
        default=2, ge=1, le=16, description="solves running at once (one worker process each)"
    )
    solve_time_limit_max_s: float = Field(
        default=600.0, gt=0, description="the longest time limit a solve request may ask for"
    )
    solve_time_limit_default_s: float = Field(
        default=30.0, gt=0, description="a solve request's time limit when it gives none"
    )
    solve_workers_warm: bool = Field(
        default=True,
        description="start the solve worker processes with the app (else at the first solve)",
    )
    solve_worker_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description="how much lower the solve workers' CPU priority is than the API's (Unix nice)",
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @property
    def docs_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/docs"


__all__ = ["Settings"]
