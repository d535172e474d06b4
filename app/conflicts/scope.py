"""A liaison officer's share of the data conflicts: those that concern their nation, without
the details of other nations' data.

A conflict concerns nation N when it names N, a unit of N, or an exercise N is involved in
(N has a unit of a capability it requires or one of its pinned units, or hosts one of its
eligible sites). Of those:
- a conflict about one nation's or unit's own data (its limits, its windows, a unit never
  available) is shown only when that nation is N;
- a conflict that names nothing but N (and exercises and sites, which a liaison officer may
  read) is shown as it is;
- any other (it names another nation or another nation's unit, whose availability, limits
  or budget its message may spell out) is shown redacted: its code, severity, exercises,
  sites and dates, N's own units and nations, and the code's plain meaning for a message.
"""

from __future__ import annotations

from collections.abc import Iterable

from solver import CONFLICT_CODES, DataConflict, Scenario

# Conflicts whose subject is one nation's or one unit's own data.
NATION_DATA_CODES = frozenset(
    {"nation_cannot_fund", "unit_never_available", "overlapping_windows", "duplicate_windows"}
)


def unit_nations(scenario: Scenario) -> dict[str, str]:
    return {u.id: u.nation for u in scenario.units}


def involved_exercises(scenario: Scenario, nation: str) -> set[str]:
    """The exercises `nation` could take part in or host (from the scenario's data)."""
    own_units = {u.id for u in scenario.units if u.nation == nation}
    capabilities = {u.capability for u in scenario.units if u.nation == nation}
    out = set()
    for e in scenario.exercises:
        needs = {r.capability for r in e.requirements}
        pinned = set(e.pinned.units or []) if e.pinned is not None else set()
        hosted = any(s.host == nation for s in scenario.eligible_sites(e))
        if needs & capabilities or pinned & own_units or hosted:
            out.add(e.id)
    return out


def named_nations(
    nations: Iterable[str], units: Iterable[str], unit_nation: dict[str, str]
) -> set[str]:
    """The nations named directly or through their units (a unit no longer known: '?')."""
    return {*nations, *(unit_nation.get(u, "?") for u in units)}


def _redacted(
    c: DataConflict, nation: str, unit_nation: dict[str, str], names: dict
) -> DataConflict:
    about = ", ".join(names.get(x, x) for x in c.exercises)
    meaning = CONFLICT_CODES.get(c.code, c.code.replace("_", " "))
    return DataConflict(
        code=c.code,
        severity=c.severity,
        message=(f"{about}: " if about else "") + meaning + " (details concern other nations).",
        exercises=c.exercises,
        units=[u for u in c.units if unit_nation.get(u) == nation],
        nations=[n for n in c.nations if n == nation],
        sites=c.sites,
        window=c.window,
        pointer=c.pointer if c.pointer and c.pointer.startswith("/exercises/") else None,
    )


def conflicts_for_nation(
    conflicts: Iterable[DataConflict], scenario: Scenario, nation: str
) -> list[DataConflict]:
    """The conflicts that concern `nation`, redacted where they name other nations."""
    unit_nation = unit_nations(scenario)
    involved = involved_exercises(scenario, nation)
    names = {e.id: f"{e.name} ({e.id})" for e in scenario.exercises}
    out = []
    for c in conflicts:
        named = named_nations(c.nations, c.units, unit_nation)
        if c.code in NATION_DATA_CODES:
            if named == {nation}:
                out.append(c)
            continue
        if not (nation in named or involved.intersection(c.exercises)):
            continue
        out.append(c if named <= {nation} else _redacted(c, nation, unit_nation, names))
    return out


__all__ = ["conflicts_for_nation", "involved_exercises", "named_nations", "unit_nations"]
