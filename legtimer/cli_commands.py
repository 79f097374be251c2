"""The `templates` and `program` subcommands.

They open the store only when run, print plain text (or JSON where asked) and return an exit
status: 0 done, 1 a problem the runner can fix (named in the message), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from legtimer import paths
from legtimer.plans import (
    Template,
    TemplateError,
    find_template,
    read_template_file,
    write_template_file,
)
from legtimer.plans.notation import format_duration
from legtimer.plans.progression import (
    ProgramStatus,
    repeat_week_choice,
    restart_choice,
    set_week_choice,
)
from legtimer.store.db import Database, StoreError, open_database, utc_now
from legtimer.store.exports import (
    export_file,
    interval_dicts,
    read_backup,
    restore_backup,
    session_dict,
    write_sessions_csv,
)
from legtimer.store.history import HistoryStore
from legtimer.store.queries import HistoryQueries
from legtimer.store.templates import TemplateExists, TemplateStore


class CommandError(Exception):
    """Ends a command with this message on stderr and exit status 1."""


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Database]:
    try:
        db = open_database(paths.data_dir(args.data_dir))
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    for notice in db.notices:
        print(f"legtimer: {notice}", file=sys.stderr)
    try:
        yield db
    finally:
        db.close()


def _find(store: TemplateStore, name: str) -> Template:
    try:
        return find_template(store.all(), name)
    except LookupError as exc:
        raise CommandError(str(exc)) from None


def _week(template: Template, week: int | None) -> int | None:
    try:
        return template.check_week(week)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def cmd_templates_list(args: argparse.Namespace) -> int:
    with _database(args) as db:
        for t in TemplateStore(db).all():
            origin = "built-in" if t.builtin else "yours"
            weeks = f", {t.weeks}-week program" if t.is_program else ""
            minutes = format_duration(t.total_seconds(1 if t.is_program else None))
            print(f"{t.name}\t{t.kind.value}\t{minutes}{weeks}\t({origin})")
    return 0


def cmd_templates_show(args: argparse.Namespace) -> int:
    with _database(args) as db:
        template = _find(TemplateStore(db), args.name)
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
    with _database(args) as db:
        try:
            TemplateStore(db).save(template, replace=args.replace)
        except TemplateExists as exc:
            raise CommandError(f"{exc}; use --replace to overwrite it") from exc
    print(f"imported {template.name!r}")
    return 0


def cmd_templates_export(args: argparse.Namespace) -> int:
    with _database(args) as db:
        template = _find(TemplateStore(db), args.name)
    try:
        write_template_file(template, args.file)
    except OSError as exc:
        raise CommandError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
    print(f"wrote {template.name!r} to {args.file}")
    return 0


def _program(store: TemplateStore, name: str | None) -> Template:
    if name is None:
        programs = [t for t in store.all() if t.is_program]
        return programs[0]
    template = _find(store, name)
    if not template.is_program:
        raise CommandError(f"{template.name!r} is not a program (it has no weekly counts)")
    return template


def _status(history: HistoryStore, template: Template) -> ProgramStatus:
    return history.program_status(template)


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
    with _database(args) as db:
        template = _program(TemplateStore(db), args.name)
        history = HistoryStore(db)
        status = _status(history, template)
        now = utc_now()
        if args.action == "repeat-week":
            history.add_choice(template.name, repeat_week_choice(status, now))
        elif args.action == "restart":
            history.add_choice(template.name, restart_choice(now))
        elif args.action == "set-week":
            try:
                history.add_choice(template.name, set_week_choice(status, args.week, now))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        if args.action != "status":
            status = _status(history, template)
        _print_status(template, status)
    return 0


def _close_left_over_sessions(db: Database) -> None:
    """Sessions still "running" while no process has the database open were cut short (a
    crash, a power cut): close them as the app does at its start, so they read "interrupted"."""
    if db.open_elsewhere():
        return
    try:
        HistoryStore(db).close_unfinished()
    except StoreError as exc:  # a read-only file: the history still reads
        print(f"legtimer: {exc}", file=sys.stderr)


def cmd_history(args: argparse.Namespace) -> int:
    with _database(args) as db:
        _close_left_over_sessions(db)
        queries = HistoryQueries(db)
        details = queries.all_details(args.since, newest=args.limit)
        older = bool(not details and args.since is not None and queries.all_details(newest=1))
    details.reverse()  # newest first
    if args.json:
        doc = [
            {
                **{k: session_dict(d)[k] for k in HISTORY_KEYS},
                "intervals": [
                    {k: i[k] for k in ("kind", "name", "planned_seconds", "actual_seconds")}
                    | {"completed": i["outcome"] == "completed"}
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
            print(
                f"{local}  {s.template}{week}  {s.work_done}/{s.work_planned} work  "
                f"{format_duration(round(s.active_seconds))}  {s.status}{rpe}"
            )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _database(args) as db:
        details = HistoryQueries(db).all_details(args.since)
        try:
            written = export_file(args.format, db, details, args.output)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
    for path in written:
        print(f"wrote {path}")
    print(f"{len(details)} sessions exported")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    args.format, args.since = "json", None
    return cmd_export(args)


def cmd_restore(args: argparse.Namespace) -> int:
    with _database(args) as db:
        try:
            result = restore_backup(db, read_backup(args.file))
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
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
