"""Rule 3: one eligible, available site per exercise, within its concurrency and capacity."""

from __future__ import annotations

from solver.model.variables import Variables, domain


def rule_3_one_eligible_available_site(v: Variables) -> None:
    """Hard. A scheduled exercise has exactly one eligible site, available on all its days."""
    c = v.candidates
    for eid, ec in c.exercises.items():
        v.model.add(sum(v.site[eid, sid] for sid in ec.sites) == v.scheduled[eid])
        for sid, starts in ec.sites.items():
            if starts != ec.starts:
                v.model.add_linear_expression_in_domain(
                    v.start[eid], domain(starts)
                ).only_enforce_if(v.site[eid, sid])


def _hosted(v: Variables) -> dict[str, list[tuple[str, object]]]:
    out: dict[str, list[tuple[str, object]]] = {}
    for (eid, sid), interval in v.site_interval.items():
        out.setdefault(sid, []).append((eid, interval))
    return out


def _held(v: Variables, sid: str) -> list[tuple[object, int, int]]:
    """Fixed stretches a site already hosts (exercises kept outside this model, in a
    neighbourhood search): (interval, exercises, personnel)."""
    out = []
    for k, (start, duration, people) in enumerate(v.candidates.fixed_site_load.get(sid, [])):
        interval = v.model.new_fixed_size_interval_var(start, duration, f"held[site={sid}, #{k}]")
        out.append((interval, 1, people))
    return out


def rule_3_site_concurrent(v: Variables) -> None:
    """Hard. On no day does a site host more than `concurrent` exercises."""
    for sid, hosted in _hosted(v).items():
        limit = v.candidates.sites[sid].concurrent
        held = _held(v, sid)
        if len(hosted) + len(held) <= limit:
            continue
        intervals = [interval for _, interval in hosted] + [h[0] for h in held]
        if limit == 1:
            v.model.add_no_overlap(intervals)
        else:
            v.model.add_cumulative(intervals, [1] * len(intervals), limit)


def rule_3_site_capacity_personnel(v: Variables) -> None:
    """Hard. On no day does a site hold more than `capacity_personnel` personnel."""
    c = v.candidates
    for sid, hosted in _hosted(v).items():
        capacity = c.sites[sid].capacity_personnel
        if capacity is None:
            continue
        for eid, _ in hosted:
            v.model.add(v.personnel[eid] <= capacity).only_enforce_if(v.site[eid, sid])
        held = _held(v, sid)
        most = sum(sum(c.units[u].personnel for u in c.exercises[e].units) for e, _ in hosted)
        most += sum(h[2] for h in held)
        if len(hosted) + len(held) > 1 and most > capacity:
            v.model.add_cumulative(
                [interval for _, interval in hosted] + [h[0] for h in held],
                [v.personnel[eid] for eid, _ in hosted] + [h[2] for h in held],
                capacity,
            )
