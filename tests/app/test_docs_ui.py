"""The interactive API documentation loads nothing from another host: /docs and /redoc name
only the app's own files (/docs-assets, from the pinned fastapi-offline package), and those
answer with their content types, without a token."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.anyio

# every URL a page names: src=, href=, url: '...' (Swagger UI's options), spec-url=
URL_ATTRIBUTE = re.compile(
    r"""(?:src|href|url|spec-url|oauth2RedirectUrl)\s*[=:]\s*["']([^"']+)["']"""
)


def page_urls(html: str) -> list[str]:
    return URL_ATTRIBUTE.findall(html)


@pytest.mark.parametrize(
    ("path", "assets"),
    [
        ("/docs", {"/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css"}),
        ("/redoc", {"/docs-assets/redoc.standalone.js"}),
    ],
)
async def test_a_docs_page_names_only_same_origin_urls(
    anonymous: httpx.AsyncClient, path: str, assets: set[str]
) -> None:
    page = await anonymous.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    urls = page_urls(page.text)
    assert assets <= set(urls), urls
    assert "/openapi.json" in urls
    assert "/docs-assets/favicon.png" in urls
    foreign = [url for url in urls if not url.startswith("/") or url.startswith("//")]
    assert not foreign, f"{path} names another host: {foreign}"
    assert "http://" not in page.text and "https://" not in page.text
    assert "fonts.googleapis" not in page.text and "jsdelivr" not in page.text


async def test_the_swagger_page_keeps_its_oauth2_redirect_and_no_validator(
    anonymous: httpx.AsyncClient,
) -> None:
    page = (await anonymous.get("/docs")).text
    assert "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'" in page
    assert '"validatorUrl": null' in page  # no badge fetched from validator.swagger.io
    redirect = await anonymous.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200
    assert "window.opener.swaggerUIRedirectOauth2" in redirect.text


@pytest.mark.parametrize(
    ("asset", "content_type"),
    [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("redoc.standalone.js", "text/javascript"),
        ("favicon.png", "image/png"),
    ],
)
async def test_the_docs_assets_are_served_without_a_token(
    anonymous: httpx.AsyncClient, asset: str, content_type: str
) -> None:
    response = await anonymous.get(f"/docs-assets/{asset}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert len(response.content) > 1000
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_docs_assets_serve_only_their_files(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/docs-assets/nothing.js")).status_code == 404
    assert (await anonymous.get("/docs-assets/")).status_code == 404  # no listing


async def test_the_openapi_document_does_not_list_the_docs_pages(
    anonymous: httpx.AsyncClient,
) -> None:
    paths = (await anonymous.get("/openapi.json")).json()["paths"]
    assert not {"/docs", "/redoc", "/docs/oauth2-redirect"} & set(paths)
