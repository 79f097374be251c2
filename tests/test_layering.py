"""The core (engine, plans, store, and the cue mixer) stays free of Qt: imports point one way
(docs/ARCHITECTURE.md)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import legtimer


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(legtimer.__path__, "legtimer."):
        if info.name.split(".")[1] in {"audio", "engine", "plans", "store"}:
            names.append(info.name)
    return names


def test_core_imports_without_qt() -> None:
    modules = [
        "legtimer.audio",
        "legtimer.engine",
        "legtimer.plans",
        "legtimer.store",
        *_core_modules(),
    ]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == []


def test_cli_version_does_not_import_qt() -> None:
    code = (
        "import sys\n"
        "from legtimer.__main__ import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print('PySide6' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
