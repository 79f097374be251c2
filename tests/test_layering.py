"""The core (engine, plans, store, the application layer and the cue mixer) stays free of Qt:
imports point one way (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import legtimer


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(legtimer.__path__, "legtimer."):
        if info.name.split(".")[1] in {"audio", "devices", "engine", "plans", "services", "store"}:
            names.append(info.name)
    return names


def test_core_imports_without_qt() -> None:
    modules = [
        "legtimer.audio",
        "legtimer.devices",
        "legtimer.engine",
        "legtimer.plans",
        "legtimer.services",
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


def _imports_store(path: Path) -> bool:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("legtimer.store"):
            return True
        if isinstance(node, ast.Import) and any(
            a.name.startswith("legtimer.store") for a in node.names
        ):
            return True
    return False


def test_the_command_line_and_the_gui_reach_the_data_through_the_application_layer() -> None:
    """Views and commands use legtimer.services; only the composition root (app.py) builds
    store objects."""
    package = Path(legtimer.__file__).parent
    cli = [p.name for p in (package / "cli.py", package / "cli_commands.py") if _imports_store(p)]
    assert cli == [], "the command line imports legtimer.store; use legtimer.services"
    gui = sorted(p.name for p in (package / "gui").glob("*.py") if _imports_store(p))
    assert gui == [], f"GUI modules import legtimer.store; use legtimer.services: {gui}"
