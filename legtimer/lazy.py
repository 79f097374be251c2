"""Names a package exports but loads on first use (PEP 562), to keep start-up short."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any


def lazy_names(
    namespace: dict[str, Any], module: str, names: Iterable[str]
) -> Callable[[str], Any]:
    """A module `__getattr__` for the package whose globals are `namespace`: the first use of
    one of `names` imports `module` and takes the name from it (and keeps it, so later uses
    find it directly)."""
    return lazy_modules(namespace, {module: names})


def lazy_modules(
    namespace: dict[str, Any], modules: dict[str, Iterable[str]]
) -> Callable[[str], Any]:
    """`lazy_names` for names from several modules: `modules` maps each module to the names
    taken from it."""
    home = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
