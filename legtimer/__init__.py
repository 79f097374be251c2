"""LegTimer: an interval and sprint timer for the runner beside a treadmill."""

__version__ = "0.1.0"
