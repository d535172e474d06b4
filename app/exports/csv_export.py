"""The calendar as CSV (RFC 4180: comma-separated, CRLF line ends, quoted when needed; UTF-8).

One header row, then one row per scheduled exercise by start date, then one row per unscheduled
exercise (no dates, site or units; the first reason in `reason_code` and `reason`). Lists
inside a cell (nations, units) are separated by "; "; a unit reads `id (capability, nation)`.
A text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with an apostrophe (OWASP's advice against CSV injection).
"""

from __future__ import annotations

import csv
import io

from app.exports.document import CalendarVersion, placements

COLUMNS = (
    "status",
    "exercise_id",
    "exercise_name",
    "type",
    "start",
    "end",
    "days",
    "site_id",
    "site_name",
    "host_nation",
    "nations",
    "units",
    "reason_code",
    "reason",
)
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """The value as written: text a spreadsheet would run as a formula is defused."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _defused(*values: object) -> list[object]:
    return [_cell(v) for v in values]


def calendar_csv(version: CalendarVersion, nation: str | None = None) -> bytes:
    """The CSV document; with `nation`, only the exercises where that nation has units."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in placements(version.scenario, version.calendar):
        if nation is not None and nation not in p.nation_codes:
            continue
        writer.writerow(
            _defused(
                "scheduled",
                p.entry.exercise,
                p.name,
                p.exercise.type if p.exercise is not None else "",
                p.entry.start.isoformat(),
                p.entry.end.isoformat(),
                p.days,
                p.entry.site,
                p.site_name,
                p.host or "",
                LIST_SEPARATOR.join(p.nation_codes),
                LIST_SEPARATOR.join(f"{u.id} ({u.capability}, {u.nation})" for u in p.units),
                "",
                "",
            )
        )
    if nation is None:
        exercises = {e.id: e for e in version.scenario.exercises}
        for item in version.calendar.unscheduled:
            exercise = exercises.get(item.exercise)
            reason = item.reasons[0] if item.reasons else None
            writer.writerow(
                _defused(
                    "unscheduled",
                    item.exercise,
                    exercise.name if exercise is not None else item.exercise,
                    exercise.type if exercise is not None else "",
                    *("",) * 8,
                    reason.code if reason is not None else "",
                    reason.message if reason is not None else "",
                )
            )
    return out.getvalue().encode("utf-8")
