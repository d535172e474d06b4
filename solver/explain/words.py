"""Plain words: capabilities, dates and names as planners write them."""

from __future__ import annotations

import datetime as dt

from solver.scenario import Scenario

ACRONYMS = {"sar": "SAR", "cimic": "CIMIC", "cbrn": "CBRN", "eod": "EOD"}
SAME_PLURAL = ("aircraft", "personnel")


def capability(name: str, count: int = 1) -> str:
    """`sar_helicopter` -> "SAR helicopter" / "SAR helicopters"."""
    words = [ACRONYMS.get(w, w) for w in name.split("_")]
    if words[-1] == "police":
        words.append("unit")
    if count != 1:
        last = words[-1]
        if last in SAME_PLURAL:
            pass
        elif last.endswith("y") and last[-2:-1] not in "aeiou":
            words[-1] = last[:-1] + "ies"
        elif last.endswith(("s", "x", "ch", "sh")):
            words[-1] = last + "es"
        else:
            words[-1] = last + "s"
    return " ".join(words)


def count(n: int, name: str) -> str:
    return f"{n} {capability(name, n)}"


def date(day: dt.date, year: bool = False) -> str:
    text = f"{day.day} {day:%B}"
    return f"{text} {day.year}" if year else text


def span(first: dt.date, last: dt.date, between: bool = False) -> str:
    """ "from 10 to 20 June", "between 28 June and 3 July"."""
    head, joint = ("between", "and") if between else ("from", "to")
    if first == last:
        return f"on {date(first)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{head} {first.day} {joint} {date(last)}"
    return f"{head} {date(first)} {joint} {date(last)}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class Names:
    """Names of nations, units, sites and exercises of one scenario."""

    def __init__(self, scenario: Scenario):
        self.nations = {n.code: n.name for n in scenario.nations}
        self.units = {u.id: u for u in scenario.units}
        self.sites = {s.id: s.name for s in scenario.sites}
        self.exercises = {e.id: e.name for e in scenario.exercises}

    def nation(self, code: str) -> str:
        return self.nations.get(code, code)

    def unit(self, uid: str) -> str:
        unit = self.units.get(uid)
        return f"{uid} ({self.nation(unit.nation)})" if unit else uid

    def site(self, sid: str) -> str:
        name = self.sites.get(sid)
        return f"{sid} ({name})" if name else sid

    def exercise(self, eid: str) -> str:
        return self.exercises.get(eid, eid)


def listing(items: list[str], limit: int = 5) -> str:
    shown = items[:limit]
    more = len(items) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
