"""Why an exercise is not in the calendar, in plain words naming units, nations, sites, dates.

Static reasons (the data alone rule it out) come from the candidates; the others are read
off the calendar: which scheduled exercises hold its units and sites in its window, and
which nations have reached their limits.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from solver.calendar import Reason
from solver.diagnose import data_conflicts
from solver.greedy import Plan
from solver.model.candidates import Candidates


def infeasible_reasons(
    c: Candidates, culprits: list[str], detail: dict[str, Reason]
) -> dict[str, list[Reason]]:
    """Every exercise's reasons when the must-haves `culprits` cannot all be kept."""
    names = ", ".join(culprits)
    plural = "exercises" if len(culprits) > 1 else "exercise"
    kind = "mandatory" if all(_mandatory(c, e) for e in culprits) else "mandatory or pinned"
    out: dict[str, list[Reason]] = {}
    for e in c.scenario.exercises:
        if e.id in detail:
            out[e.id] = [detail[e.id]]
        elif e.id in c.static_reasons and e.id in culprits:
            out[e.id] = list(c.static_reasons[e.id])
        else:
            out[e.id] = [
                Reason(
                    code="calendar_infeasible",
                    message=f"No calendar can schedule the {kind} {plural} {names}.",
                )
            ]
    return out


def _mandatory(c: Candidates, exercise_id: str) -> bool:
    return any(e.id == exercise_id and e.mandatory for e in c.scenario.exercises)


def conflict_reason(c: Candidates, exercise_id: str, together: list[str]) -> Reason:
    """A must-have that no calendar can keep alongside the other must-haves `together`."""
    ec = c.exercises[exercise_id]
    what = "Mandatory" if ec.exercise.mandatory else "Pinned"
    if not together:
        message = (
            f"{what}, but no calendar keeps it: its units, site and window cannot all "
            "be met at once."
        )
    else:
        message = (
            f"{what}, but it cannot be scheduled together with {', '.join(together)}: "
            "they need the same units, sites or nation limits on overlapping days."
        )
    return Reason(code="must_haves_conflict", message=message, exercises=together)


def unscheduled_reasons(
    c: Candidates,
    plan: Plan,
    proven: bool,
    conflicts: dict[str, list[Reason]] | None = None,
    clashes: Collection[Collection[str]] = (),
) -> dict[str, list[Reason]]:
    """Reasons for every exercise not in `plan`: what the data alone rules out (the
    candidates, then `solver.diagnose`'s data conflicts), else what crowds it out, and
    the proven clashes it is part of.

    `conflicts`: the data conflicts' reasons found beforehand (`data_conflict_reasons`);
    `{}` when there was no time for them (seconds on the largest programmes). `clashes`:
    sets of exercises proven unable to take place together (the bound's cuts,
    `solver.model.bound`)."""
    out: dict[str, list[Reason]] = {}
    use: NationUse | None = None
    for e in c.scenario.exercises:
        if e.id in plan:
            continue
        if e.id in c.static_reasons and c.static_reasons[e.id]:
            out[e.id] = list(c.static_reasons[e.id])
            continue
        if conflicts is None:
            conflicts = data_conflict_reasons(c)
        if not conflicts.get(e.id) and use is None:
            use = nation_use(c, plan)
        out[e.id] = conflicts.get(e.id) or [_crowded_out(c, plan, e.id, proven, use)]
        out[e.id] += [_clash(e.id, clash) for clash in clashes if e.id in clash]
    return out


def _clash(exercise_id: str, clash: Collection[str]) -> Reason:
    others = sorted(x for x in clash if x != exercise_id)
    names = ", ".join(others)
    together = f"both it and {names}" if len(others) == 1 else f"it together with all of {names}"
    return Reason(
        code="clashes_with",
        message=(
            f"Proven: no calendar can schedule {together}: they need the same units, sites, "
            "days or nation limits. Scheduling it means leaving "
            + (f"{names} out." if len(others) == 1 else "one of them out.")
        ),
        exercises=others,
    )


def data_conflict_reasons(
    c: Candidates, should_stop: Callable[[], bool] | None = None
) -> dict[str, list[Reason]]:
    """The data conflicts (errors) that keep an exercise out whatever else is scheduled
    (those found so far when `should_stop` says stop)."""
    out: dict[str, list[Reason]] = {}
    for conflict in data_conflicts(c.scenario, should_stop):
        if conflict.severity != "error" or conflict.code == "mandatory_impossible":
            continue
        for eid in conflict.exercises[:1]:
            out.setdefault(eid, []).append(
                Reason(
                    code=conflict.code,
                    message=conflict.message,
                    units=conflict.units,
                    nations=conflict.nations,
                    sites=conflict.sites,
                )
            )
    return out


def _crowded_out(
    c: Candidates, plan: Plan, exercise_id: str, proven: bool, use: NationUse
) -> Reason:
    ec = c.exercises[exercise_id]
    e = ec.exercise
    for link in e.after:
        if link.exercise not in plan:
            return Reason(
                code="after_unscheduled",
                message=f"Comes after {link.exercise}, which is not scheduled.",
                exercise=link.exercise,
            )
    first = ec.starts[0][0]
    last = ec.starts[-1][1] + ec.duration - 1
    span = f"{c.date(first)}..{c.date(last)}"
    rivals = []
    for other, placement in plan.items():
        o_end = placement.start + c.exercises[other].duration - 1
        if o_end < first or placement.start > last:
            continue
        if placement.site in ec.sites or any(u in ec.units for u in placement.units):
            rivals.append(other)
    limits = _nations_at_limit(c, exercise_id, use)
    parts = []
    if rivals:
        shown = ", ".join(rivals[:5]) + (f" and {len(rivals) - 5} more" if len(rivals) > 5 else "")
        parts.append(f"its units or sites are taken in {span} by {shown}")
    if limits:
        more = f" and {len(limits) - 4} more" if len(limits) > 4 else ""
        parts.append("nations at their limit: " + ", ".join(limits[:4]) + more)
    found = "No calendar fits it" if proven else "No calendar found within the time limit fits it"
    detail = "; ".join(parts) if parts else f"its units and sites cannot be combined in {span}"
    return Reason(
        code="crowded_out",
        message=f"{found} alongside higher-value exercises: {detail}.",
        exercises=rivals[:5],
    )


NationUse = tuple[dict[str, int], dict[str, int]]


def nation_use(c: Candidates, plan: Plan) -> NationUse:
    """Per nation, the exercises it takes part in and the person-days it spends in `plan`."""
    count: dict[str, int] = {}
    spent: dict[str, int] = {}
    for other, placement in plan.items():
        nations = set()
        for uid in placement.units:
            unit = c.units[uid]
            nations.add(unit.nation)
            spent[unit.nation] = (
                spent.get(unit.nation, 0) + unit.personnel * c.exercises[other].duration
            )
        for code in nations:
            count[code] = count.get(code, 0) + 1
    return count, spent


def nation_limit(c: Candidates, exercise_id: str, code: str, use: NationUse) -> str | None:
    """The limit that keeps nation `code` out of one more exercise, `exercise_id`, given what
    it uses (`nation_use`): "max_exercises" once it takes part in that many, "budget" when its
    cheapest candidate unit there would overspend it; None when it could join."""
    nation = c.nations.get(code)
    if nation is None:
        return None
    ec = c.exercises[exercise_id]
    count, spent = use
    if nation.max_exercises is not None and count.get(code, 0) >= nation.max_exercises:
        return "max_exercises"
    cheapest = min(c.units[u].personnel for u in ec.units if c.units[u].nation == code)
    if nation.budget_person_days is not None and (
        spent.get(code, 0) + cheapest * ec.duration > nation.budget_person_days
    ):
        return "budget"
    return None


def _nations_at_limit(c: Candidates, exercise_id: str, use: NationUse) -> list[str]:
    ec = c.exercises[exercise_id]
    out = []
    for code in sorted({c.units[u].nation for u in ec.units}):
        limit = nation_limit(c, exercise_id, code, use)
        nation = c.nations.get(code)
        if limit == "max_exercises" and nation is not None:
            out.append(f"{nation.name} ({nation.max_exercises} exercises)")
        elif limit == "budget" and nation is not None:
            out.append(f"{nation.name} ({nation.budget_person_days} person-days)")
    return out


__all__ = [
    "NationUse",
    "conflict_reason",
    "data_conflict_reasons",
    "infeasible_reasons",
    "nation_limit",
    "nation_use",
    "unscheduled_reasons",
]
