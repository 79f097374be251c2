"""`Training`: the use cases over one history file, and `NoHistory` for a run without one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from legtimer.plans import Template, builtins, find_template
from legtimer.plans.progression import (
    ProgramStatus,
    repeat_week_choice,
    restart_choice,
    set_week_choice,
    status_from_counts,
)
from legtimer.store.db import Database, StoreError, open_database, utc_now
from legtimer.store.history import HistoryStore, SessionStart
from legtimer.store.settings import SettingsStore
from legtimer.store.templates import TemplateStore

if TYPE_CHECKING:
    from legtimer.devices.recorder import IntervalMeasures, Sample
    from legtimer.engine import IntervalRecord
    from legtimer.plans.progression import ProgramChoice
    from legtimer.store.exports import RestoreResult
    from legtimer.store.queries import (
        HistoryQueries,
        SessionDetail,
        SessionFilter,
        SessionRow,
        WeekTotal,
    )

#: The program the app offers when none is named: the 4-week sprint program.
SPRINT_PROGRAM = "Sprint 15/45"


class HistoryOff(StoreError):
    """What needs the history cannot be done in a run without one."""


class ProgramAction(StrEnum):
    STATUS = "status"
    REPEAT_WEEK = "repeat-week"
    RESTART = "restart"
    SET_WEEK = "set-week"


class Training:
    """The use cases over one history: built once (by the composition root or a command),
    holding the database and one clock."""

    def __init__(self, db: Database, now: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.now = now
        self._history = HistoryStore(db, now=now)
        self._templates = TemplateStore(db, now=now)
        self._read: HistoryQueries | None = None

    @property
    def _queries(self) -> HistoryQueries:
        # The history's readers load on first use: a session's start and end need none.
        if self._read is None:
            from legtimer.store.queries import HistoryQueries

            self._read = HistoryQueries(self.db, now=self.now)
        return self._read

    @classmethod
    def open(cls, data_dir: Path, now: Callable[[], datetime] = utc_now) -> Training:
        """The history in `data_dir` (StoreError, in words a runner can act on, if it cannot
        be opened)."""
        return cls(open_database(data_dir, now=now), now)

    @property
    def notices(self) -> list[str]:
        """What opening the file had to say (an upgrade, a damaged file set aside)."""
        return self.db.notices

    def close(self) -> None:
        self.db.close()

    # -- templates and programs -----------------------------------------------------------------

    def templates(self) -> list[Template]:
        """The built-ins first, then the runner's own."""
        return self._templates.all()

    def find_template(self, name: str) -> Template:
        """The template called `name` (LookupError naming the choices when there is none)."""
        return find_template(self.templates(), name)

    def program(self, name: str | None = None) -> Template:
        """The program called `name`, or the sprint program (LookupError, or ValueError when
        the template named is not a program)."""
        if name is None:
            name = SPRINT_PROGRAM
        template = self.find_template(name)
        if not template.is_program:
            raise ValueError(f"{template.name!r} is not a program (it has no weekly counts)")
        return template

    @property
    def has_history(self) -> bool:
        """Whether this run has a history file (to keep sessions, templates, choices in)."""
        return True

    def settings_store(self) -> SettingsStore | None:
        """Where the runner's settings are kept (None in a run without a history file: they
        then last for the run)."""
        return SettingsStore(self.db)

    def mark_damaged(self, problem: str) -> None:
        """Remember that the file is damaged: the next start sets it aside."""
        from legtimer.store.db import mark_damaged

        mark_damaged(self.db.path, problem)

    def check_file(self) -> str | None:
        """Check every page of the history file (seconds on a large history: call it from a
        worker thread); what is wrong, or None. A damaged file is marked so that the next
        start sets it aside and begins a new one."""
        from legtimer.store.db import mark_damaged, quick_check

        problem = quick_check(self.db.path)
        if problem is not None:
            mark_damaged(self.db.path, problem)
        return problem

    def for_another_thread(self) -> Training:
        """The same history over a connection of its own, for work on a worker thread (SQLite
        connections stay on the thread that made them; WAL lets both go on). Close it after."""
        return Training(self.db.second_connection(), self.now)

    def save_template(self, template: Template, *, replace: bool = False) -> None:
        self._templates.save(template, replace=replace)

    def rename_template(self, old: str, new: str) -> Template:
        """The runner's template `old` under the name `new` (its progress goes with it)."""
        return self._templates.rename(old, new)

    def delete_template(self, name: str) -> Template | None:
        """Remove the runner's template; returns it, for an undo (None if there was none)."""
        return self._templates.delete(name)

    def update_template(self, template: Template, original: str) -> None:
        """The runner's template `original` becomes `template` (name and content at once); a
        program keeps its progress under a new name."""
        self._templates.update(template, original)

    def program_status(self, program: Template, now: datetime | None = None) -> ProgramStatus:
        return self._history.program_status(program, now)

    def choose(self, program: Template, action: ProgramAction, week: int | None = None) -> None:
        """Record the runner's choice for `program` (ValueError for a week it does not have)."""
        if action is ProgramAction.STATUS:
            return
        now = self.now()
        status = self.program_status(program, now)
        if action is ProgramAction.REPEAT_WEEK:
            choice = repeat_week_choice(status, now)
        elif action is ProgramAction.RESTART:
            choice = restart_choice(now)
        else:
            if week is None:
                raise ValueError("which week?")
            choice = set_week_choice(status, week, now)
        self._history.add_choice(program.name, choice)

    # -- sessions -------------------------------------------------------------------------------

    def begin_session(
        self,
        template: Template,
        week: int | None,
        records: Sequence[IntervalRecord],
        started_at: datetime | None = None,
    ) -> SessionStart | None:
        """Write the session's row as it starts (None where there is no history)."""
        return self._history.begin(template, week, records, started_at)

    def record_interval(self, session: SessionStart, record: IntervalRecord) -> None:
        self._history.record_interval(session, record)

    def finish_session(
        self,
        session: SessionStart,
        status: str,
        records: Sequence[IntervalRecord],
        ended_at: datetime | None = None,
        *,
        measures: Sequence[IntervalMeasures] = (),
        samples: Sequence[Sample] = (),
    ) -> None:
        """The session ended; `measures` and `samples` are what the treadmill and the strap
        recorded (none without them)."""
        from legtimer.store.queries import MeasureRow, SampleRow

        self._history.finish(
            session,
            status,
            records,
            ended_at,
            measures=[
                MeasureRow(
                    m.position,
                    m.mean_speed_kmh,
                    m.distance_m,
                    m.mean_incline_pct,
                    m.mean_hr,
                    m.max_hr,
                    m.hr_drop,
                )
                for m in measures
                if not m.empty
            ],
            samples=[
                SampleRow(x.at_s, x.speed_kmh, x.distance_m, x.incline_pct, x.hr) for x in samples
            ],
        )

    def save_feedback(self, uuid: str, rpe: int | None, notes: str) -> None:
        self.set_rpe(uuid, rpe)
        self.set_notes(uuid, notes)

    def close_left_over_sessions(self) -> int:
        """Sessions still "running" while no other process has the file open were cut short
        (a crash, a power cut): close them as "interrupted". How many there were."""
        if self.db.open_elsewhere():
            return 0
        return self._history.close_unfinished()

    def program_choices(self, program: Template) -> list[ProgramChoice]:
        return self._history.program_choices(program.name)

    def record_choice(self, program: Template, choice: ProgramChoice) -> None:
        self._history.add_choice(program.name, choice)

    def program_week_counts(
        self, program: Template, since: datetime | None = None
    ) -> dict[int, int]:
        """Sessions that counted for `program`, per week of the program it was on."""
        return self._queries.program_week_counts(program.name, since)

    def streaks(
        self,
        program: Template,
        target_per_week: int,
        *,
        today: date | None = None,
        utc_offset: timedelta = timedelta(0),
    ) -> tuple[int, int]:
        return self._queries.streaks(
            program.name, target_per_week, today=today, utc_offset=utc_offset
        )

    # -- the log of sessions --------------------------------------------------------------------

    def page(
        self,
        filt: SessionFilter | None = None,
        *,
        offset: int = 0,
        limit: int = 50,
        order: str = "started_at",
        descending: bool = True,
    ) -> list[SessionRow]:
        return self._queries.page(
            filt, offset=offset, limit=limit, order=order, descending=descending
        )

    def count(self, filt: SessionFilter | None = None) -> int:
        return self._queries.count(filt)

    def detail(self, uuid: str) -> SessionDetail | None:
        return self._queries.detail(uuid)

    def template_names(self) -> list[str]:
        return self._queries.template_names()

    def set_rpe(self, uuid: str, rpe: int | None) -> None:
        self._queries.set_rpe(uuid, rpe)

    def set_notes(self, uuid: str, notes: str) -> None:
        self._queries.set_notes(uuid, notes)

    def delete_session(self, uuid: str) -> None:
        """Set a session aside (it can be brought back)."""
        self._queries.delete(uuid)

    def undelete_session(self, uuid: str) -> None:
        self._queries.undelete(uuid)

    def weekly_totals(
        self, since: datetime | None = None, *, utc_offset: timedelta = timedelta(0)
    ) -> list[WeekTotal]:
        return self._queries.weekly_totals(since, utc_offset=utc_offset)

    def daily_totals(
        self, since: datetime | None = None, *, utc_offset: timedelta = timedelta(0)
    ) -> dict[date, tuple[int, float]]:
        return self._queries.daily_totals(since, utc_offset=utc_offset)

    # -- the history and its files --------------------------------------------------------------

    def history(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        newest: int | None = None,
    ) -> list[SessionDetail]:
        """Sessions started in [since, until) with their intervals, oldest first; only the
        `newest` so many if given."""
        return self._queries.all_details(since, until, newest=newest)

    def has_sessions(self) -> bool:
        return bool(self._queries.all_details(newest=1))

    def export(
        self,
        fmt: str,
        path: Path,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> tuple[list[Path], int]:
        """Write the sessions started in [since, until) as `fmt` (csv, json, tcx, ics): the
        files written and how many sessions."""
        from legtimer.store.exports import export_file

        details = self.history(since, until)
        return export_file(fmt, self.db, details, path, self.now), len(details)

    def restore(self, path: Path) -> RestoreResult:
        from legtimer.store.exports import read_backup, restore_backup

        return restore_backup(self.db, read_backup(path, self.now), checked=True)


class NoHistory(Training):
    """A run without a history file: the built-in templates, every program on week 1, and
    nothing written (what needs the history says so)."""

    def __init__(
        self, reason: str = "history is off for this run", now: Callable[[], datetime] = utc_now
    ) -> None:
        self.now = now
        self.reason = reason

    @property
    def notices(self) -> list[str]:
        return []

    def close(self) -> None:
        pass

    def templates(self) -> list[Template]:
        return builtins()

    @property
    def has_history(self) -> bool:
        return False

    def settings_store(self) -> SettingsStore | None:
        return None

    def check_file(self) -> str | None:
        return None

    def mark_damaged(self, problem: str) -> None:
        return None

    def for_another_thread(self) -> Training:
        raise HistoryOff(self.reason)

    def save_template(self, template: Template, *, replace: bool = False) -> None:
        raise HistoryOff(f"templates cannot be stored: {self.reason}")

    def rename_template(self, old: str, new: str) -> Template:
        raise HistoryOff(f"templates cannot be stored: {self.reason}")

    def delete_template(self, name: str) -> Template | None:
        raise HistoryOff(f"templates cannot be stored: {self.reason}")

    def update_template(self, template: Template, original: str) -> None:
        self.save_template(template)

    def program_status(self, program: Template, now: datetime | None = None) -> ProgramStatus:
        return status_from_counts(
            program.weeks, program.sessions_per_week, 1, 0, None, now or self.now()
        )

    def choose(self, program: Template, action: ProgramAction, week: int | None = None) -> None:
        if action is not ProgramAction.STATUS:
            raise HistoryOff(f"the choice cannot be kept: {self.reason}")

    def begin_session(
        self,
        template: Template,
        week: int | None,
        records: Sequence[IntervalRecord],
        started_at: datetime | None = None,
    ) -> SessionStart | None:
        return None

    def record_interval(self, session: SessionStart, record: IntervalRecord) -> None:
        pass

    def finish_session(
        self,
        session: SessionStart,
        status: str,
        records: Sequence[IntervalRecord],
        ended_at: datetime | None = None,
        *,
        measures: Sequence[IntervalMeasures] = (),
        samples: Sequence[Sample] = (),
    ) -> None:
        pass

    def save_feedback(self, uuid: str, rpe: int | None, notes: str) -> None:
        raise HistoryOff(f"the notes cannot be kept: {self.reason}")

    def close_left_over_sessions(self) -> int:
        return 0

    def history(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        *,
        newest: int | None = None,
    ) -> list[SessionDetail]:
        return []

    def has_sessions(self) -> bool:
        return False

    def export(
        self,
        fmt: str,
        path: Path,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> tuple[list[Path], int]:
        raise HistoryOff(f"nothing to export: {self.reason}")

    def restore(self, path: Path) -> RestoreResult:
        raise HistoryOff(f"nothing can be restored: {self.reason}")
