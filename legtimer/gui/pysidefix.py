"""A lighter answer to a question PySide6 asks of every module imported after it.

For its optional `__feature__` switches, PySide6's import hook asks whether each newly imported
module uses PySide6, by reading the module's whole source with `inspect.getsource` and looking
for the word. That source then stays in `linecache`: measured here, 121 modules and 5.5 MB of
the app's memory, for an answer nothing in LegTimer uses. `lighten_feature_hook` asks the same
question of the file's bytes and keeps nothing, and lets go of the sources its check read
before it could be replaced (PySide6's own modules and the standard library's they import:
240 kB). (For a module without a `.py` file, PySide6's own answer stands.)
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType


def lighten_feature_hook() -> bool:
    """Replace the hook's source check, once PySide6 is imported; True if it was replaced."""
    feature = sys.modules.get("shibokensupport.feature")
    original: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None or getattr(original, "lightened", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return original(module)

    uses_pyside.lightened = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    # What the original check read of the modules imported so far, dropped early in start-up so
    # that what comes next reuses the memory. A cache: a traceback reads a file again.
    imported = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
    for path in [p for p in linecache.cache if p in imported]:
        del linecache.cache[path]
    return True
