"""An exercise on the wire is the spec's Exercise (`solver.Exercise`): a request of the programme."""

from __future__ import annotations

from app.pagination import Page
from solver import Exercise

ExercisePage = Page[Exercise]

__all__ = ["Exercise", "ExercisePage"]
