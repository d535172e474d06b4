"""Each group of constraints of a core, in plain words naming units, nations, sites, dates."""

from __future__ import annotations

import datetime as dt

from solver.explain import words as w
from solver.explain.probe import Group, Held, Probe, _holes, _runs
from solver.explain.types import Cause
from solver.model import days as d
from solver.model.candidates import site_days
from solver.scenario import Scenario


def _date(probe: Probe, day: int) -> dt.date:
    return probe.h0 + dt.timedelta(days=day)


def _available(probe: Probe, runs: d.Runs) -> str:
    if not runs:
        return "is not available on any day"
    parts = [w.span(_date(probe, a), _date(probe, b)) for a, b in runs[:3]]
    more = " and more" if len(runs) > 3 else ""
    return "is available only " + ", ".join(parts) + more


def _held(probe: Probe, ref: str) -> Held:
    return next(p for p in probe.held if p.exercise == ref)


def describe(probe: Probe, group: Group, names: w.Names) -> Cause:
    """A cause in plain words for one group of a core."""
    s = probe.scenario
    e = probe.exercise
    kind, ref = group.kind, group.ref
    if kind == "unit_availability":
        unit = probe.units_by_id[ref]
        runs = d.subtract(_runs(s, unit.availability), _holes(s, unit.blackouts))
        return Cause(
            kind=kind,
            message=f"{names.unit(ref)} {_available(probe, runs)}",
            unit=ref,
            nation=unit.nation,
        )
    if kind == "nation_availability":
        nation = next(n for n in s.nations if n.code == ref)
        runs = d.subtract(_runs(s, nation.availability), _holes(s, nation.blackouts))
        text = _available(probe, runs).replace("is ", "are ", 1)
        return Cause(kind=kind, message=f"{names.nation(ref)}'s units {text}", nation=ref)
    if kind == "placement":
        p = _held(probe, ref)
        when = w.span(_date(probe, p.first), _date(probe, p.last))
        mine = [u for u in p.units if u in probe.assign]
        parts = []
        if mine:
            verb = "is" if len(mine) == 1 else "are"
            parts.append(
                f"{w.listing([names.unit(u) for u in mine])} {verb} in {names.exercise(ref)} {when}"
            )
        if p.site in probe.sites:
            parts.append(f"{names.exercise(ref)} holds {names.site(p.site)} {when}")
        if not parts:
            nations = sorted(
                {probe.units_by_id[u].nation for u in p.units if u in probe.units_by_id}
            )
            shared = [names.nation(c) for c in nations if c in probe.takes_part]
            parts.append(
                f"{names.exercise(ref)} ({when}) counts towards the limits of "
                f"{w.listing(shared) or 'its nations'}"
            )
        return Cause(kind=kind, message="; ".join(parts), exercise=ref, site=p.site)
    if kind == "nation_max_exercises":
        nation = next(n for n in s.nations if n.code == ref)
        joined = [
            names.exercise(p.exercise)
            for p in probe.held
            if any(probe.units_by_id[u].nation == ref for u in p.units if u in probe.units_by_id)
        ]
        return Cause(
            kind=kind,
            message=f"{names.nation(ref)} takes part in at most "
            f"{w.plural(nation.max_exercises or 0, 'exercise')}"
            + (f" and is already in {w.listing(joined)}" if joined else ""),
            nation=ref,
        )
    if kind == "nation_budget":
        nation = next(n for n in s.nations if n.code == ref)
        return Cause(
            kind=kind,
            message=f"{names.nation(ref)} funds at most {nation.budget_person_days} person-days",
            nation=ref,
        )
    if kind == "unit_max_exercises":
        unit = probe.units_by_id[ref]
        return Cause(
            kind=kind,
            message=f"{names.unit(ref)} takes part in at most "
            f"{w.plural(unit.max_exercises or 0, 'exercise')}",
            unit=ref,
            nation=unit.nation,
        )
    if kind == "site_availability":
        site = next(x for x in s.sites if x.id == ref)
        return Cause(
            kind=kind,
            message=f"{names.site(ref)} {_available(probe, site_days(s, site))}",
            site=ref,
        )
    if kind == "site_concurrent":
        site = next(x for x in s.sites if x.id == ref)
        return Cause(
            kind=kind,
            message=f"{names.site(ref)} hosts at most "
            f"{w.plural(site.concurrent, 'exercise')} at once",
            site=ref,
        )
    if kind == "site_capacity":
        site = next(x for x in s.sites if x.id == ref)
        return Cause(
            kind=kind,
            message=f"{names.site(ref)} holds at most {site.capacity_personnel} personnel",
            site=ref,
        )
    if kind == "eligible_sites":
        listed = [names.site(x.id) for x in s.eligible_sites(e)]
        return Cause(
            kind=kind,
            message=f"only {w.listing(listed) or 'no site'} "
            + ("is" if len(listed) == 1 else "are")
            + " eligible for it",
            exercise=e.id,
        )
    if kind == "window":
        window = s.exercise_window(e)
        return Cause(
            kind=kind,
            message=f"it must start and end {w.span(window.start, window.end, between=True)}",
            exercise=e.id,
        )
    if kind == "min_nations":
        return Cause(
            kind=kind,
            message=f"it needs units from at least {e.min_nations} nations",
            exercise=e.id,
        )
    if kind == "max_personnel":
        return Cause(
            kind=kind, message=f"it takes at most {e.max_personnel} personnel", exercise=e.id
        )
    if kind == "after":
        link = next(a for a in e.after if a.exercise == ref)
        held = [p for p in probe.held if p.exercise == ref]
        if not held:
            message = f"it comes after {names.exercise(ref)}, which is not scheduled"
        else:
            end = _date(probe, held[0].last)
            message = f"it comes after {names.exercise(ref)}, which ends on {w.date(end)}" + (
                f", with {w.plural(link.gap_days, 'day')} between" if link.gap_days else ""
            )
        return Cause(kind=kind, message=message, exercise=ref)
    if kind == "pinned":
        return Cause(kind=kind, message="it is pinned", exercise=e.id)
    return Cause(kind=kind, message=f"{kind} {ref}")


def static_causes(s: Scenario, probe: Probe, names: w.Names) -> list[Cause]:
    """What the data alone rules out, whatever the calendar: too few units declared, no site."""
    e = probe.exercise
    out = []
    for req in e.requirements:
        declared = [u for u in s.units if u.capability == req.capability]
        if len(declared) < req.units:
            if declared:
                listed = []
                for u in declared[:5]:
                    nation = next((n for n in s.nations if n.code == u.nation), None)
                    runs = d.subtract(_runs(s, u.availability), _holes(s, u.blackouts))
                    if nation is not None:
                        runs = d.intersect(
                            runs,
                            d.subtract(_runs(s, nation.availability), _holes(s, nation.blackouts)),
                        )
                    note = (
                        ""
                        if runs == [(0, s.horizon.days - 1)]
                        else ", " + _available(probe, runs).removeprefix("is ")
                    )
                    listed.append(names.unit(u.id) + note)
                have = (
                    f"only {w.count(len(declared), req.capability)} "
                    f"{'is' if len(declared) == 1 else 'are'} declared: " + "; ".join(listed)
                )
            else:
                have = f"no {w.capability(req.capability)} is declared"
            out.append(
                Cause(
                    kind="capability_short",
                    message=have,
                    exercise=e.id,
                )
            )
    if not probe.sites:
        out.append(
            Cause(
                kind="no_site",
                message=f"no site supports {e.type.replace('_', ' ')} exercises",
                exercise=e.id,
            )
        )
    return out


def summary(probe: Probe, causes: list[Cause], names: w.Names) -> str:
    """One paragraph: what the exercise needs, and each cause."""
    s, e = probe.scenario, probe.exercise
    window = s.exercise_window(e)
    needs = w.listing([w.count(r.units, r.capability) for r in e.requirements], limit=10)
    head = (
        f"{e.name} needs {needs} for {w.plural(e.duration_days, 'day')} "
        f"{w.span(window.start, window.end, between=True)}"
    )
    if not causes:
        return head + "."
    return head + "; " + "; ".join(c.message for c in causes) + "."
