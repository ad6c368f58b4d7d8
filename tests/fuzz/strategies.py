"""Hypothesis strategies for playlists: valid ones of every slide type, and hostile variants.

`playlists()` draws a plain dict that the loader must accept (given the files in
`FILES`, written by `write_files`); `mutated()` breaks one in the ways people and
strangers do; `to_yaml()` writes either as text. `check_outcome()` is the loader's
whole contract: a Playlist, or a PlaylistError whose every problem has a place and a
message; nothing else, and quickly.
"""

from __future__ import annotations

import copy
import math
import string
import struct
import time
import types
import typing
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from kiosk.playlist import Playlist, PlaylistError, load_playlist
from kiosk.playlist.data import XLSX_OPTIONS
from kiosk.playlist.model import COLOR_NAMES, DAY_NAMES, MAX_NUMBER, SLIDE_TYPES, SlideBase

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


def fixed(strategies: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(strategies).map(drop_none)


# ---------------------------------------------------------------- slides, from the registry
#
# Every registered slide type gets its strategy from its model: the registry's examples
# give each type a valid shape (a line's series as long as its x labels, a gauge's value
# within its max), and every leaf is then redrawn from its field's type: text of every
# script, numbers huge and tiny, booleans, the choices of a Literal, colours, durations.
# Lists of records grow or shrink within their bounds; optional fields the example left
# out are drawn now and then. A new slide type needs nothing here.

#: the sample file each file-naming field points at (written by write_files)
DATA_FILE_FOR_FILLS = {("x", "series"): LINE_CSV, ("slices",): PIE_YAML}
LIST_CAP = 12  # records per list: enough to crowd a slide, few enough to stay quick


def _validator_names(metadata: list[Any]) -> set[str]:
    return {getattr(getattr(m, "func", None), "__name__", "") for m in metadata}


def _bound(metadata: list[Any], kind: str) -> Any:
    return next((getattr(m, kind) for m in metadata if hasattr(m, kind)), None)


def strategy_of(annotation: Any, metadata: list[Any], *, required: bool = False) -> st.SearchStrategy[Any]:
    """Values the language takes for a field of this type (pydantic's annotation and metadata)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *more = typing.get_args(annotation)
        return strategy_of(base, [*more, *metadata], required=required)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return st.one_of(*(strategy_of(a, metadata, required=required) for a in options))
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    if origin is list:
        (item,) = typing.get_args(annotation)
        low, high = _bound(metadata, "min_length") or 0, _bound(metadata, "max_length") or LIST_CAP
        return st.lists(
            strategy_of(item, [], required=True), min_size=low, max_size=max(low, min(high, LIST_CAP))
        )
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return record_of(annotation)
    validators = _validator_names(metadata)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(_bound(metadata, "ge") or 0, _bound(metadata, "le") or 100)
    if annotation is float:
        if "_seconds" in validators:
            return durations
        if "_count_up" in validators:
            return st.one_of(st.just(False), durations)
        if _bound(metadata, "ge") is not None or _bound(metadata, "gt") is not None:
            return (
                non_negative.filter(lambda v: v > 0) if _bound(metadata, "gt") is not None else non_negative
            )
        return numbers
    if "_color" in validators:
        return colors
    return labels() if required else texts()


@st.composite
def record_of(draw: st.DrawFn, model: type[BaseModel]) -> dict[str, Any]:
    """A nested record (a bar, a series, a step) drawn field by field."""
    out = {}
    for name, info in model.model_fields.items():
        if info.is_required() or draw(st.booleans()):
            out[info.alias or name] = draw(
                strategy_of(info.annotation, info.metadata, required=info.is_required())
            )
    return out


def _field_strategy(model: type[BaseModel], key: str) -> st.SearchStrategy[Any] | None:
    info = next((i for n, i in model.model_fields.items() if (i.alias or n) == key), None)
    if info is None:
        return None
    return strategy_of(info.annotation, info.metadata, required=info.is_required())


def _list_item_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    info = model.model_fields.get(key)
    if info is None:
        return None
    for candidate in typing.get_args(info.annotation) or (info.annotation,):
        if typing.get_origin(candidate) is list:
            (item,) = typing.get_args(candidate)
            if isinstance(item, type) and issubclass(item, BaseModel):
                return item
    return None


@st.composite
def _varied(draw: st.DrawFn, model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    """The example with its leaves redrawn, its lists of records resized."""
    out: dict[str, Any] = {}
    for key, value in example.items():
        item_model = _list_item_model(model, key)
        if item_model is not None and isinstance(value, list) and value:
            info = model.model_fields[key]
            low = max(1, _bound(info.metadata, "min_length") or 1)
            high = max(low, min(_bound(info.metadata, "max_length") or LIST_CAP, LIST_CAP))
            count = draw(st.integers(low, high))
            out[key] = [draw(_varied(item_model, draw(st.sampled_from(value)))) for _ in range(count)]
        elif isinstance(value, list) and value and not isinstance(value[0], dict):
            item = _scalar_item_strategy(model, key)  # same length: a line's values match its x
            out[key] = [draw(st.one_of(st.just(v), item)) if item is not None else v for v in value]
        else:
            strategy = _field_strategy(model, key)
            out[key] = draw(st.one_of(st.just(value), strategy)) if strategy is not None else value
    return out


def _scalar_item_strategy(model: type[BaseModel], key: str) -> st.SearchStrategy[Any] | None:
    """Values for the items of a list of scalars (x labels, series values, body lines)."""
    info = model.model_fields.get(key)
    if info is None:
        return None
    for candidate in typing.get_args(info.annotation) or (info.annotation,):
        if typing.get_origin(candidate) is list:
            return strategy_of(typing.get_args(candidate)[0], [], required=True)
    return None


COMMON_FIELDS = frozenset(SlideBase.model_fields)


@st.composite
def slide_fields(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    """A valid slide of the registered type `kind`, without its common fields."""
    model = SLIDE_TYPES[kind]
    # A copy: mutated() edits playlists in place, and must never edit the registry's examples
    # (a table's rows would lose cells for every later draw: hypothesis calls that flaky).
    example = copy.deepcopy({k: v for k, v in draw(st.sampled_from(model.examples)).items() if k != "type"})
    if "data" in example:  # a data-file example: the file fills the data fields
        example["data"] = DATA_FILE_FOR_FILLS.get(model.data_fills, BAR_CSV)
        skip = {"data", *model.data_fills}
    else:
        skip = {"data"}
    fields = draw(_varied(model, {k: v for k, v in example.items() if k not in skip}))
    fields.update({k: v for k, v in example.items() if k == "data"})
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in fields or key in skip or name in COMMON_FIELDS or info.is_required():
            continue
        if name in XLSX_OPTIONS:  # they go with an .xlsx data file: tests/unit/test_xlsx_data.py
            continue
        if name in model.file_fields:
            if draw(st.integers(0, 3)) == 0:
                fields[key] = PNG_NAME
            continue
        if draw(st.integers(0, 3)) == 0:
            fields[key] = draw(strategy_of(info.annotation, info.metadata))
    for name in model.file_fields:  # files the example names are the fuzz suite's own
        if name in fields and name != "data":
            fields[name] = PNG_NAME
    candidate = {"type": kind, **fields}
    if "data" not in fields:
        try:  # cross-field rules (a gauge's value within its max): redraw what breaks them
            model.model_validate(candidate)
        except ValidationError:
            assume(False)
    return fields


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
    return {"type": kind, **draw(common_fields()), **draw(slide_fields(kind))}


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


def refused_file(path: Path, seconds: float = 2.0) -> list[str]:
    """The problems of a playlist file that must be refused, quickly, each with a place;
    their file names relative to its folder."""
    started = time.perf_counter()
    with pytest.raises(PlaylistError) as info:
        load_playlist(path)
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"refusing took {elapsed:.2f} s"
    for problem in info.value.problems:
        check_problem(problem)
    return [str(p).replace(f"{path.parent}/", "") for p in info.value.problems]
