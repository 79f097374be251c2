"""Names the engine, plans and services packages load on first use (legtimer.lazy)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from legtimer.lazy import lazy_modules, lazy_names


def test_a_lazy_name_loads_its_module_on_first_use_only() -> None:
    code = (
        "import json, sys\n"
        "import legtimer.engine, legtimer.plans\n"
        "lazy = ('legtimer.engine.session', 'legtimer.plans.notation')\n"
        "before = [m in sys.modules for m in lazy]\n"
        "from legtimer.engine import Session\n"
        "from legtimer.plans import parse\n"
        "import legtimer.engine.session as s, legtimer.plans.notation as n\n"
        "print(json.dumps({'before': before, 'same': [Session is s.Session, parse is n.parse],\n"
        "    'kept': ['Session' in vars(legtimer.engine), 'parse' in vars(legtimer.plans)]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == {
        "before": [False, False],
        "same": [True, True],
        "kept": [True, True],
    }


def test_the_settings_load_without_the_templates_programs_and_history() -> None:
    """What the first paint reads (the settings) comes without what it does not (the
    templates, the programs, the history's queries): legtimer.app relies on it."""
    code = (
        "import json, sys\n"
        "from legtimer.services import Settings, SettingsStore, StoreError\n"
        "heavy = ('legtimer.services.training', 'legtimer.plans', 'legtimer.store.history')\n"
        "before = [m in sys.modules for m in heavy]\n"
        "from legtimer.services import Training, SessionStart, TemplateExists\n"
        "import legtimer.services.training as t, legtimer.store.history as h\n"
        "print(json.dumps({'before': before, 'same': [Training is t.Training,\n"
        "    SessionStart is h.SessionStart]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert json.loads(out.stdout) == {"before": [False, False, False], "same": [True, True]}


def test_every_exported_name_resolves() -> None:
    import legtimer.engine
    import legtimer.plans
    import legtimer.services

    for package in (legtimer.engine, legtimer.plans, legtimer.services):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)


def test_an_unknown_name_is_an_attribute_error_naming_the_package() -> None:
    namespace = {"__name__": "somepackage"}
    getattr_ = lazy_names(namespace, "json", ["dumps"])
    assert getattr_("dumps") is json.dumps
    assert namespace["dumps"] is json.dumps
    with pytest.raises(AttributeError, match="module 'somepackage' has no attribute 'loads'"):
        getattr_("loads")
    import legtimer.engine

    with pytest.raises(AttributeError, match=r"'legtimer\.engine' has no attribute 'Sesion'"):
        legtimer.engine.Sesion  # noqa: B018


def test_names_from_several_modules_each_load_their_own() -> None:
    namespace = {"__name__": "somepackage"}
    getattr_ = lazy_modules(namespace, {"json": ["dumps"], "textwrap": ["dedent"]})
    import textwrap

    assert getattr_("dedent") is textwrap.dedent
    assert getattr_("dumps") is json.dumps
    assert set(namespace) == {"__name__", "dedent", "dumps"}
    with pytest.raises(AttributeError, match="module 'somepackage' has no attribute 'wrap'"):
        getattr_("wrap")
