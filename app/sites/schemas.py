"""A site on the wire is the spec's Site (`solver.Site`): a host training area, port or airfield."""

from __future__ import annotations

from app.pagination import Page
from solver import Site

SitePage = Page[Site]

__all__ = ["Site", "SitePage"]
