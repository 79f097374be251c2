"""The application layer: the use cases of LegTimer over one history, without Qt.

`Training` stands between the store and its users (the command line now; the GUI's session
controller too): it opens the history, records sessions, answers where a program stands and
records the runner's choices, reads and writes templates, and exports, backs up and restores.
`NoHistory` serves a run without a history file with the same methods, so its users never
check for a missing database. The rules they apply live in `legtimer.plans.rules`.
"""

from legtimer.services.training import (
    HistoryOff,
    NoHistory,
    ProgramAction,
    Training,
)
from legtimer.store.db import Database, StoreError, utc_now
from legtimer.store.exports import RestoreResult, interval_dicts, session_dict, write_sessions_csv
from legtimer.store.history import SessionStart
from legtimer.store.queries import SessionDetail
from legtimer.store.templates import TemplateExists

__all__ = [
    "Database",
    "HistoryOff",
    "NoHistory",
    "ProgramAction",
    "RestoreResult",
    "SessionDetail",
    "SessionStart",
    "StoreError",
    "TemplateExists",
    "Training",
    "interval_dicts",
    "session_dict",
    "utc_now",
    "write_sessions_csv",
]
