"""What the history's readers and writers hand around: session details, export helpers, a
restore's result. Loaded on first use (the window's first paint needs none of it)."""

from legtimer.store.exports import RestoreResult, interval_dicts, session_dict, write_sessions_csv
from legtimer.store.queries import SessionDetail, SessionFilter, SessionRow, WeekTotal

__all__ = [
    "RestoreResult",
    "SessionDetail",
    "SessionFilter",
    "SessionRow",
    "WeekTotal",
    "interval_dicts",
    "session_dict",
    "write_sessions_csv",
]
