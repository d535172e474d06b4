"""A unit on the wire is the spec's Unit (`solver.Unit`): a declared capability of a nation."""

from __future__ import annotations

from app.pagination import Page
from solver import Unit

UnitPage = Page[Unit]

__all__ = ["Unit", "UnitPage"]
