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
    wanted = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name not in wanted:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
