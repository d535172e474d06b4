"""Dependencies shared by the routers: the Content-Type a write must carry, and paging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from app.errors import ErrorDetail, InvalidInput, UnsupportedMediaType
from app.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def require_content_type(*media_types: str) -> Callable[[Request], str]:
    """A dependency refusing (415) a body whose Content-Type is not one of `media_types`."""
    accepted = tuple(m.lower() for m in media_types)

    def check(request: Request) -> str:
        raw = request.headers.get("content-type", "")
        media_type = raw.split(";", 1)[0].strip().lower()
        if media_type not in accepted:
            shown = media_type or "none"
            raise UnsupportedMediaType(
                f"Content-Type {shown} is not accepted here; send {' or '.join(accepted)}",
                errors=[
                    ErrorDetail(
                        reason=f"expected {' or '.join(accepted)}",
                        parameter="content-type",
                        location="header",
                    )
                ],
            )
        return media_type

    return check


JsonBody = Depends(require_content_type("application/json"))


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, description="items per page")] = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="items to skip")] = 0,
) -> PageParams:
    if limit is None:
        limit = settings.page_size_default
    if limit > settings.page_size_max:
        raise InvalidInput(
            f"limit {limit} is above the most a page holds ({settings.page_size_max})",
            errors=[
                ErrorDetail(
                    reason=f"must be at most {settings.page_size_max}",
                    parameter="limit",
                    location="query",
                )
            ],
        )
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]
