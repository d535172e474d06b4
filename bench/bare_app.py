"""A bare FastAPI app for the benchmark's baseline: the same GET + PUT-with-If-Match dance,
with no database and no rules, served by uvicorn the same way as the service."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi import FastAPI, Header, Response

app = FastAPI()
_versions = itertools.count(1)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/bare/{key}")
def read(key: str, response: Response) -> dict[str, Any]:
    response.headers["ETag"] = f'"{next(_versions)}"'
    return {"availability": None, "blackouts": []}


@app.put("/bare/{key}")
def replace(
    key: str, body: dict[str, Any], response: Response, if_match: str | None = Header(None)
) -> dict[str, Any]:
    response.headers["ETag"] = f'"{next(_versions)}"'
    return body
