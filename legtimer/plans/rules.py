"""The rules of sessions, written once: how a session ends up, what counts for a program, what
is a hard session. The store, the summary, the history's views and the exports all ask here.
"""

from __future__ import annotations

#: Every status a session row can hold, in the order a runner reads them.
SESSION_STATUSES = ("running", "completed", "partial", "skipped", "stopped", "interrupted")
#: How a session can end.
FINAL_STATUSES = SESSION_STATUSES[1:]

#: SQL over `sessions`: the sessions that count for their program (the partial index
#: sessions_counted has the same predicate, so these look-ups read only the index).
COUNTS_SQL = "counted = 1 AND deleted_at IS NULL"
#: SQL over `sessions`: the sessions in which something was done (not deleted, not skipped
#: through): what the weekly balance and the calendar show.
DONE_SQL = "deleted_at IS NULL AND status != 'skipped'"
#: SQL over `sessions`: the hard sessions, after which the body needs about 48 hours.
HARD_SQL = "work_done > 0 AND deleted_at IS NULL"


def finished_status(work_planned: int, work_done: int) -> str:
    """The status of a session that reached its end (through its boundaries or skips).

    "completed" only when every planned work interval was done; "partial" when some were;
    "skipped" when the runner skipped through all of it. A session without work intervals
    (a plain run) is completed by reaching its end."""
    if work_planned <= 0 or work_done >= work_planned:
        return "completed"
    return "partial" if work_done > 0 else "skipped"


def counts_for_program(work_planned: int, work_done: int) -> bool:
    """A session counts for its program when it planned work and every work interval was done,
    however it ended (stopped in the cool-down after the last sprint still counts)."""
    return work_planned > 0 and work_done >= work_planned


def is_hard(work_done: int) -> bool:
    """A hard session: at least one work interval done (sprints, HIIT, hills, any program)."""
    return work_done > 0
