"""Blackouts read from iCalendar files as calendar programs export them (no HTTP)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.availability.ical import ICalendarInvalid, blackouts_from_ical
from solver import Window

HORIZON = Window(start=dt.date(1995, 1, 1), end=dt.date(1995, 12, 31))


def _calendar(
    *components: str, prodid: str = "-//Google Inc//Google Calendar 70.9054//EN"
) -> bytes:
    body = "\r\n".join(components)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{prodid}\r\n{body}\r\nEND:VCALENDAR\r\n".encode()
    )


def _event(uid: str, *lines: str) -> str:
    return "\r\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:19941201T000000Z", *lines, "END:VEVENT"]
    )


def _spans(data: bytes, horizon: Window = HORIZON) -> list[tuple[str, str]]:
    return [(str(w.start), str(w.end)) for w in blackouts_from_ical(data, horizon).blackouts]


def test_all_day_event_ends_the_day_before_its_exclusive_dtend() -> None:
    data = _calendar(
        _event(
            "xmas", "DTSTART;VALUE=DATE:19951224", "DTEND;VALUE=DATE:19951227", "SUMMARY:Christmas"
        )
    )
    assert _spans(data) == [("1995-12-24", "1995-12-26")]


def test_all_day_event_without_dtend_is_one_day() -> None:
    assert _spans(_calendar(_event("a", "DTSTART;VALUE=DATE:19950503"))) == [
        ("1995-05-03", "1995-05-03")
    ]


def test_timed_event_blacks_out_every_day_it_touches() -> None:
    data = _calendar(
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Warsaw\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE",
        _event(
            "night",
            "DTSTART;TZID=Europe/Warsaw:19950610T220000",
            "DTEND;TZID=Europe/Warsaw:19950612T020000",
        ),
        _event("afternoon", "DTSTART:19950701T130000Z", "DTEND:19950701T170000Z"),
        _event("to-midnight", "DTSTART:19950801T200000Z", "DTEND:19950802T000000Z"),
        _event("duration", "DTSTART:19950901T200000Z", "DURATION:PT10H"),
    )
    assert _spans(data) == [
        ("1995-06-10", "1995-06-12"),
        ("1995-07-01", "1995-07-01"),
        ("1995-08-01", "1995-08-01"),
        ("1995-09-01", "1995-09-02"),
    ]


def test_google_utc_times_are_read_in_the_calendar_time_zone() -> None:
    data = _calendar(
        "X-WR-TIMEZONE:Europe/Warsaw",
        _event("late", "DTSTART:19950610T230000Z", "DTEND:19950611T010000Z"),
    )
    assert _spans(data) == [("1995-06-11", "1995-06-11")]


def test_weekly_rrule_with_exdate_expands_over_the_horizon() -> None:
    data = _calendar(
        _event(
            "drill",
            "DTSTART;VALUE=DATE:19950605",
            "DTEND;VALUE=DATE:19950607",
            "RRULE:FREQ=WEEKLY;COUNT=4",
            "EXDATE;VALUE=DATE:19950612",
            "SUMMARY:Range maintenance",
        )
    )
    assert _spans(data) == [
        ("1995-06-05", "1995-06-06"),
        ("1995-06-19", "1995-06-20"),
        ("1995-06-26", "1995-06-27"),
    ]


def test_rdate_adds_occurrences() -> None:
    data = _calendar(
        _event(
            "leave",
            "DTSTART;VALUE=DATE:19950301",
            "DTEND;VALUE=DATE:19950302",
            "RDATE;VALUE=DATE:19950415,19950520",
        )
    )
    assert _spans(data) == [
        ("1995-03-01", "1995-03-01"),
        ("1995-04-15", "1995-04-15"),
        ("1995-05-20", "1995-05-20"),
    ]


def test_yearly_rule_from_before_the_horizon_without_end() -> None:
    data = _calendar(
        _event(
            "orthodox-xmas",
            "DTSTART;VALUE=DATE:19900107",
            "DTEND;VALUE=DATE:19900108",
            "RRULE:FREQ=YEARLY",
        )
    )
    assert _spans(data) == [("1995-01-07", "1995-01-07")]


def test_overlapping_and_adjacent_days_merge_and_are_cut_to_the_horizon() -> None:
    data = _calendar(
        _event("a", "DTSTART;VALUE=DATE:19950710", "DTEND;VALUE=DATE:19950716"),
        _event("b", "DTSTART;VALUE=DATE:19950716", "DTEND;VALUE=DATE:19950720"),
        _event("c", "DTSTART;VALUE=DATE:19950712", "DTEND;VALUE=DATE:19950714"),
        _event("new-year", "DTSTART;VALUE=DATE:19941230", "DTEND;VALUE=DATE:19950103"),
        _event("late", "DTSTART;VALUE=DATE:19951230", "DTEND;VALUE=DATE:19960105"),
        _event("outside", "DTSTART;VALUE=DATE:19960301", "DTEND;VALUE=DATE:19960302"),
    )
    assert _spans(data) == [
        ("1995-01-01", "1995-01-02"),
        ("1995-07-10", "1995-07-19"),
        ("1995-12-30", "1995-12-31"),
    ]


def test_free_and_cancelled_events_are_not_blackouts() -> None:
    data = _calendar(
        _event("free", "DTSTART;VALUE=DATE:19950310", "TRANSP:TRANSPARENT"),
        _event("off", "DTSTART;VALUE=DATE:19950311", "STATUS:CANCELLED"),
        _event("busy", "DTSTART;VALUE=DATE:19950312", "TRANSP:OPAQUE"),
        _event("outlook-free", "DTSTART;VALUE=DATE:19950313", "X-MICROSOFT-CDO-BUSYSTATUS:FREE"),
        _event("outlook-away", "DTSTART;VALUE=DATE:19950314", "X-MICROSOFT-CDO-BUSYSTATUS:OOF"),
    )
    assert _spans(data) == [("1995-03-12", "1995-03-12"), ("1995-03-14", "1995-03-14")]


def test_freebusy_periods_typed_busy_unavailable_become_blackouts() -> None:
    data = _calendar(
        "\r\n".join(
            [
                "BEGIN:VFREEBUSY",
                "UID:fb-1",
                "DTSTAMP:19941201T000000Z",
                "DTSTART:19950101T000000Z",
                "DTEND:19951231T000000Z",
                "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:19950801T080000Z/19950803T170000Z,"
                "19950901T000000Z/PT48H",
                "FREEBUSY:19951001T080000Z/19951003T170000Z",
                "FREEBUSY;FBTYPE=BUSY-TENTATIVE:19951101T080000Z/19951103T170000Z",
                "END:VFREEBUSY",
            ]
        ),
        prodid="-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
    )
    result = blackouts_from_ical(data, HORIZON)
    assert result.busy_periods == 2 and result.events == 0
    assert _spans(data) == [("1995-08-01", "1995-08-03"), ("1995-09-01", "1995-09-02")]


def test_an_empty_calendar_gives_no_blackouts() -> None:
    assert _spans(_calendar("X-WR-CALNAME:Nothing")) == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"hello, world", "not valid iCalendar"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:19950101\r\nEND:VEVENT\r\n", "VCALENDAR"),
        (_calendar(_event("bad", "DTSTART:garbage")), "cannot be read"),
        (_calendar(_event("no-start", "SUMMARY:when?")), "DTSTART"),
        (
            _calendar(_event("rule", "DTSTART;VALUE=DATE:19950101", "RRULE:FREQ=SOMETIMES")),
            "cannot be read",
        ),
        (
            _calendar(
                "BEGIN:VFREEBUSY\r\nUID:x\r\nFREEBUSY;FBTYPE=BUSY-UNAVAILABLE:nonsense\r\nEND:VFREEBUSY"
            ),
            "iCalendar",
        ),
    ],
)
def test_a_file_that_does_not_parse_says_why(data: bytes, reason: str) -> None:
    with pytest.raises(ICalendarInvalid) as caught:
        blackouts_from_ical(data, HORIZON)
    assert reason in caught.value.reason


def test_endless_minutely_repeats_are_refused() -> None:
    data = _calendar(
        _event("spam", "DTSTART:19950101T000000Z", "DURATION:PT1M", "RRULE:FREQ=MINUTELY")
    )
    with pytest.raises(ICalendarInvalid, match="repeat more than"):
        blackouts_from_ical(data, HORIZON)
