"""Hypothesis strategies for playlists: valid ones of every slide type, and hostile variants.

`playlists()` draws a plain dict that the loader must accept (given the files in
`FILES`, written by `write_files`); `mutated()` breaks one in the ways people and
strangers do; `to_yaml()` writes either as text. `check_outcome()` is the loader's
whole contract: a Playlist, or a PlaylistError whose every problem has a place and a
message; nothing else, and quickly.
"""

from __future__ import annotations

import math
import string
import struct
import time
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from kiosk.playlist import Playlist, PlaylistError
from kiosk.playlist.model import COLOR_NAMES, DAY_NAMES, MAX_NUMBER, SLIDE_TYPES

SECONDS_PER_LOAD = 2.0

# ---------------------------------------------------------------- files a playlist may name

PNG_NAME = "pic.png"
BAR_CSV = "bars.csv"
LINE_CSV = "line.csv"
PIE_YAML = "pie.yaml"


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid RGB PNG, written by hand (no Qt needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def write_files(folder: Path) -> Path:
    """The image and data files the generated playlists name, in `folder`."""
    (folder / PNG_NAME).write_bytes(tiny_png())
    (folder / BAR_CSV).write_text("label,value,color\n立案数,-18.4,#3ecf8e\n破案数,20.9,\n", "utf-8")
    (folder / LINE_CSV).write_text("year,cases,solved\n2021,10,8\n2022,12,11\n2023,9,9\n", "utf-8")
    (folder / PIE_YAML).write_text("- {label: a, value: 3}\n- {label: b, value: 1.5}\n", "utf-8")
    return folder


# ---------------------------------------------------------------- text

RTL = "مرحبا بالعالم שלום עולם "
EMOJI = "👮‍♀️🚓🎉🇨🇳👍🏽❤️"
CJK = "向人民报告江苏公安平安答卷破案率万亿余名以上同比"
# Text a person might paste: scripts of every direction, emoji sequences, CJK, and the
# odd invisible character that a chat app adds (zero-width space, joiner, RTL mark).
_ALPHABET = st.one_of(
    st.sampled_from(string.ascii_letters + string.digits + " .,:;!?%-#'\"()[]{}&*|>@`"),
    st.sampled_from(CJK + RTL + "\u200b\u200c\u200d\u200e\u200f\u202e\u2066\u3000\ufeff"),
    st.sampled_from(list(EMOJI)),
    st.characters(exclude_categories=("Cs", "Cc")),
)


def texts(max_size: int = 24) -> st.SearchStrategy[str]:
    """Printable text of every script; now and then 10,000 characters long."""
    short = st.text(_ALPHABET, min_size=0, max_size=max_size)
    long = st.builds(
        lambda base, n: (base * (10_000 // max(1, len(base)) + 1))[:n],
        st.sampled_from([CJK, RTL, EMOJI, "word " * 3, "x"]),
        st.sampled_from([200, 2_000, 10_000]),
    )
    return st.one_of(short, short, short, long)


def labels() -> st.SearchStrategy[str]:
    """Text for a required label: never empty or only spaces."""
    return texts().map(lambda t: t if t.strip() else f"x{t}")


# ---------------------------------------------------------------- numbers

# Any number the language takes: finite, at most MAX_NUMBER (10^15) in size, down to the
# smallest float.
finite = st.floats(-MAX_NUMBER, MAX_NUMBER)
# Plain numbers people write, and now and then a huge or tiny one.
numbers = st.one_of(
    st.integers(-1_000_000, 1_000_000),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 2)),
    finite,
)
non_negative = st.one_of(
    st.integers(0, 1_000_000), st.floats(0, 1e6).map(lambda v: round(v, 2)), st.floats(0, MAX_NUMBER)
)
durations = st.one_of(
    st.integers(0, 600),
    st.floats(0, 86_400, allow_nan=False),
    st.sampled_from(["8s", "1m30s", "600ms", "0s", "1h", "12 s", "24h"]),
)
directions = st.sampled_from(["up", "down"])
colors = st.one_of(
    st.sampled_from(sorted(COLOR_NAMES)),
    st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}"),
    st.integers(0, 0xFFF).map(lambda n: f"#{n:03X}"),
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def when(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        start = draw(st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)))
        out["from"] = start.isoformat(timespec="minutes")
        if draw(st.booleans()):
            out["until"] = (start + timedelta(minutes=draw(st.integers(1, 10_000)))).isoformat(
                timespec="minutes"
            )
    if draw(st.booleans()):
        out["days"] = draw(st.lists(st.sampled_from(DAY_NAMES), min_size=1, max_size=7, unique=True))
    if draw(st.booleans()):
        start, end = draw(st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=2, unique=True))
        out["hours"] = f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
    return out


def drop_none(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}


# ---------------------------------------------------------------- slides


def figure_fields() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "label": labels(),
        "value": numbers,
        "prefix": optional(texts(4)),
        "unit": optional(texts(6)),
        "suffix": optional(texts(4)),
        "trend": optional(directions),
        "good": optional(directions),
        "note": optional(texts()),
        "count_up": optional(st.one_of(st.just(False), durations)),
        "decimals": optional(st.integers(0, 6)),
    }


def fixed(strategies: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(strategies).map(drop_none)


@st.composite
def gauge(draw: st.DrawFn) -> dict[str, Any]:
    top = draw(st.one_of(st.integers(1, 1000), st.floats(1e-6, 1e12)))
    value = draw(st.floats(0, 1)) * top
    return drop_none(
        {
            "label": draw(labels()),
            "value": min(value, top),
            "max": top,
            "unit": draw(optional(texts(6))),
            "prefix": draw(optional(texts(4))),
            "suffix": draw(optional(texts(4))),
            "note": draw(optional(texts())),
        }
    )


@st.composite
def line(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.integers(0, 5)) == 0:
        return {"data": LINE_CSV, "title": draw(texts())}
    n = draw(st.integers(2, 12))
    series = draw(
        st.lists(
            fixed(
                {
                    "name": labels(),
                    "values": st.lists(numbers, min_size=n, max_size=n),
                    "color": optional(colors),
                }
            ),
            min_size=1,
            max_size=4,
        )
    )
    return drop_none(
        {
            "title": draw(optional(texts())),
            "x": draw(st.lists(labels(), min_size=n, max_size=n)),
            "series": series,
            "unit": draw(optional(texts(6))),
        }
    )


@st.composite
def pie(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.integers(0, 5)) == 0:
        return {"data": PIE_YAML}
    slices = draw(
        st.lists(
            fixed({"label": labels(), "value": non_negative, "color": optional(colors)}),
            min_size=1,
            max_size=12,
        ).filter(lambda s: sum(x["value"] for x in s) > 0)
    )
    return drop_none(
        {
            "title": draw(optional(texts())),
            "slices": slices,
            "donut": draw(optional(st.booleans())),
            "unit": draw(optional(texts(6))),
        }
    )


def bar() -> st.SearchStrategy[dict[str, Any]]:
    inline = fixed(
        {
            "title": optional(texts()),
            "bars": st.lists(
                fixed({"label": labels(), "value": numbers, "color": optional(colors)}),
                min_size=1,
                max_size=12,
            ),
            "orientation": optional(st.sampled_from(["vertical", "horizontal"])),
            "unit": optional(texts(6)),
            "good": optional(directions),
            "show_values": optional(st.booleans()),
        }
    )
    return st.one_of(inline, inline, inline, st.just({"data": BAR_CSV, "orientation": "horizontal"}))


SLIDE_FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "title": fixed(
        {
            "title": labels(),
            "subtitle": optional(texts()),
            "footer": optional(texts()),
            "logo": optional(st.just(PNG_NAME)),
        }
    ),
    "stat": fixed(figure_fields()),
    "stats": fixed(
        {
            "title": optional(texts()),
            "items": st.lists(fixed(figure_fields()), min_size=2, max_size=8),
            "columns": optional(st.integers(1, 4)),
        }
    ),
    "bar": bar(),
    "line": line(),
    "pie": pie(),
    "gauge": gauge(),
    "text": fixed(
        {"heading": optional(texts()), "body": st.one_of(texts(400), st.lists(texts(), max_size=12))}
    ),
    "timeline": fixed(
        {
            "title": optional(texts()),
            "steps": st.lists(fixed({"time": texts(12), "text": texts()}), min_size=1, max_size=8),
        }
    ),
    "image": fixed(
        {
            "src": st.just(PNG_NAME),
            "fit": optional(st.sampled_from(["contain", "cover"])),
            "caption": optional(texts()),
        }
    ),
    "tribute": fixed({"title": labels(), "body": optional(texts(400))}),
}
assert set(SLIDE_FIELDS) == set(SLIDE_TYPES), "a new slide type needs its strategy here"


def common_fields() -> st.SearchStrategy[dict[str, Any]]:
    transition = st.one_of(
        st.sampled_from(["fade", "slide", "zoom", "none"]),
        fixed(
            {
                "type": optional(st.sampled_from(["fade", "slide", "zoom", "none"])),
                "duration": optional(durations),
            }
        ),
    )
    return fixed(
        {
            "duration": optional(durations),
            "transition": optional(transition),
            "when": optional(when()),
            "background": optional(st.one_of(colors, st.just(PNG_NAME))),
            "skip": optional(st.booleans()),
            "notes": optional(texts()),
            "source": optional(texts()),
        }
    )


@st.composite
def slides(draw: st.DrawFn, kinds: tuple[str, ...] = tuple(SLIDE_TYPES)) -> dict[str, Any]:
    kind = draw(st.sampled_from(kinds))
    return {"type": kind, **draw(common_fields()), **draw(SLIDE_FIELDS[kind])}


@st.composite
def playlists(
    draw: st.DrawFn, kinds: tuple[str, ...] = tuple(SLIDE_TYPES), max_slides: int = 4
) -> dict[str, Any]:
    """A playlist the loader must accept, as plain data."""
    body = draw(st.lists(slides(kinds), min_size=1, max_size=max_slides))
    for index, slide in enumerate(body):
        if draw(st.booleans()):
            slide["id"] = f"s{index}-{draw(st.text(string.ascii_letters + '_-', max_size=8))}"
    settings = fixed(
        {
            "version": optional(st.just(1)),
            "title": optional(texts()),
            "theme": optional(st.sampled_from(["police-blue", "light"])),
            "defaults": optional(
                fixed({"duration": optional(durations), "transition": optional(st.just("zoom"))})
            ),
            "loop": optional(st.booleans()),
        }
    )
    return {**draw(settings), "slides": body}


# ---------------------------------------------------------------- breaking them

JUNK_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    -(10**9),
    10**18,
    10**300,
    -1e308,
    1e308,
    5e-324,
    math.nan,
    math.inf,
    -math.inf,
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    ".nan",
    "1e999",
    "",
    " ",
    "x" * 10_000,
    "\x01\x02\x7f",
    "\u202eevil\u202c",
    "\u200b",
    EMOJI * 50,
    [],
    [[]],
    {},
    {"": ""},
    [None],
    [1, "a", None],
    {"type": "stat"},
    "2024-13-45T99:99",
    "-1s",
    "99:99-00:00",
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\x.png",
    "http://example.com/x.png",
]

junk = st.one_of(
    st.sampled_from(JUNK_VALUES),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
    st.recursive(
        st.one_of(st.none(), st.integers(), st.text(max_size=5)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=10,
    ),
)


def nested(depth: int, kind: str) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every dict and list in data (the places a mutation can act)."""
    found = []
    if isinstance(data, dict | list):
        found.append(path)
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in items:
            found.extend(_containers(value, (*path, key)))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn, kinds: tuple[str, ...] = tuple(SLIDE_TYPES)) -> dict[str, Any]:
    """A valid playlist with one to three things broken: wrong types, missing and extra keys,
    huge and negative numbers, NaN and infinity, empty lists, long and odd text, deep nesting."""
    data = draw(playlists(kinds, max_slides=4))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_containers(data)))
        target = _at(data, path)
        action = draw(st.sampled_from(["replace", "delete", "add", "empty", "deep", "negate"]))
        if isinstance(target, dict):
            keys = list(target)
            if action == "add" or not keys:
                key = draw(
                    st.one_of(st.sampled_from(["colour", "valeu", "type", "id", "<<"]), st.text(max_size=12))
                )
                target[key] = draw(junk)
                continue
            key = draw(st.sampled_from(keys))
        else:
            if not target:
                target.append(draw(junk))
                continue
            key = draw(st.integers(0, len(target) - 1))
        if action == "delete":
            del target[key]
        elif action == "empty":
            target[key] = draw(st.sampled_from([[], {}, "", None]))
        elif action == "deep":
            target[key] = nested(draw(st.integers(30, 60)), draw(st.sampled_from(["list", "dict"])))
        elif (
            action == "negate" and isinstance(target[key], int | float) and not isinstance(target[key], bool)
        ):
            target[key] = -target[key] * draw(st.sampled_from([1, 1e300, 1e-300]))
        else:
            target[key] = draw(junk)
    return data


# ---------------------------------------------------------------- YAML text


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: ten times faster


def to_yaml(data: Any, flow: bool | None = None) -> str:
    """yaml.safe_dump, as people's tools write YAML (NaN and infinity as .nan and .inf)."""
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=80
    )


# Fragments safe_dump never writes but a hand (or a stranger) does.
HOSTILE_FRAGMENTS = [
    "!!python/object/apply:os.system ['echo hacked']",
    "!!python/name:os.system",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [{a: 1}]",
    "!custom x",
    "&a [*a]",
    "&m {<<: *m}",
    "{<<: [*a, *a]}",
    "*undefined",
    "&x 1",
    "<<: *x",
    "{a: 1, a: 2}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "? [complex, key]\n: v",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:yaml.org,2002:python/\n",
    "|\n  block\n",
    ">-\n  folded\n",
    "'unterminated",
    '"bad \\q escape"',
    "\t",
    "\x00",
    "\x07",
    "\ufeff",
    "\u2028",
    "\x85",
    "0x" + "f" * 5000,
    "9" * 5000,
    ".nan",
    "-.inf",
    "2024-02-30",
    "1:30:00",
    "0o777",
    "0b1010",
    "~",
    "@reserved",
    "`reserved",
    "%",
    "- - - -",
    ": :",
]

YAMLISH = st.lists(
    st.sampled_from([*"{}[]:,-&*!|>'\"#%@`?~ \n\t\\ab01.<=", "slides", "type", "title", "\n  - "])
).map("".join)


@st.composite
def hand_edited(draw: st.DrawFn) -> str:
    """YAML text of a valid playlist, then edited by hand: a fragment pasted somewhere,
    a line duplicated, a piece cut off, a key repeated."""
    text = to_yaml(draw(playlists(max_slides=3)), flow=draw(st.sampled_from([None, False, True])))
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["insert", "duplicate-line", "truncate", "splice-yamlish"]))
        lines = text.split("\n")
        if action == "insert":
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(st.sampled_from(HOSTILE_FRAGMENTS)) + text[position:]
        elif action == "duplicate-line":
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            text = "\n".join(lines)
        elif action == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        else:
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(YAMLISH) + text[position:]
    return text


# Scalars as a hand writes them in place of a value (flow style: no ',', '{' or '}').
HOSTILE_SCALARS = st.one_of(
    st.sampled_from(
        [
            "0x" + "f" * 5000,  # an int Python can build but not print
            "9" * 5000,  # an int Python will not build from text
            "1" + "0" * 400,
            "-" + "9" * 320,
            ".nan",
            ".NaN",
            "-.inf",
            ".inf",
            "'nan'",
            "'-inf'",
            "1e999",
            "-1e-999",
            "0b" + "1" * 2000,
            "0o777",
            "1_000_000",
            "190:20:30",
            "2024-02-30",
            "2024-01-10T08:00:00+99:00",
            "~",
            "null",
            "yes",
            "[]",
            "[[[[[[[[]]]]]]]]",
            "!!binary aGVsbG8=",
            "!!python/object/apply:os.getcwd []",
            "!!str 1",
            "!!int x",
            "!!float y",
            "!!bool maybe",
            "!!timestamp nope",
            "!!null z",
            "!<tag:yaml.org,2002:str> x",
            "*nowhere",
            '"\\0\\a\\e\\x00"',
            '"\\u202e\\u2028\\ud800"',
            "'" + "长" * 10_000 + "'",
            '"a\\0.png"',
            "'" + "x/" * 3000 + "x.png'",
            "'../' * 3",
            "/etc/passwd",
            "'C:\\x.png'",
            "'\\\\server\\share\\x.png'",
            "file:///etc/passwd",
            "http://example.com/x.png",
            "~/x.png",
        ]
    ),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(st.characters(exclude_characters=",{}[]\n#&*!|>'\"%@`"), max_size=20).map(lambda t: f"'{t}'"),
)

FIELD_NAMES = sorted(
    {name for model in SLIDE_TYPES.values() for name, f in model.model_fields.items()}
    | {"from", "until", "days", "hours", "label", "value", "color", "name", "values", "time", "text"}
    | {"<<", "valeu", "colour"}
)


@st.composite
def with_hostile_scalar(draw: st.DrawFn) -> str:
    """A valid playlist in flow style with one field (known or not, at the top or inside
    a list) set by hand to a hostile scalar: one that safe_dump would never write."""
    data = draw(playlists(max_slides=3))
    slide = draw(st.sampled_from(data["slides"]))
    marker = "__HOSTILE__"
    inner = [v for v in slide.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    target = draw(st.sampled_from(inner))[0] if inner and draw(st.booleans()) else slide
    target[draw(st.sampled_from(FIELD_NAMES))] = marker
    return to_yaml(data, flow=True).replace(marker, draw(HOSTILE_SCALARS), 1)


# ---------------------------------------------------------------- the contract


def check_outcome(load: Callable[[], Playlist], seconds: float = SECONDS_PER_LOAD) -> Playlist | None:
    """Run a load: a Playlist, or a PlaylistError with good problems; anything else
    propagates (and fails the test). Returns the playlist, or None for an error."""
    started = time.perf_counter()
    problems: list[Any] | None = None  # not the error itself: its traceback would hold this frame
    result: Playlist | None = None
    try:
        result = load()
    except PlaylistError as error:
        problems = error.problems
    elapsed = time.perf_counter() - started
    if problems is not None:
        assert problems, "a PlaylistError with no problems"
        for problem in problems:
            check_problem(problem)
    assert elapsed < seconds, f"the load took {elapsed:.2f} s"
    return result


def check_problem(problem: Any) -> None:
    mark, message = problem.mark, problem.message
    assert isinstance(mark.line, int) and mark.line >= 1, problem
    assert isinstance(mark.column, int) and mark.column >= 1, problem
    assert isinstance(message, str) and message.strip(), problem
    # One problem, one line: FILE:LINE:COL: message (a newline in it would forge another).
    assert "\n" not in message and "\r" not in message and "\u2028" not in message, repr(message)
    assert len(message) <= 600, f"a {len(message)}-character message"
