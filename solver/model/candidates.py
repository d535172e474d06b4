"""Who and where could take part in what, worked out before any model is built.

A unit is a candidate for an exercise when it has a required capability and some start in
the exercise's window has it available on every day; a site likewise (eligible, available).
An exercise's start domain keeps only the starts with an available site and enough
available units for each requirement. Exercises left with no start are dropped, with the
reason in plain words (`Candidates.static_reasons`).

On large scenarios the candidate units of each requirement are capped to the best
`cap_units` by availability fit, round-robin over nations so that `min_nations` can still be
met. That trades completeness for size: a capped model proves nothing about the uncapped
one, so the solver then reports `feasible`, never `optimal` (nor `infeasible` when
must-haves were capped: they keep four times as many units).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from solver.calendar import Reason
from solver.model import days as d
from solver.model.days import Runs
from solver.scenario import Exercise, Nation, Scenario, Site, Unit, Window
from solver.stopping import NEVER, Stopped

MAX_PAIRS_UNCAPPED = 10_000
MUST_CAP_FACTOR = 4
STOP_EVERY_UNITS = 200  # units' available days are quick: ask `stop` once per this many


@dataclass
class ExerciseCandidates:
    exercise: Exercise
    duration: int
    starts: Runs
    sites: dict[str, Runs] = field(default_factory=dict)  # site id -> its allowed starts
    units: dict[str, Runs] = field(default_factory=dict)  # unit id -> its allowed starts
    by_capability: dict[str, list[str]] = field(default_factory=dict)
    pinned_units: list[str] = field(default_factory=list)
    unit_masks: dict[str, int] = field(default_factory=dict)  # while preparing: starts as bits
    # nation -> the least person-days one of its candidate units would spend here, read
    # before the cap (for the bound, `solver.model.bound`)
    nation_costs: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.exercise.id

    @property
    def must(self) -> bool:
        return self.exercise.mandatory or self.exercise.pinned is not None


@dataclass
class Candidates:
    scenario: Scenario
    horizon_days: int
    units: dict[str, Unit]
    sites: dict[str, Site]
    nations: dict[str, Nation]
    exercises: dict[str, ExerciseCandidates]  # schedulable ones only, in scenario order
    static_reasons: dict[str, list[Reason]]  # the dropped ones, and why
    capped: bool = False
    capped_must_haves: bool = False
    by_capability: dict[str, list[Unit]] = field(default_factory=dict)
    unit_runs: dict[str, Runs] = field(default_factory=dict)
    site_runs: dict[str, Runs] = field(default_factory=dict)
    _unit_starts: dict[tuple[str, int], Runs] = field(default_factory=dict)
    # site -> (start, duration, personnel) of exercises held fixed outside the model
    fixed_site_load: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)

    _unit_start_masks: dict[tuple[str, int], int] = field(default_factory=dict)
    # unit -> (exercises it is a candidate for, the shortest of their durations), before the cap
    unit_reach: dict[str, tuple[int, int]] = field(default_factory=dict)

    def unit_start_mask(self, unit_id: str, duration: int) -> int:
        """`unit_starts` as a bit mask (bit s = start day s), cached."""
        key = (unit_id, duration)
        bits = self._unit_start_masks.get(key)
        if bits is None:
            bits = d.starts_mask(d.mask(self.unit_runs[unit_id]), duration)
            self._unit_start_masks[key] = bits
        return bits

    def unit_starts(self, unit_id: str, duration: int) -> Runs:
        """The starts at which a unit is available for `duration` days in a row (cached)."""
        key = (unit_id, duration)
        runs = self._unit_starts.get(key)
        if runs is None:
            runs = self._unit_starts[key] = d.starts_for(self.unit_runs[unit_id], duration)
        return runs

    @property
    def pairs(self) -> int:
        return sum(len(c.units) for c in self.exercises.values())

    def date(self, day: int) -> dt.date:
        return self.scenario.horizon.start + dt.timedelta(days=day)

    def day(self, date: dt.date) -> int:
        return d.day_index(self.scenario.horizon.start, date)

    def in_preferred_month(self, exercise_id: str, start: int) -> bool:
        """Whether the exercise, starting on day `start`, starts in one of its
        `preferred_months` (figure 3; the model's own form is a domain of starts,
        `solver.model.objective.soft_preferred_month_hits`)."""
        months = self.exercises[exercise_id].exercise.preferred_months
        return bool(months) and self.date(start).month in months


def _window_runs(scenario: Scenario, windows: list[Window] | None) -> Runs:
    h = scenario.horizon
    last = d.day_index(h.start, h.end)
    if not windows:
        return [(0, last)]
    return d.clip(
        d.normalise((d.day_index(h.start, w.start), d.day_index(h.start, w.end)) for w in windows),
        0,
        last,
    )


def _blackout_runs(scenario: Scenario, windows: list[Window]) -> Runs:
    h = scenario.horizon
    return d.normalise(
        (d.day_index(h.start, w.start), d.day_index(h.start, w.end)) for w in windows
    )


def unit_days(scenario: Scenario, unit: Unit, nation: Nation | None) -> Runs:
    """The days a unit is available (rule 5): horizon, both availabilities, no blackouts."""
    runs = _window_runs(scenario, unit.availability)
    holes = _blackout_runs(scenario, unit.blackouts)
    if nation is not None:
        runs = d.intersect(runs, _window_runs(scenario, nation.availability))
        holes = d.normalise(holes + _blackout_runs(scenario, nation.blackouts))
    return d.subtract(runs, holes)


def site_days(scenario: Scenario, site: Site) -> Runs:
    return _window_runs(scenario, site.availability)


def _nation_name(c: Candidates, code: str) -> str:
    nation = c.nations.get(code)
    return nation.name if nation else code


def _reason(code: str, message: str, exercise: Exercise, **extra: object) -> Reason:
    if exercise.mandatory and not message.startswith("Mandatory"):
        message = "Mandatory, but " + message[0].lower() + message[1:]
    return Reason(code=code, message=message, **extra)


def _count(n: int, capability: str) -> str:
    return f"{n} {capability} unit" + ("" if n == 1 else "s")


def _unit_list(c: Candidates, unit_ids: list[str], limit: int = 4) -> str:
    shown = [f"{u}, {_nation_name(c, c.units[u].nation)}" for u in unit_ids[:limit]]
    more = f" and {len(unit_ids) - limit} more" if len(unit_ids) > limit else ""
    return "; ".join(shown) + more


def _prepare_one(c: Candidates, e: Exercise) -> ExerciseCandidates:
    """Candidates of one exercise; records a reason and returns empty starts if none fit."""
    s = c.scenario
    window = s.exercise_window(e)
    first, last = c.day(window.start), c.day(window.end)
    duration = e.duration_days
    starts: Runs = d.clip([(first, last - duration + 1)], first, last - duration + 1)
    pin = e.pinned
    reasons = c.static_reasons.setdefault(e.id, [])
    span = f"{window.start}..{window.end}"

    if pin is not None and pin.start is not None:
        starts = d.intersect(starts, [(c.day(pin.start), c.day(pin.start))])

    # sites (rule 3)
    eligible = s.eligible_sites(e)
    if pin is not None and pin.site is not None:
        eligible = [x for x in eligible if x.id == pin.site]
    sites: dict[str, Runs] = {}
    for site in eligible:
        runs = d.intersect(d.starts_for(c.site_runs[site.id], duration), starts)
        if runs:
            sites[site.id] = runs
    if not eligible:
        reasons.append(
            _reason("no_site", f"No site is eligible for a {e.type} exercise.", e, rule=3)
        )
        return ExerciseCandidates(e, duration, [])
    if not sites:
        names = ", ".join(x.id for x in eligible[:4])
        reasons.append(
            _reason(
                "site_unavailable",
                f"No eligible site ({names}) is available for {duration} days in a row "
                f"within {span}.",
                e,
                rule=3,
            )
        )
        return ExerciseCandidates(e, duration, [])
    starts = d.intersect(starts, d.normalise(r for runs in sites.values() for r in runs))

    # units (rules 4, 5)
    pinned_units = list(pin.units or []) if pin is not None else []
    units: dict[str, int] = {}
    by_capability: dict[str, list[str]] = {}
    allowed = d.mask(starts)
    for req in e.requirements:
        declared = [
            u.id
            for u in c.by_capability.get(req.capability, [])
            if (u.max_exercises is None or u.max_exercises > 0)
            and (e.max_personnel is None or u.personnel <= e.max_personnel)
            and _nation_allows(c, u, duration)
        ]
        if len(declared) < req.units:
            count = "none is" if not declared else f"only {len(declared)} is"
            listed = f" ({_unit_list(c, declared)})" if declared else ""
            reasons.append(
                _reason(
                    "capability_short",
                    f"Needs {_count(req.units, req.capability)}; {count} declared{listed}.",
                    e,
                    rule=4,
                    capability=req.capability,
                )
            )
            return ExerciseCandidates(e, duration, [])
        fitting = {}
        for uid in declared:
            bits = c.unit_start_mask(uid, duration) & allowed
            if bits:
                fitting[uid] = bits
        allowed &= d.at_least_mask(list(fitting.values()), req.units)
        if not allowed:
            reasons.append(
                _reason(
                    "units_unavailable",
                    f"Needs {_count(req.units, req.capability)} available together for "
                    f"{duration} days within {span}; no start finds that many "
                    f"(declared: {_unit_list(c, declared)}).",
                    e,
                    rule=5,
                    capability=req.capability,
                )
            )
            return ExerciseCandidates(e, duration, [])
        units.update(fitting)
        by_capability[req.capability] = list(fitting)
    starts = d.runs_of(allowed)

    for uid in pinned_units:
        if not units.get(uid, 0) & allowed:
            reasons.append(
                _reason(
                    "pinned_unit_unavailable",
                    f"Pinned unit {uid} ({_nation_name(c, c.units[uid].nation)}) is not "
                    f"available for {duration} days at any start it allows within {span}.",
                    e,
                    rule=9,
                    unit=uid,
                )
            )
            return ExerciseCandidates(e, duration, [])
    for req in e.requirements:
        pinned_here = [u for u in pinned_units if c.units[u].capability == req.capability]
        if len(pinned_here) > req.most:
            reasons.append(
                _reason(
                    "pinned_units_too_many",
                    f"Pins {_count(len(pinned_here), req.capability)} "
                    f"({_unit_list(c, pinned_here)}); the exercise takes at most {req.most}.",
                    e,
                    rule=4,
                    capability=req.capability,
                )
            )
            return ExerciseCandidates(e, duration, [])

    nations = {c.units[u].nation for u in units}
    if len(nations) < e.min_nations:
        names = ", ".join(sorted(_nation_name(c, n) for n in nations)) or "none"
        reasons.append(
            _reason(
                "nations_short",
                f"Needs units from {e.min_nations} nations; only {len(nations)} can take part "
                f"({names}).",
                e,
                rule=6,
            )
        )
        return ExerciseCandidates(e, duration, [])
    if sum(r.most for r in e.requirements) < e.min_nations:
        reasons.append(
            _reason(
                "nations_short",
                f"Needs units from {e.min_nations} nations but takes at most "
                f"{sum(r.most for r in e.requirements)} units.",
                e,
                rule=6,
            )
        )
        return ExerciseCandidates(e, duration, [])

    units = {u: bits & allowed for u, bits in units.items() if bits & allowed}
    sites = {x: d.intersect(r, starts) for x, r in sites.items()}
    sites = {x: r for x, r in sites.items() if r}
    by_capability = {k: [u for u in v if u in units] for k, v in by_capability.items()}
    reasons.clear()
    return ExerciseCandidates(
        e, duration, starts, sites, {}, by_capability, pinned_units, unit_masks=units
    )


def _nation_allows(c: Candidates, unit: Unit, duration: int) -> bool:
    nation = c.nations.get(unit.nation)
    if nation is None:
        return True
    if nation.max_exercises == 0:
        return False
    budget = nation.budget_person_days
    return budget is None or unit.personnel * duration <= budget


def _apply_after(c: Candidates) -> None:
    """Rule 8: drop exercises whose predecessors are dropped; starts after their earliest end."""
    changed = True
    while changed:
        changed = False
        for eid, ec in list(c.exercises.items()):
            low = 0
            for link in ec.exercise.after:
                pred = c.exercises.get(link.exercise)
                if pred is None:
                    c.static_reasons[eid] = [
                        _reason(
                            "after_unschedulable",
                            f"Comes after {link.exercise}, which cannot be scheduled.",
                            ec.exercise,
                            rule=8,
                            predecessor=link.exercise,
                        )
                    ]
                    del c.exercises[eid]
                    changed = True
                    break
                low = max(low, pred.starts[0][0] + pred.duration + link.gap_days)
            else:
                if ec.starts and ec.starts[0][0] < low:
                    ec.starts = d.at_least(ec.starts, low)
                    ec.units = {u: d.at_least(r, low) for u, r in ec.units.items()}
                    ec.sites = {x: d.at_least(r, low) for x, r in ec.sites.items()}
                    ec.units = {u: r for u, r in ec.units.items() if r}
                    ec.sites = {x: r for x, r in ec.sites.items() if r}
                    ec.by_capability = {
                        k: [u for u in ids if u in ec.units] for k, ids in ec.by_capability.items()
                    }
                    changed = True
                    if not ec.starts or not ec.sites:
                        c.static_reasons[eid] = [
                            _reason(
                                "after_too_late",
                                "Its predecessors end too late for it to fit in its window.",
                                ec.exercise,
                                rule=8,
                            )
                        ]
                        del c.exercises[eid]


def _cap_units(
    c: Candidates,
    cap_units: int,
    keep_units: dict[str, set[str]],
    stop: Callable[[], bool] = NEVER,
) -> None:
    """Keep, per requirement, the best `cap_units` units by fit, round-robin over nations
    (must-haves keep `MUST_CAP_FACTOR` times as many), and always the `keep_units` of each
    exercise (a re-plan's base units)."""
    for ec in c.exercises.values():
        if stop():
            raise Stopped
        keep: set[str] = set(ec.pinned_units) | keep_units.get(ec.id, set())
        for req in ec.exercise.requirements:
            ids = ec.by_capability.get(req.capability, [])
            limit = max(cap_units * (MUST_CAP_FACTOR if ec.must else 1), 2 * req.most)
            if len(ids) <= limit:
                keep.update(ids)
                continue
            c.capped = True
            c.capped_must_haves = c.capped_must_haves or ec.must
            fit = {u: ec.unit_masks[u].bit_count() for u in ids}
            per_nation: dict[str, list[str]] = defaultdict(list)
            for uid in sorted(ids, key=lambda u: -fit[u]):
                per_nation[c.units[uid].nation].append(uid)
            queues = sorted(per_nation.values(), key=lambda q: -fit[q[0]])
            chosen: list[str] = []
            while len(chosen) < limit:
                for q in queues:
                    if q and len(chosen) < limit:
                        chosen.append(q.pop(0))
            keep.update(chosen)
        ec.unit_masks = {u: m for u, m in ec.unit_masks.items() if u in keep}
        ec.by_capability = {k: [u for u in v if u in keep] for k, v in ec.by_capability.items()}


def _read_reach(c: Candidates, stop: Callable[[], bool] = NEVER) -> None:
    """Nations' least costs per exercise and units' reach, from every candidate (uncapped)."""
    for ec in c.exercises.values():
        if stop():
            raise Stopped
        costs: dict[str, int] = {}
        for uid in ec.unit_masks:
            unit = c.units[uid]
            cost = unit.personnel * ec.duration
            if cost < costs.get(unit.nation, cost + 1):
                costs[unit.nation] = cost
            count, shortest = c.unit_reach.get(uid, (0, ec.duration))
            c.unit_reach[uid] = (count + 1, min(shortest, ec.duration))
        ec.nation_costs = costs


def prepare(
    scenario: Scenario,
    cap_units: int | None = None,
    keep_units: dict[str, set[str]] | None = None,
    stop: Callable[[], bool] = NEVER,
) -> Candidates:
    """Prune candidates by capability, eligibility and availability (and cap on large inputs).

    `cap_units=None` caps only when the candidate pairs exceed `MAX_PAIRS_UNCAPPED`
    (to 12 per requirement); `0` never caps. A cap never drops `keep_units[exercise]`.
    `stop` is asked before each exercise (and each batch of units); raises `Stopped` when it
    says stop: half-prepared candidates are of no use to anyone.
    """
    c = Candidates(
        scenario=scenario,
        horizon_days=scenario.horizon.days,
        units={u.id: u for u in scenario.units},
        sites={x.id: x for x in scenario.sites},
        nations={n.code: n for n in scenario.nations},
        exercises={},
        static_reasons={},
    )
    for k, u in enumerate(scenario.units):
        if k % STOP_EVERY_UNITS == 0 and stop():
            raise Stopped
        c.unit_runs[u.id] = unit_days(scenario, u, c.nations.get(u.nation))
    c.site_runs = {x.id: site_days(scenario, x) for x in scenario.sites}
    for u in scenario.units:
        c.by_capability.setdefault(u.capability, []).append(u)
    for e in scenario.exercises:
        if stop():
            raise Stopped
        ec = _prepare_one(c, e)
        if ec.starts:
            c.exercises[e.id] = ec
    _read_reach(c, stop)
    if cap_units is None:
        pairs = sum(len(ec.unit_masks) for ec in c.exercises.values())
        cap_units = 12 if pairs > MAX_PAIRS_UNCAPPED else 0
    if cap_units > 0:
        _cap_units(c, cap_units, keep_units or {}, stop)
    for ec in c.exercises.values():
        if stop():
            raise Stopped
        ec.units = {u: d.runs_of(bits) for u, bits in ec.unit_masks.items()}
        ec.unit_masks = {}
    _apply_after(c)
    for eid in c.exercises:
        c.static_reasons.pop(eid, None)
    return c
