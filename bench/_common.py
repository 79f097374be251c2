"""Helpers shared by the benchmarks: each prints one JSON object on stdout."""

from __future__ import annotations

import json
import platform
import statistics
import sys
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); exact for the small samples used here."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": statistics.median(values) if values else float("nan"),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else float("nan"),
    }


def emit(name: str, figures: dict[str, Any], targets: dict[str, Any] | None = None) -> None:
    out = {
        "benchmark": name,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": figures,
    }
    if targets is not None:
        out["targets"] = targets
    json.dump(out, sys.stdout, indent=2, default=float)
    sys.stdout.write("\n")
