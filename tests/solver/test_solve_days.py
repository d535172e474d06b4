"""Sets of days as runs and as bit masks agree (the candidates use both)."""

from __future__ import annotations

import datetime as dt
import random

from solver.model import days as d


def _runs(rnd: random.Random, most: int = 5) -> d.Runs:
    spans = []
    for _ in range(rnd.randint(0, most)):
        a = rnd.randint(0, 60)
        spans.append((a, a + rnd.randint(0, 10)))
    return d.normalise(spans)


def test_masks_and_runs_agree() -> None:
    rnd = random.Random(3)
    for _ in range(500):
        runs = _runs(rnd)
        assert d.runs_of(d.mask(runs)) == runs
        duration = rnd.randint(1, 8)
        assert d.runs_of(d.starts_mask(d.mask(runs), duration)) == d.starts_for(runs, duration)
        many = [_runs(rnd, 3) for _ in range(rnd.randint(0, 5))]
        count = rnd.randint(1, 3)
        expected = d.coverage_at_least(many, count)
        assert d.runs_of(d.at_least_mask([d.mask(x) for x in many], count)) == expected


def test_starts_for_a_duration() -> None:
    assert d.starts_for([(0, 9), (15, 16)], 3) == [(0, 7)]
    assert d.runs_of(d.starts_mask(d.mask([(0, 9), (15, 16)]), 3)) == [(0, 7)]
    assert d.subtract([(0, 10)], [(3, 4), (8, 20)]) == [(0, 2), (5, 7)]
    assert d.intersect([(0, 3), (6, 9)], [(2, 7)]) == [(2, 3), (6, 7)]


def test_month_runs_are_the_days_of_those_months() -> None:
    first, last = dt.date(1996, 1, 15), dt.date(1997, 3, 10)
    assert d.month_runs(first, last, [2]) == [(17, 45), (383, 410)]  # 1996 is a leap year
    assert d.month_runs(first, last, [1, 3]) == [(0, 16), (46, 76), (352, 382), (411, 420)]
    assert d.month_runs(first, last, []) == []
    # day by day, the same days
    rnd = random.Random(5)
    for _ in range(20):
        months = rnd.sample(range(1, 13), rnd.randint(1, 4))
        days = [
            k
            for k in range(d.day_index(first, last) + 1)
            if (first + dt.timedelta(days=k)).month in months
        ]
        assert list(d.values(d.month_runs(first, last, months))) == days
