"""The application layer: the history's use cases, and a run without a history that answers
the same questions without a database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from legtimer.engine import FakeClock, Session
from legtimer.services import HistoryOff, NoHistory, ProgramAction, Training

NOW = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def training(tmp_path: Path) -> Iterator[Training]:
    t = Training.open(tmp_path / "home", now=lambda: NOW)
    yield t
    t.close()


def record(training: Training, name: str) -> None:
    template = training.find_template(name)
    clock = FakeClock()
    session = Session(template.expand(1 if template.is_program else None), clock, stall_grace=None)
    week = 1 if template.is_program else None
    handle = training.begin_session(template, week, session.records(), NOW)
    assert handle is not None
    session.start()
    clock.advance(session.total_planned)
    for e in session.poll()[1]:
        if e.record is not None:
            training.record_interval(handle, e.record)
    training.finish_session(handle, "completed", session.records(), NOW)


def test_a_session_recorded_moves_the_program_and_choices_move_it_back(
    training: Training,
) -> None:
    sprint = training.program()
    assert sprint.name == "Sprint 15/45"
    record(training, sprint.name)
    assert training.program_status(sprint).week == 2
    training.choose(sprint, ProgramAction.REPEAT_WEEK)
    assert training.program_status(sprint).week == 1
    training.choose(sprint, ProgramAction.SET_WEEK, 3)
    assert training.program_status(sprint).week == 3
    with pytest.raises(ValueError, match="week"):
        training.choose(sprint, ProgramAction.SET_WEEK, 9)
    with pytest.raises(ValueError, match="not a program"):
        training.program("HIIT 30/30")
    with pytest.raises(LookupError):
        training.program("No such thing")


def test_history_exports_and_feedback(training: Training, tmp_path: Path) -> None:
    assert not training.has_sessions()
    record(training, "HIIT 30/30")
    [detail] = training.history(newest=5)
    training.save_feedback(detail.session.uuid, 7, "hard")
    [detail] = training.history()
    assert (detail.session.rpe, detail.session.notes) == (7, "hard")
    written, count = training.export("ics", tmp_path / "h.ics")
    assert count == 1 and written == [tmp_path / "h.ics"]


def test_a_run_without_history_answers_and_keeps_nothing(tmp_path: Path) -> None:
    none = NoHistory("the data folder cannot be written")
    sprint = none.program()
    status = none.program_status(sprint)
    assert (status.week, status.done_this_week) == (1, 0)
    assert none.begin_session(sprint, 1, ()) is None
    assert none.history() == [] and not none.has_sessions()
    assert [t.name for t in none.templates()][:1] == ["Sprint 15/45"]
    with pytest.raises(HistoryOff, match="the data folder cannot be written"):
        none.save_template(replace(sprint, name="Mine", builtin=False))
    with pytest.raises(HistoryOff):
        none.choose(sprint, ProgramAction.RESTART)
    none.choose(sprint, ProgramAction.STATUS)  # asking is fine
    with pytest.raises(HistoryOff):
        none.export("csv", tmp_path / "x.csv")


def test_templates_are_kept_renamed_and_deleted(training: Training) -> None:
    sprint = training.program()
    assert training.has_history
    training.save_template(replace(sprint, name="Mine", builtin=False))
    renamed = training.rename_template("Mine", "Ours")
    assert renamed.name == "Ours" and training.find_template("Ours") is not None
    assert training.delete_template("Ours") == renamed
    with pytest.raises(LookupError):
        training.find_template("Ours")
    none = NoHistory()
    assert not none.has_history
    with pytest.raises(HistoryOff):
        none.rename_template("Mine", "Ours")
