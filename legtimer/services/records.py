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


def device_lines(detail: SessionDetail, *, mph: bool = False) -> list[str]:
    """What a treadmill and a heart-rate strap recorded in the session, in a few lines (none
    for a session without them)."""
    from legtimer.devices.recorder import IntervalMeasures, summary_lines
    from legtimer.engine import IntervalKind

    measures = [
        IntervalMeasures(
            m.position, m.belt_kmh, m.distance_m, m.incline_pct, m.hr_mean, m.hr_max, m.hr_drop
        )
        for m in detail.measures
    ]
    kinds = []
    for i in detail.intervals:
        try:
            kinds.append(IntervalKind(i.kind))
        except ValueError:  # a kind written by hand into the file
            kinds.append(IntervalKind.REST)
    return summary_lines(measures, kinds, mph=mph)
