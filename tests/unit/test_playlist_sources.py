"""The default playlist shows only figures from its source report, written as the report
writes them; the example playlist shows every slide type.

No Qt: the playlists are read with `yaml.safe_load` and checked as plain data.
The report lives outside the repository, in `../shared/sources/` beside the clone (or
wherever the KIOSK_SOURCES environment variable points).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.conftest import REPORT_NAME, sources_dir

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
DEFAULT_PLAYLIST = DATA / "police-day-2023.yaml"
EXAMPLE_PLAYLIST = DATA / "examples" / "every-slide-type.yaml"

# The three characters-lost-in-extraction repairs listed in sources/README.md.
REPAIRS = (
    ("110日是第四个中国人民警察节", "1月10日是第四个中国人民警察节"),
    ("分别上升22.7%20.1%", "分别上升22.7%、20.1%"),
    ("缩短近20%20235月", "缩短近20%。2023年5月"),
)

ALL_TYPES = {
    "title", "stat", "stats", "bar", "line", "pie",
    "gauge", "text", "timeline", "image", "tribute",
}  # fmt: skip

# Fields whose text is shown on screen; numbers inside them must come from the report.
TEXT_FIELDS = (
    "title", "subtitle", "label", "note", "body", "text", "time",
    "heading", "caption", "footer", "prefix", "unit", "suffix", "name",
    "notes",  # the presenter view shows them, and the host says them aloud
)  # fmt: skip

# Qualifiers the report puts around a figure. A figure the report qualifies must keep
# its qualifier on the slide: 近20% may not be shown as a bare 20%.
LEADING_QUALIFIERS = ("近", "约", "逾", "超")
TRAILING_QUALIFIERS = ("以上", "以下", "左右", "余", "多")

NUMBER = re.compile(r"\d+(?:\.\d+)?")
KEBAB_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def report() -> str:
    folder = sources_dir()
    if folder is None:
        pytest.fail(
            f"source report {REPORT_NAME} not found beside the clone or in $KIOSK_SOURCES;"
            " KIOSK_REQUIRE_SOURCES is set, so the figures must be checked against it"
        )
    text = (folder / REPORT_NAME).read_text(encoding="utf-8")
    for broken, repaired in REPAIRS:
        text = text.replace(broken, repaired)
    return text


def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8-sig") as f:
        doc = yaml.safe_load(f)
    assert isinstance(doc, dict), f"{path}: the top level must be a mapping"
    assert isinstance(doc.get("slides"), list), f"{path}: `slides:` must be a list"
    return doc


@pytest.fixture(scope="module")
def playlist() -> dict[str, Any]:
    return load(DEFAULT_PLAYLIST)


def parse_duration(value: Any) -> float:
    """8 -> 8.0, '8s' -> 8.0, '1m30s' -> 90.0, '600ms' -> 0.6."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if NUMBER.fullmatch(text):
        return float(text)
    parts = DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {value!r}")
    return sum(float(n) * SECONDS[u] for n, u in parts)


def as_written(value: Any) -> str:
    """A YAML number as it was written (99.2 -> '99.2', 9400 -> '9400'), sign dropped:
    the report says 下降18.4% where a diverging bar says -18.4."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return repr(abs(value))


def digit_bounded(literal: str) -> re.Pattern[str]:
    """`literal` not glued to further digits: '20%' must not match inside '120%'."""
    pattern = r"(?<![\d.])" + re.escape(literal)
    if literal[-1:].isdigit():
        pattern += r"(?!\d|\.\d)"
    return re.compile(pattern)


def qualifiers(before: str, after: str) -> tuple[str, str]:
    """The qualifiers right before a number and right after its unit (近 ... 以上)."""
    lead = before[-1:] if before[-1:] in LEADING_QUALIFIERS else ""
    tail = next((q for q in TRAILING_QUALIFIERS if after.startswith(q)), "")
    return lead, tail


def in_report(report: str, number: str, unit: str, before: str, after: str) -> bool:
    """Whether the report writes `number` + `unit` with the same qualifiers as the slide.

    `before` / `after` are what the slide shows right before the number and right after
    the unit. An occurrence in the report counts only if it has the same qualifiers
    (近 before, 以上/余 after ...): none dropped, none added."""
    wanted = qualifiers(before, after)
    for m in digit_bounded(number + unit).finditer(report):
        if qualifiers(report[: m.start()], report[m.end() :]) == wanted:
            return True
    return False


def unit_char(text: str, pos: int) -> str:
    """The character after a number in free text when it belongs to it (%, 万, 名, 起 ...)."""
    if pos < len(text):
        ch = text[pos]
        if ch == "%" or unicodedata.category(ch).startswith("L"):
            return ch
    return ""


def texts_of(node: Any) -> list[str]:
    """Every on-screen text of a slide, item, bar, slice or step (one level)."""
    out = []
    for key in TEXT_FIELDS:
        v = node.get(key)
        if isinstance(v, str | int | float) and not isinstance(v, bool):
            out.append(str(v))
    return out


def check_free_text(report: str, text: str) -> list[str]:
    """Numbers written inside a text, each with the character that follows it."""
    problems = []
    for m in NUMBER.finditer(text):
        unit = unit_char(text, m.end())
        if not in_report(report, m.group(), unit, text[: m.start()], text[m.end() + len(unit) :]):
            problems.append(f"{m.group()} (in {text!r}, checked as {m.group() + unit!r})")
    return problems


def check_figure(report: str, node: dict[str, Any], unit: str | None = None) -> list[str]:
    """The node's `value` as shown: prefix + number + unit + suffix.

    The report must write number+unit with the same qualifiers as prefix and suffix
    (so {prefix: 近, value: 20, unit: "%"} needs 近20% in the report, and a bare 20%
    will not do where the report says 近20%). A gauge has no suffix field: a qualifier
    may be said in the node's own note or label instead (note: 80%以上 ...)."""
    if "value" not in node:
        return []
    try:
        number = as_written(node["value"])
    except TypeError as exc:
        return [str(exc)]
    prefix = str(node.get("prefix") or "")
    if node.get("unit") is not None:
        unit = node["unit"]
    unit = str(unit or "")
    suffix = str(node.get("suffix") or "")
    shown = prefix + number + unit + suffix
    if in_report(report, number, unit, prefix, suffix):
        return []
    # The qualifier may be said in the node's own words: gauge 80 with note 80%以上.
    for text in texts_of(node):
        for m in digit_bounded(number + unit).finditer(text):
            if in_report(report, number, unit, text[: m.start()], text[m.end() :]):
                return []
    return [f"{number} (shown as {shown!r})"]


def chart_rows(slide: dict[str, Any], key: str) -> list[Any]:
    """Inline bars/slices/series, or those of the slide's `data:` file (CSV or YAML)."""
    if key in slide:
        return list(slide[key] or [])
    data = slide.get("data")
    if not data:
        return []
    path = DEFAULT_PLAYLIST.parent / str(data)
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [
                {k: yaml.safe_load(v) if k == "value" else v for k, v in row.items()}
                for row in csv.DictReader(f)
            ]
    rows = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    if isinstance(rows, dict):
        rows = rows.get(key, [])
    return list(rows or [])


def slide_problems(report: str, slide: dict[str, Any]) -> list[str]:
    """Every figure a slide shows that the report does not write the same way."""
    kind = slide.get("type")
    problems: list[str] = []
    nodes: list[tuple[dict[str, Any], str | None]] = [(slide, None)]
    if kind == "gauge":
        nodes = [(slide, "%")]  # a gauge's unit defaults to %
    elif kind == "stats":
        nodes += [(item, None) for item in slide.get("items") or []]
    elif kind == "bar":
        nodes += [(bar, slide.get("unit")) for bar in chart_rows(slide, "bars")]
    elif kind == "pie":
        nodes += [(s, slide.get("unit")) for s in chart_rows(slide, "slices")]
    elif kind == "timeline":
        nodes += [(step, None) for step in slide.get("steps") or []]
    elif kind == "line":
        for label in slide.get("x") or []:
            problems += check_free_text(report, str(label))
        for series in chart_rows(slide, "series"):
            nodes.append((series, None))
            for v in series.get("values") or []:
                problems += check_figure(report, {"value": v}, slide.get("unit"))
    for node, unit in nodes:
        if node is not slide or kind in ("stat", "gauge"):
            problems += check_figure(report, node, unit)
        for text in texts_of(node):
            problems += check_free_text(report, text)
    return problems


# ---------------------------------------------------------------- the default playlist


@pytest.mark.sources
def test_every_figure_comes_from_the_report(report: str, playlist: dict[str, Any]) -> None:
    problems = []
    for n, slide in enumerate(playlist["slides"], 1):
        name = slide.get("id") or f"#{n}"
        problems += [f"slide {name!r}: {p}" for p in slide_problems(report, slide)]
    assert not problems, (
        "figures not found in the report as written (number, unit and qualifiers such as"
        " 余/近/以上 must match the text):\n  " + "\n  ".join(problems)
    )


def test_slide_count(playlist: dict[str, Any]) -> None:
    count = len(playlist["slides"])
    assert 18 <= count <= 30, f"the default playlist has {count} slides; want 18 to 30"


def test_every_slide_has_a_unique_kebab_case_id(playlist: dict[str, Any]) -> None:
    ids = [slide.get("id") for slide in playlist["slides"]]
    missing = [n for n, i in enumerate(ids, 1) if not i]
    assert not missing, f"slides without an id (by position): {missing}"
    bad = [i for i in ids if not KEBAB_ID.fullmatch(str(i))]
    assert not bad, f"ids not in kebab-case ASCII: {bad}"
    twice = sorted(i for i, c in Counter(ids).items() if c > 1)
    assert not twice, f"ids used more than once: {twice}"


def test_every_slide_cites_its_source(playlist: dict[str, Any]) -> None:
    missing = [s.get("id") for s in playlist["slides"] if not str(s.get("source") or "").strip()]
    assert not missing, f"slides without a `source:` line: {missing}"


def test_loop_lasts_ten_to_fifteen_minutes(playlist: dict[str, Any]) -> None:
    default = (playlist.get("defaults") or {}).get("duration", 8)
    total = sum(parse_duration(s.get("duration", default)) for s in playlist["slides"])
    assert 600 <= total <= 900, f"the loop lasts {total:g} s; want 600 to 900 s (10-15 min)"


# ---------------------------------------------------------------- the example playlist


def test_example_playlist_shows_every_slide_type() -> None:
    doc = load(EXAMPLE_PLAYLIST)
    types = {slide.get("type") for slide in doc["slides"]}
    assert types >= ALL_TYPES, f"example playlist lacks: {sorted(ALL_TYPES - types)}"
    assert not [s for s in doc["slides"] if s.get("skip")], "no example slide may be skipped"


def test_example_playlist_files_exist() -> None:
    doc = load(EXAMPLE_PLAYLIST)
    folder = EXAMPLE_PLAYLIST.parent
    for slide in doc["slides"]:
        for key in ("data", "src", "logo"):
            if slide.get(key):
                assert (folder / slide[key]).is_file(), f"{slide.get('id')}: {slide[key]} missing"
    with (folder / "bar-sample.csv").open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f)) == ["label", "value"]


# ---------------------------------------------------------------- the helpers themselves


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(8, 8.0), ("8", 8.0), ("8s", 8.0), ("1m30s", 90.0), ("600ms", 0.6), ("1.5s", 1.5)],
)
def test_parse_duration(text: Any, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "8x", "s", "1m 30s", True])
def test_parse_duration_rejects(text: Any) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


SAMPLE = "破案率99.2%,找回失踪人员9400余名,缩短近20%,80%以上居民,7亿人次,分别上升22.7%、20.1%"


@pytest.mark.parametrize(
    ("node", "ok"),
    [
        ({"value": 99.2, "unit": "%"}, True),
        ({"value": 99.3, "unit": "%"}, False),
        ({"value": 9400, "unit": "余名"}, True),
        ({"value": 9400, "unit": "名"}, False),  # 余 lost
        ({"prefix": "近", "value": 20, "unit": "%"}, True),
        ({"value": 80, "unit": "%", "suffix": "以上"}, True),
        ({"value": 80, "unit": "%"}, False),  # 以上 lost
        ({"value": 80, "unit": "%", "note": "80%以上居民"}, True),  # said in the note
        ({"value": 7, "unit": "亿人次"}, True),
        ({"value": 7, "unit": "万人次"}, False),
        ({"value": 0.1, "unit": "%"}, False),  # 20.1% is not 0.1%
        ({"value": -22.7, "unit": "%"}, True),
    ],
)
def test_check_figure(node: dict[str, Any], ok: bool) -> None:
    assert (check_figure(SAMPLE, node) == []) is ok


def test_check_figure_prefix_qualifier() -> None:
    assert check_figure("缩短近20%", {"value": 20, "unit": "%"}) != []  # 近 dropped
    assert check_figure("缩短近20%", {"prefix": "近", "value": 20, "unit": "%"}) == []
    assert check_figure("缩短20%", {"prefix": "近", "value": 20, "unit": "%"}) != []  # 近 added


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("找回9400余名", True),
        ("找回9400名", False),
        ("上升22.7%和20.1%", True),
        ("上升22.8%", False),
        ("累计7亿人次", True),
        ("没有数字", True),
    ],
)
def test_check_free_text(text: str, ok: bool) -> None:
    assert (check_free_text(SAMPLE, text) == []) is ok
