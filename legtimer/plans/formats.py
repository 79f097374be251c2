"""The template file format `legtimer.template/1` (JSON): strict reading and writing.

Everything read from outside goes through `template_from_json`, which checks every field and
reports the first problem with the path to the field (`blocks[1].blocks[0].seconds: must be >
0`). Nothing half-read ever leaves this module: it returns a whole Template or raises.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from legtimer.engine.model import IntervalKind
from legtimer.plans.model import (
    MAX_CUE,
    MAX_EXPANDED,
    MAX_INCLINE_PCT,
    MAX_NAME,
    MAX_REPEAT,
    MAX_SECONDS,
    MAX_SESSIONS_PER_WEEK,
    MAX_SPEED_KMH,
    MAX_WEEKS,
    MIN_INCLINE_PCT,
    Block,
    IntervalBlock,
    RepeatBlock,
    Template,
    TemplateKind,
    TooManyIntervals,
    expand,
)

FORMAT = "legtimer.template/1"
MAX_FILE_BYTES = 1024 * 1024

DEFAULT_NAMES = {
    IntervalKind.WARMUP: "Warm-up",
    IntervalKind.WORK: "Work",
    IntervalKind.REST: "Rest",
    IntervalKind.RECOVER: "Recover",
    IntervalKind.COOLDOWN: "Cool-down",
}

_TEMPLATE_KEYS = {"format", "name", "kind", "description", "sessions_per_week", "blocks"}
_INTERVAL_KEYS = {"kind", "name", "seconds", "speed_kmh", "incline_pct", "cue"}
_REPEAT_KEYS = {"repeat", "blocks", "skip_last_rest"}


class TemplateError(ValueError):
    """A template that cannot be accepted; `path` names the field, `problem` says what is wrong."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


# -- reading ----------------------------------------------------------------------------------


def read_template_file(path: str | os.PathLike[str]) -> Template:
    from legtimer.files import FileProblem, read_limited

    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except FileProblem as exc:
        more = "; a template file is at most 1 MiB" if exc.too_large else ""
        raise TemplateError("", f"{exc}{more}") from None
    return read_template_bytes(data)


def read_template_bytes(data: bytes | str) -> Template:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_FILE_BYTES:
        raise TemplateError("", f"file is {len(raw)} bytes; a template file is at most 1 MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateError("", f"not UTF-8 text (byte {exc.start})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(
            "", f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise TemplateError("", "not valid JSON: nested too deeply") from None
    except ValueError:  # a number of thousands of digits
        raise TemplateError("", "not valid JSON: a number too long to read") from None
    return template_from_json(doc)


def template_from_json(doc: object) -> Template:
    if not isinstance(doc, dict):
        raise TemplateError("", f"must be a JSON object, not {_type_name(doc)}")
    _check_keys(doc, _TEMPLATE_KEYS, "")
    fmt = _required(doc, "format", "")
    if fmt != FORMAT:
        raise TemplateError("format", f"unknown format {fmt!r}; this version reads {FORMAT!r}")
    name = _text(_required(doc, "name", ""), "name", MAX_NAME, required=True)
    kind_raw = doc.get("kind", TemplateKind.CUSTOM.value)
    kind = _enum(TemplateKind, kind_raw, "kind")
    description = _text(doc.get("description", ""), "description", 2000, required=False)
    spw = _int(doc.get("sessions_per_week", 1), "sessions_per_week", 1, MAX_SESSIONS_PER_WEEK)
    blocks = _blocks(_required(doc, "blocks", ""), "blocks", depth=0)
    template = Template(name, kind, blocks, spw, description)
    _check_weeks(template)
    _check_size(template)
    return template


def _check_weeks(template: Template) -> None:
    lengths: dict[int, str] = {}

    def walk(blocks: tuple[Block, ...], path: str) -> None:
        for i, b in enumerate(blocks):
            if isinstance(b, RepeatBlock):
                here = f"{path}[{i}]"
                if isinstance(b.count, tuple):
                    if lengths and len(b.count) not in lengths:
                        other = next(iter(lengths.values()))
                        raise TemplateError(
                            f"{here}.repeat.by_week",
                            f"has {len(b.count)} weeks but {other} has {next(iter(lengths))}",
                        )
                    lengths.setdefault(len(b.count), f"{here}.repeat.by_week")
                walk(b.blocks, f"{here}.blocks")

    walk(template.blocks, "blocks")


def _check_size(template: Template) -> None:
    weeks = range(1, template.weeks + 1) if template.is_program else [None]
    for week in weeks:
        try:
            expand(template.blocks, week, limit=MAX_EXPANDED)
        except TooManyIntervals:
            where = f" in week {week}" if week else ""
            raise TemplateError(
                "blocks", f"expands to more than {MAX_EXPANDED} intervals{where}"
            ) from None


def _blocks(value: object, path: str, depth: int) -> tuple[Block, ...]:
    if depth > 8:
        raise TemplateError(path, "repeats are nested more than 8 deep")
    if not isinstance(value, list):
        raise TemplateError(path, f"must be a list of blocks, not {_type_name(value)}")
    if not value:
        what = "a repeat needs" if depth else "a template needs"
        raise TemplateError(path, f"{what} at least one block")
    return tuple(_block(item, f"{path}[{i}]", depth) for i, item in enumerate(value))


def _block(value: object, path: str, depth: int) -> Block:
    if not isinstance(value, dict):
        raise TemplateError(
            path, f"must be an object (an interval or a repeat), not {_type_name(value)}"
        )
    if "repeat" in value:
        _check_keys(value, _REPEAT_KEYS, path)
        count = _repeat_count(value["repeat"], f"{path}.repeat")
        skip = value.get("skip_last_rest", False)
        if not isinstance(skip, bool):
            raise TemplateError(f"{path}.skip_last_rest", "must be true or false")
        blocks = _blocks(_required(value, "blocks", path), f"{path}.blocks", depth + 1)
        return RepeatBlock(count, blocks, skip)
    _check_keys(value, _INTERVAL_KEYS, path)
    kind = _enum(IntervalKind, _required(value, "kind", path), f"{path}.kind")
    name = _text(value.get("name", DEFAULT_NAMES[kind]), f"{path}.name", MAX_NAME, required=True)
    seconds = _int(_required(value, "seconds", path), f"{path}.seconds", 1, MAX_SECONDS)
    speed = _number(value.get("speed_kmh"), f"{path}.speed_kmh", 0.0, MAX_SPEED_KMH)
    incline = _number(
        value.get("incline_pct"), f"{path}.incline_pct", MIN_INCLINE_PCT, MAX_INCLINE_PCT
    )
    cue_raw = value.get("cue")
    cue = None if cue_raw is None else _text(cue_raw, f"{path}.cue", MAX_CUE, required=True)
    return IntervalBlock(kind, name, seconds, speed, incline, cue)


def _repeat_count(value: object, path: str) -> int | tuple[int, ...]:
    if isinstance(value, dict):
        _check_keys(value, {"by_week"}, path)
        weeks = _required(value, "by_week", path)
        if not isinstance(weeks, list) or not weeks:
            raise TemplateError(f"{path}.by_week", "must be a list of counts, one per week")
        if len(weeks) > MAX_WEEKS:
            raise TemplateError(f"{path}.by_week", f"has {len(weeks)} weeks; at most {MAX_WEEKS}")
        return tuple(_int(w, f"{path}.by_week[{i}]", 1, MAX_REPEAT) for i, w in enumerate(weeks))
    return _int(value, path, 1, MAX_REPEAT)


def _required(obj: dict[str, Any], key: str, path: str) -> object:
    if key not in obj:
        raise TemplateError(f"{path}.{key}" if path else key, "is missing")
    return obj[key]


def _check_keys(obj: dict[str, Any], allowed: set[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            raise TemplateError(where, f"unknown key (expected {', '.join(sorted(allowed))})")


def _int(value: object, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise TemplateError(path, f"must be a whole number, not {_type_name(value)}")
    if value < low:
        raise TemplateError(path, "must be > 0" if low == 1 else f"must be at least {low}")
    if value > high:
        raise TemplateError(path, f"must be at most {high}")
    return value


def _number(value: object, path: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TemplateError(path, f"must be a number, not {_type_name(value)}")
    if isinstance(value, int) and not low <= value <= high:  # however many digits it has
        raise TemplateError(path, f"must be between {low:g} and {high:g}")
    if not math.isfinite(value):
        raise TemplateError(path, "must be a finite number")
    if not low <= value <= high:
        raise TemplateError(path, f"must be between {low:g} and {high:g}")
    return float(value)


def _text(value: object, path: str, limit: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise TemplateError(path, f"must be text, not {_type_name(value)}")
    text = value.strip()
    if required and not text:
        raise TemplateError(path, "must not be empty")
    if len(text) > limit:
        raise TemplateError(path, f"is {len(text)} characters; at most {limit}")
    if any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text):
        raise TemplateError(path, "must not contain control characters")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise TemplateError(path, "must not contain a lone surrogate (it is not text)")
    return text


def _enum(cls: type[IntervalKind] | type[TemplateKind], value: object, path: str) -> Any:
    if not isinstance(value, str) or value not in {m.value for m in cls}:
        choices = ", ".join(m.value for m in cls)
        raise TemplateError(path, f"must be one of {choices}, not {value!r}")
    return cls(value)


def _type_name(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# -- writing ----------------------------------------------------------------------------------


def template_to_json(template: Template) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": FORMAT, "name": template.name, "kind": template.kind.value}
    if template.description:
        doc["description"] = template.description
    if template.is_program or template.sessions_per_week != 1:
        doc["sessions_per_week"] = template.sessions_per_week
    doc["blocks"] = [_block_to_json(b) for b in template.blocks]
    return doc


def _block_to_json(block: Block) -> dict[str, Any]:
    if isinstance(block, RepeatBlock):
        count: object = (
            {"by_week": list(block.count)} if isinstance(block.count, tuple) else block.count
        )
        out: dict[str, Any] = {"repeat": count}
        if block.skip_last_rest:
            out["skip_last_rest"] = True
        out["blocks"] = [_block_to_json(b) for b in block.blocks]
        return out
    d: dict[str, Any] = {"kind": block.kind.value, "name": block.name, "seconds": block.seconds}
    if block.speed_kmh is not None:
        d["speed_kmh"] = _num(block.speed_kmh)
    if block.incline_pct is not None:
        d["incline_pct"] = _num(block.incline_pct)
    if block.cue is not None:
        d["cue"] = block.cue
    return d


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def dumps(template: Template) -> str:
    return json.dumps(template_to_json(template), indent=2, ensure_ascii=False) + "\n"


def write_template_file(template: Template, path: str | os.PathLike[str]) -> None:
    """Write atomically: a reader never sees half a file."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(dumps(template), encoding="utf-8")
    os.replace(tmp, p)
