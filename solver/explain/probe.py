"""One unscheduled exercise against a calendar held fixed: a small CP-SAT model.

The exercise is forced in; the calendar's other placements are facts. Every constraint that
could keep it out belongs to a *group* switched on by one literal (a possible cause): a
unit's availability, its nation's availability, another exercise's placement (its units,
its site), a nation's `max_exercises` or budget and a unit's `max_exercises` (what the
calendar already spends of them counted as a fact), a site's availability, concurrency or
capacity, the exercise's window, eligible sites, `min_nations`, `max_personnel`, `after` links, pins. Solving under the
group literals as assumptions (one worker) gives `sufficient_assumptions_for_infeasibility`;
leaving a group out of the assumptions relaxes it. The requirements themselves (how many
units of each capability) and the horizon are never relaxed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.calendar import ScheduledExercise
from solver.model import days as d
from solver.model.candidates import site_days
from solver.model.variables import domain
from solver.scenario import Scenario


@dataclass(frozen=True, order=True)
class Group:
    kind: str
    ref: str


@dataclass
class Found:
    """A placement of the probed exercise (days as dates) and the groups it broke."""

    start: dt.date
    end: dt.date
    site: str
    units: list[str]
    broken: list[Group] = field(default_factory=list)
    values: dict[str, int] = field(default_factory=dict)


@dataclass
class Outcome:
    status: str  # "feasible", "infeasible", "unknown"
    core: list[Group] = field(default_factory=list)
    found: Found | None = None


@dataclass(frozen=True)
class Held:
    """A fixed placement of the calendar (days as horizon indices)."""

    exercise: str
    first: int
    last: int
    site: str
    units: tuple[str, ...]
    people: int


class Probe:
    """The model of exercise `exercise_id` forced into `fixed` (every other placement)."""

    def __init__(
        self,
        scenario: Scenario,
        fixed: list[ScheduledExercise],
        exercise_id: str,
        preferred_months: bool = False,
    ):
        self.scenario = scenario
        self.model = cp_model.CpModel()
        self.groups: dict[Group, cp_model.IntVar] = {}
        m = self.model
        h0 = scenario.horizon.start
        self.h0 = h0
        days = scenario.horizon.days
        e = next(x for x in scenario.exercises if x.id == exercise_id)
        self.exercise = e
        dur = self.duration = e.duration_days
        nations = {n.code: n for n in scenario.nations}
        units = {u.id: u for u in scenario.units}
        self.units_by_id = units
        durations = {x.id: x.duration_days for x in scenario.exercises}
        self.held = held = [
            Held(
                p.exercise,
                d.day_index(h0, p.start),
                d.day_index(h0, p.end),
                p.site,
                tuple(p.units),
                sum(units[u].personnel for u in p.units if u in units),
            )
            for p in fixed
            if p.exercise != exercise_id
        ]
        for p in held:
            durations.setdefault(p.exercise, p.last - p.first + 1)

        self.start = m.new_int_var(0, max(0, days - dur), f"start[exercise={e.id}]")
        s = self.start
        all_starts = [(0, days - dur)]

        # window (rule 2)
        window = scenario.exercise_window(e)
        w0, w1 = d.day_index(h0, window.start), d.day_index(h0, window.end) - dur + 1
        self.window_starts = (w0, w1)
        self.outside = m.new_int_var(0, days, "days_outside_window")
        m.add(self.outside >= w0 - s)
        m.add(self.outside >= s - w1)
        if (w0, w1) != (0, days - dur):
            m.add_linear_expression_in_domain(
                s, domain(d.clip([(w0, w1)], 0, days))
            ).only_enforce_if(self.lit("window", e.id))

        if preferred_months and e.preferred_months:
            months = month_runs(scenario, e.preferred_months)
            m.add_linear_expression_in_domain(s, domain(months or [(-1, -1)])).only_enforce_if(
                self.lit("preferred_months", e.id)
            )

        # sites (rule 3)
        eligible = {x.id for x in scenario.eligible_sites(e)}
        self.sites = {
            x.id: m.new_bool_var(f"site[{x.id}]")
            for x in scenario.sites
            if x.id in eligible or x.supports_type(e.type)
        }
        m.add_exactly_one(self.sites.values())
        outside = [sid for sid in self.sites if sid not in eligible]
        if outside:
            elig = self.lit("eligible_sites", e.id)
            for sid in outside:
                m.add_implication(elig, self.sites[sid].Not())
        site_by_id = {x.id: x for x in scenario.sites}
        for sid, at in self.sites.items():
            site = site_by_id[sid]
            starts = d.starts_for(site_days(scenario, site), dur)
            if starts != all_starts:
                m.add_linear_expression_in_domain(s, domain(starts or [(-1, -1)])).only_enforce_if(
                    [at, self.lit("site_availability", sid)]
                )

        # units (rules 4, 5)
        self.assign: dict[str, cp_model.IntVar] = {}
        for req in e.requirements:
            ids = [u.id for u in scenario.units if u.capability == req.capability]
            for uid in ids:
                self.assign[uid] = m.new_bool_var(f"assign[{uid}]")
            total = sum(self.assign[u] for u in ids)
            m.add(total >= req.units)
            m.add(total <= req.most)
        self.most_people = sum(units[u].personnel for u in self.assign)
        self.personnel = m.new_int_var(0, self.most_people, "people")
        m.add(self.personnel == sum(units[u].personnel * a for u, a in self.assign.items()))
        for uid, a in self.assign.items():
            unit = units[uid]
            own = d.subtract(_runs(scenario, unit.availability), _holes(scenario, unit.blackouts))
            starts = d.starts_for(own, dur)
            if starts != all_starts:
                m.add_linear_expression_in_domain(s, domain(starts or [(-1, -1)])).only_enforce_if(
                    [a, self.lit("unit_availability", uid)]
                )
            nation = nations.get(unit.nation)
            if nation is not None:
                theirs = d.subtract(
                    _runs(scenario, nation.availability), _holes(scenario, nation.blackouts)
                )
                starts = d.starts_for(theirs, dur)
                if starts != all_starts:
                    m.add_linear_expression_in_domain(
                        s, domain(starts or [(-1, -1)])
                    ).only_enforce_if([a, self.lit("nation_availability", unit.nation)])
        # nations taking part
        self.takes_part: dict[str, cp_model.IntVar] = {}
        for uid, a in self.assign.items():
            code = units[uid].nation
            if code not in self.takes_part:
                self.takes_part[code] = m.new_bool_var(f"takes_part[{code}]")
            m.add_implication(a, self.takes_part[code])
        for code, t in self.takes_part.items():
            m.add_bool_or(
                [a for u, a in self.assign.items() if units[u].nation == code]
            ).only_enforce_if(t)
        if e.min_nations > 1:
            m.add(sum(self.takes_part.values()) >= e.min_nations).only_enforce_if(
                self.lit("min_nations", e.id)
            )
        if e.max_personnel is not None:
            m.add(self.personnel <= e.max_personnel).only_enforce_if(
                self.lit("max_personnel", e.id)
            )

        # the calendar's other placements
        for p in held:
            here = self.lit("placement", p.exercise)
            for uid in p.units:
                if uid not in self.assign:
                    continue
                rest = units[uid].rest_days
                before = m.new_bool_var(f"before[{uid}, {p.exercise}]")
                m.add(s + dur + rest <= p.first).only_enforce_if([self.assign[uid], here, before])
                m.add(s >= p.last + 1 + rest).only_enforce_if(
                    [self.assign[uid], here, before.Not()]
                )
        self._site_load(site_by_id)
        self._unit_limits(units)
        self._nation_limits(nations, units, durations)

        # after links (rule 8) and pins (rule 9)
        placed = {p.exercise: p for p in held}
        for link in e.after:
            lit = self.lit("after", link.exercise)
            pred = placed.get(link.exercise)
            if pred is None:
                m.add_bool_or([lit.Not()])
            else:
                m.add(s >= pred.last + 1 + link.gap_days).only_enforce_if(lit)
        if e.pinned is not None:
            pin = self.lit("pinned", e.id)
            if e.pinned.start is not None:
                m.add(s == d.day_index(h0, e.pinned.start)).only_enforce_if(pin)
            if e.pinned.site is not None and e.pinned.site in self.sites:
                m.add_implication(pin, self.sites[e.pinned.site])
            for uid in e.pinned.units or []:
                if uid in self.assign:
                    m.add_implication(pin, self.assign[uid])

    def lit(self, kind: str, ref: str) -> cp_model.IntVar:
        group = Group(kind, ref)
        if group not in self.groups:
            self.groups[group] = self.model.new_bool_var(f"{kind}[{ref}]")
        return self.groups[group]

    def _site_load(self, site_by_id) -> None:
        m, s, dur = self.model, self.start, self.duration
        for sid, at in self.sites.items():
            site = site_by_id[sid]
            here = [p for p in self.held if p.site == sid]
            if not here:
                if site.capacity_personnel is not None:
                    m.add(self.personnel <= site.capacity_personnel).only_enforce_if(
                        [at, self.lit("site_capacity", sid)]
                    )
                continue
            mine = m.new_optional_fixed_size_interval_var(s, dur, at, f"hosts[{sid}]")
            theirs = [
                m.new_optional_fixed_size_interval_var(
                    p.first,
                    p.last - p.first + 1,
                    self.lit("placement", p.exercise),
                    f"held[{p.exercise}]",
                )
                for p in here
            ]
            conc = self.lit("site_concurrent", sid)
            m.add_cumulative(
                [mine, *theirs], [1] * (len(here) + 1), site.concurrent + len(here) * (1 - conc)
            )
            if site.capacity_personnel is not None:
                cap = self.lit("site_capacity", sid)
                big = sum(p.people for p in here) + self.most_people
                m.add_cumulative(
                    [mine, *theirs],
                    [self.personnel, *(p.people for p in here)],
                    site.capacity_personnel + big * (1 - cap),
                )

    def _unit_limits(self, units) -> None:
        for uid, a in self.assign.items():
            limit = units[uid].max_exercises
            if limit is None:
                continue
            using = [p for p in self.held if uid in p.units]
            if len(using) + 1 > limit:
                self.model.add(len(using) + a <= limit).only_enforce_if(
                    self.lit("unit_max_exercises", uid)
                )

    def _nation_limits(self, nations, units, durations) -> None:
        m = self.model
        self.held_nations = {
            p.exercise: {units[u].nation for u in p.units if u in units} for p in self.held
        }
        for code, t in self.takes_part.items():
            nation = nations.get(code)
            if nation is None:
                continue
            joined = [p for p in self.held if code in self.held_nations[p.exercise]]
            if nation.max_exercises is not None and len(joined) + 1 > nation.max_exercises:
                m.add(len(joined) + t <= nation.max_exercises).only_enforce_if(
                    self.lit("nation_max_exercises", code)
                )
            if nation.budget_person_days is not None:
                spent = [
                    (
                        p,
                        sum(
                            units[u].personnel
                            for u in p.units
                            if u in units and units[u].nation == code
                        )
                        * durations[p.exercise],
                    )
                    for p in joined
                ]
                mine = [
                    (units[u].personnel * self.duration, a)
                    for u, a in self.assign.items()
                    if units[u].nation == code
                ]
                if sum(w for _, w in spent) + sum(w for w, _ in mine) > nation.budget_person_days:
                    m.add(
                        sum(w for _, w in spent) + sum(w * a for w, a in mine)
                        <= nation.budget_person_days
                    ).only_enforce_if(self.lit("nation_budget", code))

    # --- solving ------------------------------------------------------------------------

    def solve(
        self,
        assumed: list[Group] | None,
        seconds: float,
        seed: int = 0,
        workers: int = 1,
        minimize: cp_model.LinearExprT | None = None,
        most_nations: bool = False,
    ) -> Outcome:
        """Solve with `assumed` groups on (None: all) and the others relaxed; when `minimize`
        is None and groups are relaxed, break as few of them as possible; `most_nations`:
        as many nations as possible (the calendar's second figure)."""
        m = self.model
        on = list(self.groups) if assumed is None else assumed
        m.clear_assumptions()
        m.clear_objective()
        m.add_assumptions([self.groups[g] for g in on])
        assumed_set = set(on)
        relaxed = [g for g in self.groups if g not in assumed_set]
        if minimize is None and most_nations:
            minimize = -sum(self.takes_part.values())
        if minimize is None and relaxed:
            minimize = sum(1 - self.groups[g] for g in relaxed)
        if minimize is not None:
            m.minimize(minimize)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        # a small model solved many times: presolve and probing cost more than they save
        solver.parameters.cp_model_presolve = False
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.symmetry_level = 0
        status = solver.solve(m)
        if status == cp_model.INFEASIBLE:
            index = {lit.Index(): g for g, lit in self.groups.items()}
            core = [
                index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index
            ]
            return Outcome("infeasible", sorted(set(core) & assumed_set))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Outcome("unknown")
        start = solver.value(self.start)
        site = next(sid for sid, at in self.sites.items() if solver.value(at))
        found = Found(
            start=self.h0 + dt.timedelta(days=start),
            end=self.h0 + dt.timedelta(days=start + self.duration - 1),
            site=site,
            units=[u for u, a in self.assign.items() if solver.value(a)],
            broken=[g for g in relaxed if not solver.value(self.groups[g])],
            values={
                "outside": solver.value(self.outside),
                "nations": sum(solver.value(t) for t in self.takes_part.values()),
                "personnel": solver.value(self.personnel),
                "optimal": int(status == cp_model.OPTIMAL),
            },
        )
        return Outcome("feasible", found=found)


def month_runs(scenario: Scenario, months: list[int]) -> d.Runs:
    """The days of the horizon in one of `months`."""
    return d.month_runs(scenario.horizon.start, scenario.horizon.end, months)


def _runs(scenario: Scenario, windows) -> d.Runs:
    h = scenario.horizon
    last = d.day_index(h.start, h.end)
    if not windows:
        return [(0, last)]
    return d.clip(
        d.normalise((d.day_index(h.start, w.start), d.day_index(h.start, w.end)) for w in windows),
        0,
        last,
    )


def _holes(scenario: Scenario, windows) -> d.Runs:
    h = scenario.horizon
    return d.normalise(
        (d.day_index(h.start, w.start), d.day_index(h.start, w.end)) for w in windows
    )


__all__ = ["Found", "Group", "Held", "Outcome", "Probe"]
