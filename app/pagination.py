"""A page of a list: `{items, total, limit, offset}`."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):  # noqa: UP046 - Python 3.11 has no `class Page[T]`
    items: list[T]
    total: int
    limit: int
    offset: int
