"""The application layer: the use cases of LegTimer over one history, without Qt.

`Training` stands between the store and its users (the command line now; the GUI's session
controller too): it opens the history, records sessions, answers where a program stands and
records the runner's choices, reads and writes templates, and exports, backs up and restores.
`NoHistory` serves a run without a history file with the same methods, so its users never
check for a missing database. The rules they apply live in `legtimer.plans.rules`.
"""

from typing import TYPE_CHECKING

from legtimer.lazy import lazy_modules
from legtimer.store.db import Database, StoreError, utc_now
from legtimer.store.settings import (
    BACKENDS,
    FONT_SCALES,
    SESSIONS_PER_WEEK,
    Settings,
    SettingsStore,
)

# The rest loads on first use: the settings are read before the first paint, the templates,
# the programs and the history just after it (legtimer.app).
if TYPE_CHECKING:
    from legtimer.services.records import (
        RestoreResult,
        SessionDetail,
        SessionFilter,
        SessionRow,
        WeekTotal,
        clean,
        device_lines,
        interval_dicts,
        session_dict,
        write_sessions_csv,
    )
    from legtimer.services.training import (
        HistoryOff,
        NoHistory,
        ProgramAction,
        Training,
    )
    from legtimer.store.history import SessionStart
    from legtimer.store.templates import TemplateExists

__all__ = [
    "BACKENDS",
    "FONT_SCALES",
    "SESSIONS_PER_WEEK",
    "Database",
    "HistoryOff",
    "NoHistory",
    "ProgramAction",
    "RestoreResult",
    "SessionDetail",
    "SessionFilter",
    "SessionRow",
    "SessionStart",
    "Settings",
    "SettingsStore",
    "StoreError",
    "TemplateExists",
    "Training",
    "WeekTotal",
    "clean",
    "device_lines",
    "interval_dicts",
    "session_dict",
    "utc_now",
    "write_sessions_csv",
]

__getattr__ = lazy_modules(
    globals(),
    {
        "legtimer.services.training": ["HistoryOff", "NoHistory", "ProgramAction", "Training"],
        "legtimer.store.history": ["SessionStart"],
        "legtimer.store.templates": ["TemplateExists"],
        "legtimer.services.records": [
            "RestoreResult",
            "SessionDetail",
            "SessionFilter",
            "SessionRow",
            "WeekTotal",
            "clean",
            "device_lines",
            "interval_dicts",
            "session_dict",
            "write_sessions_csv",
        ],
    },
)
