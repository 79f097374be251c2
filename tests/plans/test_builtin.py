"""The built-ins carry DOMAIN.md's numbers exactly."""

from __future__ import annotations

import pytest

from legtimer.engine import IntervalKind
from legtimer.plans import builtins, find_builtin


@pytest.mark.parametrize(("week", "sprints"), [(1, 6), (2, 8), (3, 10), (4, 12)])
def test_sprint_program_table(week: int, sprints: int) -> None:
    t = find_builtin("Sprint 15/45")
    assert t is not None and t.is_program and t.weeks == 4
    plan = t.expand(week)
    assert plan[0].kind is IntervalKind.WARMUP and plan[0].seconds == 300
    assert plan[-1].kind is IntervalKind.COOLDOWN and plan[-1].seconds == 300
    middle = plan[1:-1]
    assert [i.kind for i in middle] == [IntervalKind.WORK, IntervalKind.REST] * sprints
    assert {i.seconds for i in middle if i.kind is IntervalKind.WORK} == {15}
    assert {i.seconds for i in middle if i.kind is IntervalKind.REST} == {45}
    # One repetition is a 60 s cycle: week 1 is 6 minutes of cycles, week 4 is 12.
    assert sum(i.seconds for i in middle) == sprints * 60
    assert middle[4].label == f"Sprint 3 of {sprints}"
    assert t.total_seconds(week) == 600 + sprints * 60


def test_other_builtins() -> None:
    names = {t.name: t for t in builtins()}
    assert set(names) == {"Sprint 15/45", "HIIT 30/30", "Tabata 20/10", "Hill repeats"}
    hiit = names["HIIT 30/30"].expand()
    work = [i for i in hiit if i.kind is IntervalKind.WORK]
    assert len(work) == 10 and {i.seconds for i in work} == {30}
    tabata = names["Tabata 20/10"].expand()
    rounds = [i for i in tabata if i.kind is IntervalKind.WORK]
    assert len(rounds) == 8 and {i.seconds for i in rounds} == {20}
    assert {i.seconds for i in tabata if i.kind is IntervalKind.REST} == {10}
    for t in (names["HIIT 30/30"], names["Tabata 20/10"], names["Hill repeats"]):
        plan = t.expand()
        assert plan[0].kind is IntervalKind.WARMUP and plan[-1].kind is IntervalKind.COOLDOWN
    hill = names["Hill repeats"].expand()
    assert all(i.speed_kmh is not None and i.incline_pct is not None for i in hill)
    uphill = [i for i in hill if i.kind is IntervalKind.WORK]
    assert len(uphill) == 6 and all(i.incline_pct == 6 for i in uphill)
    assert all(t.builtin for t in builtins())
