"""Session definitions: templates, programs, built-ins and week progression (stdlib only).

The text notation (parse, format_blocks) loads on first use: the editor and the command line
need it, the home screen does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from legtimer.lazy import lazy_names
from legtimer.plans.builtin import builtins, find_builtin
from legtimer.plans.formats import (
    FORMAT,
    TemplateError,
    dumps,
    read_template_bytes,
    read_template_file,
    template_from_json,
    template_to_json,
    write_template_file,
)
from legtimer.plans.model import (
    Block,
    IntervalBlock,
    RepeatBlock,
    Template,
    TemplateKind,
    expand,
    find_template,
)

if TYPE_CHECKING:
    from legtimer.plans.notation import NotationError, format_blocks, parse

__all__ = [
    "FORMAT",
    "Block",
    "IntervalBlock",
    "NotationError",
    "RepeatBlock",
    "Template",
    "TemplateError",
    "TemplateKind",
    "builtins",
    "dumps",
    "expand",
    "find_builtin",
    "find_template",
    "format_blocks",
    "parse",
    "read_template_bytes",
    "read_template_file",
    "template_from_json",
    "template_to_json",
    "write_template_file",
]

__getattr__ = lazy_names(
    globals(), "legtimer.plans.notation", ["NotationError", "format_blocks", "parse"]
)
