"""`kiosk check` warns, at FILE:LINE:COL, about characters no bundled font has.

On a display PC without a CJK font such a character shows as an empty box; the rare
hanzi of people's and places' names (the bundled font covers GB 18030 level 1) must not
be reported, an Extension B character or an emoji must be. Qt-free, like `kiosk check`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.playlist import load_playlist
from kiosk.playlist.coverage import (
    Coverage,
    bundled_coverage,
    format_coverage,
    parse_coverage,
    uncovered_characters,
)

NAMES = "张喆 李堃 王赟 刘珺 陈玥 赵燊"  # officers' names on a tribute slide
PLACES = "硚口 埇桥 鄠邑"
EXT_B = "\U00020000"  # 𠀀 CJK Extension B: beyond GB 18030 level 1, not bundled
EMOJI = "\U0001f56f"  # 🕯 candle: no bundled font has emoji

PLAYLIST = f"""\
version: 1
title: 致敬 {PLACES} {EXT_B}  # names the window only
# a comment is never shown: {EXT_B}
slides:
  - type: tribute
    id: names
    title: 向英雄致敬
    body: |
      {NAMES}
      {PLACES}
    notes: never shown {EXT_B}
  - type: text
    heading: "{PLACES}"
    body: 烈士 {EXT_B} 与 {EMOJI}
  - type: bar
    title: 各区
    data: districts.csv
"""
CSV = f"label,value\n{PLACES.split()[0]},12\n\"{EXT_B}桥\",7\n鄠邑,3\n"


def write_playlist(folder: Path) -> Path:
    (folder / "districts.csv").write_text(CSV, encoding="utf-8")
    path = folder / "rare.yaml"
    path.write_text(PLAYLIST, encoding="utf-8")
    return path


def message(char: str) -> str:
    return f"warning: '{char}' (U+{ord(char):04X}) is not in the bundled font; it will show as an empty box"


def test_check_warns_where_an_unbundled_character_is_written(tmp_path: Path, capsys) -> None:
    path = write_playlist(tmp_path)
    assert main(["check", str(path)]) == 0  # a warning, not an error
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "bundled font" in line]
    csv = tmp_path / "districts.csv"
    # Line 14 is `    body: 烈士 𠀀 与 🕯`: 𠀀 is its 14th character, 🕯 its 18th.
    # Line 3 of the CSV is `"𠀀桥",7`: 𠀀 after the opening quote.
    assert warnings == [
        f"{csv}:3:2: {message(EXT_B)}",
        f"{path}:14:14: {message(EXT_B)}",
        f"{path}:14:18: {message(EMOJI)}",
    ]
    assert f"{path}: OK, 3 slides" in captured.out


def test_rare_names_and_places_are_not_reported(tmp_path: Path) -> None:
    path = write_playlist(tmp_path)
    warnings = uncovered_characters(load_playlist(path))
    reported = {line.split("'")[1] for line in warnings}
    assert reported == {EXT_B, EMOJI}, warnings
    coverage = bundled_coverage()
    for char in NAMES + PLACES:
        assert char.isspace() or ord(char) in coverage, char


def test_a_fully_covered_playlist_gets_no_warning(tmp_path: Path, capsys) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(f"slides:\n  - {{type: tribute, title: 致敬, body: '{NAMES}'}}\n", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_coverage_ranges_round_trip() -> None:
    points = {0x20, 0x21, 0x22, 0x4E00, 0x4E01, 0x9FA5, 0x20000}
    text = format_coverage(points)
    assert text == "0020-0022\n4E00-4E01\n9FA5\n20000\n"
    coverage = parse_coverage("# comment\n" + text)
    assert coverage == Coverage((0x20, 0x4E00, 0x9FA5, 0x20000), (0x22, 0x4E01, 0x9FA5, 0x20000))
    assert [cp for cp in range(0x1F, 0x20002) if cp in coverage] == sorted(points)
    assert len(coverage) == len(points)


def test_bad_coverage_line_is_refused() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_coverage("0020-007E\nzz\n")


def test_check_stays_qt_free(tmp_path: Path) -> None:
    path = write_playlist(tmp_path)
    code = (
        "import sys\nfrom kiosk.cli import main\n"
        f"status = main(['check', {str(path)!r}])\n"
        "print(status, 'PySide6' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.stdout.split()[-2:] == ["0", "False"]
    assert message(EXT_B) in result.stderr
