"""Command-line parsing and the non-GUI subcommands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from legtimer import __version__

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legtimer",
        description=(
            "Interval and sprint timer for the treadmill. With no command, opens the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"LegTimer {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the history database lives (default: $LEGTIMER_HOME, else the "
        "platform's user data folder)",
    )
    parser.add_argument(
        "--start", metavar="NAME", help="open the app and start this session at once"
    )
    parser.add_argument("--week", type=int, metavar="N", help="the program week for --start")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log what the app does to standard error"
    )
    parser.set_defaults(command=None, handler=None)
    sub = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    from legtimer import cli_commands

    cli_commands.add_commands(sub)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def configure_logging(args: argparse.Namespace) -> None:
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    from legtimer.cli_commands import CommandError

    handler: Handler | None = args.handler
    if handler is None:  # a command group given without its action
        print(
            f"legtimer {args.command}: choose an action (see legtimer {args.command} --help)",
            file=sys.stderr,
        )
        return 2
    try:
        return handler(args)
    except CommandError as exc:
        print(f"legtimer: {exc}", file=sys.stderr)
        return 1
