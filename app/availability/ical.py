"""Blackouts from an iCalendar file, as exported by common calendar programs.

Pure: bytes and a horizon in, merged blackout windows out; no HTTP, no database.
- Each `VEVENT` (with `RRULE`/`RDATE`/`EXDATE` expanded over the horizon by
  `recurring-ical-events`) is a blackout. An all-day event covers DTSTART up to the day before
  its exclusive DTEND (one day when it has none); a timed event covers every day it touches,
  in its own time zone (Google's `X-WR-TIMEZONE` applies to UTC times). Events marked free
  (`TRANSP:TRANSPARENT`, Outlook's `X-MICROSOFT-CDO-BUSYSTATUS:FREE`) or cancelled are skipped.
- Each `FREEBUSY` period of a `VFREEBUSY` typed `FBTYPE=BUSY-UNAVAILABLE` is a blackout.
Days are cut to the horizon, and overlapping or adjacent days are merged into one window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import icalendar
import recurring_ical_events

from solver import Window

MAX_OCCURRENCES = 10_000
UNAVAILABLE = "BUSY-UNAVAILABLE"


class ICalendarInvalid(ValueError):
    """An iCalendar file that cannot be read; `reason` says why in plain words."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class ICalendarBlackouts:
    """The blackout windows read from a file, and how many events and periods gave them."""

    blackouts: list[Window]
    events: int
    busy_periods: int


def blackouts_from_ical(data: bytes | str, horizon: Window) -> ICalendarBlackouts:
    """The merged blackout windows an iCalendar file declares inside the horizon."""
    calendar = _parse(data)
    spans: list[tuple[dt.date, dt.date]] = []
    events = busy = 0
    for first, last in _event_days(calendar, horizon):
        events += 1
        spans.append((first, last))
    for first, last in _busy_days(calendar):
        busy += 1
        spans.append((first, last))
    return ICalendarBlackouts(_merge_inside(spans, horizon), events, busy)


def _parse(data: bytes | str) -> icalendar.Calendar:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ICalendarInvalid(f"the file is not UTF-8 text: {error}") from None
    if not data.strip():
        raise ICalendarInvalid("the file is empty")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ICalendarInvalid(f"the file is not valid iCalendar: {error}") from None
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise ICalendarInvalid("the file does not hold a VCALENDAR")
    return calendar


def _event_days(calendar: icalendar.Calendar, horizon: Window) -> Iterator[tuple[dt.date, dt.date]]:
    """First and last day of every occurrence, inside the horizon, of every busy event."""
    try:
        _refuse_floods(calendar, horizon)
        occurrences = recurring_ical_events.of(calendar).between(
            horizon.start, horizon.end + dt.timedelta(days=1)
        )
        for event in occurrences:
            if not _is_free(event):
                yield _days_of(event)
    except ICalendarInvalid:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as error:
        raise ICalendarInvalid(f"an event cannot be read: {error}") from None


def _refuse_floods(calendar: icalendar.Calendar, horizon: Window) -> None:
    """Refuse, before expanding, rules that would repeat more than MAX_OCCURRENCES times."""
    seconds = horizon.days * 86_400
    total = 0
    for event in calendar.walk("VEVENT"):
        total += 1 + sum(len(getattr(r, "dts", [r])) for r in _as_list(event.get("RDATE")))
        for rule in _as_list(event.get("RRULE")):
            freq = str(_first(rule.get("FREQ")) or "").upper()
            if freq not in _FREQ_SECONDS:
                raise ICalendarInvalid(f"an RRULE has no valid FREQ: {rule.to_ical().decode()}")
            interval = int(_first(rule.get("INTERVAL")) or 1)
            repeats = seconds // (_FREQ_SECONDS[freq] * max(interval, 1)) + 1
            for key, values in rule.items():
                if key.startswith("BY") and key != "BYSETPOS":
                    repeats *= max(len(values), 1)
            count = _first(rule.get("COUNT"))
            total += min(repeats, int(count)) if count is not None else repeats
    if total > MAX_OCCURRENCES:
        raise ICalendarInvalid(
            f"the events repeat more than {MAX_OCCURRENCES} times inside the horizon; "
            "blackouts are whole days, so export them as all-day events"
        )


_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3_600,
    "DAILY": 86_400,
    "WEEKLY": 7 * 86_400,
    "MONTHLY": 28 * 86_400,
    "YEARLY": 365 * 86_400,
}


def _first(value: object) -> object:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _is_free(event: icalendar.cal.Component) -> bool:
    transparent = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    outlook_free = str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE"
    return transparent or cancelled or outlook_free


def _days_of(event: icalendar.cal.Component) -> tuple[dt.date, dt.date]:
    if event.get("DTSTART") is None:
        raise ICalendarInvalid(f"event {event.get('UID', '(no UID)')!s} has no DTSTART")
    start = event["DTSTART"].dt
    end = event["DTEND"].dt if event.get("DTEND") is not None else None
    if end is None and event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    return _day_span(start, end)


def _day_span(start: dt.date, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """Whole days covered: all-day ends are exclusive; timed spans cover every day touched."""
    if not isinstance(start, dt.datetime):
        if end is None or end <= start:
            return start, start
        last = end if isinstance(end, dt.datetime) else end - dt.timedelta(days=1)
        return start, _date(last)
    if end is None or end <= start:
        return start.date(), start.date()
    if isinstance(end, dt.datetime):
        return start.date(), (end - dt.timedelta(microseconds=1)).date()
    return start.date(), end - dt.timedelta(days=1)


def _date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _busy_days(calendar: icalendar.Calendar) -> Iterator[tuple[dt.date, dt.date]]:
    for component in calendar.walk("VFREEBUSY"):
        for prop in _as_list(component.get("FREEBUSY")):
            if str(prop.params.get("FBTYPE", "BUSY")).upper() != UNAVAILABLE:
                continue
            try:
                start, end_or_length = prop.dt
            except (ValueError, TypeError, AttributeError) as error:
                raise ICalendarInvalid(f"a FREEBUSY period cannot be read: {error}") from None
            end = (
                start + end_or_length if isinstance(end_or_length, dt.timedelta) else end_or_length
            )
            if end < start:
                raise ICalendarInvalid(f"a FREEBUSY period ends before it starts: {start} {end}")
            yield _day_span(start, end)


def _as_list(value: object) -> Iterable:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _merge_inside(spans: list[tuple[dt.date, dt.date]], horizon: Window) -> list[Window]:
    out: list[list[dt.date]] = []
    for first, last in sorted(spans):
        first, last = max(first, horizon.start), min(last, horizon.end)
        if first > last:
            continue
        if out and first <= out[-1][1] + dt.timedelta(days=1):
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return [Window(start=a, end=b) for a, b in out]
