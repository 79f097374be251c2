"""Values read back from the database, trusted only as far as the backup format allows.

The app writes nothing outside those limits, but the file is the runner's: another program, a
hand edit or a damaged page may put anything a column can hold there. Start-up, the views and
the exports read through these, so a row with 1e300 seconds or a start in year 9999 shows as
something sane instead of stopping the app (the same limits as resources/backup.schema.json).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from legtimer.plans.model import MAX_SECONDS

#: The limits of the backup format (an interval: as long as a template allows).
MAX_INTERVAL_SECONDS = float(MAX_SECONDS)
MAX_SESSION_SECONDS = 30 * 86_400.0
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
#: Far enough ahead for any real session, near enough that adding a session's length to it
#: cannot leave the calendar.
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def seconds(value: object, limit: float = MAX_SESSION_SECONDS) -> float:
    """A duration in 0..limit (0 for what is not a finite number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    number = float(value)
    if not math.isfinite(number):
        return limit if number > 0 else 0.0
    return min(max(number, 0.0), limit)


def moment(value: object) -> datetime:
    """A stored date and time, between 2000 and 2100 (2000-01-01 for what does not parse)."""
    if not isinstance(value, str):
        return EARLIEST
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return EARLIEST
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return min(max(parsed, EARLIEST), LATEST)


def later(start: datetime, duration: object) -> datetime:
    """`start` plus a stored duration, never past the calendar's end."""
    try:
        return start + timedelta(seconds=seconds(duration))
    except OverflowError:
        return start


def number(value: object, low: float, high: float) -> float | None:
    """A finite number brought within low..high, or None (for text, NaN, infinity)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return min(max(float(value), low), high)


def whole(value: object, low: int, high: int) -> int | None:
    """A whole number within low..high, or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None
