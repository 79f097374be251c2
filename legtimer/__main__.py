"""Entry point: `legtimer` and `python -m legtimer`.

Subcommands run without importing Qt, so `legtimer --version` and `legtimer history` are quick
and work on a machine with no display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def _interrupted(_signum: int, _frame: object) -> None:
    raise SystemExit(130)  # the shell's code for Ctrl+C; finally blocks run, no traceback


def main(argv: Sequence[str] | None = None) -> int:
    """Ctrl+C at any moment ends a command quietly (exit status 130): before anything is
    imported, during a command, or while the window is being built (once it is up, the app
    handles SIGINT itself and ends a running session as stopped)."""
    import signal

    previous = signal.signal(signal.SIGINT, _interrupted)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGINT, previous)


def _main(argv: Sequence[str] | None) -> int:
    from legtimer import cli

    args = cli.parse_args(argv)
    cli.configure_logging(args)
    if args.voice_helper:
        from legtimer.gui.voice import voice_helper

        return voice_helper()
    if args.command is not None:
        try:
            return cli.run(args)
        except BrokenPipeError:
            # Output piped into `head` and the like: stop quietly, as Unix tools do. Point
            # stdout at devnull so the interpreter's final flush does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    # The window's start-up makes tens of thousands of objects that nearly all live as long as
    # the app; the cyclic collector would walk them again and again for nothing (a tenth of
    # the instructions to the first paint). It stays off until the window is up, when
    # legtimer.app.settle_collector() turns it back on. (--check-install has no paint to hurry.)
    import gc

    if not args.check_install:
        gc.disable()
    from legtimer import app

    return app.run(args)


if __name__ == "__main__":
    sys.exit(main())
