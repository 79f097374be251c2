"""Round trips and fuzzing of the template formats."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from legtimer.engine import IntervalKind
from legtimer.plans import (
    IntervalBlock,
    NotationError,
    RepeatBlock,
    Template,
    TemplateError,
    TemplateKind,
    format_blocks,
    parse,
    read_template_bytes,
    template_from_json,
    template_to_json,
)
from tests.plans.test_formats import HILL

text = (
    st.text(
        alphabet=st.characters(
            min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=["Cs", "Cc"]
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
speeds = st.none() | st.floats(0, 40, allow_nan=False)
inclines = st.none() | st.floats(-10, 40, allow_nan=False)
intervals = st.builds(
    IntervalBlock,
    kind=st.sampled_from(list(IntervalKind)),
    name=text,
    seconds=st.integers(1, 4 * 3600),
    speed_kmh=speeds,
    incline_pct=inclines,
    cue=st.none() | text,
)


def repeats(children: st.SearchStrategy[Any], weeks: int | None) -> st.SearchStrategy[RepeatBlock]:
    count: st.SearchStrategy[Any] = st.integers(1, 4)
    if weeks:
        count = count | st.tuples(*[st.integers(1, 4)] * weeks)
    return st.builds(
        RepeatBlock,
        count=count,
        blocks=st.lists(children, min_size=1, max_size=3).map(tuple),
        skip_last_rest=st.booleans(),
    )


@st.composite
def templates(draw: st.DrawFn) -> Template:
    weeks = draw(st.none() | st.integers(1, 4))
    blocks = st.recursive(intervals, lambda c: intervals | repeats(c, weeks), max_leaves=8)
    return Template(
        name=draw(text),
        kind=draw(st.sampled_from(list(TemplateKind))),
        blocks=tuple(draw(st.lists(blocks, min_size=1, max_size=4))),
        sessions_per_week=draw(st.integers(1, 3)),
    )


@settings(max_examples=200, deadline=None)
@given(templates())
def test_json_round_trip(t: Template) -> None:
    doc = json.loads(json.dumps(template_to_json(t)))
    assert template_from_json(doc) == t


@settings(max_examples=200, deadline=None)
@given(templates())
def test_text_round_trip(t: Template) -> None:
    printed = format_blocks(t.blocks)
    assert parse(printed) == t.blocks
    assert format_blocks(parse(printed)) == printed


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_random_documents_give_only_template_errors(doc: object) -> None:
    with contextlib.suppress(TemplateError):
        template_from_json(doc)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, (*prefix, i)))
    return out


ALL_PATHS = _paths(HILL)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), st.booleans(), json_values), max_size=4))
def test_mutated_documents_give_only_template_errors(
    edits: list[tuple[tuple[Any, ...], bool, object]],
) -> None:
    doc: Any = copy.deepcopy(HILL)
    for path, delete, value in edits:
        target = doc
        try:
            for key in path[:-1]:
                target = target[key]
            if delete:
                del target[path[-1]]
            else:
                target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    with contextlib.suppress(TemplateError):
        template_from_json(doc)
    with contextlib.suppress(TemplateError):
        read_template_bytes(json.dumps(doc)[: len(json.dumps(doc)) // 2])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_random_text_gives_only_notation_errors(line: str) -> None:
    try:
        parse(line)
    except NotationError as exc:
        assert 1 <= exc.column <= len(line) + 1
