from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from legtimer.engine import IntervalKind
from legtimer.plans import (
    TemplateError,
    builtins,
    read_template_bytes,
    read_template_file,
    template_from_json,
    template_to_json,
    write_template_file,
)

HILL: dict[str, Any] = {
    "format": "legtimer.template/1",
    "name": "Hill repeats",
    "kind": "hill",
    "blocks": [
        {"kind": "warmup", "name": "Warm-up jog", "seconds": 300, "speed_kmh": 8, "incline_pct": 1},
        {
            "repeat": 6,
            "blocks": [
                {
                    "kind": "work",
                    "name": "Uphill",
                    "seconds": 60,
                    "speed_kmh": 10,
                    "incline_pct": 6,
                },
                {
                    "kind": "rest",
                    "name": "Recover",
                    "seconds": 90,
                    "speed_kmh": 5,
                    "incline_pct": 1,
                },
            ],
        },
        {"kind": "cooldown", "name": "Cool-down", "seconds": 300},
    ],
}


def test_reads_the_documented_example() -> None:
    t = template_from_json(HILL)
    plan = t.expand()
    assert len(plan) == 14
    assert plan[1].label == "Uphill 1 of 6" and plan[1].incline_pct == 6
    assert plan[-1].speed_kmh is None


def mutate(path: list[object], value: object, delete: bool = False) -> dict[str, Any]:
    doc = copy.deepcopy(HILL)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["format"], "legtimer.template/2", "format: unknown format 'legtimer.template/2'"),
        (["blocks", 1, "blocks", 0, "seconds"], 0, "blocks[1].blocks[0].seconds: must be > 0"),
        (
            ["blocks", 1, "blocks", 0, "seconds"],
            14401,
            "blocks[1].blocks[0].seconds: must be at most 14400",
        ),
        (
            ["blocks", 1, "blocks", 0, "seconds"],
            "60",
            "blocks[1].blocks[0].seconds: must be a whole number, not text",
        ),
        (["blocks", 1, "blocks", 0, "seconds"], True, "must be a whole number, not true/false"),
        (["blocks", 1, "blocks", 0, "seconds"], 1.5, "must be a whole number"),
        (["blocks", 0, "speed_kmh"], 41, "blocks[0].speed_kmh: must be between 0 and 40"),
        (["blocks", 0, "speed_kmh"], -1, "blocks[0].speed_kmh: must be between 0 and 40"),
        (["blocks", 0, "incline_pct"], -11, "blocks[0].incline_pct: must be between -10 and 40"),
        (
            ["blocks", 0, "incline_pct"],
            "steep",
            "blocks[0].incline_pct: must be a number, not text",
        ),
        (["blocks", 0, "kind"], "sprint", "blocks[0].kind: must be one of warmup, work, rest"),
        (["blocks", 0, "sped_kmh"], 3, "blocks[0].sped_kmh: unknown key"),
        (["colour"], "red", "colour: unknown key"),
        (["blocks", 1, "repeat"], 0, "blocks[1].repeat: must be > 0"),
        (["blocks", 1, "repeat"], 100, "blocks[1].repeat: must be at most 99"),
        (["blocks", 1, "blocks"], [], "blocks[1].blocks: a repeat needs at least one block"),
        (["blocks"], [], "blocks: a template needs at least one block"),
        (["blocks"], {}, "blocks: must be a list of blocks, not an object"),
        (["blocks", 2], "cooldown", "blocks[2]: must be an object"),
        (["name"], "   ", "name: must not be empty"),
        (["name"], "x" * 81, "name: is 81 characters; at most 80"),
        (["blocks", 1, "skip_last_rest"], "yes", "blocks[1].skip_last_rest: must be true or false"),
        (["blocks", 1, "repeat"], {"by_week": []}, "blocks[1].repeat.by_week: must be a list"),
        (["blocks", 1, "repeat"], {"weeks": [1]}, "blocks[1].repeat.weeks: unknown key"),
        (["blocks", 1, "repeat"], {"by_week": [6, 0]}, "blocks[1].repeat.by_week[1]: must be > 0"),
    ],
)
def test_validation_names_the_field(path: list[object], value: object, message: str) -> None:
    with pytest.raises(TemplateError) as exc:
        template_from_json(mutate(path, value))
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (["format"], "format: is missing"),
        (["name"], "name: is missing"),
        (["blocks", 1, "blocks", 0, "seconds"], "blocks[1].blocks[0].seconds: is missing"),
        (["blocks", 0, "kind"], "blocks[0].kind: is missing"),
    ],
)
def test_missing_fields(path: list[object], message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("[", r"\[").replace("]", r"\]")):
        template_from_json(mutate(path, None, delete=True))


def test_too_many_intervals_and_mismatched_weeks() -> None:
    nested = mutate(
        ["blocks", 1, "blocks"], [{"repeat": 99, "blocks": [{"kind": "work", "seconds": 1}]}]
    )
    nested["blocks"][1]["repeat"] = 99
    with pytest.raises(TemplateError, match="blocks: expands to more than 2000 intervals"):
        template_from_json(nested)
    weeks = mutate(["blocks", 1, "repeat"], {"by_week": [6, 8]})
    weeks["blocks"].append(
        {"repeat": {"by_week": [1, 2, 3]}, "blocks": [{"kind": "work", "seconds": 5}]}
    )
    with pytest.raises(TemplateError, match=r"blocks\[3\]\.repeat\.by_week: has 3 weeks"):
        template_from_json(weeks)


def test_bad_bytes_and_files(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="not valid JSON: line 1 column 2"):
        read_template_bytes(b"{nope")
    with pytest.raises(TemplateError, match="not UTF-8"):
        read_template_bytes(b'{"name": "\xff"}')
    with pytest.raises(TemplateError, match="must be a JSON object, not a list"):
        read_template_bytes(b"[]")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(TemplateError, match="at most 1 MiB"):
        read_template_file(big)
    with pytest.raises(TemplateError, match="cannot read"):
        read_template_file(tmp_path / "missing.json")
    with pytest.raises(TemplateError, match="nested too deeply"):
        read_template_bytes(b"[" * 100_000)


def test_builtins_round_trip_through_files(tmp_path: Path) -> None:
    for t in builtins():
        path = tmp_path / f"{t.name.replace('/', '-')}.json"
        write_template_file(t, path)
        assert read_template_file(path) == t
        assert json.loads(path.read_text())["format"] == "legtimer.template/1"


def test_program_json_has_by_week() -> None:
    t = next(t for t in builtins() if t.is_program)
    doc = template_to_json(t)
    assert doc["blocks"][1]["repeat"] == {"by_week": [6, 8, 10, 12]}
    assert doc["sessions_per_week"] == 1
    assert template_from_json(doc).expand(2)[1].kind is IntervalKind.WORK


SPEED, REPEAT, NAME = '"speed_kmh": 8', '"repeat": 10', '"name": "Mine"'


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (SPEED, '"speed_kmh": ' + "9" * 400, "speed_kmh: must be between 0 and 40"),
        (REPEAT, '"repeat": ' + "9" * 5000, "a number too long to read"),
        (NAME, '"name": "Mi\\ud800ne"', "name: must not contain a lone surrogate"),
        (NAME, '"name": "Mi\\u009bne"', "name: must not contain control characters"),
    ],
)
def test_numbers_too_big_for_a_float_and_text_that_is_not_text(
    old: str, new: str, message: str
) -> None:
    import json

    from legtimer.plans import find_builtin, template_to_json

    doc = template_to_json(find_builtin("HIIT 30/30"))  # type: ignore[arg-type]
    doc["name"] = "Mine"
    text = json.dumps(doc)
    assert old in text
    text = text.replace(old, new, 1)
    with pytest.raises(TemplateError, match=message):
        read_template_bytes(text)


def test_a_device_or_a_pipe_is_not_read_as_a_template(tmp_path: Path) -> None:
    from tests.conftest import special_files

    for path in special_files(tmp_path):
        with pytest.raises(TemplateError, match="is not a regular file"):
            read_template_file(path)
