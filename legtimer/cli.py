"""Command-line parsing and the non-GUI subcommands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from legtimer import __version__

Handler = Callable[[argparse.Namespace], int]
#: The sound back ends (legtimer.store.settings.BACKENDS, not imported: --version stays fast).
SOUND_BACKENDS = ("auto", "stream", "qt", "simpleaudio", "off")


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The parser; without `commands`, only the options that open the app (what a launch
    from the desktop needs: the commands' parsers take milliseconds to build)."""
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
        "--check-install",
        nargs="?",
        const="off",
        choices=SOUND_BACKENDS,
        metavar="BACKEND",
        help="open the app with a throw-away data folder, play a cue through BACKEND (default "
        "off, the silent one; or stream, qt, simpleaudio, auto) and exit: 0 when the window, "
        "the icon and every cue sound were found and the cue played",
    )
    parser.add_argument(
        "--treadmill",
        choices=("simulated",),
        help="simulated: a treadmill and heart-rate strap that exist only in the app, driven "
        "and recorded as a real Bluetooth pair would be (to try the belt control)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log what the app does to standard error"
    )
    # The app's own: the speech engine's helper process (legtimer.gui.voice.voice_helper).
    parser.add_argument("--voice-helper", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(command=None, handler=None)
    if commands:
        sub = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
        add_commands(sub)
    return parser


#: What the app's options parse to when none is given (tests/test_cli_basics.py holds this to
#: the parser's own answer).
LAUNCH_DEFAULTS = {
    "data_dir": None,
    "start": None,
    "week": None,
    "check_install": None,
    "treadmill": None,
    "verbose": False,
    "voice_helper": False,
    "command": None,
    "handler": None,
}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    words = list(sys.argv[1:] if argv is None else argv)
    if not words:
        # The usual launch, from the desktop. Building even the small parser costs a few ms
        # before the first paint: argparse's translations and help formatter import locale,
        # shutil and the compression modules.
        return argparse.Namespace(**LAUNCH_DEFAULTS)
    # Only options (the usual launch): the app's options alone parse them the same. Any word
    # that is not an option (a command, an option's value) or a call for help: the full parser.
    only_options = all(w.startswith("-") and w not in ("-h", "--help") for w in words)
    if not only_options:
        return build_parser().parse_args(words)
    parser = build_parser(commands=False)
    # A mistake is reported with the full usage, commands and all.
    parser.error = lambda message: build_parser().error(message)  # type: ignore[method-assign]
    return parser.parse_args(words)


def configure_logging(args: argparse.Namespace) -> None:
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def run(args: argparse.Namespace) -> int:
    from legtimer import cli_commands
    from legtimer.cli_commands import CommandError

    name: str | None = args.handler
    if name is None:  # a command group given without its action
        print(
            f"legtimer {args.command}: choose an action (see legtimer {args.command} --help)",
            file=sys.stderr,
        )
        return 2
    handler: Handler = getattr(cli_commands, f"cmd_{name}")
    try:
        return handler(args)
    except CommandError as exc:
        print(f"legtimer: {exc}", file=sys.stderr)
        return 1


def _count(text: str) -> int:
    """--limit: a whole number of at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{n} sessions: give 1 or more")
    return n


def _date(text: str) -> datetime:
    """--since: a date (local midnight) or a full ISO 8601 time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD or an ISO 8601 time"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


# The parser only names the handlers: their modules (the store, the exports) load when a
# command runs, so starting the GUI does not pay for them.
def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    templates = sub.add_parser("templates", help="list, show, import and export templates")
    tsub = templates.add_subparsers(title="actions", dest="action", metavar="ACTION")
    p = tsub.add_parser("list", help="the built-in templates and yours")
    p.set_defaults(handler="templates_list")
    p = tsub.add_parser("show", help="the expanded intervals of a template")
    p.add_argument("name")
    p.add_argument("--week", type=int, help="program week (default 1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler="templates_show")
    p = tsub.add_parser("import", help="add a template from a .json file")
    p.add_argument("file", type=Path)
    p.add_argument("--replace", action="store_true", help="overwrite a template of that name")
    p.set_defaults(handler="templates_import")
    p = tsub.add_parser("export", help="write a template to a .json file")
    p.add_argument("name")
    p.add_argument("file", type=Path)
    p.set_defaults(handler="templates_export")

    program = sub.add_parser("program", help="where you are in a program, and changing it")
    psub = program.add_subparsers(title="actions", dest="action", metavar="ACTION")
    for action, text in (
        ("status", "the current week and advice"),
        ("repeat-week", "do the current (or just finished) week again"),
        ("restart", "start the program again from week 1"),
    ):
        p = psub.add_parser(action, help=text)
        p.add_argument("name", nargs="?", help="the program (default: Sprint 15/45)")
        p.set_defaults(handler="program")

    p = sub.add_parser("history", help="the sessions you have done, newest first")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON")
    form.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument("--since", type=_date, metavar="DATE", help="only sessions from DATE on")
    p.add_argument("--limit", type=_count, metavar="N", help="at most N sessions (the newest)")
    p.set_defaults(handler="history")

    p = sub.add_parser("export", help="write the history to a file")
    p.add_argument("--format", required=True, choices=("csv", "json", "tcx", "ics"))
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--since", type=_date, metavar="DATE", help="only sessions from DATE on")
    p.set_defaults(handler="export")

    p = sub.add_parser("backup", help="write a full JSON backup")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.set_defaults(handler="backup")

    p = sub.add_parser("restore", help="merge a JSON backup into the history")
    p.add_argument("file", type=Path)
    p.set_defaults(handler="restore")
    p = psub.add_parser("set-week", help="jump to a week")
    p.add_argument("week", type=int)
    p.add_argument("name", nargs="?", help="the program (default: Sprint 15/45)")
    p.set_defaults(handler="program")
