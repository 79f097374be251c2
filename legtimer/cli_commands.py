"""The `templates` and `program` subcommands.

They open the store only when run, print plain text (or JSON where asked) and return an exit
status: 0 done, 1 a problem the runner can fix (named in the message), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from legtimer import paths
from legtimer.plans import (
    Template,
    TemplateError,
    read_template_file,
    write_template_file,
)
from legtimer.plans.notation import format_duration
from legtimer.plans.progression import ProgramStatus
from legtimer.services import (
    ProgramAction,
    StoreError,
    TemplateExists,
    Training,
    clean,
    device_lines,
    interval_dicts,
    session_dict,
    write_sessions_csv,
)


class CommandError(Exception):
    """Ends a command with this message on stderr and exit status 1."""


@contextmanager
def _training(args: argparse.Namespace) -> Iterator[Training]:
    try:
        training = Training.open(paths.data_dir(args.data_dir))
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    for notice in training.notices:
        print(f"legtimer: {notice}", file=sys.stderr)
    try:
        yield training
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        # Damage inside the file: said in one line, and marked so that the next start of the
        # app sets the file aside and begins a new one.
        training.mark_damaged(str(exc))
        raise CommandError(
            f"the history file is damaged ({exc}); the next start of LegTimer keeps it aside "
            "and begins a new one"
        ) from None
    except sqlite3.Error as exc:
        raise CommandError(f"the history file could not be used ({exc})") from None
    finally:
        training.close()


def _find(training: Training, name: str) -> Template:
    try:
        return training.find_template(name)
    except LookupError as exc:
        raise CommandError(str(exc)) from None


def _week(template: Template, week: int | None) -> int | None:
    try:
        return template.check_week(week)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def cmd_templates_list(args: argparse.Namespace) -> int:
    with _training(args) as training:
        for t in training.templates():
            origin = "built-in" if t.builtin else "yours"
            weeks = f", {t.weeks}-week program" if t.is_program else ""
            minutes = format_duration(t.total_seconds(1 if t.is_program else None))
            print(f"{t.name}\t{t.kind.value}\t{minutes}{weeks}\t({origin})")
    return 0


def cmd_templates_show(args: argparse.Namespace) -> int:
    with _training(args) as training:
        template = _find(training, args.name)
    week = _week(template, args.week)
    if template.is_program and week is None:
        week = 1
    plan = template.expand(week)
    if args.json:
        doc = {
            "name": template.name,
            "week": week,
            "total_seconds": int(sum(i.seconds for i in plan)),
            "intervals": [
                {
                    "kind": i.kind.value,
                    "name": i.name,
                    "seconds": int(i.seconds),
                    "speed_kmh": i.speed_kmh,
                    "incline_pct": i.incline_pct,
                }
                for i in plan
            ],
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    head = f"{template.name}" + (f" - week {week}" if week else "")
    print(f"{head} - {format_duration(int(sum(i.seconds for i in plan)))}")
    for n, i in enumerate(plan, 1):
        targets = []
        if i.speed_kmh is not None:
            targets.append(f"{i.speed_kmh:g} km/h")
        if i.incline_pct is not None:
            targets.append(f"{i.incline_pct:g} %")
        extra = f"  [{', '.join(targets)}]" if targets else ""
        print(f"{n:4}  {format_duration(int(i.seconds)):>7}  {i.kind.value:<8}  {i.title}{extra}")
    return 0


def cmd_templates_import(args: argparse.Namespace) -> int:
    try:
        template = read_template_file(args.file)
    except TemplateError as exc:
        raise CommandError(f"{args.file}: {exc}; nothing was imported") from exc
    with _training(args) as training:
        try:
            training.save_template(template, replace=args.replace)
        except TemplateExists as exc:
            raise CommandError(f"{exc}; use --replace to overwrite it") from exc
    print(f"imported {template.name!r}")
    return 0


def cmd_templates_export(args: argparse.Namespace) -> int:
    with _training(args) as training:
        template = _find(training, args.name)
    try:
        write_template_file(template, args.file)
    except OSError as exc:
        raise CommandError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
    print(f"wrote {template.name!r} to {args.file}")
    return 0


def _print_status(template: Template, status: ProgramStatus) -> None:
    work = template.work_count(status.week)
    minutes = format_duration(template.total_seconds(status.week))
    if status.complete:
        print(f"{template.name}: complete (all {status.weeks} weeks)")
    else:
        print(f"{template.name}: week {status.week} of {status.weeks}")
    print(
        f"next session: week {status.week}, {work} work intervals, {minutes}; "
        f"{status.done_this_week} of {status.sessions_per_week} done this week"
    )
    for line in status.advice:
        print(line)


def cmd_program(args: argparse.Namespace) -> int:
    with _training(args) as training:
        try:
            template = training.program(args.name)
            training.choose(template, ProgramAction(args.action), getattr(args, "week", None))
        except (LookupError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        _print_status(template, training.program_status(template))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with _training(args) as training:
        try:
            training.close_left_over_sessions()
        except StoreError as exc:  # a read-only file: the history still reads
            print(f"legtimer: {exc}", file=sys.stderr)
        details = training.history(args.since, newest=args.limit)
        older = bool(not details and args.since is not None and training.has_sessions())
    details.reverse()  # newest first
    if args.json:
        doc = [
            {
                **{k: session_dict(d)[k] for k in HISTORY_KEYS},
                "intervals": [
                    {k: i[k] for k in ("kind", "name", "planned_seconds", "actual_seconds")}
                    | {"completed": i["outcome"] == "completed"}
                    | ({"measured": i["measured"]} if "measured" in i else {})
                    for i in interval_dicts(d)
                ],
            }
            for d in details
        ]
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    elif args.csv:
        write_sessions_csv(details, sys.stdout)
    else:
        if older:
            print(f"No sessions since {args.since.astimezone():%Y-%m-%d %H:%M}.")
        elif not details:
            print('No sessions yet. Start one with: legtimer --start "Sprint 15/45"')
        for d in details:
            s = d.session
            week = f" wk{s.week}" if s.week else ""
            local = s.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            rpe = f"  RPE {s.rpe}" if s.rpe else ""
            # Names as the file holds them may carry control characters: never raw to a
            # terminal (an escape sequence would act on it).
            print(
                f"{local}  {clean(s.template, tabs=False)}{week}  {s.work_done}/{s.work_planned} "
                f"work  {format_duration(round(s.active_seconds))}  {clean(s.status)}{rpe}"
            )
            for line in device_lines(d) if d.measures else ():
                print(f"    {line}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _training(args) as training:
        written, count = training.export(args.format, args.output, args.since)
    for path in written:
        print(f"wrote {path}")
    print(f"{count} sessions exported")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    args.format, args.since = "json", None
    return cmd_export(args)


def cmd_restore(args: argparse.Namespace) -> int:
    with _training(args) as training:
        result = training.restore(args.file)
    print(f"restored from {args.file}: {result}")
    return 0


HISTORY_KEYS = (
    "uuid",
    "template",
    "week",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "rpe",
    "notes",
)
