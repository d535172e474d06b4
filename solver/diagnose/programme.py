"""The checks across the programme (chains of `after`, musts, units, window lists, duplicate
requests), and `data_conflicts`, which runs every check in order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from solver.diagnose.checks import (
    after_impossible,
    capability_short,
    min_nations_short,
    nation_cannot_fund,
    no_common_start,
    no_site_available,
    personnel_over_limits,
    pin_conflicts,
)
from solver.diagnose.conflict import DataConflict
from solver.diagnose.index import Index, conflict, listing
from solver.scenario import Exercise, Scenario, Window
from solver.stopping import Stopped, latched


def blocked_by_predecessors(ix: Index, blocked: set[str]) -> Iterator[DataConflict]:
    """Error: an exercise comes after one that cannot be scheduled (transitively)."""
    changed = True
    while changed:
        changed = False
        for e in ix.scenario.exercises:
            if e.id in blocked:
                continue
            bad = [a.exercise for a in e.after if a.exercise in blocked]
            if bad:
                blocked.add(e.id)
                changed = True
                names = [ix.ex(ix.exercises[x]) for x in bad]
                yield conflict(
                    ix,
                    "predecessor_impossible",
                    f"{ix.ex(e)} may only be scheduled after {listing(names)}, which cannot "
                    "be scheduled.",
                    exercises=[e.id, *bad],
                )


def mandatory_impossible(ix: Index, found: list[DataConflict]) -> Iterator[DataConflict]:
    """Error: a mandatory or pinned exercise cannot be scheduled, so no calendar is feasible."""
    causes: dict[str, list[str]] = {}
    for c in found:
        if c.severity == "error" and c.exercises and c.code != "nation_cannot_fund":
            causes.setdefault(c.exercises[0], []).append(c.code)
    for e in ix.scenario.exercises:
        if not (e.mandatory or e.pinned) or e.id not in causes:
            continue
        kind = "mandatory" if e.mandatory else "pinned"
        codes = ", ".join(dict.fromkeys(causes[e.id]))
        yield conflict(
            ix,
            "mandatory_impossible",
            f"{ix.ex(e)} is {kind} but cannot be scheduled ({codes}), so every calendar of "
            "this programme is infeasible.",
            exercises=[e.id],
        )


def unit_never_available(ix: Index) -> Iterator[DataConflict]:
    """Warning: a unit is available on no day of the horizon."""
    for i, u in enumerate(ix.scenario.units):
        if not ix.unit_days[u.id]:
            yield conflict(
                ix,
                "unit_never_available",
                f"{ix.unit(u)} is available on no day of the horizon "
                f"{ix.scenario.horizon.start}..{ix.scenario.horizon.end} once its and "
                f"{ix.nation(u.nation)}'s availability and blackouts are applied.",
                severity="warning",
                units=[u],
                pointer=f"/units/{i}",
            )


def overlapping_windows(ix: Index) -> Iterator[DataConflict]:
    """Warning: two windows of the same availability or blackout list overlap or repeat."""
    s = ix.scenario
    lists: list[tuple[str, str, list[Window] | None, dict[str, list[str]]]] = []
    for i, n in enumerate(s.nations):
        for key in ("availability", "blackouts"):
            lists.append((f"/nations/{i}/{key}", n.name, getattr(n, key), {"nations": [n.code]}))
    for i, u in enumerate(s.units):
        for key in ("availability", "blackouts"):
            lists.append((f"/units/{i}/{key}", ix.unit(u), getattr(u, key), {"units": [u.id]}))
    for i, site in enumerate(s.sites):
        lists.append(
            (f"/sites/{i}/availability", ix.site(site), site.availability, {"sites": [site.id]})
        )
    for where, owner, windows, ids in lists:
        if not windows or len(windows) < 2:
            continue
        order = sorted(range(len(windows)), key=lambda k: (windows[k].start, windows[k].end))
        for a, b in zip(order, order[1:], strict=False):
            w, v = windows[a], windows[b]
            if v.start > w.end:
                continue
            same = (w.start, w.end) == (v.start, v.end)
            what = "availability" if where.endswith("availability") else "blackout"
            yield DataConflict(
                code="duplicate_windows" if same else "overlapping_windows",
                severity="warning",
                message=(
                    f"{owner} lists the {what} window {w.start}..{w.end} twice."
                    if same
                    else f"{owner}'s {what} windows {w.start}..{w.end} and "
                    f"{v.start}..{v.end} overlap."
                ),
                window=Window.model_construct(start=v.start, end=min(w.end, v.end)),
                pointer=f"{where}/{max(a, b)}",
                **ids,
            )


def duplicate_exercises(ix: Index) -> Iterator[DataConflict]:
    """Warning: two requests ask for the same exercise (likely submitted twice)."""
    first: dict[tuple, Exercise] = {}
    for i, e in enumerate(ix.scenario.exercises):
        window = ix.scenario.exercise_window(e)
        key = (
            e.type,
            e.duration_days,
            window.start,
            window.end,
            tuple(sorted((r.capability, r.units, r.most) for r in e.requirements)),
            tuple(sorted(s.id for s in ix.scenario.eligible_sites(e))),
        )
        other = first.setdefault(key, e)
        if other is e:
            continue
        yield DataConflict(
            code="duplicate_exercises",
            severity="warning",
            message=f"{ix.ex(e)} asks for the same as {ix.ex(other)}: {e.type.replace('_', ' ')}, "
            f"{e.duration_days} days between {window.start} and {window.end}, the same "
            "requirements and sites. Is it one request submitted twice?",
            exercises=[e.id, other.id],
            window=window,
            pointer=f"/exercises/{i}",
        )


def data_conflicts(
    scenario: Scenario, should_stop: Callable[[], bool] | None = None
) -> list[DataConflict]:
    """Every data conflict of a valid scenario: errors first, each group in check order.

    `should_stop` (a solve being cancelled) is asked before each exercise is indexed and
    between the checks; once it says stop, the conflicts found so far are returned."""
    stop = latched(should_stop)
    found: list[DataConflict] = []
    try:
        ix = Index(scenario, stop)
        _run_checks(ix, found, stop)
    except Stopped:
        pass
    return sorted(found, key=lambda c: c.severity != "error")


def _run_checks(ix: Index, found: list[DataConflict], stop: Callable[[], bool]) -> None:
    def add(conflicts: Iterable[DataConflict]) -> None:
        found.extend(conflicts)
        if stop():
            raise Stopped

    add(capability_short(ix))
    add(min_nations_short(ix))
    add(no_site_available(ix))
    add(personnel_over_limits(ix))
    add(pin_conflicts(ix))
    add(after_impossible(ix))
    erring = {c.exercises[0] for c in found if c.severity == "error"}
    add(no_common_start(ix, erring))
    blocked = {c.exercises[0] for c in found if c.severity == "error"}
    add(nation_cannot_fund(ix))
    add(blocked_by_predecessors(ix, blocked))
    add(mandatory_impossible(ix, found))
    add(unit_never_available(ix))
    add(overlapping_windows(ix))
    add(duplicate_exercises(ix))
