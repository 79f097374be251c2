"""What the history's readers and writers hand around: session details, export helpers, a
restore's result. `legtimer.services` hands these names out and loads this module on their
first use (the window's first paint needs none of it)."""

from legtimer.store.exports import RestoreResult as RestoreResult
from legtimer.store.exports import clean as clean
from legtimer.store.exports import interval_dicts as interval_dicts
from legtimer.store.exports import session_dict as session_dict
from legtimer.store.exports import write_sessions_csv as write_sessions_csv
from legtimer.store.queries import SessionDetail as SessionDetail
from legtimer.store.queries import SessionFilter as SessionFilter
from legtimer.store.queries import SessionRow as SessionRow
from legtimer.store.queries import WeekTotal as WeekTotal
