"""Every slide type: a minimal valid form, and each required field missing."""

from __future__ import annotations

import pytest
import yaml

from kiosk.playlist import SLIDE_TYPES
from kiosk.playlist.model import BarSlide, GaugeSlide, LineSlide, StatSlide, TextSlide
from tests.fuzz.strategies import write_files as write_fuzz_files

from .helpers import load, problems, write

# The registry's own examples: the first of each type is its smallest valid slide.
MINIMAL = {name: model.examples[0] for name, model in SLIDE_TYPES.items()}
REQUIRED = {
    name: [f for f, info in model.model_fields.items() if info.is_required() and f != "type"]
    for name, model in SLIDE_TYPES.items()
}


def flow(slide: dict) -> str:
    return yaml.safe_dump(slide, allow_unicode=True, default_flow_style=True, width=10_000).strip()


def test_every_type_has_a_view_and_examples_that_load(tmp_path) -> None:
    write_fuzz_files(tmp_path)
    for name, model in SLIDE_TYPES.items():
        assert model.view.count(":") == 1, name
        for example in model.examples:
            playlist = load(tmp_path, f"slides:\n  - {flow(example)}\n")
            assert isinstance(playlist.slides[0], model), (name, example)


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_minimal_slide_is_valid(tmp_path, kind: str) -> None:
    write_fuzz_files(tmp_path)
    playlist = load(tmp_path, f"slides:\n  - {flow(MINIMAL[kind])}\n")
    assert playlist.slides[0].type == kind
    assert isinstance(playlist.slides[0], SLIDE_TYPES[kind])
    assert playlist.duration_of(playlist.slides[0]) == 8.0


@pytest.mark.parametrize(("kind", "field"), [(k, f) for k, fs in REQUIRED.items() for f in fs])
def test_missing_required_field_is_named(tmp_path, kind: str, field: str) -> None:
    write_fuzz_files(tmp_path)
    slide = {k: v for k, v in MINIMAL[kind].items() if k != field}
    lines = problems(tmp_path, f"slides:\n  - {flow(slide)}\n")
    assert any(f"missing required key '{field}'" in line for line in lines), lines
    assert all(line.startswith("show.yaml:2:") for line in lines), lines


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        (
            "{type: stat, label: a, value: 1, trend: sideways}",
            "trend cannot be 'sideways'; choose one of: up, down",
        ),
        ("{type: stat, label: a, value: 1, good: maybe}", "good cannot be 'maybe'"),
        ("{type: stat, label: a, value: .inf}", "value must be a finite number"),
        ("{type: stat, label: a, value: 1, decimals: 9}", "decimals must be at most 6"),
        ("{type: stats, items: [{label: a, value: 1}]}", "items needs at least 2 entries, got 1"),
        (
            "{type: stats, items: [" + ", ".join(["{label: a, value: 1}"] * 9) + "]}",
            "at most 8 entries, got 9",
        ),
        (
            "{type: stats, columns: 0, items: [{label: a, value: 1}, {label: b, value: 2}]}",
            "columns must be at least 1",
        ),
        ("{type: bar, title: x}", "a bar slide needs 'bars:' (a list) or 'data:' (a file)"),
        (
            "{type: bar, orientation: diagonal, bars: [{label: a, value: 1}]}",
            "orientation cannot be 'diagonal'",
        ),
        ("{type: bar, bars: [{label: a, value: 1, color: gren}]}", "'gren' is not a colour"),
        (
            "{type: line, x: [a, b], series: [{name: s, values: [1]}]}",
            "series 's' has 1 values but x has 2 labels",
        ),
        ("{type: pie, slices: [{label: a, value: -1}]}", "value must be at least 0"),
        ("{type: pie, slices: [{label: a, value: 0}]}", "the slices add up to 0"),
        ("{type: gauge, label: a, value: 120}", "value 120 is outside the gauge's range 0 to 100"),
        ("{type: gauge, label: a, value: 5, max: 0}", "max must be more than 0"),
        ("{type: image, src: pic.png, fit: stretch}", "fit cannot be 'stretch'"),
        ("{type: timeline, steps: []}", "steps needs at least 1 entries"),
        ("{type: title, title: [a, b]}", "title must be text"),
        ("{type: title, title: a, skip: perhaps}", "skip must be true or false"),
        ("{type: title, title: a, id: '42'}", "id '42' is only digits"),
        (
            "{type: title, title: a, transition: spin}",
            "type cannot be 'spin'; choose one of: fade, slide, zoom, none",
        ),
        ("{type: title, title: a, when: {hours: '8-18'}}", "hours must look like '08:00-18:00'"),
        ("{type: title, title: a, when: {days: [mon, funday]}}", "cannot be 'funday'"),
        (
            "{type: title, title: a, when: {from: 2024-01-10T08:00, until: 2024-01-09T08:00}}",
            "'until' must be later",
        ),
        ("{type: title, title: a, duration: 8 parsecs}", "'8 parsecs' is not a duration"),
        ("{type: title, title: a, duration: -3}", "a duration cannot be negative"),
    ],
)
def test_invalid_fields_are_explained(tmp_path, snippet: str, message: str) -> None:
    (tmp_path / "pic.png").write_bytes(b"x")
    lines = problems(tmp_path, f"slides:\n  - {snippet}\n")
    assert any(message in line for line in lines), lines
    assert all(line.startswith("show.yaml:2:") for line in lines), lines


def test_figures_keep_written_precision(tmp_path) -> None:
    playlist = load(
        tmp_path,
        """
        slides:
          - {type: stat, label: a, value: 99.2}
          - {type: stat, label: b, value: 2.90}
          - {type: stat, label: c, value: 9400}
          - {type: stat, label: d, value: 0.04}
          - {type: stat, label: e, value: 3.14159, decimals: 2}
          - {type: gauge, label: f, value: 88.0}
        """,
    )
    decimals = [slide.decimals for slide in playlist.slides]
    assert decimals == [1, 2, 0, 2, 2, 1]
    assert isinstance(playlist.slides[0], StatSlide)
    assert isinstance(playlist.slides[5], GaugeSlide)


def test_stat_fields_and_good_news(tmp_path) -> None:
    playlist = load(
        tmp_path,
        """
        slides:
          - {type: stat, label: 立案数, value: 2.2, unit: "%", trend: down, good: down, count_up: false}
          - {type: stat, label: 破案数, value: 21.6, unit: "%", trend: up, count_up: 2.5s}
          - {type: stat, label: 找回失踪人员, value: 9400, unit: 余名}
        """,
    )
    fall, rise, plain = playlist.slides
    assert (fall.good_news, fall.count_up) == (True, 0.0)
    assert (rise.good_news, rise.count_up) == (True, 2.5)
    assert (plain.good_news, plain.count_up, plain.unit) == (None, None, "余名")


def test_numbers_written_as_labels_become_text(tmp_path) -> None:
    playlist = load(
        tmp_path,
        "slides:\n  - {type: line, x: [2021, 2022, 2023.5], series: [{name: 2023, values: [1, 2, 3]}]}\n",
    )
    line = playlist.slides[0]
    assert isinstance(line, LineSlide)
    assert line.x == ["2021", "2022", "2023.5"]
    assert line.series[0].name == "2023"


def test_text_body_lines_and_bullets(tmp_path) -> None:
    playlist = load(
        tmp_path,
        'slides:\n  - {type: text, heading: h, body: "intro\\n- one\\n\\n- two"}\n  - {type: text, body: [a, b]}\n',
    )
    first, second = playlist.slides
    assert isinstance(first, TextSlide)
    assert first.lines() == [(False, "intro"), (True, "one"), (True, "two")]
    assert second.lines() == [(True, "a"), (True, "b")]


def test_defaults_apply_and_slides_override(tmp_path) -> None:
    playlist = load(
        tmp_path,
        """
        defaults: {duration: 1m30s, transition: {type: slide, duration: 400ms}}
        loop: false
        slides:
          - {type: title, title: a}
          - {type: title, title: b, duration: 600ms, transition: zoom}
          - {type: title, title: c, skip: true}
        """,
    )
    a, b, _ = playlist.slides
    assert playlist.duration_of(a) == 90.0
    assert playlist.transition_of(a).type == "slide"
    assert playlist.transition_of(a).duration == pytest.approx(0.4)
    assert playlist.duration_of(b) == pytest.approx(0.6)
    assert playlist.transition_of(b).type == "zoom"
    assert [s.id or s.title for s in playlist.playable()] == ["a", "b"]
    assert playlist.loop_seconds() == pytest.approx(90.6)
    assert playlist.loop is False


def test_bar_slide_decimals_follow_the_data(tmp_path) -> None:
    playlist = load(
        tmp_path, "slides:\n  - {type: bar, bars: [{label: a, value: -18.4}, {label: b, value: 20.95}]}\n"
    )
    bar = playlist.slides[0]
    assert isinstance(bar, BarSlide)
    assert bar.decimals() == 2


def test_background_colour_or_existing_image(tmp_path) -> None:
    write(tmp_path, "x", "bg.jpg")
    playlist = load(
        tmp_path,
        "slides:\n  - {type: title, title: a, background: '#102030'}\n  - {type: title, title: b, background: bg.jpg}\n",
    )
    assert playlist.slides[0].background_is_color()
    assert not playlist.slides[1].background_is_color()
    lines = problems(tmp_path, "slides:\n  - {type: title, title: a, background: nope.jpg}\n")
    assert lines == [f"show.yaml:2:41: file not found: 'nope.jpg' (looked in {tmp_path.resolve()})"]
