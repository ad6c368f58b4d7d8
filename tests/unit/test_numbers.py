"""Tests for kiosk.numbers: written decimals, formatting, easing and count-up."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.numbers import (
    FigureText,
    compose,
    count_up_text,
    count_up_value,
    decimals_of,
    ease_in_out_cubic,
    ease_out_back,
    ease_out_cubic,
    format_number,
    format_percent,
    linear,
    nice_ceiling,
    percent_of,
    widest_text,
)

ROOT = Path(__file__).resolve().parents[2]

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
non_negative = st.floats(min_value=0, allow_nan=False, allow_infinity=False)
progress = st.floats(min_value=0, max_value=1, allow_nan=False)
any_progress = st.floats(allow_nan=False, allow_infinity=True)
decimals = st.integers(min_value=0, max_value=4)
easings = st.sampled_from([ease_out_cubic, ease_in_out_cubic, ease_out_back, linear])
bounded_easings = st.sampled_from([ease_out_cubic, ease_in_out_cubic, linear])


class Written(float):
    """A float as the YAML loader hands it over, remembering its written decimals."""

    written_decimals: int


def written(value: float, places: int) -> Written:
    number = Written(value)
    number.written_decimals = places
    return number


def digits_after_point(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


# ---------------------------------------------------------------- decimals_of


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("99.20", 2),
        ("9400", 0),
        ("1e3", 0),
        ("1.5e-3", 4),
        ("-18.4", 1),
        (" 7.0 ", 1),
        ("1,234.50", 2),
        ("0.0000001", 6),
        (9400, 0),
        (0, 0),
        (True, 0),
        (99.2, 1),
        (0.04, 2),
        (1.0, 1),
        (21.6, 1),
        (-18.4, 1),
        (1e-05, 5),
        (1.5e-07, 6),
        (1e16, 0),
        (float("nan"), 0),
        (float("inf"), 0),
    ],
)
def test_decimals_of(value: float | int | str, expected: int) -> None:
    assert decimals_of(value) == expected


def test_decimals_of_prefers_written_decimals() -> None:
    assert decimals_of(written(2.9, 2)) == 2
    assert decimals_of(written(9400.0, 0)) == 0
    assert decimals_of(written(1.0, 9)) == 6


def test_decimals_of_rejects_text_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="not a number"):
        decimals_of("twenty")


# -------------------------------------------------------------- format_number


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (99.2, 1, "99.2"),
        (99.2, 2, "99.20"),
        (0.04, 2, "0.04"),
        (9400, 0, "9400"),
        (20, 0, "20"),
        (2.5, 0, "3"),
        (3.5, 0, "4"),
        (-2.5, 0, "-3"),
        (0.5, 0, "1"),
        (2.675, 2, "2.68"),
        (1.005, 2, "1.01"),
        (-18.4, 1, "-18.4"),
        (-18.45, 1, "-18.5"),
        (-0.0, 0, "0"),
        (-0.0, 1, "0.0"),
        (-0.04, 1, "0.0"),
        (-0.4, 0, "0"),
        (1e-05, 5, "0.00001"),
        (1e16, 0, "10000000000000000"),
        (7, 2, "7.00"),
    ],
)
def test_format_number(value: float, places: int, expected: str) -> None:
    assert format_number(value, places) == expected


def test_format_number_grouping() -> None:
    assert format_number(1234567.891, 2, grouping=True) == "1,234,567.89"
    assert format_number(-9400, 0, grouping=True) == "-9,400"
    assert format_number(999, 0, grouping=True) == "999"
    assert format_number(1234567.891, 2) == "1234567.89"


def test_format_number_keeps_written_decimals_of_loader_floats() -> None:
    value = written(2.9, 2)
    assert format_number(value, decimals_of(value)) == "2.90"


def test_format_number_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="non-finite"):
        format_number(float("nan"), 1)
    with pytest.raises(ValueError, match="non-finite"):
        format_number(float("inf"), 1)
    with pytest.raises(ValueError, match="decimals must be"):
        format_number(1.0, -1)


# ------------------------------------------------------------------- easing


def test_easing_endpoints_and_clamping() -> None:
    for easing in (ease_out_cubic, ease_in_out_cubic, ease_out_back, linear):
        assert easing(0.0) == 0.0
        assert easing(1.0) == 1.0
        assert easing(-3.0) == 0.0
        assert easing(7.0) == 1.0


def test_easing_values() -> None:
    assert ease_out_cubic(0.5) == 0.875
    assert ease_in_out_cubic(0.5) == 0.5
    assert ease_in_out_cubic(0.25) == 0.0625
    assert ease_in_out_cubic(0.75) == 0.9375
    assert linear(0.3) == 0.3


def test_ease_out_back_overshoots_slightly() -> None:
    peak = max(ease_out_back(i / 1000) for i in range(1001))
    assert 1.0 < peak < 1.1
    assert max(ease_out_back(i / 1000, overshoot=0.0) for i in range(1001)) <= 1.0


def test_nan_progress_counts_as_finished() -> None:
    assert ease_out_cubic(float("nan")) == 1.0
    assert count_up_value(99.2, float("nan")) == 99.2


# ----------------------------------------------------------------- count-up


def test_count_up_value_endpoints_are_exact() -> None:
    assert count_up_value(99.2, 0.0) == 0.0
    assert count_up_value(99.2, 1.0) == 99.2
    assert count_up_value(99.2, -1.0) == 0.0
    assert count_up_value(99.2, 2.0) == 99.2
    assert count_up_value(80, 0.0, start=50) == 50
    assert count_up_value(0.1 + 0.2, 1.0, start=0.1) == 0.1 + 0.2


def test_count_up_value_uses_easing() -> None:
    assert count_up_value(100, 0.5) == 87.5
    assert count_up_value(100, 0.5, easing=linear) == 50.0
    assert count_up_value(100, 0.5, start=50, easing=linear) == 75.0


def test_count_up_keeps_one_decimal_for_99_2() -> None:
    assert count_up_text(99.2, 0.0, 1) == "0.0"
    assert count_up_text(99.2, 0.5, 1, easing=linear) == "49.6"
    assert count_up_text(99.2, 1.0, 1) == "99.2"
    texts = [count_up_text(99.2, i / 100, 1) for i in range(101)]
    assert all(digits_after_point(text) == 1 for text in texts)


def test_count_up_keeps_two_decimals_for_0_04() -> None:
    texts = [count_up_text(0.04, i / 100, decimals_of(0.04)) for i in range(101)]
    assert texts[0] == "0.00"
    assert texts[-1] == "0.04"
    assert set(texts) <= {"0.00", "0.01", "0.02", "0.03", "0.04"}


def test_count_up_negative_counts_down_from_zero() -> None:
    values = [count_up_value(-18.4, i / 100) for i in range(101)]
    assert values[0] == 0.0
    assert values[-1] == -18.4
    assert all(a >= b for a, b in itertools.pairwise(values))
    texts = [count_up_text(-18.4, i / 100, 1) for i in range(101)]
    assert texts[0] == "0.0"
    assert texts[-1] == "-18.4"
    assert "-0.0" not in texts
    assert count_up_text(-18.4, 1e-6, 1) == "0.0"


def test_count_up_text_grouping() -> None:
    assert count_up_text(1234567, 1.0, 0, grouping=True) == "1,234,567"


# ------------------------------------------------------------------ compose


def test_figure_text_full() -> None:
    figure = FigureText(prefix="近", number="20", unit="%", suffix="")
    assert figure.full() == "近20%"
    assert str(figure) == "近20%"


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (20, {"prefix": "近", "unit": "%"}, "近20%"),
        (9400, {"unit": "余名"}, "9400余名"),
        (80, {"unit": "%", "suffix": "以上"}, "80%以上"),
        (7, {"unit": "亿人次"}, "7亿人次"),
    ],
)
def test_compose_chinese_qualifiers(value: float, kwargs: dict[str, str], expected: str) -> None:
    assert compose(value, 0, **kwargs).full() == expected


def test_compose_parts_and_progress() -> None:
    assert compose(20, 0, prefix="近", unit="%") == FigureText("近", "20", "%", "")
    assert compose(80, 0, unit="%", suffix="以上", progress=0.0) == FigureText("", "0", "%", "以上")
    middle = compose(99.2, 1, unit="%", progress=0.5, easing=linear)
    assert middle == FigureText("", "49.6", "%", "")
    assert compose(written(2.9, 2), 2, unit="倍").full() == "2.90倍"


# -------------------------------------------------------------- widest_text


def test_widest_text() -> None:
    assert widest_text(99.2, 1) == "88.8"
    assert widest_text(9400, 0) == "8888"
    assert widest_text(-18.4, 1) == "-88.8"
    assert widest_text(0.04, 2) == "8.88"
    assert widest_text(1234567, 0, grouping=True) == "8,888,888"
    assert widest_text(80, 0, start=120) == "888"
    assert widest_text(9.96, 1) == "88.8"  # 9.96 rounds to 10.0


def test_widest_text_reserves_room_for_overshoot() -> None:
    assert widest_text(95, 0) == "88"
    assert widest_text(95, 0, easing=ease_out_back) == "888"
    texts = [count_up_text(95, i / 1000, 0, easing=ease_out_back) for i in range(1001)]
    assert max(len(text) for text in texts) == 3


# ---------------------------------------------------------------- percents


def test_percent_of() -> None:
    assert percent_of(1, 4) == 25.0
    assert percent_of(5, 0) == 0.0
    assert percent_of(0, 0) == 0.0


def test_format_percent() -> None:
    assert format_percent(1, 3) == "33%"
    assert format_percent(2, 3) == "67%"
    assert format_percent(1, 3, 1) == "33.3%"
    assert format_percent(1, 8, 1) == "12.5%"
    assert format_percent(1, 0) == "0%"


# -------------------------------------------------------------- nice_ceiling


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (87, 100.0),
        (0.04, 0.05),
        (21.6, 25.0),
        (0, 1.0),
        (100, 100.0),
        (1, 1.0),
        (1.2, 2.0),
        (2.2, 2.5),
        (3, 5.0),
        (5.01, 10.0),
        (0.001, 0.001),
        (0.3, 0.5),
        (9400, 10000.0),
        (-87, -100.0),
        (-0.04, -0.05),
    ],
)
def test_nice_ceiling(value: float, expected: float) -> None:
    assert nice_ceiling(value) == expected


def test_nice_ceiling_rejects_non_finite() -> None:
    with pytest.raises(ValueError, match="no nice ceiling"):
        nice_ceiling(float("nan"))


# ------------------------------------------------------------ properties


@given(target=finite, places=decimals)
def test_prop_final_text_is_the_formatted_target(target: float, places: int) -> None:
    assert count_up_text(target, 1.0, places) == format_number(target, places)


@given(target=finite, p=any_progress, places=decimals, easing=easings)
def test_prop_count_up_text_keeps_decimals(
    target: float, p: float, places: int, easing: object
) -> None:
    text = count_up_text(target, p, places, easing=easing)  # type: ignore[arg-type]
    assert digits_after_point(text) == places
    assert ("." in text) == (places > 0)


@given(target=finite, p1=progress, p2=progress)
def test_prop_count_up_is_monotonic(target: float, p1: float, p2: float) -> None:
    low, high = sorted((p1, p2))
    a, b = count_up_value(target, low), count_up_value(target, high)
    assert a <= b if target >= 0 else a >= b


@given(target=moderate, start=moderate, p1=progress, p2=progress)
def test_prop_count_up_is_monotonic_from_any_start(
    target: float, start: float, p1: float, p2: float
) -> None:
    low, high = sorted((p1, p2))
    a = count_up_value(target, low, start=start)
    b = count_up_value(target, high, start=start)
    assert a <= b if target >= start else a >= b


@given(target=finite, p=any_progress)
def test_prop_values_stay_between_zero_and_target(target: float, p: float) -> None:
    value = count_up_value(target, p)
    assert min(0.0, target) <= value <= max(0.0, target)


@given(target=moderate, start=moderate, p=any_progress, easing=bounded_easings)
def test_prop_values_stay_between_start_and_target(
    target: float, start: float, p: float, easing: object
) -> None:
    value = count_up_value(target, p, start=start, easing=easing)  # type: ignore[arg-type]
    assert min(start, target) <= value <= max(start, target)


@given(value=finite, places=decimals, grouping=st.booleans())
def test_prop_format_number_never_negative_zero(value: float, places: int, grouping: bool) -> None:
    text = format_number(value, places, grouping=grouping)
    if text.startswith("-"):
        assert any(ch in "123456789" for ch in text)


@given(target=non_negative, places=decimals, grouping=st.booleans())
def test_prop_widest_text_is_never_narrower(target: float, places: int, grouping: bool) -> None:
    width = len(widest_text(target, places, grouping=grouping))
    for i in range(101):
        assert width >= len(count_up_text(target, i / 100, places, grouping=grouping))


@given(target=moderate, places=decimals, easing=easings, p=progress)
def test_prop_widest_text_covers_any_easing_and_sign(
    target: float, places: int, easing: object, p: float
) -> None:
    text = count_up_text(target, p, places, easing=easing)  # type: ignore[arg-type]
    assert len(widest_text(target, places, easing=easing)) >= len(text)  # type: ignore[arg-type]


@given(value=finite, places=decimals)
def test_prop_decimals_of_round_trips_format_number(value: float, places: int) -> None:
    assert decimals_of(str(format_number(value, places))) == places
    assert decimals_of(format_number(value, places, grouping=True)) == places


# ---------------------------------------------------------------- Qt-free


def test_import_does_not_pull_in_qt() -> None:
    code = (
        "import sys, kiosk.numbers\n"
        "qt = ('PySide6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'shiboken6')\n"
        "loaded = [name for name in qt if name in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in paths if path)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
