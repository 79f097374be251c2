"""The editor's draft: fields as typed, checked in one place, edited by path (no Qt)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from legtimer.engine import IntervalKind
from legtimer.plans import IntervalBlock, RepeatBlock, Template, TemplateKind, find_builtin, parse
from legtimer.plans.draft import (
    Draft,
    DraftInterval,
    DraftRepeat,
    FieldError,
    Units,
    draft_block,
    parse_count,
    parse_duration,
)
from legtimer.plans.model import KM_PER_MILE
from tests.plans.test_properties import templates


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45", 45),
        ("45s", 45),
        (" 45 s ", 45),
        ("1:30", 90),
        ("0:45", 45),
        ("5m", 300),
        ("5min", 300),
        ("1m30s", 90),
        ("1m 30s", 90),
        ("1h", 3600),
        ("1:00:00", 3600),
        ("4h", 14400),
    ],
)
def test_durations_read_as_runners_write_them(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "write the duration"),
        ("1:75", "write the duration"),
        ("abc", "write the duration"),
        ("1:2:3:4", "write the duration"),
        ("5x", "write the duration"),
        ("0", "a duration is 0:01 to 4:00:00"),
        ("0:00", "a duration is 0:01 to 4:00:00"),
        ("4h1s", "a duration is 0:01 to 4:00:00"),
        ("9" * 400, "a duration is 0:01 to 4:00:00"),
        ("9" * 5000, "a duration is 0:01 to 4:00:00"),
        ("99999999999999999999s", "a duration is 0:01 to 4:00:00"),
    ],
)
def test_durations_that_do_not_read_say_what_is_wanted(text: str, problem: str) -> None:
    with pytest.raises(FieldError, match=problem):
        parse_duration(text)


def test_counts_follow_the_program_weeks() -> None:
    assert parse_count("6", 0) == 6
    assert parse_count("6", 4) == (6, 6, 6, 6)
    assert parse_count("6, 8; 10,12", 4) == (6, 8, 10, 12)
    with pytest.raises(FieldError, match="each of the 4 weeks"):
        parse_count("6, 8", 4)
    with pytest.raises(FieldError, match="counts per week are for programs"):
        parse_count("6, 8", 0)


def sample() -> Draft:
    """warm-up; 3x(work, rest); cool-down"""
    return Draft.of(
        Template("S", TemplateKind.CUSTOM, parse("5m warmup; 3x(30s work, 30s rest); 5m cooldown")),
        Units(),
    )


def test_problems_are_keyed_by_path_and_name_the_field() -> None:
    d = sample()
    assert d.problems() == {}
    work = d.at((1, 0))
    assert isinstance(work, DraftInterval)
    work.duration = "1:75"
    work.speed = "99"
    assert d.field_problems(work) == {
        "duration": "write the duration as m:ss or with units, like 0:45, 45s or 5m",
        "speed": "Speed is 0 to 40 km/h",
    }
    assert d.problems() == {(1, 0): d.field_problems(work)["duration"]}
    with pytest.raises(FieldError, match="write the duration"):
        d.template()
    empty = DraftRepeat("2", False, [])
    d.insert((), 3, empty)
    assert d.problems()[(3,)] == "a repeat needs at least one interval inside"


def test_editing_operations_return_where_the_block_went() -> None:
    d = sample()
    assert d.move((2,), -1) == (1,)  # the cool-down above the repeat
    assert d.move((0,), -1) == (0,)  # already first: stays
    assert d.indent((1,)) is None  # the warm-up above is no repeat
    assert d.move((1,), 1) == (2,)
    assert d.indent((2,)) == (1, 2)  # into the repeat just above, at its end
    assert d.template().blocks[1] == RepeatBlock(
        3,
        (
            IntervalBlock(IntervalKind.WORK, "Work", 30),
            IntervalBlock(IntervalKind.REST, "Rest", 30),
            IntervalBlock(IntervalKind.COOLDOWN, "Cool-down", 300),
        ),
    )
    assert d.outdent((1, 0)) == (2,)  # just after its repeat
    assert d.outdent((0,)) == (0,)  # at the top already
    removed = d.remove((2,))
    assert isinstance(removed, DraftInterval) and removed.kind is IntervalKind.WORK
    assert [type(b) for _, b in d.walk()] == [
        DraftInterval,
        DraftRepeat,
        DraftInterval,
        DraftInterval,
    ]
    with pytest.raises(IndexError):
        d.at((0, 1))  # through an interval


def test_the_whole_template_is_checked_as_a_file_would_be() -> None:
    d = sample()
    with pytest.raises(FieldError, match="needs a name"):
        Draft(blocks=d.blocks).template()
    with pytest.raises(FieldError, match="already exists"):
        d.template(taken=lambda name: name == "S")
    assert d.template(taken=lambda name: name == "S", original="s").name == "S"
    d.program = True  # the repeat's one count is then each week's
    assert d.template().weeks == 4
    d.remove((1,))
    with pytest.raises(FieldError, match="a program needs a repeat whose count changes by week"):
        d.template()


def test_a_speed_nobody_touched_stays_exact_in_mph() -> None:
    sprint = find_builtin("Sprint 15/45")
    assert sprint is not None
    mph = Draft.of(sprint, Units(mph=True))
    assert mph.template().blocks == sprint.blocks
    sprints = mph.at((1, 0))
    assert isinstance(sprints, DraftInterval) and sprints.speed == "9.9"
    sprints.speed = "10"  # typed: now it is 10 mph
    work = mph.template().blocks[1]
    assert isinstance(work, RepeatBlock) and isinstance(work.blocks[0], IntervalBlock)
    assert work.blocks[0].speed_kmh == round(10 * KM_PER_MILE, 2)
    back = mph.with_units(Units())
    assert back.units == Units() and back.at((1, 0)) == draft_block(work.blocks[0], Units())


@settings(max_examples=150, deadline=None)
@given(templates())
def test_any_template_reads_back_from_its_draft_unchanged(t: Template) -> None:
    for units in (Units(), Units(mph=True)):
        again = Draft.of(t, units).template()
        weeks = range(1, t.weeks + 1) if t.is_program else [None]
        assert [again.expand(w) for w in weeks] == [t.expand(w) for w in weeks]
        assert (again.name, again.kind, again.is_program) == (t.name, t.kind, t.is_program)


def test_lengths_in_words_never_say_zero_minutes() -> None:
    from legtimer.plans.words import length_range_text, length_text

    assert [length_text(s) for s in (20, 45, 89, 90, 960, 1320)] == [
        "20 s",
        "45 s",
        "89 s",
        "2 min",
        "16 min",
        "22 min",
    ]
    assert length_range_text(960, 1320) == "16-22 min"
    assert length_range_text(40, 40) == "40 s"
    assert length_range_text(40, 120) == "40 s to 2 min"
