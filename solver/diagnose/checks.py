"""The checks on one exercise at a time, one function per conflict code."""

from __future__ import annotations

from collections.abc import Iterator

from solver.diagnose.conflict import DataConflict
from solver.diagnose.index import (
    UNAVAILABLE,
    ExerciseView,
    Index,
    conflict,
    index_of,
    is_short,
    listing,
    nation_reach,
    nations_of,
    unavailable_reason,
    view_window,
    window_mask,
)
from solver.diagnose.spans import Span, subtract
from solver.model.days import at_least_mask, mask
from solver.scenario import Unit

# --- the checks, one per conflict -----------------------------------------------------------


def capability_short(ix: Index) -> Iterator[DataConflict]:
    """Error: fewer units of a required capability could take part than the exercise needs."""
    for view in ix.views.values():
        e = view.exercise
        for need in view.needs:
            if not is_short(need):
                continue
            counted = [ix.unit(u) for u, _ in need.counted]
            declared = len(ix.by_capability.get(need.capability, []))
            if not counted:
                have = f"none of the {declared} declared could take part"
            elif len(counted) == declared:
                have = f"only {declared} {'is' if declared == 1 else 'are'} declared: {listing(counted)}"
            else:
                have = (
                    f"only {len(counted)} of the {declared} declared could take part: "
                    f"{listing(counted)}"
                )
            ruled_out = "; ".join(
                f"{ix.unit(u)} {why or unavailable_reason(view)}" for u, why in need.excluded[:6]
            )
            more = f" ({len(need.excluded) - 6} more ruled out)" if len(need.excluded) > 6 else ""
            yield conflict(
                ix,
                "capability_short",
                f"{ix.ex(e)} needs {need.units} {need.capability} unit(s) for "
                f"{ix.days_text(view)}, but {have}."
                + (f" Ruled out: {ruled_out}{more}." if ruled_out else ""),
                exercises=[e.id],
                units=[*(u for u, _ in need.counted), *(u for u, _ in need.excluded)],
                window=view_window(ix, view),
            )


def min_nations_short(ix: Index) -> Iterator[DataConflict]:
    """Error: fewer nations could send a unit than the exercise's `min_nations`."""
    for view in ix.views.values():
        e = view.exercise
        if e.min_nations <= 1 or nation_reach(view) >= e.min_nations:
            continue
        nations = sorted(nations_of(view))
        names = [ix.nation(c) for c in nations]
        most = sum(n.most for n in view.needs)
        if len(nations) >= e.min_nations:
            why = f"at most {most} units can be assigned (max_units), so at most {most} nations"
        elif nations:
            why = f"units from only {len(nations)} could take part: {listing(names)}"
        else:
            why = "no nation has a unit that could take part"
        yield conflict(
            ix,
            "min_nations_short",
            f"{ix.ex(e)} needs units from at least {e.min_nations} nations for "
            f"{ix.days_text(view)}, but {why}.",
            exercises=[e.id],
            nations=nations,
            window=view_window(ix, view),
        )


def no_site_available(ix: Index) -> Iterator[DataConflict]:
    """Error: no eligible site is available for the whole duration anywhere in the window."""
    for view in ix.views.values():
        e = view.exercise
        if any(view.site_starts.values()):
            continue
        if view.sites:
            why = "none of its eligible sites is available then: " + listing(
                [ix.site(s) for s in view.sites]
            )
        elif e.sites is not None:
            why = "its list of sites is empty"
        else:
            why = f"no site supports {e.type.replace('_', ' ')} exercises"
        yield conflict(
            ix,
            "no_site_available",
            f"{ix.ex(e)} needs a site for {ix.days_text(view)}, but {why}.",
            exercises=[e.id],
            sites=[s.id for s in view.sites],
            window=view_window(ix, view),
        )


def personnel_over_limits(ix: Index) -> Iterator[DataConflict]:
    """Error: the smallest force meeting the requirements exceeds max_personnel or every site."""
    for view in ix.views.values():
        e = view.exercise
        if any(is_short(n) for n in view.needs):
            continue
        least = sum(sum(sorted(u.personnel for u, _ in n.counted)[: n.units]) for n in view.needs)
        if e.max_personnel is not None and least > e.max_personnel:
            yield conflict(
                ix,
                "personnel_over_max",
                f"{ix.ex(e)} allows at most {e.max_personnel} personnel, but the smallest "
                f"units that meet its requirements bring {least}.",
                exercises=[e.id],
                window=view_window(ix, view),
            )
        open_sites = [s for s in view.sites if view.site_starts[s.id]]
        if open_sites and all(
            s.capacity_personnel is not None and least > s.capacity_personnel for s in open_sites
        ):
            caps = [f"{ix.site(s)} holds {s.capacity_personnel}" for s in open_sites]
            yield conflict(
                ix,
                "personnel_over_site_capacity",
                f"{ix.ex(e)} needs at least {least} personnel on site, more than any eligible "
                f"site can hold: {listing(caps)}.",
                exercises=[e.id],
                sites=[s.id for s in open_sites],
                window=view_window(ix, view),
            )


def nation_cannot_fund(ix: Index) -> Iterator[DataConflict]:
    """Error when needed, else warning: a nation's limits fund none of the exercises it could join."""
    limited = {
        n.code
        for n in ix.scenario.nations
        if n.max_exercises == 0 or n.budget_person_days is not None
    }
    # nation -> exercise id -> cheapest cost and unit; nation -> exercises short without it
    joinable_by: dict[str, dict[str, tuple[int, Unit]]] = {c: {} for c in limited}
    needed_by: dict[str, list[str]] = {c: [] for c in limited}
    for view in ix.views.values():
        d = view.exercise.duration_days
        for need in view.needs:
            for u in [*(u for u, _ in need.counted), *need.unfunded]:
                if u.nation not in limited:
                    continue
                best = joinable_by[u.nation].get(view.exercise.id)
                if best is None or u.personnel * d < best[0]:
                    joinable_by[u.nation][view.exercise.id] = (u.personnel * d, u)
            if is_short(need):
                for code in dict.fromkeys(u.nation for u in need.unfunded if u.nation in limited):
                    needed_by[code].append(view.exercise.id)
    for nation in ix.scenario.nations:
        if nation.code not in limited:
            continue
        joinable = joinable_by[nation.code]
        needed = list(dict.fromkeys(needed_by[nation.code]))
        if not joinable:
            continue
        exercises = [ix.ex(ix.exercises[x]) for x in joinable]
        if nation.max_exercises == 0:
            why = "has max_exercises 0"
        else:
            where, (cost, unit) = min(joinable.items(), key=lambda item: item[1][0])
            if cost <= (nation.budget_person_days or 0):
                continue
            why = (
                f"has a budget of {nation.budget_person_days} person-days, but its cheapest "
                f"participation ({ix.unit(unit)} in {where}) costs {cost}"
            )
        yield conflict(
            ix,
            "nation_cannot_fund",
            f"{nation.name} {why}, so it can fund none of the {len(joinable)} exercise(s) its "
            f"units could join: {listing(exercises)}."
            + (f" It is needed for {listing(needed)}." if needed else ""),
            severity="error" if needed else "warning",
            exercises=list(joinable),
            nations=[nation.code],
        )


def pin_conflicts(ix: Index) -> Iterator[DataConflict]:
    """Error: a pinned site or unit cannot be there on the pinned days, or too many are pinned."""
    for view in ix.views.values():
        e, pin = view.exercise, view.exercise.pinned
        if pin is None:
            continue
        i = index_of(ix, e)
        site = ix.sites.get(pin.site) if pin.site else None
        if site is not None and not view.site_starts.get(site.id):
            yield conflict(
                ix,
                "pin_site_unavailable",
                f"{ix.ex(e)} is pinned to {ix.site(site)}, which is "
                f"{_missing(ix, view, ix.site_days[site.id])}.",
                exercises=[e.id],
                sites=[site.id],
                window=view_window(ix, view),
                pointer=f"/exercises/{i}/pinned/site",
            )
        for j, uid in enumerate(pin.units or []):
            u = ix.units.get(uid)
            need = next((n for n in view.needs if u and n.capability == u.capability), None)
            if u is None or need is None or any(c.id == uid for c, _ in need.counted):
                continue
            why = next(w for c, w in need.excluded if c.id == uid)
            if why == UNAVAILABLE:
                why = "is " + _missing(ix, view, ix.unit_days[uid])
            yield conflict(
                ix,
                "pin_unit_unavailable",
                f"{ix.ex(e)} is pinned with {ix.unit(u)}, which {why}.",
                exercises=[e.id],
                units=[u],
                window=view_window(ix, view),
                pointer=f"/exercises/{i}/pinned/units/{j}",
            )
        for need in view.needs:
            pinned = [ix.units[x] for x in pin.units or [] if x in ix.units]
            pinned = [u for u in pinned if u.capability == need.capability]
            if len(pinned) > need.most:
                yield conflict(
                    ix,
                    "pin_units_excess",
                    f"{ix.ex(e)} takes at most {need.most} {need.capability} unit(s), but "
                    f"{len(pinned)} are pinned: {listing([ix.unit(u) for u in pinned])}.",
                    exercises=[e.id],
                    units=pinned,
                    pointer=f"/exercises/{i}/pinned/units",
                )


def _missing(ix: Index, view: ExerciseView, days: list[Span]) -> str:
    d = view.exercise.duration_days
    if view.lo != view.hi:
        return f"not available for {d} days in a row between {ix.day(view.lo)} and " + str(
            ix.day(view.hi + d - 1)
        )
    gaps = subtract([(view.lo, view.lo + d - 1)], days)
    text = ", ".join(str(ix.day(a)) if a == b else f"{ix.day(a)}..{ix.day(b)}" for a, b in gaps[:4])
    return f"not available on {text} of the pinned days"


def after_impossible(ix: Index) -> Iterator[DataConflict]:
    """Error: the predecessor cannot end early enough for the exercise to start in its window."""
    for view in ix.views.values():
        e = view.exercise
        for j, link in enumerate(e.after):
            before = ix.views.get(link.exercise)
            if before is None:
                continue
            earliest_end = before.lo + before.exercise.duration_days - 1
            earliest_start = earliest_end + link.gap_days + 1
            if earliest_start > view.hi:
                yield conflict(
                    ix,
                    "after_impossible",
                    f"{ix.ex(e)} must start at least {link.gap_days} day(s) after "
                    f"{ix.ex(before.exercise)} ends, which is {ix.day(earliest_end)} at the "
                    f"earliest; so it could start {ix.day(earliest_start)} at the earliest, "
                    f"after its last possible start {ix.day(view.hi)}.",
                    exercises=[e.id, before.exercise.id],
                    window=view_window(ix, view),
                    pointer=f"/exercises/{index_of(ix, e)}/after/{j}",
                )


def no_common_start(ix: Index, skip: set[str]) -> Iterator[DataConflict]:
    """Error: on no start day are a site, enough units and enough nations available together."""
    for view in ix.views.values():
        e = view.exercise
        if e.id in skip or view.hi < view.lo:
            continue
        ok = window_mask(view.lo, view.hi)
        sites = 0
        for spans in view.site_starts.values():
            sites |= mask(spans)
        ok &= sites
        by_nation: dict[str, int] = {}
        for need in view.needs:
            ok &= at_least_mask([bits for _, bits in need.counted], need.units)
            for u, bits in need.counted:
                by_nation[u.nation] = by_nation.get(u.nation, 0) | bits
        ok &= at_least_mask(list(by_nation.values()), e.min_nations)
        if not ok:
            yield conflict(
                ix,
                "no_common_start",
                f"{ix.ex(e)} has, on no start day of {ix.days_text(view)}, a site and enough "
                f"units from enough nations available together for all {e.duration_days} days.",
                exercises=[e.id],
                units=[u for n in view.needs for u, _ in n.counted],
                sites=[s.id for s in view.sites],
                window=view_window(ix, view),
            )
