"""The quick text notation for a template's blocks, parsed and printed round trip.

    5m warmup @8kmh; 6x(15s sprint @16kmh 1%, 45s rest @5kmh); 5m cooldown

Grammar (`;` and `,` both separate blocks):

    blocks   := block ((";" | ",") block)*
    block    := repeat | interval
    repeat   := COUNT "x" "(" blocks ")" ["nolastrest"]
    COUNT    := INT | "[" INT ("," INT)* "]"          # one count per program week
    interval := DURATION WORD [NAME] ["@" TARGET+] ["say" NAME]
    DURATION := 1h30m | 5m | 90s | 1m30s | 1:30
    WORD     := warmup | work | rest | recover | cooldown | sprint | uphill | jog | walk
    NAME     := "text in double quotes" (\\" and \\\\ escape)
    TARGET   := 12.5kmh | 12.5km/h | 6% | -2%

A WORD gives the kind and a default name (sprint is work named "Sprint"); a quoted NAME after
it replaces the name. Errors say the column (1-based) where the text stopped making sense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from legtimer.engine.model import IntervalKind
from legtimer.plans.formats import DEFAULT_NAMES
from legtimer.plans.model import (
    MAX_CUE,
    MAX_INCLINE_PCT,
    MAX_NAME,
    MAX_REPEAT,
    MAX_SECONDS,
    MAX_SPEED_KMH,
    MAX_WEEKS,
    MIN_INCLINE_PCT,
    Block,
    IntervalBlock,
    RepeatBlock,
)

K = IntervalKind
#: word -> (kind, default name). The kinds' own words come first so the printer prefers them.
WORDS: dict[str, tuple[IntervalKind, str]] = {
    "warmup": (K.WARMUP, DEFAULT_NAMES[K.WARMUP]),
    "work": (K.WORK, DEFAULT_NAMES[K.WORK]),
    "rest": (K.REST, DEFAULT_NAMES[K.REST]),
    "recover": (K.RECOVER, DEFAULT_NAMES[K.RECOVER]),
    "cooldown": (K.COOLDOWN, DEFAULT_NAMES[K.COOLDOWN]),
    "sprint": (K.WORK, "Sprint"),
    "uphill": (K.WORK, "Uphill"),
    "jog": (K.RECOVER, "Jog"),
    "walk": (K.REST, "Walk"),
}


class NotationError(ValueError):
    def __init__(self, column: int, problem: str) -> None:
        self.column = column
        self.problem = problem
        super().__init__(f"column {column}: {problem}")


@dataclass
class _Tok:
    kind: str  # dur, int, word, name, target, sym, end
    text: str
    pos: int  # 0-based
    value: object = None


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<dur>\d+:\d{2}(?![\w%])|(?=\d)(?:\d+h)?(?:\d+m)?(?:\d+s)?(?<=[hms])(?![\w%/]))
  | (?P<speed>\d+(?:\.\d+)?(?:kmh|km/h)(?![\w%]))
  | (?P<incline>-?\d+(?:\.\d+)?%)
  | (?P<repx>\d+x(?=\s*\())
  | (?P<int>\d+(?![\w.%]))
  | (?P<word>[A-Za-z][A-Za-z-]*)
  | (?P<name>"(?:[^"\\]|\\.)*")
  | (?P<sym>[;,()@\[\]])
    """,
    re.VERBOSE,
)


def _duration(text: str) -> int:
    if ":" in text:
        m, s = text.split(":")
        return int(m) * 60 + int(s)
    total = 0
    for value, unit in re.findall(r"(\d+)([hms])", text):
        total += int(value) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos].isdigit():
                raise NotationError(
                    pos + 1,
                    "expected a duration (15s, 5m, 1m30s, 1:30), a count (6x) or a "
                    "target (12kmh, 6%)",
                )
            raise NotationError(pos + 1, f"unexpected {text[pos]!r}")
        kind = m.lastgroup
        assert kind is not None
        raw = m.group()
        if kind == "space":
            pass
        elif kind == "dur":
            out.append(_Tok("dur", raw, pos, _duration(raw)))
        elif kind == "speed":
            out.append(_Tok("target", raw, pos, ("speed", float(re.sub(r"km/?h", "", raw)))))
        elif kind == "incline":
            out.append(_Tok("target", raw, pos, ("incline", float(raw[:-1]))))
        elif kind == "repx":
            out.append(_Tok("int", raw[:-1], pos, int(raw[:-1])))
            out.append(_Tok("sym", "x", pos + len(raw) - 1))
        elif kind == "int":
            out.append(_Tok("int", raw, pos, int(raw)))
        elif kind == "word":
            out.append(_Tok("word", raw, pos, raw.lower()))
        elif kind == "name":
            out.append(_Tok("name", raw, pos, re.sub(r"\\(.)", r"\1", raw[1:-1])))
        else:
            out.append(_Tok("sym", raw, pos))
        pos = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def fail(self, problem: str, tok: _Tok | None = None) -> NotationError:
        t = tok or self.tok
        return NotationError(t.pos + 1, problem)

    def take(self) -> _Tok:
        t = self.tok
        self.i += 1
        return t

    def expect_sym(self, sym: str, what: str) -> None:
        if self.tok.kind == "sym" and self.tok.text == sym:
            self.i += 1
            return
        found = repr(self.tok.text) if self.tok.kind != "end" else "the end"
        raise self.fail(f"expected {what}, found {found}")

    def blocks(self, closing: str | None) -> tuple[Block, ...]:
        out = [self.block()]
        while self.tok.kind == "sym" and self.tok.text in ";,":
            self.i += 1
            if self.tok.kind == "end" or (self.tok.kind == "sym" and self.tok.text == ")"):
                break  # a trailing separator is harmless
            out.append(self.block())
        if closing is None and self.tok.kind != "end":
            raise self.fail(f"expected ';' or the end, found {self.tok.text!r}")
        return tuple(out)

    def block(self) -> Block:
        t = self.tok
        if t.kind == "int" or (t.kind == "sym" and t.text == "["):
            return self.repeat()
        if t.kind == "dur":
            return self.interval()
        if t.kind == "end":
            raise self.fail("expected an interval (like 15s sprint) or a repeat (like 6x(...))")
        raise self.fail(
            f"expected a duration (15s, 5m, 1m30s) or a repeat count (6x), found {t.text!r}"
        )

    #: Repeats inside repeats, as deep as the template format allows.
    MAX_DEPTH = 8

    def repeat(self) -> RepeatBlock:
        count: int | tuple[int, ...]
        self.depth += 1
        if self.depth > self.MAX_DEPTH:
            raise self.fail(f"repeats nest at most {self.MAX_DEPTH} deep")
        if self.tok.kind == "sym":
            self.i += 1
            counts = [self.count()]
            while self.tok.kind == "sym" and self.tok.text == ",":
                self.i += 1
                counts.append(self.count())
            self.expect_sym("]", "']' after the counts per week")
            if len(counts) > MAX_WEEKS:
                raise self.fail(f"at most {MAX_WEEKS} weeks")
            count = tuple(counts)
        else:
            count = self.count()
        if self.tok.kind == "word" and self.tok.value == "x":
            self.i += 1
        else:
            self.expect_sym("x", "'x' after the repeat count, as in 6x(...)")
        self.expect_sym("(", "'(' to open the repeated blocks")
        if self.tok.kind == "sym" and self.tok.text == ")":
            raise self.fail("a repeat needs at least one block")
        blocks = self.blocks(")")
        self.expect_sym(")", "')' to close the repeat")
        skip = False
        if self.tok.kind == "word" and self.tok.value == "nolastrest":
            self.i += 1
            skip = True
        self.depth -= 1
        return RepeatBlock(count, blocks, skip)

    def count(self) -> int:
        t = self.tok
        if t.kind != "int":
            raise self.fail(f"expected a repeat count, found {t.text!r}")
        self.i += 1
        assert isinstance(t.value, int)
        if not 1 <= t.value <= MAX_REPEAT:
            raise self.fail(f"a repeat count must be 1 to {MAX_REPEAT}", t)
        return t.value

    def interval(self) -> IntervalBlock:
        dur = self.take()
        assert isinstance(dur.value, int)
        if not 1 <= dur.value <= MAX_SECONDS:
            raise self.fail("a duration must be 1 s to 4 h", dur)
        w = self.tok
        if w.kind != "word" or w.value not in WORDS:
            raise self.fail(f"expected what the interval is ({', '.join(WORDS)})")
        self.i += 1
        assert isinstance(w.value, str)
        kind, name = WORDS[w.value]
        if self.tok.kind == "name":
            name = self.quoted("name", MAX_NAME)
        speed = incline = None
        if self.tok.kind == "sym" and self.tok.text == "@":
            self.i += 1
            if self.tok.kind != "target":
                raise self.fail("expected a speed (12kmh) or an incline (6%) after '@'")
            while self.tok.kind == "target":
                t = self.take()
                assert isinstance(t.value, tuple)
                what, value = t.value
                if what == "speed":
                    if speed is not None:
                        raise self.fail("speed given twice", t)
                    if not 0 <= value <= MAX_SPEED_KMH:
                        raise self.fail(f"speed must be 0 to {MAX_SPEED_KMH:g} km/h", t)
                    speed = value
                else:
                    if incline is not None:
                        raise self.fail("incline given twice", t)
                    if not MIN_INCLINE_PCT <= value <= MAX_INCLINE_PCT:
                        raise self.fail(
                            f"incline must be {MIN_INCLINE_PCT:g} to {MAX_INCLINE_PCT:g} %", t
                        )
                    incline = value
        cue = None
        if self.tok.kind == "word" and self.tok.value == "say":
            self.i += 1
            if self.tok.kind != "name":
                raise self.fail('expected the words to say in double quotes, as say "Go!"')
            cue = self.quoted("cue", MAX_CUE)
        return IntervalBlock(kind, name, dur.value, speed, incline, cue)

    def quoted(self, what: str, limit: int) -> str:
        t = self.take()
        assert isinstance(t.value, str)
        text = t.value.strip()
        if not text:
            raise self.fail(f"the {what} must not be empty", t)
        if len(text) > limit:
            raise self.fail(f"the {what} is longer than {limit} characters", t)
        if any(ord(c) < 32 for c in text):
            raise self.fail(f"the {what} must not contain control characters", t)
        return text


def parse(text: str) -> tuple[Block, ...]:
    """Blocks from the text notation, or NotationError naming the column."""
    if not text.strip():
        raise NotationError(1, "expected at least one interval, as in 5m warmup; 6x(15s sprint)")
    return _Parser(text).blocks(None)


# -- printing ---------------------------------------------------------------------------------


def format_duration(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    parts = [f"{h}h" if h else "", f"{m}m" if m else "", f"{s}s" if s else ""]
    return "".join(parts) or "0s"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(x: float) -> str:
    """Shortest text that reads back as exactly `x`, never in exponent form."""
    from decimal import Decimal  # here: decimal costs start-up time and is rarely needed

    text = format(Decimal(repr(float(x))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _interval(b: IntervalBlock) -> str:
    word = next((w for w, (k, n) in WORDS.items() if k is b.kind and n == b.name), None)
    if word is None:
        word = next(w for w, (k, _) in WORDS.items() if k is b.kind)
        head = f"{word} {_quote(b.name)}"
    else:
        head = word
    out = f"{format_duration(b.seconds)} {head}"
    targets = []
    if b.speed_kmh is not None:
        targets.append(f"{_number(b.speed_kmh)}kmh")
    if b.incline_pct is not None:
        targets.append(f"{_number(b.incline_pct)}%")
    if targets:
        out += " @" + " ".join(targets)
    if b.cue is not None:
        out += f" say {_quote(b.cue)}"
    return out


def _block(b: Block) -> str:
    if isinstance(b, IntervalBlock):
        return _interval(b)
    count = b.count if isinstance(b.count, int) else "[" + ",".join(map(str, b.count)) + "]"
    inner = ", ".join(_block(c) for c in b.blocks)
    return f"{count}x({inner})" + (" nolastrest" if b.skip_last_rest else "")


def format_blocks(blocks: tuple[Block, ...]) -> str:
    return "; ".join(_block(b) for b in blocks)
