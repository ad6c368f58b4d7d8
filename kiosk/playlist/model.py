"""The playlist language as pydantic models: one small class per slide type.

Qt-free by rule (see DESIGN.md): the language is checked and tested without a display.

The slide-type registry: a slide type is one class here, decorated with `@register`,
that states its facts as class variables (its view, the fields naming files, the fields a
data file fills, whether it is quiet, its examples). Everything else that lists the
types reads the registry: the loader, the JSON Schema, the views (kiosk/slides), the
README's table of types (tools/readme_types.py), the fuzz strategies and the tests'
minimal examples. Adding a type touches its model class, its view module, its golden
and its example; nothing else.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializeAsAny,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic import Strict as PydanticStrict
from pydantic_core import PydanticCustomError

from kiosk.numbers import decimals_of
from kiosk.playlist.durations import parse_duration

# ---------------------------------------------------------------- field types


def _seconds(value: object) -> float:
    return parse_duration(value)


Duration = Annotated[
    float,
    BeforeValidator(_seconds),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?\s*(ms|h|m|s)?)+\s*$"},
            ],
            "description": "Seconds, or text like '8s', '1m30s', '600ms'.",
        }
    ),
]


def _count_up(value: object) -> object:
    """`count_up: false` switches the count-up off (0 s); `true` keeps the default."""
    if value is False:
        return 0.0
    if value is True or value is None:
        return None
    return parse_duration(value)


CountUp = Annotated[
    float | None,
    BeforeValidator(_count_up),
    WithJsonSchema(
        {
            "anyOf": [{"type": "boolean"}, {"type": "number", "minimum": 0}, {"type": "string"}],
            "description": "How long the number counts up ('1.5s'), or false for none.",
        }
    ),
]


def _text(value: object) -> object:
    """Numbers written where text is expected (a year as a label) are taken as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return getattr(value, "written_text", None) or str(value)
    return value


# A number written where text goes is text (a series named 2022), so the schema says so.
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": ["string", "number"]})]

# Numbers on a slide stay within 10^15 (千万亿): beyond 2^53 a float cannot even hold every
# whole number, and axis spans of numbers near the float limit overflow to infinity.
MAX_NUMBER = 1e15


def _in_range(value: float) -> float:
    if abs(value) > MAX_NUMBER:
        raise ValueError(
            f"{value:g} is too large to show; numbers may be at most 10^15 (千万亿): write large "
            "figures with a unit, like value: 7 with unit: 亿人次"
        )
    return value


def _not_a_flag(kind: str) -> Callable[[object], object]:
    """pydantic's lax mode reads `true` as 1 and `columns: true` as one column: a typo that
    would pass silently. YAML's true/false (and yes/no) are never numbers here."""

    def refuse_flags(value: object) -> object:
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "not a number: {flag}", {"flag": value})
        return value

    return refuse_flags


#: a number as YAML writes it, or as text holding one ("99.2": quoting keeps trailing zeros)
NUMBER_TEXT = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"
Number = Annotated[
    float,
    BeforeValidator(_not_a_flag("float_type")),
    Field(allow_inf_nan=False),
    AfterValidator(_in_range),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": NUMBER_TEXT}]}),
]
#: a whole number (never true/false)
Count = Annotated[int, BeforeValidator(_not_a_flag("int_type"))]
#: true or false only: pydantic would also take 1, "on" and "yes" written in quotes
Flag = Annotated[bool, PydanticStrict()]

_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
# The colour names a playlist may use besides #hex; kept short on purpose so a typo
# ("gren") is an error rather than a silently black bar.
COLOR_NAMES = frozenset(
    [
        "white",
        "black",
        "gray",
        "grey",
        "silver",
        "red",
        "darkred",
        "crimson",
        "orange",
        "gold",
        "yellow",
        "green",
        "lime",
        "darkgreen",
        "teal",
        "cyan",
        "blue",
        "navy",
        "royalblue",
        "skyblue",
        "purple",
        "magenta",
        "pink",
        "brown",
        "transparent",
    ]
)


def is_color(text: str) -> bool:
    """True for '#rgb', '#rrggbb', '#aarrggbb' or one of COLOR_NAMES."""
    return bool(_HEX_COLOR.match(text)) or text.lower() in COLOR_NAMES


def _color(value: object) -> object:
    if isinstance(value, str) and not is_color(value):
        raise ValueError(f"'{value}' is not a colour; write it like '#3ecf8e' or a name such as gold, red")
    return value


Color = Annotated[str, BeforeValidator(_color), WithJsonSchema({"type": "string"})]

_ID = re.compile(r"^[^\s]{1,64}$")
Direction = Literal["up", "down"]
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TransitionName = Literal["fade", "slide", "zoom", "none"]
TRANSITION_NAMES: tuple[str, ...] = typing.get_args(TransitionName)


class Strict(BaseModel):
    """Unknown keys are errors: a typo must never pass silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------- shared parts


class Transition(Strict):
    """How a slide comes on screen: a name, or a mapping with its duration."""

    type: TransitionName = "fade"
    duration: Duration = 0.6

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def local_time(value: datetime | None) -> datetime | None:
    """Times are the display PC's local time (see schedule.py); one written with a zone
    (2024-01-10T08:00+08:00) is turned into local time here, so all compare."""
    if value is not None and value.tzinfo is not None:
        try:
            value = value.astimezone().replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{value.isoformat()} is out of the range of dates") from None
    return value


class When(Strict):
    """A window of time in which a slide is on air (all given parts must hold)."""

    from_: datetime | None = Field(default=None, alias="from")
    until: datetime | None = None
    days: list[Day] | None = Field(default=None, min_length=1)
    hours: str | None = Field(default=None, description="Daily hours like '08:00-18:00'.")

    @field_validator("days", mode="before")
    @classmethod
    def _lower_days(cls, value: Any) -> Any:
        # Mon, MON, monday and Monday all mean mon; "monster" is a mistake, not Monday.
        if isinstance(value, list):
            return [_day_name(v) if isinstance(v, str) else v for v in value]
        return value

    @field_validator("hours")
    @classmethod
    def _check_hours(cls, value: str | None) -> str | None:
        if value is not None:
            parse_hours(value)
        return value

    @field_validator("from_", "until", mode="before")
    @classmethod
    def _not_a_number(cls, value: Any) -> Any:
        # pydantic would read 2024 as seconds since 1970: a year alone is a mistake.
        if isinstance(value, int | float) and not isinstance(value, bool):
            written = getattr(value, "written_text", None) or value
            raise ValueError(f"write a date and time like 2024-01-10T08:00, not the number {written}")
        return value

    @field_validator("from_", "until")
    @classmethod
    def _local_time(cls, value: datetime | None) -> datetime | None:
        return local_time(value)

    @model_validator(mode="after")
    def _ordered(self) -> When:
        if self.from_ and self.until and self.until <= self.from_:
            raise ValueError("'until' must be later than 'from'")
        return self

    def minutes(self) -> tuple[int, int] | None:
        """The daily hours as minutes since midnight (start, end), or None for all day."""
        return parse_hours(self.hours) if self.hours else None


DAY_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day_name(text: str) -> str:
    word = text.strip().lower()
    return word[:3] if word in DAY_FULL_NAMES else word


def parse_hours(text: str) -> tuple[int, int]:
    """'08:00-18:00' -> (480, 1080). '22:00-06:00' wraps past midnight; '24:00' ends a day."""
    match = _HOURS.match(text)
    if not match:
        raise ValueError(f"hours must look like '08:00-18:00', got '{text}'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60:
        raise ValueError(f"'{text}' is not a time of day range; hours go from 00:00 to 24:00")
    if start == end:
        raise ValueError(f"hours '{text}' start and end at the same time")
    return start, end


def most_decimals(values: object) -> int | None:
    """The most decimals any of `values` was written with (2.90 and 4.00 -> 2), or None when
    they are not all numbers (the model then reports what is wrong with them)."""
    if not isinstance(values, list):
        return None
    try:
        return max(
            (decimals_of(v) for v in values if isinstance(v, int | float | str) and not isinstance(v, bool)),
            default=0,
        )
    except (ValueError, ArithmeticError):
        return None


class WrittenPrecision(Strict):
    """Keeps the number of decimals a `value` was written with (99.2 stays one decimal)."""

    decimals: Count | None = Field(default=None, ge=0, le=6)

    @model_validator(mode="before")
    @classmethod
    def _written_precision(cls, data: Any) -> Any:
        # The YAML loader tags floats with the precision they were written with; keep it
        # before pydantic turns the value into a plain float.
        if isinstance(data, dict) and data.get("decimals") is None and "value" in data:
            value = data["value"]
            if isinstance(value, int | float | str) and not isinstance(value, bool):
                try:
                    return {**data, "decimals": decimals_of(value)}
                except (ValueError, ArithmeticError):
                    return data
        return data


class Figure(WrittenPrecision):
    """A headline number with its qualifiers, as `stat` shows it and `stats` lists it."""

    label: Text
    value: Number
    prefix: Text = ""
    unit: Text = ""
    suffix: Text = ""
    trend: Direction | None = None
    good: Direction = "up"
    note: Text | None = None
    count_up: CountUp = None

    @property
    def good_news(self) -> bool | None:
        """Whether the trend is good news (None when there is no trend)."""
        return None if self.trend is None else self.trend == self.good


# ---------------------------------------------------------------- slides


class SlideBase(Strict):
    """Fields every slide takes, and the facts each slide type states for the registry."""

    type: str
    id: str | None = Field(default=None, description="Unique name, for --start and go-to.")
    duration: Duration | None = None
    transition: Transition | None = None
    when: When | None = None
    background: str | None = Field(default=None, description="A colour or an image path.")
    skip: Flag = False
    notes: Text | None = Field(
        default=None,
        description="Words for the speaker: shown in the presenter view (--presenter), never on the wall.",
    )
    source: Text | None = Field(default=None, description="A small citation line.")

    # ---- the registry's facts (class variables, never playlist fields)
    #: "module:Class" of the view that draws the type (imported on first use; kiosk/slides)
    view: ClassVar[str] = ""
    #: fields that name files, relative to the playlist's folder (checked by the loader)
    file_fields: ClassVar[tuple[str, ...]] = ()
    #: fields a `data:` file fills instead: one list of rows (("bars",)), or ("x", "series")
    data_fills: ClassVar[tuple[str, ...]] = ()
    #: the fields that name the slide for people (logs, the overview, export file names)
    label_fields: ClassVar[tuple[str, ...]] = ("title", "label", "heading", "caption")
    #: a quiet slide (remembrance): the dark quiet background, no footer
    quiet: ClassVar[bool] = False
    #: valid slides of the type as a playlist writes them; the first is the smallest
    #: (tests, fuzz strategies and docs read them; files named are the fuzz suite's own)
    examples: ClassVar[tuple[dict[str, Any], ...]] = ()

    @field_validator("id", mode="before")
    @classmethod
    def _check_id(cls, value: Any) -> Any:
        value = _text(value)
        if isinstance(value, str):
            if not _ID.match(value):
                raise ValueError("an id is 1 to 64 characters without spaces")
            if value.isdigit():
                raise ValueError(f"id '{value}' is only digits; it would clash with slide numbers")
        return value

    def background_is_color(self) -> bool:
        return self.background is not None and is_color(self.background)

    def label_for_humans(self) -> str:
        """A short name for logs, the overview grid and export file names."""
        for name in self.label_fields:
            text = getattr(self, name, None)
            if text:
                return str(text)
        return self.type


SLIDE_TYPES: dict[str, type[SlideBase]] = {}
"""The registry: slide type name -> model class, in the order types were registered."""

S = TypeVar("S", bound=type[SlideBase])


def register(model: S) -> S:
    """Add a slide type to the registry (a class decorator). The type's name is the
    default of its `type` field, as in `type: Literal["bar"] = "bar"`."""
    name = model.__pydantic_fields__["type"].default
    if not isinstance(name, str) or not name:
        raise TypeError(f"{model.__name__} needs a field like type: Literal['name'] = 'name'")
    if not model.view or ":" not in model.view:
        raise TypeError(f"{model.__name__} needs view = 'module:Class' (its widget)")
    if not model.examples:
        raise TypeError(f"{model.__name__} needs at least one example")
    SLIDE_TYPES[name] = model
    return model


def unregister(name: str) -> None:
    """Take a slide type out of the registry (tests that register a toy type)."""
    SLIDE_TYPES.pop(name, None)


@register
class TitleSlide(SlideBase):
    type: Literal["title"] = "title"
    view: ClassVar[str] = "kiosk.slides.title:TitleView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "title", "title": "向人民报告"},
        {
            "type": "title",
            "title": "向人民报告",
            "subtitle": "江苏公安2023“平安答卷”",
            "footer": "1月10日",
            "logo": "pic.png",
        },
    )
    title: Text
    subtitle: Text | None = None
    footer: Text | None = None
    logo: str | None = None
    file_fields: ClassVar[tuple[str, ...]] = ("logo",)


@register
class StatSlide(SlideBase, Figure):
    type: Literal["stat"] = "stat"
    view: ClassVar[str] = "kiosk.slides.stat:StatView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "stat", "label": "破案率", "value": 99.2, "unit": "%"},
        {
            "type": "stat",
            "label": "电诈案件",
            "value": 18.4,
            "unit": "%",
            "trend": "down",
            "good": "down",
            "prefix": "近",
            "suffix": "以上",
            "note": "同比",
            "count_up": "1.5s",
        },
    )


@register
class StatsSlide(SlideBase):
    type: Literal["stats"] = "stats"
    view: ClassVar[str] = "kiosk.slides.stats:StatsView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "stats", "items": [{"label": "a", "value": 1}, {"label": "b", "value": 2}]},
        {
            "type": "stats",
            "title": "平安答卷",
            "columns": 2,
            "items": [
                {"label": "立案", "value": 12.5, "unit": "万", "trend": "down", "good": "down"},
                {"label": "破案", "value": 9400, "unit": "余名"},
                {"label": "满意度", "value": 98.6, "unit": "%"},
            ],
        },
    )
    title: Text | None = None
    items: list[Figure] = Field(min_length=2, max_length=8)
    columns: Count | None = Field(default=None, ge=1, le=4, description="at most 2 on a portrait screen")


#: `sheet:` and `range:` go next to `data:` when it names an .xlsx file (kiosk/playlist/data.py)
SHEET_HELP = "of an .xlsx data file; the first by default"
RANGE_HELP = "the cells of an .xlsx data file to read, like A1:C14"


class Bar(WrittenPrecision):
    label: Text
    value: Number
    color: Color | None = None


@register
class BarSlide(SlideBase):
    type: Literal["bar"] = "bar"
    view: ClassVar[str] = "kiosk.slides.bar:BarView"
    data_fills: ClassVar[tuple[str, ...]] = ("bars",)
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "bar", "bars": [{"label": "立案数", "value": -18.4}]},
        {
            "type": "bar",
            "title": "同比",
            "unit": "%",
            "good": "up",
            "orientation": "horizontal",
            "bars": [
                {"label": "立案数", "value": -18.4, "color": "#3ecf8e"},
                {"label": "破案数", "value": 20.9},
            ],
        },
        {"type": "bar", "data": "bars.csv"},
    )
    title: Text | None = None
    bars: list[Bar] | None = Field(default=None, min_length=1, max_length=40)
    data: str | None = Field(default=None, description="A CSV or YAML file with the bars.")
    sheet: Text | None = Field(default=None, description=SHEET_HELP)
    range: str | None = Field(default=None, description=RANGE_HELP)
    orientation: Literal["vertical", "horizontal"] | None = None
    unit: Text = ""
    good: Direction | None = None
    show_values: Flag = True
    file_fields: ClassVar[tuple[str, ...]] = ("data",)

    @model_validator(mode="after")
    def _has_bars(self) -> BarSlide:
        if not self.bars:
            raise ValueError("a bar slide needs 'bars:' (a list) or 'data:' (a file)")
        return self

    def decimals(self) -> int:
        """The most decimals any bar was written with (all value labels share it)."""
        return max((b.decimals or 0 for b in self.bars or []), default=0)


class Series(Strict):
    name: Text
    values: list[Number] = Field(min_length=1)
    color: Color | None = None
    decimals: Count | None = Field(
        default=None, ge=0, le=6, description="Decimals to show; by default as the values are written."
    )

    @model_validator(mode="before")
    @classmethod
    def _written_precision(cls, data: Any) -> Any:
        # As for figures: the line's labels keep the precision of the values (2.90 stays 2.90).
        if isinstance(data, dict) and data.get("decimals") is None:
            decimals = most_decimals(data.get("values"))
            if decimals is not None:
                return {**data, "decimals": decimals}
        return data


@register
class LineSlide(SlideBase):
    type: Literal["line"] = "line"
    view: ClassVar[str] = "kiosk.slides.line:LineView"
    data_fills: ClassVar[tuple[str, ...]] = ("x", "series")
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "line", "x": ["2022", "2023"], "series": [{"name": "a", "values": [1, 2]}]},
        {
            "type": "line",
            "title": "损失",
            "unit": "亿",
            "x": ["2021", "2022", "2023"],
            "series": [
                {"name": "挽损", "values": [2.9, 4.0, 3.5], "color": "gold"},
                {"name": "b", "values": [1, 2, 3]},
            ],
        },
        {"type": "line", "data": "line.csv"},
    )
    title: Text | None = None
    x: list[Text] | None = Field(default=None, min_length=2, max_length=200)
    series: list[Series] | None = Field(default=None, min_length=1, max_length=8)
    data: str | None = None
    sheet: Text | None = Field(default=None, description=SHEET_HELP)
    range: str | None = Field(default=None, description=RANGE_HELP)
    unit: Text = ""
    file_fields: ClassVar[tuple[str, ...]] = ("data",)

    def decimals(self) -> int:
        """The most decimals any series was written with (every label of the line shares it)."""
        return max((s.decimals or 0 for s in self.series or []), default=0)

    @model_validator(mode="after")
    def _consistent(self) -> LineSlide:
        if not self.x or not self.series:
            raise ValueError("a line slide needs 'x:' and 'series:', or 'data:' (a file)")
        for series in self.series:
            if len(series.values) != len(self.x):
                raise ValueError(
                    f"series '{series.name}' has {len(series.values)} values but x has {len(self.x)} labels"
                )
        return self


class Slice(WrittenPrecision):
    label: Text
    value: Number = Field(ge=0)
    color: Color | None = None


@register
class PieSlide(SlideBase):
    type: Literal["pie"] = "pie"
    view: ClassVar[str] = "kiosk.slides.pie:PieView"
    data_fills: ClassVar[tuple[str, ...]] = ("slices",)
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "pie", "slices": [{"label": "a", "value": 1}, {"label": "b", "value": 3}]},
        {
            "type": "pie",
            "title": "构成",
            "unit": "件",
            "donut": False,
            "slices": [{"label": "盗窃", "value": 45, "color": "#f2c14e"}, {"label": "诈骗", "value": 30.5}],
        },
        {"type": "pie", "data": "pie.yaml"},
    )
    title: Text | None = None
    slices: list[Slice] | None = Field(default=None, min_length=1, max_length=12)
    data: str | None = None
    sheet: Text | None = Field(default=None, description=SHEET_HELP)
    range: str | None = Field(default=None, description=RANGE_HELP)
    donut: Flag = True
    unit: Text = ""
    file_fields: ClassVar[tuple[str, ...]] = ("data",)

    def decimals(self) -> int:
        """The most decimals any slice was written with (the total in the hole keeps it)."""
        return max((s.decimals or 0 for s in self.slices or []), default=0)

    @model_validator(mode="after")
    def _has_slices(self) -> PieSlide:
        if not self.slices:
            raise ValueError("a pie slide needs 'slices:' (a list) or 'data:' (a file)")
        if sum(s.value for s in self.slices) <= 0:
            raise ValueError("the slices add up to 0; a pie needs some positive value")
        return self


@register
class GaugeSlide(SlideBase, WrittenPrecision):
    type: Literal["gauge"] = "gauge"
    view: ClassVar[str] = "kiosk.slides.gauge:GaugeView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "gauge", "label": "网上办理", "value": 88},
        {
            "type": "gauge",
            "label": "覆盖率",
            "value": 2.5,
            "max": 5,
            "unit": "万",
            "prefix": "近",
            "suffix": "以上",
            "note": "全省",
        },
    )
    label: Text
    value: Number
    max: Number = Field(default=100, gt=0)
    unit: Text = "%"
    prefix: Text = ""
    suffix: Text = ""
    note: Text | None = None

    @model_validator(mode="after")
    def _in_range(self) -> GaugeSlide:
        if not 0 <= self.value <= self.max:
            raise ValueError(f"value {self.value:g} is outside the gauge's range 0 to {self.max:g}")
        return self


@register
class TextSlide(SlideBase):
    type: Literal["text"] = "text"
    view: ClassVar[str] = "kiosk.slides.text:TextView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "text", "body": "hello"},
        {"type": "text", "heading": "举措", "body": ["- 第一", "第二"]},
    )
    heading: Text | None = None
    body: Text | list[Text] = Field(description="lines starting with '- ' are bullets; or a list")

    @field_validator("body")
    @classmethod
    def _join_lines(cls, value: str | list[str]) -> str:
        return "\n".join(f"- {line}" for line in value) if isinstance(value, list) else value

    def lines(self) -> list[tuple[bool, str]]:
        """(is_bullet, text) for each non-empty line of the body."""
        out = []
        for line in str(self.body).splitlines():
            stripped = line.strip()
            if stripped.startswith("- "):
                out.append((True, stripped[2:].strip()))
            elif stripped:
                out.append((False, stripped))
        return out


class Step(Strict):
    time: Text
    text: Text


@register
class TimelineSlide(SlideBase):
    type: Literal["timeline"] = "timeline"
    view: ClassVar[str] = "kiosk.slides.timeline:TimelineView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "timeline", "steps": [{"time": "3分钟", "text": "升空"}]},
        {
            "type": "timeline",
            "title": "接警",
            "steps": [{"time": "1分钟", "text": "接警"}, {"time": "5分钟", "text": "到场"}],
        },
    )
    title: Text | None = None
    steps: list[Step] = Field(min_length=1, max_length=8)


@register
class ImageSlide(SlideBase):
    type: Literal["image"] = "image"
    view: ClassVar[str] = "kiosk.slides.image:ImageView"
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "image", "src": "pic.png"},
        {"type": "image", "src": "pic.png", "fit": "cover", "caption": "大厅"},
    )
    src: str
    fit: Literal["contain", "cover"] = "contain"
    caption: Text | None = None
    file_fields: ClassVar[tuple[str, ...]] = ("src",)


@register
class TributeSlide(SlideBase):
    type: Literal["tribute"] = "tribute"
    view: ClassVar[str] = "kiosk.slides.tribute:TributeView"
    quiet: ClassVar[bool] = True
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "tribute", "title": "致敬"},
        {"type": "tribute", "title": "致敬英雄", "body": "他们的名字\n我们记得"},
    )
    title: Text
    body: Text | None = None


# QR codes are made with segno (pure Python). A QR code's capacity depends on its error
# level; version 40 (177 x 177 modules) is the largest there is. In bytes of UTF-8 text
# (segno picks a denser mode for digits or capitals, so those fit more):
QR_ERROR_LEVELS = ("L", "M", "Q", "H")
QR_MAX_BYTES = {"L": 2953, "M": 2331, "Q": 1663, "H": 1273}


def qr_code(text: str, error: str = "M") -> Any:
    """The QR code (a segno.QRCode) for text at an error level: never a Micro QR (phones'
    camera apps do not read those), and the level as asked (segno would raise it when
    there is room; a lower level keeps the modules big). Raises ValueError with the
    limit when the text is too long for any QR code (version 40)."""
    import segno  # imported on first use: most playlists have no QR slide

    try:
        # UTF-8 bytes for anything that is not digits or capitals: segno would otherwise
        # put hanzi that Shift_JIS also has in kanji mode, which phones read as Japanese.
        return segno.make(text, error=error.lower(), micro=False, boost_error=False, encoding="utf-8")
    except segno.DataOverflowError:
        size = len(text.encode("utf-8"))
        limit = QR_MAX_BYTES[error]
        raise ValueError(
            f"too long for a QR code: {size:,} bytes as UTF-8 ({len(text):,} characters); "
            f"at error level {error} the largest QR code (version 40) holds {limit:,} bytes "
            f"(about {limit // 3:,} Chinese characters). Use a shorter web address"
            + (" or error: L" if error != "L" else "")
        ) from None


@register
class QrSlide(SlideBase):
    type: Literal["qr"] = "qr"
    view: ClassVar[str] = "kiosk.slides.qr:QrView"
    label_fields: ClassVar[tuple[str, ...]] = ("caption", "title")
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "qr", "text": "https://example.org"},
        {
            "type": "qr",
            "text": "https://example.org/report-2023",
            "caption": "扫码阅读报告全文",
            "title": "向人民报告",
            "error": "Q",
        },
    )
    # `error` comes first so that checking `text` can read it: a text too long for a QR
    # code is then reported at the text's own line and column.
    error: Literal["L", "M", "Q", "H"] = Field(
        default="M", description="error correction: more is a bigger code; M by default"
    )
    text: Text = Field(description="a web address or any text")
    caption: Text | None = Field(default=None, description="like 扫码阅读报告全文")
    title: Text | None = None

    @field_validator("text")
    @classmethod
    def _fits_a_qr_code(cls, text: str, info: ValidationInfo) -> str:
        if not text.strip():
            raise ValueError("a QR code needs some text or a web address")
        qr_code(text, info.data.get("error", "M"))
        return text


# ---- tables


@dataclass(frozen=True)
class Cell:
    """One cell of a table: a number (with the decimals it was written with, as
    WrittenPrecision keeps them) or text, shown as written."""

    text: str
    value: float | None = None
    decimals: int = 0

    @property
    def is_number(self) -> bool:
        return self.value is not None


_NUMBER_TEXT = re.compile(NUMBER_TEXT)


def _cell(value: object) -> object:
    """A cell as a playlist or data file writes it: a number (2.90 keeps two decimals;
    quoted "12.50" too), text, or nothing (an empty cell)."""
    if isinstance(value, Cell):
        return value
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        raise PydanticCustomError("cell_type", "a cell must be a number or text, got {flag}", {"flag": value})
    if isinstance(value, str) and _NUMBER_TEXT.match(value):
        number = float(value)
        if math.isfinite(number) and abs(number) <= MAX_NUMBER:
            return Cell(value.strip(), number, decimals_of(value))
        return Cell(value.strip())
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise PydanticCustomError("finite_number", "a cell must be a finite number")
        _in_range(number)
        return Cell(getattr(value, "written_text", None) or str(value), number, decimals_of(value))
    if isinstance(value, str):
        return Cell(value.strip())
    if isinstance(value, date):  # a YAML date (2024-01-10) in a cell is shown as written
        return Cell(value.isoformat())
    raise PydanticCustomError("cell_type", "a cell must be a number or text")


TableCell = Annotated[
    Cell,
    BeforeValidator(_cell),
    WithJsonSchema({"type": ["string", "number", "null"], "description": "A number or text."}),
]


class Column(Strict):
    """A column's heading, and the qualifiers its numbers are shown with (as in `stats`)."""

    header: Text
    unit: Text = ""
    prefix: Text = ""
    suffix: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return (
            {"header": value}
            if isinstance(value, str | int | float) and not isinstance(value, bool)
            else value
        )


# A column is written as its heading alone (城市) or as a mapping; the schema says both.
ColumnOrHeading = Annotated[
    Column, WithJsonSchema({"anyOf": [{"type": ["string", "number"]}, Column.model_json_schema()]})
]


@register
class TableSlide(SlideBase):
    type: Literal["table"] = "table"
    view: ClassVar[str] = "kiosk.slides.table:TableView"
    data_fills: ClassVar[tuple[str, ...]] = ("columns", "rows")
    examples: ClassVar[tuple[dict[str, Any], ...]] = (
        {"type": "table", "columns": ["城市", "件数"], "rows": [["南京", 12]]},
        {
            "type": "table",
            "title": "各市示例",
            "columns": [
                "城市",
                {"header": "立案", "unit": "起"},
                {"header": "同比", "unit": "%", "prefix": ""},
            ],
            "rows": [["南京", 1234, -5.2], ["苏州", 2345, 3.10], ["无锡", 987, "—"]],
            "highlight": "苏州",
        },
    )
    title: Text | None = None
    columns: list[ColumnOrHeading] | None = Field(
        default=None,
        min_length=1,
        max_length=12,
        description="each a heading, or {header, unit, prefix, suffix}",
    )
    rows: list[list[TableCell]] | None = Field(default=None, min_length=1, max_length=500)
    data: str | None = Field(default=None, description="A CSV, XLSX or YAML file: a header row, then rows.")
    sheet: Text | None = Field(default=None, description=SHEET_HELP)
    range: str | None = Field(default=None, description=RANGE_HELP)
    highlight: Count | Text | None = Field(
        default=None, description="a row to pick out: its number (1 = the first) or first cell"
    )
    file_fields: ClassVar[tuple[str, ...]] = ("data",)

    @model_validator(mode="after")
    def _consistent(self) -> TableSlide:
        if not self.columns or not self.rows:
            raise ValueError("a table slide needs 'columns:' and 'rows:', or 'data:' (a file)")
        width = len(self.columns)
        for number, row in enumerate(self.rows, 1):
            if len(row) > width:
                raise ValueError(f"row {number} has {len(row)} cells but there are {width} columns")
        if isinstance(self.highlight, int) and not 1 <= self.highlight <= len(self.rows):
            raise ValueError(
                f"highlight: there is no row {self.highlight}; the rows are 1 to {len(self.rows)}"
            )
        if isinstance(self.highlight, str) and self.highlighted_row() is None:
            raise ValueError(f"highlight: no row starts with '{self.highlight}'")
        return self

    def cells(self, row: int) -> list[Cell]:
        """Row `row`'s cells, one per column (a short row ends in empty cells)."""
        cells = list((self.rows or [])[row])
        return cells + [Cell("")] * (len(self.columns or []) - len(cells))

    def highlighted_row(self) -> int | None:
        """The index (from 0) of the highlighted row, or None."""
        if self.highlight is None:
            return None
        if isinstance(self.highlight, int):
            return self.highlight - 1
        wanted = self.highlight.strip()
        return next((i for i, row in enumerate(self.rows or []) if row and row[0].text == wanted), None)

    def decimals(self, column: int) -> int:
        """The most decimals a column's numbers were written with (its numbers line up)."""
        return max(
            (r[column].decimals for r in self.rows or [] if len(r) > column and r[column].is_number),
            default=0,
        )


# ---------------------------------------------------------------- the playlist

DEFAULT_DURATION = 8.0


class Defaults(Strict):
    """Values each slide takes unless it says otherwise (reveal.js style flat config)."""

    duration: Duration = DEFAULT_DURATION
    transition: Transition = Field(default_factory=Transition)


class RemoteSettings(Strict):
    """The control server (kiosk/remote), off unless asked for. Never a token here: a
    playlist is synced to every screen and shared; the token stays in the state folder."""

    port: int = Field(ge=1, le=65535, description="The control server's port, for example 8765.")
    host: str = Field(
        default="127.0.0.1",
        min_length=1,
        max_length=253,
        description="The address to listen on: 127.0.0.1 (this PC only) unless another is named, "
        "for example 0.0.0.0 for every network the screen is on.",
    )


class PlaylistSettings(Strict):
    """Everything in a playlist but its slides (validated on its own by the loader)."""

    version: Literal[1] = Field(
        default=1, description="The playlist language's version: 1, the only one yet."
    )
    title: Text | None = Field(
        default=None,
        description="The show's name: the window's title, status.json, an exported PDF's title "
        "(not on slides).",
    )
    theme: str = Field(
        default="police-blue",
        description="police-blue or light (built in), or the path of a theme YAML file.",
    )
    footer: Text | None = Field(
        default=None,
        description="The line at the bottom of every slide, for example your department's name; "
        "it replaces the theme's footer (built-in themes have none).",
    )
    defaults: Defaults = Field(
        default_factory=Defaults,
        description="What every slide takes unless it says otherwise: duration, transition.",
    )
    loop: Flag = Field(
        default=True, description="After the last slide, the first again (false: the last stays)."
    )
    sync: Literal["clock"] | None = Field(
        default=None,
        description="clock: the slide on air follows the wall clock, so screens whose clocks are "
        "synchronised show the same slide at the same moment (a manual move holds 30 s).",
    )
    remote: RemoteSettings | None = Field(
        default=None,
        description="Start the control server and phone remote (see README); --remote overrides it.",
    )


class Playlist(PlaylistSettings):
    slides: list[SerializeAsAny[SlideBase]] = Field(min_length=1)

    @field_validator("slides", mode="before")
    @classmethod
    def _each_by_its_type(cls, value: Any) -> Any:
        """Each slide is validated by its own type's model (the registry). The loader does
        this slide by slide to report every problem; this is for models built in code."""
        if not isinstance(value, list):
            return value
        slides = []
        for item in value:
            if isinstance(item, dict):
                model = SLIDE_TYPES.get(str(item.get("type")))
                if model is None:
                    raise ValueError(
                        f"unknown slide type {item.get('type')!r}; known types: {', '.join(SLIDE_TYPES)}"
                    )
                item = model.model_validate(item)
            slides.append(item)
        return slides

    _path: Path | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file it was loaded from (None when built in code)."""
        return self._path

    @property
    def folder(self) -> Path:
        """The folder relative paths are resolved against."""
        return self._path.parent if self._path else Path.cwd()

    def resolve(self, relative: str) -> Path:
        """The file `relative` names, confined to the folder (kiosk/playlist/paths.py)."""
        from kiosk.playlist.paths import inside

        return inside(self.folder, relative)

    def duration_of(self, slide: SlideBase) -> float:
        return slide.duration if slide.duration is not None else self.defaults.duration

    def transition_of(self, slide: SlideBase) -> Transition:
        return slide.transition or self.defaults.transition

    def playable(self) -> list[SlideBase]:
        return [s for s in self.slides if not s.skip]

    def loop_seconds(self) -> float:
        return sum(self.duration_of(s) for s in self.playable())
