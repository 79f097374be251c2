"""Keep the screen awake during a session (wakepy), and let it sleep again afterwards."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class KeepAwake:
    def __init__(self) -> None:
        self._mode: Any = None
        self.active = False

    def acquire(self) -> str | None:
        """Returns None when the screen is kept awake, else why not (for a one-time notice)."""
        if self._mode is not None:
            return None
        try:
            from wakepy import keep

            mode = keep.presenting(on_fail="pass")
            mode.__enter__()
        except Exception as exc:  # wakepy talks to D-Bus and OS APIs: any failure is soft
            log.warning("keep-awake failed: %s", exc)
            return f"the screen may dim during the session ({exc})"
        self._mode = mode
        self.active = bool(mode.active)
        if not self.active:
            return "the screen may dim during the session (no keep-awake method worked here)"
        return None

    def release(self) -> None:
        if self._mode is not None:
            try:
                self._mode.__exit__(None, None, None)
            except Exception as exc:
                log.warning("releasing keep-awake failed: %s", exc)
            self._mode = None
            self.active = False
