"""`kiosk check --size WxH` (issue 18): what a viewer could not read on that screen, each
kind of warning at the line of the text or slide it is about; none for the bundled show
in portrait; --strict makes warnings fail."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import resources
from kiosk.cli import main
from kiosk.readability import min_letter_px

BARS = "\n".join(f"      - {{label: 第{i}类案件长标签名称示例, value: {i * 3 + 5}}}" for i in range(1, 21))
SLICES = "\n".join(f"      - {{label: 类别{i}, value: {i + 2}}}" for i in range(1, 11))
BODY = "\n".join(
    f"      - 全省公安机关深入推进平安江苏建设持续开展夏夜治安巡查宣防集中统一行动第{i}项"
    for i in range(1, 13)
)
CRAFTED = f"""version: 1
slides:
  - type: bar
    id: many-bars
    title: 二十类案件
    orientation: vertical
    bars:
{BARS}
  - type: pie
    id: many-slices
    slices:
{SLICES}
  - type: text
    id: long-text
    duration: 5
    body: |
{BODY}
  - type: stat
    id: faint
    background: "#e8e8e8"
    label: 破案率
    value: 99.2
    unit: "%"
"""


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], int]:
    path = tmp_path_factory.mktemp("readability") / "crafted.yaml"
    path.write_text(CRAFTED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "check", str(path), "--size", "1920x1080"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    return path, result.stderr.splitlines(), result.returncode


def warnings_at(lines: list[str], path: Path, line: int) -> list[str]:
    return [entry for entry in lines if re.match(rf"{re.escape(str(path))}:{line}:\d+: warning: ", entry)]


def test_each_kind_of_warning_names_its_line(crafted) -> None:
    path, lines, code = crafted
    assert code == 0, "warnings do not fail the check without --strict"
    first_bar = line_of(CRAFTED, "第1类案件")
    small = warnings_at(lines, path, first_bar)
    assert any("is set at 17 px, below the 22 px" in entry for entry in small), small
    assert any("does not fit and is cut to '第1类案件长标签…'" in entry for entry in small), small
    assert any(
        "20 bars are too many" in entry
        for entry in warnings_at(lines, path, line_of(CRAFTED, "id: many-bars") - 1)
    )
    assert any(
        "10 slices are too many" in entry
        for entry in warnings_at(lines, path, line_of(CRAFTED, "id: many-slices") - 1)
    )
    reading = warnings_at(lines, path, line_of(CRAFTED, "id: long-text") - 1)
    assert any("characters to read take about" in entry and "on for 5 s" in entry for entry in reading), (
        reading
    )
    faint = warnings_at(lines, path, line_of(CRAFTED, "label: 破案率"))
    assert any("'破案率' has a contrast of 1.2:1" in entry for entry in faint), faint


def test_the_rule_is_one_inch_per_ten_feet_from_two_and_a_half_shorter_sides() -> None:
    assert min_letter_px((1920, 1080)) == pytest.approx(22.5)
    assert min_letter_px((1080, 1920)) == pytest.approx(22.5)
    assert min_letter_px((3840, 2160)) == pytest.approx(45.0)


def test_the_bundled_show_reads_in_portrait_and_landscape(capsys) -> None:
    show = resources.default_playlist()
    assert main(["check", str(show), "--portrait", "--strict"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_strict_makes_warnings_fail(crafted, capsys) -> None:
    path, _, _ = crafted
    assert main(["check", str(path), "--size", "1280x720", "--strict"]) == 2
    assert "--strict: warnings (listed above) fail the check" in capsys.readouterr().err


def test_without_a_size_check_stays_quick_and_draws_nothing(crafted, capsys) -> None:
    path, _, _ = crafted
    assert main(["check", str(path)]) == 0
    assert "too many" not in capsys.readouterr().err
