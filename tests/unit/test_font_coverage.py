"""The bundled CJK fonts cover GB 18030's level-1 hanzi, GB2312 and every character the
playlists use, and coverage.txt (what `kiosk check` reads) says exactly what they cover.

Qt-free: reads the fonts' cmap with fontTools. When a playlist gains a character
outside the subset, regenerate the fonts with `tools/subset_fonts.py`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from kiosk.playlist.coverage import parse_coverage
from tests.unit.conftest import REPORT_NAME, sources_dir

REPO = Path(__file__).parents[2]
FONT_DIR = REPO / "assets" / "fonts"
FONT_FILES = ("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf")
DATA_DIR = REPO / "data"
PLAYLIST_PATTERNS = ("*.yaml", "*.yml", "*.csv")  # playlists and the chart data they name
FAMILY = "Kiosk Sans SC"
SHOWN_MISSING = 200
# Rare hanzi of real names and places, outside GB2312: they showed as boxes once.
RARE_NAMES = "喆堃赟珺玥燊" + "硚口埇桥鄠邑"
# The blocks of GB 18030-2022 implementation level 1's hanzi.
GB18030_HANZI_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
# Level-1 hanzi that Noto Sans CJK 2.004 (Debian's fonts-noto-cjk, the source) lacks:
# Unicode 13 and 14 added them, after the font's release. kiosk check warns about them.
SOURCE_LACKS = frozenset({*range(0x4DB6, 0x4DC0), *range(0x9FF0, 0xA000)})


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


def gb18030_level1_hanzi() -> set[str]:
    """The assigned ideographs of the level-1 blocks that Python's gb18030 codec maps."""
    chars: set[str] = set()
    for first, last in GB18030_HANZI_BLOCKS:
        for code_point in range(first, last + 1):
            char = chr(code_point)
            if unicodedata.category(char) == "Lo" and char.encode("gb18030").decode("gb18030") == char:
                chars.add(char)
    return chars


GB2312_HANZI = gb2312_chars(range(0xB0, 0xF8))
GB2312_SYMBOLS = gb2312_chars(range(0xA1, 0xAA))
GB18030_HANZI = gb18030_level1_hanzi()


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


def test_gb18030_level1_has_every_unified_ideograph_up_to_unicode_14() -> None:
    # All of U+4E00-U+9FFF and U+3400-U+4DBF as of Unicode 14 (Python 3.11's database).
    assert len(GB18030_HANZI) == 20_992 + 6_592
    assert GB2312_HANZI < GB18030_HANZI
    assert {ord(ch) for ch in GB18030_HANZI} >= SOURCE_LACKS


@pytest.mark.parametrize("name", FONT_FILES)
def test_every_gb18030_level1_hanzi_is_covered(name: str) -> None:
    wanted = {ch for ch in GB18030_HANZI if ord(ch) not in SOURCE_LACKS}
    assert len(wanted) == 27_558
    assert_covered(name, wanted, "the GB 18030 level-1 hanzi")
    # ... and no others: those are missing from the source font, not dropped here.
    assert not SOURCE_LACKS & cmap_of(name)


@pytest.mark.parametrize("name", FONT_FILES)
def test_rare_names_and_places_are_covered(name: str) -> None:
    assert_covered(name, RARE_NAMES, "rare hanzi of names and places")


@pytest.mark.parametrize("name", FONT_FILES)
def test_coverage_file_lists_exactly_what_the_font_maps(name: str) -> None:
    coverage = parse_coverage((FONT_DIR / "coverage.txt").read_text(encoding="utf-8"))
    ranges = zip(coverage.firsts, coverage.lasts, strict=True)
    listed = {cp for first, last in ranges for cp in range(first, last + 1)}
    assert listed == cmap_of(name), "coverage.txt is stale: run .venv/bin/python tools/subset_fonts.py"


@pytest.mark.parametrize("name", FONT_FILES)
def test_vertical_layout_tables_are_dropped(name: str) -> None:
    # Qt lays out horizontal text only: vertical metrics and forms would be dead weight.
    font = TTFont(FONT_DIR / name, lazy=True)
    assert not {"vhea", "vmtx", "VORG"} & set(font.keys())
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert "vert" not in features and "vrt2" not in features
    assert "locl" in features  # the Simplified Chinese forms stay


@pytest.mark.parametrize("name", FONT_FILES)
def test_gb2312_symbols_and_display_extras_are_covered(name: str) -> None:
    extras = "·°×▲▼●○■□◆→←↑↓％，。、：；！？（）《》“”‘’—…０１２３４５６７８９"
    assert_covered(name, GB2312_SYMBOLS | set(extras), "GB2312 rows 0xA1-0xA9 and display symbols")


@pytest.mark.parametrize("name", FONT_FILES)
def test_every_playlist_character_is_covered(name: str) -> None:
    files = sorted(p for pattern in PLAYLIST_PATTERNS for p in DATA_DIR.rglob(pattern))
    # No playlist yet is fine: there is then nothing to cover.
    assert_covered(name, text_chars(files), f"{len(files)} playlist/data file(s) under data/")


@pytest.mark.sources  # left out (and said so) in a clone without ../shared; required in CI
@pytest.mark.parametrize("name", FONT_FILES)
def test_every_source_report_character_is_covered(name: str) -> None:
    folder = sources_dir()
    assert folder is not None, f"the source report {REPORT_NAME} is not beside the clone nor in $KIOSK_SOURCES"
    reports = sorted(folder.glob("*.txt"))
    assert folder / REPORT_NAME in reports
    assert_covered(name, text_chars(reports), ", ".join(p.name for p in reports))


@pytest.mark.parametrize("name", FONT_FILES)
def test_family_name_is_kept(name: str) -> None:
    font = TTFont(FONT_DIR / name, lazy=True)
    assert font["name"].getDebugName(1) == FAMILY


@pytest.mark.parametrize("name", FONT_FILES)
def test_licence_records_are_kept(name: str) -> None:
    names = TTFont(FONT_DIR / name, lazy=True)["name"]
    assert "Adobe" in names.getDebugName(0)  # copyright
    assert "SIL Open Font License" in names.getDebugName(13)  # licence description
    assert "OFL" in names.getDebugName(14)  # licence URL


def test_licence_is_beside_the_fonts() -> None:
    licence = FONT_DIR / "OFL.txt"
    assert licence.is_file(), f"{licence} is missing"
    text = licence.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text
    assert "Adobe" in text
