"""The service's configuration: environment variables with the prefix `PFP_`."""

from __future__ import annotations

from typing import Annotated, Literal

from limits import parse_many
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    planner_solve_time_limit_max_s: float = Field(
        default=300.0, gt=0, description="the longest time limit a planner's solve may ask for"
    )
    solves_per_token_max: int = Field(
        default=2, ge=1, description="solves one token may have queued or running at once (429)"
    )
    write_rate_limit: str = Field(
        default="120/minute",
        description="writes (POST, PUT, PATCH, DELETE) per token in a moving window, in the "
        "`limits` notation (`120/minute`, `10/second;500/hour`); `off` for none (429 beyond)",
    )
    max_nations: int = Field(default=200, ge=1, description="nations a programme may hold")
    max_units: int = Field(default=10_000, ge=1, description="units a programme may hold")
    max_sites: int = Field(default=1_000, ge=1, description="host sites a programme may hold")
    max_exercises: int = Field(default=2_500, ge=1, description="exercises a programme may hold")
    max_horizon_days: int = Field(
        default=1_096, ge=1, description="the longest planning horizon, in days (both ends in)"
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="origins allowed to call the API from a browser, comma-separated (none: CORS off)",
    )
    hsts: bool = Field(
        default=False, description="send Strict-Transport-Security (only behind HTTPS)"
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("write_rate_limit")
    @classmethod
    def _rate_limit_notation(cls, value: str) -> str:
        if value.strip().lower() != "off":
            parse_many(value)  # ValueError on a notation `limits` does not read
        return value.strip()

    @property
    def docs_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}/docs"


__all__ = ["Settings"]
