"""Availability over HTTP: ETag round trips, 412/428, concurrent writers, iCalendar, bad input."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.app.conftest import assert_problem, snapshot

pytestmark = pytest.mark.anyio

NATION = "/api/v1/nations/PL/availability"
UNIT = "/api/v1/units/RO-INF-1/availability"


def _w(start: str, end: str) -> dict[str, str]:
    return {"start": f"1995-06-{start}", "end": f"1995-06-{end}"}


async def _get(client: httpx.AsyncClient, url: str) -> tuple[dict[str, Any], str]:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return response.json(), response.headers["etag"]


async def test_get_returns_the_stored_set_with_a_strong_etag(
    tiny_client: httpx.AsyncClient,
) -> None:
    body, etag = await _get(tiny_client, UNIT)
    assert body == {"availability": [_w("01", "15")], "blackouts": []}
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    again = await tiny_client.get(UNIT, headers={"If-None-Match": etag})
    assert again.status_code == 304


async def test_put_with_if_match_replaces_the_set_and_moves_the_etag_on(
    tiny_client: httpx.AsyncClient,
) -> None:
    _, etag = await _get(tiny_client, NATION)
    new = {"availability": [_w("01", "20")], "blackouts": [_w("05", "06"), _w("12", "12")]}
    response = await tiny_client.put(NATION, json=new, headers={"If-Match": etag})
    assert response.status_code == 200, response.text
    assert response.json() == new
    fresh = response.headers["etag"]
    assert fresh != etag
    body, current = await _get(tiny_client, NATION)
    assert body == new and current == fresh
    nation = (await tiny_client.get("/api/v1/nations/PL")).json()
    assert nation["blackouts"] == new["blackouts"]
    scenario = (await tiny_client.get("/api/v1/scenario")).json()
    assert next(n for n in scenario["nations"] if n["code"] == "PL")["availability"] == [
        _w("01", "20")
    ]


async def test_a_stale_etag_gets_412_and_changes_nothing(tiny_client: httpx.AsyncClient) -> None:
    _, etag = await _get(tiny_client, UNIT)
    first = await tiny_client.put(
        UNIT, json={"blackouts": [_w("02", "02")]}, headers={"If-Match": etag}
    )
    assert first.status_code == 200
    before = await snapshot(tiny_client)
    stale = await tiny_client.put(
        UNIT, json={"blackouts": [_w("03", "03")]}, headers={"If-Match": etag}
    )
    body = assert_problem(stale, 412)
    assert body["errors"][0]["parameter"] == "if-match"
    assert stale.headers["etag"] == first.headers["etag"]
    assert await snapshot(tiny_client) == before


async def test_a_put_without_if_match_gets_428(tiny_client: httpx.AsyncClient) -> None:
    before = await snapshot(tiny_client)
    response = await tiny_client.put(UNIT, json={"blackouts": []})
    body = assert_problem(response, 428)
    assert "If-Match" in body["detail"]
    assert await snapshot(tiny_client) == before


async def test_if_match_star_and_lists_follow_rfc_9110(tiny_client: httpx.AsyncClient) -> None:
    _, etag = await _get(tiny_client, UNIT)
    listed = await tiny_client.put(
        UNIT, json={"blackouts": []}, headers={"If-Match": f'"1", {etag}'}
    )
    assert listed.status_code == 200
    weak = await tiny_client.put(
        UNIT, json={"blackouts": []}, headers={"If-Match": "W/" + listed.headers["etag"]}
    )
    assert_problem(weak, 412)
    star = await tiny_client.put(
        UNIT, json={"blackouts": [_w("09", "09")]}, headers={"If-Match": "*"}
    )
    assert star.status_code == 200


async def test_concurrent_writers_with_the_same_etag_exactly_one_wins(
    tiny_client: httpx.AsyncClient,
) -> None:
    _, etag = await _get(tiny_client, NATION)
    writers = 24

    async def write(k: int) -> httpx.Response:
        day = f"{k + 1:02d}"
        return await tiny_client.put(
            NATION, json={"blackouts": [_w(day, day)]}, headers={"If-Match": etag}
        )

    responses = await asyncio.gather(*(write(k) for k in range(writers)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (writers - 1), statuses
    [winner] = [r for r in responses if r.status_code == 200]
    body, current = await _get(tiny_client, NATION)
    assert body == winner.json() and current == winner.headers["etag"]


async def test_null_availability_and_blackouts_mean_no_limit_and_none(
    tiny_client: httpx.AsyncClient,
) -> None:
    _, etag = await _get(tiny_client, UNIT)
    response = await tiny_client.put(
        UNIT, json={"availability": None, "blackouts": None}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"availability": None, "blackouts": []}
    unit = (await tiny_client.get("/api/v1/units/RO-INF-1")).json()
    assert unit.get("availability") is None and unit["blackouts"] == []


async def test_a_nation_takes_an_icalendar_file_too(tiny_client: httpx.AsyncClient) -> None:
    _, etag = await _get(tiny_client, NATION)
    response = await tiny_client.put(
        NATION, content=ICAL.encode(), headers={"If-Match": etag, "Content-Type": "text/calendar"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["blackouts"][0] == _w("05", "06")
    conflicts = (await tiny_client.get("/api/v1/conflicts", params={"nation": "PL"})).json()
    assert conflicts["scenario"] == "Tiny June programme"


async def test_the_openapi_documents_json_and_icalendar_bodies(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    for path in ("/api/v1/nations/{code}/availability", "/api/v1/units/{unit_id}/availability"):
        put = spec["paths"][path]["put"]
        assert set(put["requestBody"]["content"]) == {"application/json", "text/calendar"}
        assert {"412", "428", "415", "422"} <= set(put["responses"])
    assert "AvailabilitySet" in spec["components"]["schemas"]


async def test_unknown_nation_or_unit_is_404(tiny_client: httpx.AsyncClient) -> None:
    assert_problem(await tiny_client.get("/api/v1/nations/DE/availability"), 404)
    response = await tiny_client.put(
        "/api/v1/units/XX-1/availability", json={"blackouts": []}, headers={"If-Match": '"1"'}
    )
    assert_problem(response, 404)


ICAL = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\n"
    "BEGIN:VEVENT\r\nUID:drill\r\nDTSTAMP:19950101T000000Z\r\nDTSTART;VALUE=DATE:19950605\r\n"
    "DTEND;VALUE=DATE:19950607\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;VALUE=DATE:19950612\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


async def test_an_icalendar_put_replaces_the_blackouts_and_keeps_the_windows(
    tiny_client: httpx.AsyncClient,
) -> None:
    _, etag = await _get(tiny_client, UNIT)
    response = await tiny_client.put(
        UNIT,
        content=ICAL.encode(),
        headers={"If-Match": etag, "Content-Type": "text/calendar; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "availability": [_w("01", "15")],
        "blackouts": [_w("05", "06"), _w("19", "20"), _w("26", "27")],
    }
    assert response.headers["etag"] != etag


async def test_a_broken_icalendar_file_is_422_and_changes_nothing(
    tiny_client: httpx.AsyncClient,
) -> None:
    _, etag = await _get(tiny_client, UNIT)
    before = await snapshot(tiny_client)
    response = await tiny_client.put(
        UNIT,
        content=b"BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n",
        headers={"If-Match": etag, "Content-Type": "text/calendar"},
    )
    body = assert_problem(response, 422, "")
    assert "iCalendar" in body["detail"]
    assert await snapshot(tiny_client) == before
    assert (await tiny_client.get(UNIT)).headers["etag"] == etag


BAD_INPUTS: list[tuple[str, dict[str, str], bytes | None, Any, int, str | None]] = [
    # (name, headers, raw body, json body, status, pointer)
    (
        "end before start",
        {},
        None,
        {"blackouts": [_w("01", "02"), _w("03", "04"), _w("10", "08")]},
        422,
        "/blackouts/2/end",
    ),
    (
        "start before the horizon",
        {},
        None,
        {"blackouts": [{"start": "1995-05-31", "end": "1995-06-02"}]},
        422,
        "/blackouts/0/start",
    ),
    (
        "end after the horizon",
        {},
        None,
        {"availability": [{"start": "1995-06-20", "end": "1995-07-02"}]},
        422,
        "/availability/0/end",
    ),
    (
        "not a date",
        {},
        None,
        {"blackouts": [{"start": "June 1st", "end": "1995-06-02"}]},
        422,
        "/blackouts/0/start",
    ),
    (
        "impossible date",
        {},
        None,
        {"blackouts": [{"start": "1995-06-31", "end": "1995-06-30"}]},
        422,
        "/blackouts/0/start",
    ),
    ("missing end", {}, None, {"blackouts": [{"start": "1995-06-01"}]}, 422, "/blackouts/0/end"),
    ("unknown field", {}, None, {"blackouts": [], "holidays": []}, 422, "/holidays"),
    (
        "extra field in a window",
        {},
        None,
        {"blackouts": [_w("01", "02") | {"why": "x"}]},
        422,
        "/blackouts/0/why",
    ),
    ("blackouts not a list", {}, None, {"blackouts": "1995-06-01"}, 422, "/blackouts"),
    ("body not an object", {}, None, [_w("01", "02")], 422, ""),
    ("not JSON", {"Content-Type": "application/json"}, b"{blackouts: ", None, 400, ""),
    ("wrong content type", {"Content-Type": "text/plain"}, b"blackouts", None, 415, None),
    ("no content type", {"Content-Type": ""}, b"{}", None, 415, None),
    ("unquoted If-Match", {"If-Match": "12345"}, None, {"blackouts": []}, 400, None),
    ("empty iCalendar", {"Content-Type": "text/calendar"}, b"", None, 422, ""),
    (
        "JSON sent as iCalendar",
        {"Content-Type": "text/calendar"},
        b'{"blackouts": []}',
        None,
        422,
        "",
    ),
    (
        "availability not a list",
        {},
        None,
        {"availability": {"start": "1995-06-01"}},
        422,
        "/availability",
    ),
    ("too many windows", {}, None, {"blackouts": [_w("01", "01")] * 1001}, 422, "/blackouts"),
    ("weak If-Match", {"If-Match": 'W/"1"'}, None, {"blackouts": []}, 412, None),
    ("unknown version", {"If-Match": '"1"'}, None, {"blackouts": []}, 412, None),
    (
        "stale iCalendar",
        {"If-Match": '"1"', "Content-Type": "text/calendar"},
        ICAL.encode(),
        None,
        412,
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "headers", "raw", "json_body", "status", "pointer"),
    BAD_INPUTS,
    ids=[case[0] for case in BAD_INPUTS],
)
async def test_bad_availability_is_refused_and_changes_nothing(
    tiny_client: httpx.AsyncClient,
    name: str,
    headers: dict[str, str],
    raw: bytes | None,
    json_body: Any,
    status: int,
    pointer: str | None,
) -> None:
    _, etag = await _get(tiny_client, UNIT)
    before = await snapshot(tiny_client)
    sent = {"If-Match": etag} | headers
    if raw is None:
        response = await tiny_client.put(UNIT, json=json_body, headers=sent)
    else:
        response = await tiny_client.put(UNIT, content=raw, headers=sent)
    body = assert_problem(response, status, pointer)
    assert body["detail"]
    assert await snapshot(tiny_client) == before
    assert (await tiny_client.get(UNIT)).headers["etag"] == etag
