"""Names the engine and plans packages load on first use (legtimer.lazy)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from legtimer.lazy import lazy_names


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


def test_every_exported_name_resolves() -> None:
    import legtimer.engine
    import legtimer.plans

    for package in (legtimer.engine, legtimer.plans):
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
