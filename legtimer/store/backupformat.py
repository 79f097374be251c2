"""The backup format, checked before anything is restored.

`resources/backup.schema.json` is the format: a JSON Schema (draft 7) that documents
every field and checks it (types, ranges, the enums, text without control characters or lone
surrogates, sizes), compiled to Python by `fastjsonschema`. What a schema cannot say is
checked here after it: dates between 2000-01-01 and a day after now, a session's end after its
start, no more work done than planned, each interval position once, and the templates (and each
session's template as it was run) as the template reader checks a template file. The first
problem is reported by where it is, in words:
`sessions[3].intervals[0].actual_seconds: 1e+300 is above 14400`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from legtimer.files import FileProblem, read_limited
from legtimer.store.trust import EARLIEST

BACKUP_FORMAT = "legtimer.backup/1"
BACKUP_PREFIX = "legtimer.backup/"
#: The largest backup read (a history of 100,000 sessions with 20 intervals each is ~130 MB).
MAX_BACKUP_BYTES = 512 * 1024 * 1024


class BackupProblem(ValueError):
    """What is wrong with a backup, with where it is; nothing was restored."""


@cache
def schema() -> dict[str, Any]:
    text = resources.files("legtimer.resources").joinpath("backup.schema.json").read_text("utf-8")
    doc = json.loads(text)
    assert isinstance(doc, dict)
    return doc


@cache
def _validator() -> Callable[[object], object]:
    """The schema compiled to Python (fastjsonschema): it checks a 100,000-session backup in
    seconds, where an interpreting validator took minutes."""
    import fastjsonschema  # here: only a restore needs it

    return fastjsonschema.compile(schema())


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def read_backup(path: Path, now: datetime | None = None) -> dict[str, Any]:
    """The backup at `path`, checked; BackupProblem says what is wrong with it."""
    try:
        data = read_limited(path, MAX_BACKUP_BYTES)
    except FileProblem as exc:
        raise BackupProblem(str(exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BackupProblem(
            f"{path.name} is not a LegTimer backup (not UTF-8 text at byte {exc.start})"
        ) from None
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise BackupProblem(
            f"{path.name} is not a LegTimer backup (not JSON: line {exc.lineno} column "
            f"{exc.colno}: {exc.msg})"
        ) from None
    except ValueError as exc:  # NaN, Infinity
        raise BackupProblem(f"{path.name} is not a LegTimer backup ({exc})") from None
    except RecursionError:
        raise BackupProblem(
            f"{path.name} is not a LegTimer backup (its JSON is nested too deeply)"
        ) from None
    fmt = doc.get("format") if isinstance(doc, dict) else None
    if not isinstance(fmt, str) or not fmt.startswith(BACKUP_PREFIX):
        raise BackupProblem(f"{path.name} is not a LegTimer backup (no {BACKUP_FORMAT!r} format)")
    if fmt != BACKUP_FORMAT:
        raise BackupProblem(
            f"{path.name} is a backup from a newer LegTimer ({fmt}); update LegTimer to restore it"
        )
    check_backup(doc, now)
    assert isinstance(doc, dict)
    return doc


def check_backup(doc: object, now: datetime | None = None) -> None:
    """BackupProblem for the first thing in `doc` the format does not allow."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _validator()(doc)
    except JsonSchemaValueException as error:
        raise BackupProblem(f"{where(error.path[1:])}: {_say(error)}") from None
    except RecursionError:
        raise BackupProblem("the backup is nested too deeply") from None
    assert isinstance(doc, dict)
    for path, problem in _beyond_schema(doc, now or datetime.now(UTC)):
        raise BackupProblem(f"{where(path)}: {problem}")


def where(path: Iterable[str | int]) -> str:
    """A value's place in the document: sessions[3].intervals[0].actual_seconds."""
    out = ""
    for part in path:
        index = isinstance(part, int) or (isinstance(part, str) and part.isdigit())
        out += f"[{part}]" if index else (f".{part}" if out else str(part))
    return out or "the backup"


def _show(value: object) -> str:
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= 42 else text[:40] + "...'"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return repr(value)
    return _json_type(value)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


_TYPE_WORDS = {
    "object": "an object",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}


def _say(error: Any) -> str:
    kind, value, limit, rule = error.rule, error.value, error.rule_definition, error.definition
    if kind == "maximum":
        return f"{_show(value)} is above {limit:g}"
    if kind == "minimum":
        return f"{_show(value)} is below {limit:g}"
    if kind == "type":
        wanted = [limit] if isinstance(limit, str) else list(limit)
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        return f"must be {words}, not {_json_type(value)}"
    if kind == "enum":
        return f"{_show(value)} is not one of {', '.join(str(v) for v in limit)}"
    if kind == "const":
        return f"must be {_show(limit)}"
    if kind == "required":
        missing = [k for k in limit if isinstance(value, dict) and k not in value] or ["a field"]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return f"{missing[0]} is missing{more}"
    if kind == "additionalProperties":
        known = set(rule.get("properties", {}))
        extra = [k for k in value if k not in known] if isinstance(value, dict) else []
        return f"unknown field {', '.join(map(repr, extra))}"
    if kind == "pattern":
        return _pattern_words(value, rule)
    if kind == "maxLength":
        return f"is longer than {limit} characters"
    if kind == "minLength":
        return "is empty"
    if kind in ("maxItems", "maxProperties"):
        return f"has more than {limit} entries"
    if kind == "anyOf":
        # "null or a week": say what is wrong with it as a week.
        branches = [b for b in limit if b != {"type": "null"}]
        if len(branches) == 1:
            inner = _branch_problem(branches[0], value)
            if inner is not None:
                return inner
    if kind in ("anyOf", "allOf"):
        return f"{_show(value)} is not allowed here"
    return str(error.message)


def _branch_problem(branch: dict[str, Any], value: object) -> str | None:
    """What is wrong with `value` against one branch of an anyOf."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _branch_validator(json.dumps(branch, sort_keys=True))(value)
    except JsonSchemaValueException as error:
        return _say(error)
    return None


@cache
def _branch_validator(branch: str) -> Callable[[object], object]:
    import fastjsonschema

    return fastjsonschema.compile({"definitions": schema()["definitions"], **json.loads(branch)})


def _pattern_words(value: object, rule: dict[str, Any]) -> str:
    for c in value if isinstance(value, str) else "":
        if 0xD800 <= ord(c) <= 0xDFFF:
            return f"{_show(value)} holds a lone surrogate ({ord(c):#06x}), which is not text"
        if (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) and c not in "\t\n":
            return f"{_show(value)} holds a control character ({ord(c):#04x})"
    description = str(rule.get("description", ""))
    if "date and time" in description:
        return f"{_show(value)} is not a date and time like 2026-11-25T07:00:00.000Z"
    if rule.get("pattern", "").startswith("^[0-9a-f]{8}-"):
        return f"{_show(value)} is not a UUID"
    return f"{_show(value)} is not in the expected form"


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _beyond_schema(doc: dict[str, Any], now: datetime) -> Iterator[tuple[list[str | int], str]]:
    latest = now + timedelta(days=1)

    def when(path: list[str | int], text: str) -> Iterator[tuple[list[str | int], str]]:
        try:
            moment = _moment(text)
        except ValueError:
            yield path, f"{_show(text)} is not a date and time that exists"
            return
        if moment < EARLIEST:  # not LegTimer's: it did not exist
            yield path, f"{_show(text)} is before 2000"
        elif moment > latest:
            yield path, f"{_show(text)} is later than tomorrow (is the clock wrong?)"

    from legtimer.plans import TemplateError, find_builtin, template_from_json

    for n, t in enumerate(doc.get("templates", [])):
        try:
            template = template_from_json(t)
            if find_builtin(template.name) is not None:
                yield ["templates", n, "name"], f"{_show(template.name)} is a built-in's name"
        except TemplateError as exc:
            yield ["templates", n, *_parts(exc.path)], exc.problem
        except RecursionError:
            yield ["templates", n], "nested too deeply"
    if "exported_at" in doc:
        yield from when(["exported_at"], doc["exported_at"])
    for n, s in enumerate(doc.get("sessions", [])):
        here: list[str | int] = ["sessions", n]
        yield from when([*here, "started_at"], s["started_at"])
        if s["ended_at"] is not None:
            yield from when([*here, "ended_at"], s["ended_at"])
            if _moment(s["ended_at"]) < _moment(s["started_at"]):
                yield [*here, "ended_at"], "is before the session's start"
        if s["work_done"] > s["work_planned"]:
            yield (
                [*here, "work_done"],
                f"{s['work_done']} is more than the {s['work_planned']} planned",
            )
        seen: set[int] = set()
        for i, interval in enumerate(s["intervals"]):
            if interval["position"] in seen:
                yield [*here, "intervals", i, "position"], "is given twice"
            seen.add(interval["position"])
        for key in ("planned_seconds", "active_seconds", "paused_seconds"):
            if not math.isfinite(s[key]):
                yield [*here, key], "is not a finite number"
        if s.get("template_json") is not None:
            try:
                template_from_json(s["template_json"])
            except TemplateError as exc:
                yield [*here, "template_json", *_parts(exc.path)], exc.problem
            except RecursionError:
                yield [*here, "template_json"], "nested too deeply"
    for n, c in enumerate(doc.get("program_choices", [])):
        yield from when(["program_choices", n, "at"], c["at"])


def _parts(path: str) -> list[str | int]:
    """A template reader's path ("blocks[2].repeat") as parts."""
    parts: list[str | int] = []
    for piece in path.replace("[", ".[").split("."):
        if not piece:
            continue
        if piece.startswith("[") and piece.endswith("]") and piece[1:-1].isdigit():
            parts.append(int(piece[1:-1]))
        else:
            parts.append(piece)
    return parts
