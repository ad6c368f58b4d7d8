"""The bundled CJK fonts cover GB2312 and every character the playlists use.

Qt-free: reads the fonts' cmap with fontTools. When a playlist gains a character
outside the subset, regenerate the fonts with `tools/subset_fonts.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

REPO = Path(__file__).parents[2]
FONT_DIR = REPO / "assets" / "fonts"
FONT_FILES = ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf")
DATA_DIR = REPO / "data"
PLAYLIST_PATTERNS = ("*.yaml", "*.yml", "*.csv")  # playlists and the chart data they name
SOURCES_DIR = Path(__file__).parents[2].parent / "shared" / "sources"
REPORT = SOURCES_DIR / "jiangsu-police-day-2023-report.txt"
FAMILY = "Kiosk Sans SC"
SHOWN_MISSING = 200


def gb2312_chars(rows: range) -> set[str]:
    """Every character of the given GB2312 rows, via Python's gb2312 codec."""
    chars: set[str] = set()
    for row in rows:
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


GB2312_HANZI = gb2312_chars(range(0xB0, 0xF8))
GB2312_SYMBOLS = gb2312_chars(range(0xA1, 0xAA))


@cache
def cmap_of(name: str) -> frozenset[int]:
    """The code points mapped by a bundled font (loaded once per session)."""
    path = FONT_DIR / name
    assert path.is_file(), f"{path} is missing; run .venv/bin/python tools/subset_fonts.py"
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def text_chars(paths: Iterable[Path]) -> set[str]:
    """Every non-whitespace character of the given UTF-8 files."""
    chars: set[str] = set()
    for path in paths:
        chars |= {ch for ch in path.read_text(encoding="utf-8-sig") if not ch.isspace()}
    return chars


def assert_covered(name: str, chars: Iterable[str], what: str) -> None:
    """Fail listing every character of ``chars`` missing from the font's cmap."""
    cmap = cmap_of(name)
    missing = sorted(ch for ch in set(chars) if ord(ch) not in cmap)
    shown = " ".join(f"{ch}(U+{ord(ch):04X})" for ch in missing[:SHOWN_MISSING])
    more = f" … and {len(missing) - SHOWN_MISSING} more" if len(missing) > SHOWN_MISSING else ""
    assert not missing, (
        f"{name} lacks {len(missing)} character(s) of {what}: {shown}{more}\n"
        "regenerate with: .venv/bin/python tools/subset_fonts.py"
    )


def test_gb2312_has_6763_hanzi() -> None:
    assert len(GB2312_HANZI) == 6763


@pytest.mark.parametrize("name", FONT_FILES)
def test_every_gb2312_hanzi_is_covered(name: str) -> None:
    assert_covered(name, GB2312_HANZI, "the GB2312 hanzi")


@pytest.mark.parametrize("name", FONT_FILES)
def test_gb2312_symbols_and_display_extras_are_covered(name: str) -> None:
    extras = "·°×▲▼●○■□◆→←↑↓％，。、：；！？（）《》“”‘’—…０１２３４５６７８９"
    assert_covered(name, GB2312_SYMBOLS | set(extras), "GB2312 rows 0xA1-0xA9 and display symbols")


@pytest.mark.parametrize("name", FONT_FILES)
def test_every_playlist_character_is_covered(name: str) -> None:
    files = sorted(p for pattern in PLAYLIST_PATTERNS for p in DATA_DIR.rglob(pattern))
    # No playlist yet is fine: there is then nothing to cover.
    assert_covered(name, text_chars(files), f"{len(files)} playlist/data file(s) under data/")


@pytest.mark.parametrize("name", FONT_FILES)
def test_every_source_report_character_is_covered(name: str) -> None:
    if not REPORT.is_file():
        pytest.skip(f"{REPORT} is not present")
    reports = sorted(SOURCES_DIR.glob("*.txt"))
    assert REPORT in reports
    assert_covered(name, text_chars(reports), ", ".join(p.name for p in reports))


@pytest.mark.parametrize("name", FONT_FILES)
def test_family_name_is_kept(name: str) -> None:
    font = TTFont(FONT_DIR / name, lazy=True)
    assert font["name"].getDebugName(1) == FAMILY


def test_licence_is_beside_the_fonts() -> None:
    licence = FONT_DIR / "OFL.txt"
    assert licence.is_file(), f"{licence} is missing"
    text = licence.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text
    assert "Adobe" in text
