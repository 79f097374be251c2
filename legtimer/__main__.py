"""Entry point: `legtimer` and `python -m legtimer`.

Subcommands run without importing Qt, so `legtimer --version` and `legtimer history` are quick
and work on a machine with no display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from legtimer import cli

    args = cli.parse_args(argv)
    cli.configure_logging(args)
    if args.command is not None:
        try:
            return cli.run(args)
        except BrokenPipeError:
            # Output piped into `head` and the like: stop quietly, as Unix tools do. Point
            # stdout at devnull so the interpreter's final flush does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    from legtimer import app

    return app.run(args)


if __name__ == "__main__":
    sys.exit(main())
