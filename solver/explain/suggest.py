"""Changes that would let an unscheduled exercise in, each verified before it is listed.

A change is found on the probe (the groups it may break relaxed, the least change asked
for), applied to the scenario (or the calendar), solved again on a fresh probe with every
rule on, and the calendar it leads to is re-checked by `solver.check_calendar`. Only the
changes that pass are listed, with their cost to the rest of the programme.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from solver.calendar import ScheduledExercise
from solver.explain import words as w
from solver.explain.probe import Found, Group, Probe
from solver.explain.types import Change, ExplainParams, Suggestion
from solver.explain.verify import checked, cost, entry
from solver.scenario import Exercise, Scenario, Unit, Window


@dataclass
class Clock:
    deadline: float
    params: ExplainParams

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def seconds(self) -> float:
        return max(0.0, min(self.params.solve_s, self.left()))

    @property
    def out(self) -> bool:
        return self.left() <= 0.02


class Context:
    def __init__(
        self,
        scenario: Scenario,
        fixed: list[ScheduledExercise],
        exercise: Exercise,
        probe: Probe,
        clock: Clock,
        names: w.Names,
    ):
        self.scenario = scenario
        self.fixed = fixed
        self.exercise = exercise
        self.probe = probe
        self.clock = clock
        self.names = names

    def relax(self, groups: list[Group], minimize=None) -> Found | None:
        if self.clock.out:
            return None
        off = set(groups)
        on = [g for g in self.probe.groups if g not in off]
        out = self.probe.solve(
            on, self.clock.seconds(), self.clock.params.seed, self.clock.params.workers, minimize
        )
        return out.found

    def verify(
        self, kind: str, message: str, changed: Scenario, changes: list[Change]
    ) -> Suggestion | None:
        """Solve the probe again on the changed scenario, every rule on; check the calendar."""
        if self.clock.out:
            return None
        probe = Probe(changed, self.fixed, self.exercise.id)
        out = probe.solve(
            None,
            self.clock.seconds(),
            self.clock.params.seed,
            self.clock.params.workers,
            most_nations=True,
        )
        if out.found is None:
            return None
        scheduled = [*self.fixed, entry(self.exercise.id, out.found)]
        calendar = checked(changed, scheduled)
        if calendar is None:
            return None
        return Suggestion(
            kind=kind,
            message=message,
            changes=changes,
            verified=True,
            cost=cost(changed, self.fixed, calendar, self.exercise.id),
            placement=_placement(out.found),
        )


def _placement(found: Found) -> dict:
    return {"start": found.start, "end": found.end, "site": found.site, "units": found.units}


def _with_exercise(s: Scenario, e: Exercise, **update) -> Scenario:
    exercises = [x.model_copy(update=update) if x.id == e.id else x for x in s.exercises]
    return s.model_copy(update={"exercises": exercises})


def widen_window(ctx: Context) -> list[Suggestion]:
    e, s = ctx.exercise, ctx.scenario
    if Group("window", e.id) not in ctx.probe.groups:
        return []
    found = ctx.relax([Group("window", e.id)], minimize=ctx.probe.outside)
    if found is None or not found.values["optimal"] or found.values["outside"] <= 0:
        return []
    n = found.values["outside"]
    window = s.exercise_window(e)
    import datetime as dt

    if found.start < window.start:
        new = Window(start=window.start - dt.timedelta(days=n), end=window.end)
        where = f"start on {w.date(new.start)} instead of {w.date(window.start)}"
    else:
        new = Window(start=window.start, end=window.end + dt.timedelta(days=n))
        where = f"end on {w.date(new.end)} instead of {w.date(window.end)}"
    message = f"Widen {e.name}'s window by {w.plural(n, 'day')}: {where}."
    change = Change(
        entity="exercise",
        id=e.id,
        field="window",
        from_=window.model_dump(mode="json"),
        to=new.model_dump(mode="json"),
    )
    got = ctx.verify("widen_window", message, _with_exercise(s, e, window=new), [change])
    return [got] if got else []


def open_site(ctx: Context) -> list[Suggestion]:
    e, s = ctx.exercise, ctx.scenario
    groups = [g for g in ctx.probe.groups if g.kind in ("eligible_sites", "site_availability")]
    if not groups:
        return []
    found = ctx.relax(groups)
    if found is None or not found.broken:
        return []
    site = next(x for x in s.sites if x.id == found.site)
    changed, changes, what = s, [], []
    if Group("eligible_sites", e.id) in found.broken:
        old = [x.id for x in s.eligible_sites(e)]
        changed = _with_exercise(changed, e, sites=[*old, site.id])
        changes.append(
            Change(entity="exercise", id=e.id, field="sites", from_=e.sites, to=[*old, site.id])
        )
        what.append(f"add {ctx.names.site(site.id)} to {e.name}'s sites")
    if Group("site_availability", site.id) in found.broken:
        extra = Window(start=found.start, end=found.end)
        new = [*(site.availability or []), extra]
        sites = [
            x.model_copy(update={"availability": new}) if x.id == site.id else x
            for x in changed.sites
        ]
        changed = changed.model_copy(update={"sites": sites})
        changes.append(
            Change(
                entity="site",
                id=site.id,
                field="availability",
                from_=[x.model_dump(mode="json") for x in site.availability or []],
                to=[x.model_dump(mode="json") for x in new],
            )
        )
        what.append(f"open {ctx.names.site(site.id)} {w.span(found.start, found.end)}")
    message = w.listing(what).capitalize() + "."
    message = message[0].upper() + message[1:]
    got = ctx.verify("open_site", message, changed, changes)
    return [got] if got else []


def lower_min_nations(ctx: Context) -> list[Suggestion]:
    e, s = ctx.exercise, ctx.scenario
    if Group("min_nations", e.id) not in ctx.probe.groups:
        return []
    found = ctx.relax([Group("min_nations", e.id)], minimize=-sum(ctx.probe.takes_part.values()))
    if found is None or not found.values["optimal"]:
        return []
    k = found.values["nations"]
    if k >= e.min_nations or k < 1:
        return []
    message = f"Lower {e.name}'s min_nations from {e.min_nations} to {k}."
    change = Change(entity="exercise", id=e.id, field="min_nations", from_=e.min_nations, to=k)
    got = ctx.verify("lower_min_nations", message, _with_exercise(s, e, min_nations=k), [change])
    return [got] if got else []


def raise_max_personnel(ctx: Context) -> list[Suggestion]:
    e, s = ctx.exercise, ctx.scenario
    if Group("max_personnel", e.id) not in ctx.probe.groups:
        return []
    found = ctx.relax([Group("max_personnel", e.id)], minimize=ctx.probe.personnel)
    if found is None or found.values["personnel"] <= (e.max_personnel or 0):
        return []
    k = found.values["personnel"]
    message = f"Raise {e.name}'s max_personnel from {e.max_personnel} to {k}."
    change = Change(entity="exercise", id=e.id, field="max_personnel", from_=e.max_personnel, to=k)
    got = ctx.verify(
        "raise_max_personnel", message, _with_exercise(s, e, max_personnel=k), [change]
    )
    return [got] if got else []


def raise_limits(ctx: Context) -> list[Suggestion]:
    """Raise nations' (or units') max_exercises or budgets: as few as possible, by the least."""
    s = ctx.scenario
    kinds = ("nation_max_exercises", "nation_budget", "unit_max_exercises")
    groups = [g for g in ctx.probe.groups if g.kind in kinds]
    if not groups:
        return []
    found = ctx.relax(groups)
    if found is None or not found.broken:
        return []
    changed, changes, what = _limit_changes(ctx, found, s)
    message = _sentence(what)
    got = ctx.verify("raise_nation_limit", message, changed, changes)
    return [got] if got else []


LIMITS = ("nation_max_exercises", "nation_budget", "unit_max_exercises")


def _limit_changes(
    ctx: Context, found: Found, s: Scenario
) -> tuple[Scenario, list[Change], list[str]]:
    """The limits `found` broke, raised just enough (on scenario `s`)."""
    units = {u.id: u for u in s.units}
    nations = {n.code: n for n in s.nations}
    durations = {x.id: x.duration_days for x in s.exercises}
    changes, what = [], []
    new_nations, new_units = dict(nations), dict(units)
    for g in found.broken:
        if g.kind not in LIMITS:
            continue
        if g.kind == "unit_max_exercises":
            unit = units[g.ref]
            used = sum(1 for p in ctx.fixed if g.ref in p.units) + 1
            new_units[g.ref] = unit.model_copy(update={"max_exercises": used})
            changes.append(
                Change(
                    entity="unit",
                    id=g.ref,
                    field="max_exercises",
                    from_=unit.max_exercises,
                    to=used,
                )
            )
            what.append(
                f"{ctx.names.unit(g.ref)}'s max_exercises from {unit.max_exercises} to {used}"
            )
            continue
        nation = nations[g.ref]
        mine = [u for u in found.units if units[u].nation == g.ref]
        joined = [p for p in ctx.fixed if any(units[u].nation == g.ref for u in p.units)]
        if g.kind == "nation_max_exercises":
            k = len(joined) + 1
            new_nations[g.ref] = new_nations[g.ref].model_copy(update={"max_exercises": k})
            changes.append(
                Change(
                    entity="nation",
                    id=g.ref,
                    field="max_exercises",
                    from_=nation.max_exercises,
                    to=k,
                )
            )
            what.append(
                f"{ctx.names.nation(g.ref)}'s max_exercises from {nation.max_exercises} to {k}"
            )
        else:
            spent = sum(
                units[u].personnel * durations[p.exercise]
                for p in joined
                for u in p.units
                if units[u].nation == g.ref
            )
            k = spent + sum(units[u].personnel * ctx.exercise.duration_days for u in mine)
            new_nations[g.ref] = new_nations[g.ref].model_copy(update={"budget_person_days": k})
            changes.append(
                Change(
                    entity="nation",
                    id=g.ref,
                    field="budget_person_days",
                    from_=nation.budget_person_days,
                    to=k,
                )
            )
            what.append(
                f"{ctx.names.nation(g.ref)}'s budget from "
                f"{nation.budget_person_days} to {k} person-days"
            )
    changed = s.model_copy(
        update={
            "nations": [new_nations[n.code] for n in s.nations],
            "units": [new_units[u.id] for u in s.units],
        }
    )
    what = [f"raise {x}" for x in what]
    return changed, changes, what


MAX_NEW_UNITS = 3
NATIONS_ASKED = 3


def ask_for_unit(ctx: Context, causes: list[Group]) -> list[Suggestion]:
    """Ask a named nation for one more unit (or a few) of a capability the exercise is short
    of: nations not at their limits first, those that already declare that capability first."""
    s, e = ctx.scenario, ctx.exercise
    unit_kinds = ("unit_availability", "unit_max_exercises", "placement", "nation_availability")
    if causes and not any(g.kind in unit_kinds or g.kind.startswith("nation_") for g in causes):
        return []
    at_limit = {g.ref for g in causes if g.kind in ("nation_max_exercises", "nation_budget")}
    named = {
        ctx.probe.units_by_id[g.ref].capability
        for g in causes
        if g.kind in ("unit_availability", "unit_max_exercises")
    }
    for g in causes:
        if g.kind == "placement":
            held = next(p for p in ctx.probe.held if p.exercise == g.ref)
            named |= {
                ctx.probe.units_by_id[u].capability for u in held.units if u in ctx.probe.assign
            }
    out: list[Suggestion] = []
    for req in e.requirements:
        if named and req.capability not in named:
            continue
        if out:  # one nation asked is enough to show the way
            break
        declared = [u for u in s.units if u.capability == req.capability]
        order = [u.nation for u in declared] + [n.code for n in s.nations]
        order = [c for c in dict.fromkeys(order) if c not in at_limit][:NATIONS_ASKED]
        for code in order:
            if ctx.clock.out:
                return out
            got = _ask(ctx, req.capability, code, declared, min(req.units, MAX_NEW_UNITS))
            if got:
                out.append(got)
                break
    return out


def _ask(
    ctx: Context, capability: str, code: str, declared: list[Unit], most: int
) -> Suggestion | None:
    s, e = ctx.scenario, ctx.exercise
    own = [u.personnel for u in declared if u.nation == code]
    if not own and not declared:
        return None
    people = own[0] if own else int(statistics.median(u.personnel for u in declared))
    ids = {u.id for u in s.units}
    tag = capability.upper().replace("_", "-")
    new: list[Unit] = []
    k = 0
    for _ in range(most):
        k += 1
        while f"{code}-{tag}-NEW{k}" in ids:
            k += 1
        new.append(
            Unit(id=f"{code}-{tag}-NEW{k}", nation=code, capability=capability, personnel=people)
        )
    # one probe with `most` new units, as few of them used as can be
    probe = Probe(s.model_copy(update={"units": [*s.units, *new]}), ctx.fixed, e.id)
    used = sum(probe.assign[u.id] for u in new)
    first = probe.solve(None, ctx.clock.seconds(), ctx.clock.params.seed, minimize=used)
    if first.found is None:
        return None
    new = [u for u in new if u.id in first.found.units]
    if not new:
        return None
    days = [Window(start=first.found.start, end=first.found.end)]
    new = [u.model_copy(update={"availability": days}) for u in new]
    changed = s.model_copy(update={"units": [*s.units, *new]})
    more = "one more" if len(new) == 1 else f"{len(new)} more"
    message = (
        f"Ask {ctx.names.nation(code)} for {more} {w.capability(capability, len(new))}"
        f" ({people} personnel each), available {w.span(first.found.start, first.found.end)}."
    ).replace(" each)", ")" if len(new) == 1 else " each)")
    changes = [
        Change(
            entity="unit",
            id=u.id,
            field=None,
            from_=None,
            to=u.model_dump(mode="json", exclude_defaults=True),
        )
        for u in new
    ]
    return ctx.verify("ask_for_unit", message, changed, changes)


def move_or_drop(ctx: Context, causes: list[Group]) -> list[Suggestion]:
    """Move (or drop, when of lower priority) the exercises whose placement is a cause."""
    placed = [g.ref for g in causes if g.kind == "placement"]
    out = []
    for ref in placed:
        got = _free(ctx, [ref])
        if got:
            out.append(got)
    if not out and len(placed) > 1:
        got = _free(ctx, placed)
        if got:
            out.append(got)
    return out


def _free(ctx: Context, refs: list[str]) -> Suggestion | None:
    s, e = ctx.scenario, ctx.exercise
    exercises = {x.id: x for x in s.exercises}
    if any(exercises[r].pinned is not None for r in refs):
        return None
    found = ctx.relax([Group("placement", r) for r in refs])
    if found is None:
        return None
    scheduled = [p for p in ctx.fixed if p.exercise not in refs] + [entry(e.id, found)]
    changes, what = [], []
    successors = {x.id for x in s.exercises for a in x.after if a.exercise in refs}
    for ref in refs:
        old = next(p for p in ctx.fixed if p.exercise == ref)
        if ctx.clock.out:
            return None
        again = Probe(s, scheduled, ref).solve(
            None, ctx.clock.seconds(), ctx.clock.params.seed, most_nations=True
        )
        if again.found is not None:
            new = entry(ref, again.found)
            scheduled.append(new)
            changes.append(
                Change(
                    entity="calendar",
                    id=ref,
                    field="placement",
                    from_=_placement_of(old),
                    to=_placement_of(new),
                )
            )
            what.append(
                f"move {exercises[ref].name} from {w.span(old.start, old.end)} at "
                f"{old.site} to {w.span(new.start, new.end)} at {new.site}"
            )
        elif (
            exercises[ref].mandatory
            or exercises[ref].priority >= e.priority
            or ref in successors & {p.exercise for p in ctx.fixed}
        ):
            return None
        else:
            changes.append(
                Change(
                    entity="calendar", id=ref, field="placement", from_=_placement_of(old), to=None
                )
            )
            what.append(f"drop {exercises[ref].name} (priority {exercises[ref].priority})")
    calendar = checked(s, scheduled)
    if calendar is None:
        return None
    kind = "drop_exercise" if any(c.to is None for c in changes) else "move_exercise"
    message = w.listing(what, limit=10)
    return Suggestion(
        kind=kind,
        message=message[0].upper() + message[1:] + f" to make room for {e.name}.",
        changes=changes,
        verified=True,
        cost=cost(s, ctx.fixed, calendar, e.id),
        placement=_placement(found),
    )


def _placement_of(p: ScheduledExercise) -> dict:
    return {
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "site": p.site,
        "units": list(p.units),
    }


def units_available(ctx: Context) -> list[Suggestion]:
    """Ask nations to make a few of their units available on the exercise's days (an added
    availability window, or a blackout lifted): as few units as possible."""
    s = ctx.scenario
    groups = [g for g in ctx.probe.groups if g.kind == "unit_availability"]
    if not groups:
        return []
    found = ctx.relax(groups)
    if found is None or not found.broken or len(found.broken) > MAX_NEW_UNITS:
        return []
    changed, changes, what = _availability_changes(ctx, found, s)
    got = ctx.verify("ask_unit_available", _sentence(what), changed, changes)
    return [got] if got else []


def _availability_changes(
    ctx: Context, found: Found, s: Scenario
) -> tuple[Scenario, list[Change], list[str]]:
    """The units `found` needed on days they are not available, made available then."""
    days = Window(start=found.start, end=found.end)
    units = {u.id: u for u in s.units}
    changes, what = [], []
    asked: dict[str, list[str]] = {}
    lifted: list[str] = []
    for g in found.broken:
        if g.kind != "unit_availability":
            continue
        unit = units[g.ref]
        update: dict = {}
        if unit.availability and not any(w_.covers(days) for w_ in unit.availability):
            update["availability"] = [*unit.availability, days]
        kept = [b for b in unit.blackouts if b.end < days.start or b.start > days.end]
        if len(kept) != len(unit.blackouts):
            update["blackouts"] = kept
        for key, value in update.items():
            changes.append(
                Change(
                    entity="unit",
                    id=unit.id,
                    field=key,
                    from_=[x.model_dump(mode="json") for x in getattr(unit, key) or []],
                    to=[x.model_dump(mode="json") for x in value],
                )
            )
        units[g.ref] = unit.model_copy(update=update)
        asked.setdefault(unit.nation, []).append(unit.id)
        if "blackouts" in update:
            lifted.append(unit.id)
    for code, ids in asked.items():
        mine = [u for u in ids if u in lifted]
        what.append(
            f"{ctx.names.nation(code)} to make {w.listing(ids)} available "
            f"{w.span(days.start, days.end)}"
            + (f" (lifting the blackout of {w.listing(mine)})" if mine else "")
        )
    changed = s.model_copy(update={"units": [units[u.id] for u in s.units]})
    return changed, changes, [f"ask {x}" for x in what]


def _sentence(parts: list[str]) -> str:
    text = w.listing(parts, limit=10)
    return text[0].upper() + text[1:] + "."


def together(ctx: Context) -> list[Suggestion]:
    """When no change alone does: units made available and limits raised together, as few
    as possible."""
    kinds = (*LIMITS, "unit_availability")
    groups = [g for g in ctx.probe.groups if g.kind in kinds]
    if not groups:
        return []
    found = ctx.relax(groups)
    if found is None or not found.broken:
        return []
    changed, changes, what = _availability_changes(ctx, found, ctx.scenario)
    changed, more, also = _limit_changes(ctx, found, changed)
    got = ctx.verify("several_changes", _sentence(what + also), changed, changes + more)
    return [got] if got else []


SCENARIO_CHANGES: tuple[Callable[[Context], list[Suggestion]], ...] = (
    widen_window,
    open_site,
    lower_min_nations,
    raise_max_personnel,
    raise_limits,
    units_available,
)


def suggestions(ctx: Context, causes: list[Group]) -> list[Suggestion]:
    out: list[Suggestion] = []
    for find in SCENARIO_CHANGES:
        if ctx.clock.out:
            break
        out += find(ctx)
    if not out and not ctx.clock.out:
        out += together(ctx)
    if not ctx.clock.out:
        out += move_or_drop(ctx, causes)
    if not ctx.clock.out:
        out += ask_for_unit(ctx, causes)
    return out
