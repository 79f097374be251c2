"""PySide6's import hook, lightened: it still tells modules that use PySide6 from the rest,
the sources of the modules imported after it no longer pile up in linecache, and those it read
before are let go."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = r"""
import linecache, sys
sys.path.insert(0, sys.argv[1])
import PySide6.QtCore
import shiboken6
read = shiboken6.__file__ in linecache.cache  # by PySide6's own check, before ours
from legtimer.gui.pysidefix import lighten_feature_hook
print(lighten_feature_hook(), lighten_feature_hook())
print(read, shiboken6.__file__ in linecache.cache)
before = len(linecache.cache)
import json, argparse, uses_qt, no_qt
flags = sys.modules["shibokensupport.feature"].pyside_feature_dict
print(len(linecache.cache) - before, flags["uses_qt"], flags["no_qt"], flags["json"])
"""


def test_the_hook_reads_no_source_into_linecache_and_still_finds_pyside_users(
    tmp_path: Path,
) -> None:
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\n")
    (tmp_path / "no_qt.py").write_text("VALUE = 1\n")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    first, dropped, second = out.stdout.splitlines()
    assert first == "True False"  # replaced once
    assert dropped == "True False"  # what the original check had read is let go
    cached, uses_qt, no_qt, stdlib = second.split()
    assert cached == "0"  # no module's source kept
    assert (uses_qt, no_qt, stdlib) == ("0", "-1", "-1")  # as PySide6 itself would answer
