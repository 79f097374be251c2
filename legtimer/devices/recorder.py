"""What the runner really did, interval by interval: belt speed, distance, incline, heart rate.

Readings arrive about once a second, each filed under the interval running when it came. The
distance of an interval is the belt's odometer at its last reading less the odometer at the last
reading before it began, so nothing is lost at a boundary and the intervals add up to the
session. The heart-rate drop of a rest is its peak in the first seconds (the heart keeps
climbing briefly after the work stops) less its last reading: the recovery figure runners track.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from legtimer.engine import IntervalKind

#: The belt's odometer is 24 bits of metres.
_ODOMETER = 1 << 24
#: Where a rest's starting heart rate is looked for.
PEAK_WINDOW_S = 5.0
RESTS = frozenset({IntervalKind.REST, IntervalKind.RECOVER})


@dataclass(frozen=True)
class IntervalMeasures:
    position: int
    mean_speed_kmh: float | None = None
    distance_m: float | None = None
    mean_incline_pct: float | None = None
    mean_hr: float | None = None
    max_hr: int | None = None
    #: For a rest: beats per minute lost from its start to its end.
    hr_drop: int | None = None

    @property
    def empty(self) -> bool:
        return all(
            v is None
            for v in (self.mean_speed_kmh, self.distance_m, self.mean_incline_pct, self.mean_hr)
        )


@dataclass(frozen=True)
class Sample:
    """One moment of the session (for the TCX track): seconds into it, and what was known."""

    at_s: float
    speed_kmh: float | None = None
    distance_m: float | None = None
    incline_pct: float | None = None
    hr: int | None = None


@dataclass
class _Interval:
    kind: IntervalKind
    speeds: list[float] = field(default_factory=list)
    inclines: list[float] = field(default_factory=list)
    hrs: list[tuple[float, int]] = field(default_factory=list)
    first_odometer: float | None = None
    last_odometer: float | None = None


class Recorder:
    def __init__(self) -> None:
        self._intervals: dict[int, _Interval] = {}
        self._odometer: float | None = None  # the belt's distance, unwrapped
        self._raw_odometer: int | None = None
        self.samples: list[Sample] = []
        self._hr: int | None = None
        self._hr_at: float | None = None

    def _interval(self, index: int, kind: IntervalKind) -> _Interval:
        found = self._intervals.get(index)
        if found is None:
            found = self._intervals[index] = _Interval(kind)
            found.first_odometer = self._odometer
        return found

    def belt(
        self,
        index: int,
        kind: IntervalKind,
        at_s: float,
        *,
        speed_kmh: float | None,
        distance_m: int | None,
        incline_pct: float | None,
    ) -> None:
        """A treadmill reading, `at_s` seconds of active time into the session."""
        item = self._interval(index, kind)
        if speed_kmh is not None:
            item.speeds.append(speed_kmh)
        if incline_pct is not None:
            item.inclines.append(incline_pct)
        if distance_m is not None:
            if self._raw_odometer is not None and self._odometer is not None:
                step = (distance_m - self._raw_odometer) % _ODOMETER
                if step > 1000:  # the machine reset its count: carry on from here
                    step = 0
                self._odometer += step
            else:
                self._odometer = 0.0
            self._raw_odometer = distance_m
            if item.first_odometer is None:
                item.first_odometer = self._odometer
            item.last_odometer = self._odometer
        hr = self._hr if self._hr_at is not None and at_s - self._hr_at <= 5 else None
        self.samples.append(Sample(at_s, speed_kmh, self._odometer, incline_pct, hr))

    def heart(self, index: int, kind: IntervalKind, at_s: float, bpm: int) -> None:
        item = self._interval(index, kind)
        item.hrs.append((at_s, bpm))
        self._hr, self._hr_at = bpm, at_s

    def measures(self) -> list[IntervalMeasures]:
        out = []
        for position in sorted(self._intervals):
            item = self._intervals[position]
            distance = None
            if item.last_odometer is not None and item.first_odometer is not None:
                distance = round(item.last_odometer - item.first_odometer, 1)
            mean_hr = max_hr = drop = None
            if item.hrs:
                beats = [b for _, b in item.hrs]
                mean_hr = round(sum(beats) / len(beats), 1)
                max_hr = max(beats)
                if item.kind in RESTS and len(item.hrs) >= 2:
                    start = item.hrs[0][0]
                    peak = max(b for t, b in item.hrs if t - start <= PEAK_WINDOW_S)
                    drop = peak - item.hrs[-1][1]
            out.append(
                IntervalMeasures(
                    position,
                    mean_speed_kmh=_mean(item.speeds),
                    distance_m=distance,
                    mean_incline_pct=_mean(item.inclines),
                    mean_hr=mean_hr,
                    max_hr=max_hr,
                    hr_drop=drop,
                )
            )
        return out

    @property
    def distance_m(self) -> float | None:
        return self._odometer


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summary_lines(
    measures: list[IntervalMeasures] | tuple[IntervalMeasures, ...],
    kinds: list[IntervalKind],
    *,
    mph: bool = False,
) -> list[str]:
    """What the devices recorded, in a few lines for the summary and the session detail."""
    from legtimer.plans.model import KM_PER_MILE

    lines = []
    distance = sum(m.distance_m or 0.0 for m in measures)
    work = [
        m.mean_speed_kmh
        for m in measures
        if m.position < len(kinds) and kinds[m.position].is_work and m.mean_speed_kmh
    ]
    belt = []
    if distance:
        km = distance / 1000
        belt.append(f"{km / KM_PER_MILE:.2f} mi" if mph else f"{km:.2f} km")
    if work:
        mean = sum(work) / len(work)
        belt.append(f"work at {mean / KM_PER_MILE:.1f} mph" if mph else f"work at {mean:.1f} km/h")
    if belt:
        lines.append("Belt: " + ", ".join(belt) + " on average" * bool(work))
    beats = [(m.mean_hr, m.max_hr) for m in measures if m.mean_hr is not None and m.max_hr]
    if beats:
        mean_hr = round(sum(b for b, _ in beats) / len(beats))
        peak = max(p for _, p in beats if p is not None)
        line = f"Heart rate: mean {mean_hr}, max {peak}"
        drops = [m.hr_drop for m in measures if m.hr_drop is not None]
        if drops:
            line += "; drop over each rest: " + ", ".join(str(d) for d in drops) + " bpm"
        lines.append(line)
    return lines
