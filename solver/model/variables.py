"""The named decision variables of the calendar model, built from the candidates.

Every variable is named after what it means, so that a model dump reads like the rules:
`scheduled[exercise=CB95]`, `start[exercise=CB95]`, `site[exercise=CB95, site=PL-DRAWSKO]`,
`assign[unit=PL-INF-1, exercise=CB95]`, `takes_part[nation=PL, exercise=CB95]`, ...
Only candidate pairs get a variable; an exercise with no candidates has none at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.model.candidates import Candidates
from solver.model.days import Runs

IntervalVar = cp_model.IntervalVar
IntVar = cp_model.IntVar


def domain(runs: Runs) -> cp_model.Domain:
    return cp_model.Domain.from_intervals([[a, b] for a, b in runs])


@dataclass
class Variables:
    model: cp_model.CpModel
    candidates: Candidates
    scheduled: dict[str, IntVar] = field(default_factory=dict)
    start: dict[str, IntVar] = field(default_factory=dict)
    interval: dict[str, IntervalVar] = field(default_factory=dict)
    site: dict[tuple[str, str], IntVar] = field(default_factory=dict)  # (exercise, site)
    site_interval: dict[tuple[str, str], IntervalVar] = field(default_factory=dict)
    assign: dict[tuple[str, str], IntVar] = field(default_factory=dict)  # (unit, exercise)
    unit_interval: dict[tuple[str, str], IntervalVar] = field(default_factory=dict)
    takes_part: dict[tuple[str, str], IntVar] = field(default_factory=dict)  # (nation, exercise)
    personnel: dict[str, IntVar] = field(default_factory=dict)
    preferred: dict[str, IntVar] = field(default_factory=dict)
    wishes: dict[str, IntVar] = field(default_factory=dict)  # nation -> desired exercises met
    # when set, rule 9 collects the must-have literals here instead of forcing them, so that
    # an infeasible model can name a smallest set of must-haves that cannot be kept together
    must_as_assumptions: bool = False
    must_haves: dict[str, IntVar] = field(default_factory=dict)
    # when set (a list), rules 4 and 6 may fall short of the units and nations a scheduled
    # exercise needs, by these `short[...]` variables, collected here (`solver.repair.fill`)
    shortfalls: list[IntVar] | None = None

    def at_least(self, have: cp_model.LinearExprT, need: int, exercise_id: str, what: str) -> None:
        """`have >= need` when `exercise_id` is scheduled; with `shortfalls` on, by a
        shortfall of at most `need` that is counted there."""
        wanted = need * self.scheduled[exercise_id]
        if self.shortfalls is None:
            self.model.add(have >= wanted)
            return
        short = self.model.new_int_var(0, need, f"short[exercise={exercise_id}, {what}]")
        self.shortfalls.append(short)
        self.model.add(have + short >= wanted)

    def units_of(self, exercise_id: str) -> list[str]:
        return list(self.candidates.exercises[exercise_id].units)

    def exercises_of_unit(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for unit_id, exercise_id in self.assign:
            out.setdefault(unit_id, []).append(exercise_id)
        return out


def build_variables(model: cp_model.CpModel, c: Candidates) -> Variables:
    v = Variables(model, c)
    for eid, ec in c.exercises.items():
        dur = ec.duration
        scheduled = model.new_bool_var(f"scheduled[exercise={eid}]")
        start = model.new_int_var_from_domain(domain(ec.starts), f"start[exercise={eid}]")
        v.scheduled[eid] = scheduled
        v.start[eid] = start
        v.interval[eid] = model.new_optional_fixed_size_interval_var(
            start, dur, scheduled, f"occupies[exercise={eid}]"
        )
        for sid in ec.sites:
            at = model.new_bool_var(f"site[exercise={eid}, site={sid}]")
            v.site[eid, sid] = at
            v.site_interval[eid, sid] = model.new_optional_fixed_size_interval_var(
                start, dur, at, f"hosts[site={sid}, exercise={eid}]"
            )
        nations: dict[str, list[IntVar]] = {}
        most = 0
        for uid in ec.units:
            unit = c.units[uid]
            a = model.new_bool_var(f"assign[unit={uid}, exercise={eid}]")
            v.assign[uid, eid] = a
            v.unit_interval[uid, eid] = model.new_optional_fixed_size_interval_var(
                start, dur + unit.rest_days, a, f"busy[unit={uid}, exercise={eid}, +rest]"
            )
            nations.setdefault(unit.nation, []).append(a)
            most += unit.personnel
        for code in nations:
            v.takes_part[code, eid] = model.new_bool_var(
                f"takes_part[nation={code}, exercise={eid}]"
            )
        v.personnel[eid] = model.new_int_var(0, most, f"personnel[exercise={eid}]")
    return v
