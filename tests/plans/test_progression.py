from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legtimer.plans.progression import (
    ChoiceKind,
    ProgramChoice,
    ProgramStatus,
    SessionMark,
    describe_transition,
    is_short_recovery,
    program_status,
    repeat_week_choice,
    restart_choice,
    session_counts,
    set_week_choice,
)

T0 = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def done(*days: float, counted: bool = True) -> list[SessionMark]:
    return [SessionMark(day(d), counted) for d in days]


def status(
    sessions: list[SessionMark],
    choices: list[ProgramChoice] | None = None,
    now: float = 30,
    spw: int = 1,
) -> ProgramStatus:
    return program_status(4, spw, sessions, choices or [], day(now))


def test_session_counts_only_when_all_work_completed() -> None:
    assert session_counts([True, True])
    assert not session_counts([True, False])
    assert not session_counts([])


def test_fresh_program_starts_at_week_1() -> None:
    s = status([], now=0)
    assert (s.week, s.done_this_week, s.complete) == (1, 0, False)
    assert s.advice == [] and s.last_counted_at is None


def test_each_counted_session_opens_the_next_week() -> None:
    assert status(done(0)).week == 2
    assert status(done(0, 3)).week == 3
    assert status(done(0, 3, 6)).week == 4
    s = status(done(0, 3, 6, 9), now=10)
    assert s.complete and s.week == 4
    assert "Program complete" in s.advice[0]


def test_stopped_or_interrupted_sessions_do_not_count() -> None:
    s = status(done(0) + done(3, counted=False))
    assert s.week == 2 and s.last_counted_at == day(0)


def test_sessions_per_week() -> None:
    s = status(done(0, 2), spw=3)
    assert (s.week, s.done_this_week) == (1, 2)
    s = status(done(0, 2, 4), spw=3)
    assert (s.week, s.done_this_week) == (2, 0)


def test_choices_repeat_set_restart() -> None:
    before = status(done(0, 3), now=4)
    assert before.week == 3
    rep = repeat_week_choice(before, day(4))
    assert rep.kind is ChoiceKind.REPEAT_WEEK and rep.week == 2  # the week just finished
    assert status(done(0, 3), [rep], now=5).week == 2
    after_rep = status(done(0, 3, 6), [rep], now=7)
    assert after_rep.week == 3
    jump = set_week_choice(before, 4, day(4))
    assert status(done(0, 3), [jump], now=5).week == 4
    with pytest.raises(ValueError, match="week must be 1 to 4, not 5"):
        set_week_choice(before, 5, day(4))
    restarted = status(done(0, 3, 6, 9), [restart_choice(day(10))], now=11)
    assert restarted.week == 1 and not restarted.complete


def test_repeat_week_mid_week_repeats_current() -> None:
    s = status(done(0), now=1, spw=2)
    assert s.done_this_week == 1
    assert repeat_week_choice(s, day(1)).week == 1


def test_complete_then_stay_on_last_week() -> None:
    s = status(done(0, 3, 6, 9, 12), now=13)
    assert s.complete and s.week == 4


def test_step_back_proposed_after_14_days() -> None:
    assert status(done(0, 3), now=3 + 13.9).step_back_to is None
    s = status(done(0, 3), now=3 + 14)
    assert s.week == 3 and s.step_back_to == 2
    assert "14 days since your last counted session" in s.advice[0]
    # Proposed, not imposed: the week stays until the runner chooses.
    assert s.week == 3
    assert status(done(0), now=20).step_back_to == 1
    assert status([], now=100).step_back_to is None


def test_short_recovery_flag() -> None:
    assert status(done(0), now=1.9).short_recovery
    assert not status(done(0), now=2.0).short_recovery
    assert is_short_recovery(day(0), day(1))
    assert not is_short_recovery(None, day(1))


def test_describe_transition() -> None:
    work = {1: 6, 2: 8, 3: 10, 4: 12}
    b, a = status(done(0), now=1), status(done(0, 1.5), now=2)
    assert describe_transition(b, a, "Sprint", work) == "Week 2 done - week 3 opens: 10 sprints"
    b, a = status(done(0, 1, 2), now=3), status(done(0, 1, 2, 3), now=4)
    assert describe_transition(b, a, "Sprint", work) == "Week 4 done - the program is complete"
    b = status(done(0), now=1)
    assert describe_transition(b, b, "Sprint", work) == (
        "This session did not count - week 2 stays open"
    )


def replay(
    weeks: int, spw: int, sessions: list[SessionMark], choices: list[ProgramChoice]
) -> tuple[int, int, bool]:
    """The rules applied one event at a time: the oracle for the closed form."""
    timeline = sorted(
        [(s.started_at, 0, s) for s in sessions] + [(c.at, 1, c) for c in choices],
        key=lambda item: (item[0], item[1]),
    )
    week, done = 1, 0
    for _, _, item in timeline:
        if isinstance(item, ProgramChoice):
            week, done = min(max(item.week, 1), weeks), 0
        elif item.counted:
            week = min(week, weeks)
            done += 1
            if done >= spw:
                week, done = week + 1, 0
    return min(week, weeks), (0 if week > weeks else done), week > weeks


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 3),
    st.lists(st.tuples(st.integers(0, 60), st.booleans()), max_size=30),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 6)), max_size=4),
)
def test_closed_form_matches_replay(
    weeks: int,
    spw: int,
    raw_sessions: list[tuple[int, bool]],
    raw_choices: list[tuple[int, int]],
) -> None:
    sessions = [SessionMark(day(d), c) for d, c in raw_sessions]
    # Made one after another, as a correct clock orders them.
    choices = [
        ProgramChoice(day(d + 0.5), ChoiceKind.SET_WEEK, min(w, weeks))
        for d, w in sorted(raw_choices)
    ]
    s = program_status(weeks, spw, sessions, choices, day(70))
    assert (s.week, s.done_this_week, s.complete) == replay(weeks, spw, sessions, choices)


def test_the_last_choice_made_stands_whatever_its_clock_said() -> None:
    """A week chosen while the clock ran a year ahead, then week 1 chosen with the clock put
    right: week 1 it is, and the sessions since count."""
    wrong_clock = ProgramChoice(day(400), ChoiceKind.SET_WEEK, 3)
    put_right = ProgramChoice(day(10), ChoiceKind.SET_WEEK, 1)
    sessions = [SessionMark(day(11), True)]
    s = program_status(4, 1, sessions, [wrong_clock, put_right], day(12))
    assert (s.week, s.done_this_week) == (2, 0)
