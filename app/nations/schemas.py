"""A nation on the wire is the spec's Nation (`solver.Nation`), windows and blackouts included."""

from __future__ import annotations

from app.pagination import Page
from solver import Nation

NationPage = Page[Nation]

__all__ = ["Nation", "NationPage"]
