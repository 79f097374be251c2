"""Entry point: `legtimer` and `python -m legtimer`.

Subcommands run without importing Qt, so `legtimer --version` and `legtimer history` are quick
and work on a machine with no display.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from legtimer import cli

    args = cli.parse_args(argv)
    cli.configure_logging(args)
    if args.command is not None:
        return cli.run(args)
    from legtimer import app

    return app.run(args)


if __name__ == "__main__":
    sys.exit(main())
