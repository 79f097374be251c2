"""Week progression through a program, as pure functions over recorded history.

The current week is never stored as a counter: it is replayed from the sessions of the program
and the runner's explicit choices (repeat a week, jump to a week, restart), so it can never
disagree with what the history says happened.

Rules:
- a session counts when every planned work interval was completed; stopped and interrupted
  sessions are kept in the history but do not count;
- after `sessions_per_week` counted sessions the next week opens; after the last week the
  program is complete (the runner may restart it or stay on the last week);
- after 14 or more days without a counted session, stepping back one week is proposed, never
  imposed;
- a session less than 48 hours after the previous counted one is allowed, and flagged as a
  short recovery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from legtimer.plans.rules import counts_for_program

STEP_BACK_AFTER = timedelta(days=14)
SHORT_RECOVERY = timedelta(hours=48)


class ChoiceKind(StrEnum):
    REPEAT_WEEK = "repeat_week"
    SET_WEEK = "set_week"
    RESTART = "restart"


@dataclass(frozen=True, slots=True)
class SessionMark:
    """What progression needs of one recorded session of the program."""

    started_at: datetime
    counted: bool


@dataclass(frozen=True, slots=True)
class ProgramChoice:
    at: datetime
    kind: ChoiceKind
    #: The week the choice puts the runner on (1-based).
    week: int


@dataclass(frozen=True, slots=True)
class ProgramStatus:
    #: The week the next session belongs to (the last week once the program is complete).
    week: int
    weeks: int
    sessions_per_week: int
    done_this_week: int
    complete: bool
    last_counted_at: datetime | None
    days_since_last: float | None
    #: Proposed after a long gap: the week to step back to, or None.
    step_back_to: int | None
    #: A session now would come less than 48 h after the last hard session (of any kind).
    short_recovery: bool

    @property
    def advice(self) -> list[str]:
        out = []
        if self.complete:
            out.append(
                f"Program complete: all {self.weeks} weeks done. Restart from week 1, or keep "
                f"running week {self.weeks}."
            )
        if self.step_back_to is not None and self.days_since_last is not None:
            out.append(
                f"{int(self.days_since_last)} days since your last counted session: "
                f"consider stepping back to week {self.step_back_to}."
            )
        if self.short_recovery:
            out.append("Less than 48 hours since your last hard session: a short recovery.")
        return out


def session_counts(work_completed: Iterable[bool]) -> bool:
    """A session counts when it planned work and completed every planned work interval
    (`legtimer.plans.rules.counts_for_program`, over each work interval's outcome)."""
    flags = list(work_completed)
    return counts_for_program(len(flags), sum(flags))


def is_short_recovery(previous_hard: datetime | None, started: datetime) -> bool:
    """Whether `started` comes less than 48 hours after the last hard session."""
    return previous_hard is not None and started - previous_hard < SHORT_RECOVERY


def program_status(
    weeks: int,
    sessions_per_week: int,
    sessions: Iterable[SessionMark],
    choices: Iterable[ProgramChoice],
    now: datetime,
) -> ProgramStatus:
    if weeks < 1:
        raise ValueError("a program has at least one week")
    if sessions_per_week < 1:
        raise ValueError("a program needs at least one session per week")
    # The choices in the order they were made: the last one made stands, whatever its clock
    # said (a week chosen while the clock was a year ahead must not outrank later choices).
    choices = list(choices)
    last_choice = choices[-1] if choices else None
    counted_after = 0
    last_counted: datetime | None = None
    for mark in sessions:
        if not mark.counted:
            continue
        if last_counted is None or mark.started_at > last_counted:
            last_counted = mark.started_at
        # A session at the very moment of a choice came before it (the choice was made after).
        if last_choice is None or mark.started_at > last_choice.at:
            counted_after += 1
    start_week = min(max(last_choice.week, 1), weeks) if last_choice else 1
    return status_from_counts(
        weeks, sessions_per_week, start_week, counted_after, last_counted, now
    )


def status_from_counts(
    weeks: int,
    sessions_per_week: int,
    start_week: int,
    counted: int,
    last_counted: datetime | None,
    now: datetime,
    *,
    last_hard: datetime | None = None,
) -> ProgramStatus:
    """The status after `counted` counted sessions since the runner was put on `start_week`
    (by the last choice, or week 1). The store computes these three numbers with one indexed
    query, so the status of a long history costs the same as a short one. `last_hard` is the
    last hard session of any kind (the program's last counted one when not given)."""
    if weeks < 1:
        raise ValueError("a program has at least one week")
    if sessions_per_week < 1:
        raise ValueError("a program needs at least one session per week")
    to_complete = (weeks - start_week + 1) * sessions_per_week
    if counted < to_complete:
        week, done, complete = (
            start_week + counted // sessions_per_week,
            counted % sessions_per_week,
            False,
        )
    else:
        # Staying on after completion: each further set of sessions is the last week again.
        extra = (counted - to_complete) % sessions_per_week
        week, done, complete = weeks, extra, extra == 0
    days = None if last_counted is None else (now - last_counted).total_seconds() / 86400
    step_back = None
    if last_counted is not None and now - last_counted >= STEP_BACK_AFTER and week > 1:
        step_back = week - 1
    return ProgramStatus(
        week=week,
        weeks=weeks,
        sessions_per_week=sessions_per_week,
        done_this_week=done,
        complete=complete,
        last_counted_at=last_counted,
        days_since_last=days,
        step_back_to=step_back,
        short_recovery=is_short_recovery(last_hard or last_counted, now),
    )


def repeat_week_choice(status: ProgramStatus, now: datetime) -> ProgramChoice:
    """'Repeat the week': the current week if it has begun, else the week just finished."""
    if status.complete:
        week = status.weeks
    elif status.done_this_week == 0 and status.week > 1:
        week = status.week - 1
    else:
        week = status.week
    return ProgramChoice(now, ChoiceKind.REPEAT_WEEK, week)


def set_week_choice(status: ProgramStatus, week: int, now: datetime) -> ProgramChoice:
    if not 1 <= week <= status.weeks:
        raise ValueError(f"week must be 1 to {status.weeks}, not {week}")
    return ProgramChoice(now, ChoiceKind.SET_WEEK, week)


def restart_choice(now: datetime) -> ProgramChoice:
    return ProgramChoice(now, ChoiceKind.RESTART, 1)


def describe_transition(
    before: ProgramStatus, after: ProgramStatus, work_name: str, work_for_week: dict[int, int]
) -> str:
    """What the program does next, for the end-of-session summary:
    "Week 2 done - week 3 opens: 10 sprints"."""
    noun = work_name.lower() + ("s" if not work_name.lower().endswith("s") else "")
    if after.complete and not before.complete:
        return f"Week {before.week} done - the program is complete"
    if after.week != before.week and not after.complete:
        n = work_for_week.get(after.week)
        tail = f": {n} {noun}" if n is not None else ""
        return f"Week {before.week} done - week {after.week} opens{tail}"
    if after.done_this_week > before.done_this_week:
        left = after.sessions_per_week - after.done_this_week
        return (
            f"Week {after.week}: {after.done_this_week} of {after.sessions_per_week} "
            f"sessions done, {left} to go"
        )
    if after.complete:
        return f"Program complete - staying on week {after.weeks}"
    return f"This session did not count - week {after.week} stays open"
