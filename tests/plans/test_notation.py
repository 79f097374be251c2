from __future__ import annotations

import pytest

from legtimer.engine import IntervalKind
from legtimer.plans import (
    IntervalBlock,
    NotationError,
    RepeatBlock,
    find_builtin,
    format_blocks,
    parse,
)


def test_issue_example() -> None:
    blocks = parse("5m warmup @8kmh; 6x(15s sprint @16kmh 1%, 45s rest @5kmh); 5m cooldown")
    assert blocks == (
        IntervalBlock(IntervalKind.WARMUP, "Warm-up", 300, 8.0),
        RepeatBlock(
            6,
            (
                IntervalBlock(IntervalKind.WORK, "Sprint", 15, 16.0, 1.0),
                IntervalBlock(IntervalKind.REST, "Rest", 45, 5.0),
            ),
        ),
        IntervalBlock(IntervalKind.COOLDOWN, "Cool-down", 300),
    )
    assert format_blocks(blocks) == (
        "5m warmup @8kmh; 6x(15s sprint @16kmh 1%, 45s rest @5kmh); 5m cooldown"
    )


def test_names_cues_weeks_and_durations() -> None:
    blocks = parse(
        '[6,8,10,12]x(15s sprint say "Go!", 45s walk) nolastrest; 1:30 work "Backward uphill" '
        "@4.5km/h 12%; 1h2m3s recover"
    )
    rep, back, long = blocks
    assert isinstance(rep, RepeatBlock) and rep.count == (6, 8, 10, 12) and rep.skip_last_rest
    assert rep.blocks[0] == IntervalBlock(IntervalKind.WORK, "Sprint", 15, cue="Go!")
    assert back == IntervalBlock(IntervalKind.WORK, "Backward uphill", 90, 4.5, 12.0)
    assert isinstance(long, IntervalBlock) and long.seconds == 3723
    assert format_blocks(blocks).startswith("[6,8,10,12]x(15s sprint say")


def test_builtins_print_and_parse_back() -> None:
    t = find_builtin("Sprint 15/45")
    assert t is not None
    assert parse(format_blocks(t.blocks)) == t.blocks


def test_skip_last_rest_expands_without_final_rest() -> None:
    from legtimer.plans import expand

    plan = expand(parse("3x(20s work, 10s rest) nolastrest"))
    assert [i.kind for i in plan] == [IntervalKind.WORK, IntervalKind.REST] * 2 + [
        IntervalKind.WORK
    ]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("5m warmup; 6x(15s sprnt)", 19, "expected what the interval is"),
        ("5m warmup; 6x(15s sprint", 25, "expected ')' to close the repeat"),
        ("6x()", 4, "a repeat needs at least one block"),
        ("0x(15s work)", 1, "a repeat count must be 1 to 99"),
        ("5h work", 1, "a duration must be 1 s to 4 h"),
        ("15s work @", 11, "expected a speed (12kmh) or an incline (6%)"),
        ("15s work @41kmh", 11, "speed must be 0 to 40 km/h"),
        ("15s work @3% 4%", 14, "incline given twice"),
        ("5min warmup", 1, "expected a duration"),
        ("15s work; ?", 11, "unexpected '?'"),
        ('15s work "', 10, "unexpected '\"'"),
        ("", 1, "expected at least one interval"),
        ("15s work 20s rest", 10, "expected ';' or the end"),
    ],
)
def test_errors_point_at_the_column(line: str, column: int, message: str) -> None:
    with pytest.raises(NotationError) as exc:
        parse(line)
    assert exc.value.column == column, str(exc.value)
    assert message in str(exc.value)
    assert str(exc.value).startswith(f"column {column}: ")


def test_repeats_nested_past_the_format_say_so_instead_of_crashing() -> None:
    deep = "2x(" * 400 + "30s work" + ")" * 400
    with pytest.raises(NotationError, match="repeats nest at most 8 deep") as info:
        parse(deep)
    assert info.value.column == 1 + 3 * 8  # the ninth repeat
    assert parse("2x(" * 8 + "30s work" + ")" * 8)  # as deep as a template file allows
