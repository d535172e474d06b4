"""The calendar as iCalendar (RFC 5545), whole or as one nation's feed.

One all-day `VEVENT` per scheduled exercise: `DTSTART;VALUE=DATE` its first day, `DTEND` the day
after its last (exclusive), `SUMMARY` its name, `LOCATION` the site and host nation, `GEO` the
site's location, `CATEGORIES` its type, and a `DESCRIPTION` naming its nations and units.

The `UID` is `{exercise}@{programme}.pfp-scheduler`: the same in every calendar version of the
programme, so a calendar program that re-reads the feed moves the event instead of adding a
second one. `SEQUENCE` grows with each version: the service numbers approved calendars in
order of approval (1, 2, ...; a draft is 0, so it never overrides the published events);
without a number, whole seconds from 2000-01-01 to the version's approval or creation.
`DTSTAMP`/`LAST-MODIFIED` are the approval (or creation) time in UTC.

When the version follows a `previous` one (the calendar approved before it), each exercise of
the previous feed that is not in this one comes as a `STATUS:CANCELLED` event at its old dates,
so a calendar program that imported the previous file removes it (a subscription just drops it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import icalendar

from app.exports.document import CalendarVersion, Placement, placements

PRODID = "-//pfp-scheduler//Partnership for Peace exercise calendar//EN"
UID_DOMAIN = "pfp-scheduler"
SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ONE_DAY = dt.timedelta(days=1)
ALL = "*"  # `personnel_of`: every unit's personnel is shown


def programme_slug(name: str) -> str:
    """A stable, URL- and UID-safe slug of the programme's name ("PfP 1995" -> "pfp-1995")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "programme"


def event_uid(exercise_id: str, programme: str) -> str:
    """The event's UID: the same for an exercise across every version of the programme."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", exercise_id)
    return f"{safe}@{programme}.{UID_DOMAIN}"


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def sequence(version: CalendarVersion) -> int:
    """`SEQUENCE`: the version's number, else whole seconds since 2000-01-01 UTC."""
    if version.sequence is not None:
        return version.sequence
    return max(0, int((_utc(version.changed_at) - SEQUENCE_EPOCH).total_seconds()))


def _description(
    p: Placement, version: CalendarVersion, nation: str | None, personnel_of: str | None = ALL
) -> str:
    exercise_type = p.exercise.type.replace("_", " ") if p.exercise is not None else "exercise"
    nations = ", ".join(f"{n.name} ({n.code})" for n in p.nations) or "none"
    lines = [
        f"{p.name}: {exercise_type}, {p.entry.start} to {p.entry.end} ({p.days} days)",
        f"Site: {p.site_name}" + (f", hosted by {_nation_name(version, p.host)}" if p.host else ""),
        f"Nations: {nations}",
    ]
    shown = [u for u in p.units if nation is None or u.nation == nation]
    label = "Our units" if nation is not None else "Units"
    lines.append(f"{label}:")
    lines += [
        f"- {u.id}: {u.capability.replace('_', ' ')}"
        + (f", {u.personnel} personnel" if personnel_of in (ALL, u.nation) else "")
        + f" ({u.nation})"
        for u in shown
    ]
    if nation is not None:
        others = [u for u in p.units if u.nation != nation]
        if others:
            lines.append("With: " + ", ".join(f"{u.id} ({u.nation})" for u in others))
    lines.append(f"Calendar {version.id} of {version.scenario.name}")
    return "\n".join(lines)


def _nation_name(version: CalendarVersion, code: str | None) -> str:
    for n in version.scenario.nations:
        if n.code == code:
            return n.name
    return code or ""


def _event(
    p: Placement,
    version: CalendarVersion,
    programme: str,
    nation: str | None,
    personnel_of: str | None = ALL,
) -> icalendar.Event:
    stamp = _utc(version.changed_at)
    event = icalendar.Event()
    event.add("uid", event_uid(p.entry.exercise, programme))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence(version))
    event.add("dtstart", p.entry.start)
    event.add("dtend", p.entry.end + ONE_DAY)
    event.add("summary", p.name)
    location = p.site_name
    if p.host:
        location += f", {_nation_name(version, p.host)}"
    event.add("location", location)
    if p.site is not None and p.site.location is not None:
        event.add("geo", (p.site.location.lat, p.site.location.lon))
    if p.exercise is not None:
        event.add("categories", [p.exercise.type])
    event.add("description", _description(p, version, nation, personnel_of))
    event.add("transp", "OPAQUE")
    event.add("status", "CONFIRMED" if version.approved_at is not None else "TENTATIVE")
    return event


def _cancelled(
    p: Placement, version: CalendarVersion, previous: CalendarVersion, programme: str
) -> icalendar.Event:
    stamp = _utc(version.changed_at)
    event = icalendar.Event()
    event.add("uid", event_uid(p.entry.exercise, programme))
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("sequence", sequence(version))
    event.add("dtstart", p.entry.start)
    event.add("dtend", p.entry.end + ONE_DAY)
    event.add("summary", p.name)
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    event.add(
        "description",
        f"Cancelled: no longer in this feed as of calendar {version.id} "
        f"(it was in calendar {previous.id}, {p.entry.start} to {p.entry.end} at {p.site_name})",
    )
    return event


def calendar_ical(
    version: CalendarVersion,
    nation: str | None = None,
    programme: str | None = None,
    *,
    personnel_of: str | None = ALL,
) -> bytes:
    """The VCALENDAR; with `nation`, only the exercises where that nation has units.

    `programme` is the slug in every UID; by default the scenario name's slug (a cancelled
    event takes the previous version's, so it matches the event it cancels). `personnel_of`:
    whose units' personnel the descriptions give: `ALL` (staff), a nation code (a liaison
    officer's own), or None (a viewer: nobody's)."""
    given = programme is not None
    programme = programme or programme_slug(version.scenario.name)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = version.scenario.name
    if nation is not None:
        name = f"{name}: {_nation_name(version, nation)}"
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", f"pfp-scheduler calendar {version.id} ({version.calendar.status})")
    shown = set()
    for p in placements(version.scenario, version.calendar):
        if nation is None or nation in p.nation_codes:
            shown.add(p.entry.exercise)
            cal.add_component(_event(p, version, programme, nation, personnel_of))
    previous = version.previous
    if previous is not None:
        before = programme if given else programme_slug(previous.scenario.name)
        for p in placements(previous.scenario, previous.calendar):
            if (nation is None or nation in p.nation_codes) and p.entry.exercise not in shown:
                cal.add_component(_cancelled(p, version, previous, before))
    return cal.to_ical()
