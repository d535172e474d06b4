"""Exports of a calendar: `pfp-calendar/1` JSON, CSV and iCalendar (whole and per nation).

The functions in `document`, `csv_export` and `ical_export` are pure: a `CalendarVersion` (the
calendar, the scenario it was solved from, its id and creation time) in, bytes out.
"""

from app.exports.csv_export import calendar_csv
from app.exports.document import CalendarVersion, Placement, calendar_json, placements
from app.exports.ical_export import calendar_ical, event_uid, programme_slug

__all__ = [
    "CalendarVersion",
    "Placement",
    "calendar_csv",
    "calendar_ical",
    "calendar_json",
    "event_uid",
    "placements",
    "programme_slug",
]
