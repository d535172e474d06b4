"""Exports over HTTP: JSON, CSV and iCalendar of a solved calendar, per-nation feeds, the
published programme's feed, content negotiation, ETags, and the 404/406/409 answers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx
import icalendar
import pytest
from sqlalchemy import insert

from app.db import create_db_engine
from app.db.models import CalendarRecord
from app.exports import event_uid
from solver import Calendar, check_calendar, parse_scenario
from tests.app.calendar_steps import API, approved, solved
from tests.app.conftest import assert_problem, tiny_scenario

pytestmark = pytest.mark.anyio
SLUG = "tiny-june-programme"


def vevents(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


async def test_a_completed_calendar_exports_as_json_csv_and_ical(
    tiny_client: httpx.AsyncClient,
) -> None:
    job = await solved(tiny_client)
    url = f"{API}/calendars/{job['id']}/export"
    calendar = Calendar.model_validate(job["calendar"])
    assert calendar.scheduled

    as_json = await tiny_client.get(url + ".json")
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    exported = Calendar.model_validate_json(as_json.content)
    assert exported.scheduled == calendar.scheduled
    assert check_calendar(parse_scenario(tiny_scenario()), exported).ok

    as_csv = await tiny_client.get(url + ".csv")
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["content-disposition"] == (
        f'attachment; filename="{SLUG}-{job["id"]}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8"), newline="")))
    assert {r["exercise_id"] for r in rows} == {"CB95", "CV95", "CH95"}
    for entry in calendar.scheduled:
        row = next(r for r in rows if r["exercise_id"] == entry.exercise)
        assert (row["start"], row["end"], row["site_id"]) == (
            entry.start.isoformat(),
            entry.end.isoformat(),
            entry.site,
        )

    as_ics = await tiny_client.get(url + ".ics")
    assert as_ics.headers["content-type"] == "text/calendar; charset=utf-8"
    events = vevents(as_ics.content)
    assert len(events) == len(calendar.scheduled)
    for entry in calendar.scheduled:
        event = events[event_uid(entry.exercise, SLUG)]
        assert event.decoded("dtstart") == entry.start
        assert event.decoded("dtend") == entry.end + dt.timedelta(days=1)
        assert all(u in str(event["description"]) for u in entry.units)
        assert "Drawsko" in str(event["location"]) or "Gotland" in str(event["location"])

    for code in ("RO", "NL", "SE"):
        feed = await tiny_client.get(f"{API}/calendars/{job['id']}/nations/{code}.ics")
        assert feed.status_code == 200
        expected = {
            event_uid(s.exercise, SLUG)
            for s in calendar.scheduled
            if any(u.startswith(code) for u in s.units)
        }
        assert set(vevents(feed.content)) == expected
        by_query = await tiny_client.get(url, params={"format": "ics", "nation": code})
        assert by_query.content == feed.content
        table = await tiny_client.get(f"{API}/calendars/{job['id']}/nations/{code}.csv")
        assert table.headers["content-disposition"].endswith(f'-{code.lower()}.csv"')
        rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8"))))
        assert {event_uid(r["exercise_id"], SLUG) for r in rows} == expected


async def test_format_by_query_or_accept_and_etags(tiny_client: httpx.AsyncClient) -> None:
    job = await solved(tiny_client)
    url = f"{API}/calendars/{job['id']}/export"
    for accept, media in (
        ("text/calendar", "text/calendar; charset=utf-8"),
        ("text/csv;q=0.5, application/json;q=0.9", "application/json"),
        ("text/html, text/csv", "text/csv; charset=utf-8"),
        ("*/*", "application/json"),
        (None, "application/json"),
    ):
        headers = {"Accept": accept} if accept else {}
        response = await tiny_client.get(url, headers=headers)
        assert response.headers["content-type"] == media, accept
    by_query = await tiny_client.get(url, params={"format": "ics"}, headers={"Accept": "text/csv"})
    assert by_query.headers["content-type"].startswith("text/calendar")
    assert_problem(await tiny_client.get(url, headers={"Accept": "image/png"}), 406)
    assert_problem(await tiny_client.get(url, params={"format": "pdf"}), 422)

    first = await tiny_client.get(url + ".ics")
    again = await tiny_client.get(url + ".ics", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


async def test_unknown_ids_get_404_and_a_job_without_calendar_409(
    tiny_client: httpx.AsyncClient, settings
) -> None:
    for path in (
        "/calendars/nope/export.json",
        "/calendars/nope/export.csv",
        "/calendars/nope/export.ics",
        "/calendars/nope/export",
        "/calendars/nope/nations/PL.ics",
        "/programme.ics",
        "/nations/PL/programme.ics",
    ):
        assert_problem(await tiny_client.get(API + path), 404)

    engine = create_db_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(CalendarRecord).values(
                    id="running1",
                    status="running",
                    state="draft",
                    created_at=dt.datetime.now(dt.UTC),
                    params={"time_limit_s": 1, "workers": 1, "seed": 0},
                    scenario_json="{}",
                    scenario_sha256="0" * 64,
                )
            )
    finally:
        engine.dispose()
    for suffix in ("export.json", "export.csv", "export.ics", "nations/PL.ics"):
        response = await tiny_client.get(f"{API}/calendars/running1/{suffix}")
        body = assert_problem(response, 409)
        assert "running" in body["detail"] and response.headers["retry-after"]

    job = await solved(tiny_client)
    assert_problem(await tiny_client.get(f"{API}/calendars/{job['id']}/nations/FR.ics"), 404)


async def test_the_published_feed_keeps_uids_and_raises_sequence_across_versions(
    tiny_client: httpx.AsyncClient,
) -> None:
    first = await approved(tiny_client)
    feed = await tiny_client.get(f"{API}/programme.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    before = vevents(feed.content)
    assert set(before) == {event_uid(s["exercise"], SLUG) for s in first["calendar"]["scheduled"]}
    assert all(str(e["status"]) == "CONFIRMED" for e in before.values())
    ro = await tiny_client.get(f"{API}/nations/RO/programme.ics")
    assert set(vevents(ro.content)) <= set(before)
    assert_problem(await tiny_client.get(f"{API}/nations/FR/programme.ics"), 404)

    second = await approved(tiny_client, seed=1)
    assert second["id"] != first["id"]
    after = vevents((await tiny_client.get(f"{API}/programme.ics")).content)
    assert set(after) == set(before)
    assert {e.decoded("sequence") for e in before.values()} == {1}
    assert {e.decoded("sequence") for e in after.values()} == {2}
    # the first calendar, exported now, still says 1: it never overrides the newer one
    old = vevents((await tiny_client.get(f"{API}/calendars/{first['id']}/export.ics")).content)
    assert {e.decoded("sequence") for e in old.values()} == {1}
    draft = await solved(tiny_client, seed=2)
    drafted = vevents((await tiny_client.get(f"{API}/calendars/{draft['id']}/export.ics")).content)
    assert {e.decoded("sequence") for e in drafted.values()} == {0}
    assert {str(e["status"]) for e in drafted.values()} == {"TENTATIVE"}


async def test_an_exercise_withdrawn_after_approval_is_cancelled_in_the_next_published_feed(
    tiny_client: httpx.AsyncClient,
) -> None:
    first = await approved(tiny_client)
    ch = next(s for s in first["calendar"]["scheduled"] if s["exercise"] == "CH95")
    assert (await tiny_client.delete(f"{API}/exercises/CH95")).status_code == 204
    await approved(tiny_client)
    uid = event_uid("CH95", SLUG)
    feed = vevents((await tiny_client.get(f"{API}/programme.ics")).content)
    assert str(feed[uid]["status"]) == "CANCELLED"
    assert feed[uid].decoded("dtstart").isoformat() == ch["start"]
    assert feed[uid].decoded("sequence") == 2
    others = [e for u, e in feed.items() if u != uid]
    assert others and all(str(e["status"]) == "CONFIRMED" for e in others)
    nl = vevents((await tiny_client.get(f"{API}/nations/NL/programme.ics")).content)
    assert str(nl[uid]["status"]) == "CANCELLED"
    ro = vevents((await tiny_client.get(f"{API}/nations/RO/programme.ics")).content)
    assert uid not in ro
    # the first calendar's own file has no previous version: nothing cancelled in it
    own = vevents((await tiny_client.get(f"{API}/calendars/{first['id']}/export.ics")).content)
    assert str(own[uid]["status"]) == "CONFIRMED"
