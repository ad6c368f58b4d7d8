"""Subset Debian's Noto Sans CJK SC into the CJK fonts bundled with kiosk.

The kiosk must render Chinese on machines without any CJK font installed, so
it ships its own copy of Noto Sans CJK SC (SIL Open Font License 1.1). The full
faces are ~20 MB collections; this tool cuts the Simplified Chinese face of the
Regular and Bold collections from Debian's ``fonts-noto-cjk`` package down to:

* every hanzi of GB 18030-2022 implementation level 1 that the source font has:
  the assigned ideographs of CJK Unified Ideographs (U+4E00-U+9FFF) and of
  Extension A (U+3400-U+4DBF), each checked with Python's ``gb18030`` codec
  (27,584; Noto Sans CJK 2.004 lacks the 26 that Unicode 13 and 14 added,
  U+4DB6-U+4DBF and U+9FF0-U+9FFF, so 27,558 are bundled), so that rare names
  of people and places (喆, 堃, 赟, 燊; 硚口, 埇桥, 鄠邑) never show as boxes;
* every GB2312 character: the 6,763 hanzi (rows 0xB0-0xF7) and the symbols,
  punctuation and fullwidth forms of rows 0xA1-0xA9;
* whatever the font has of GB 18030's two-byte region (GBK: radicals, vertical
  and compatibility forms, compatibility ideographs) and of printable ASCII,
  Latin-1 Supplement, General Punctuation, letterlike symbols (℃, №), number
  forms (Ⅻ), arrows, mathematical operators (≤, ≈), enclosed alphanumerics (①),
  geometric shapes, CJK Symbols and Punctuation, enclosed CJK letters (㈠), CJK
  compatibility (㎡, ㎞), Halfwidth and Fullwidth Forms;
* every character used by a playlist or its chart data (``data/**/*.yaml``,
  ``*.yml``, ``*.csv``) and by the source reports (``../shared/sources/*.txt``).

It also writes ``coverage.txt`` beside the fonts: the code points every bundled font
maps, as hexadecimal ranges, which ``kiosk check`` reads (kiosk/playlist/coverage.py)
to warn about characters that would show as empty boxes, without opening a font.

The OpenType layout features HarfBuzz applies to horizontal text are kept (fontTools'
default list: ``ccmp``, ``locl``, ``liga``, ``kern``, ``palt``, ``halt``, …), minus
the vertical ones (``vert``, ``vrt2``, ``vkrn``, ``vpal``, …) and their tables
(``vhea``, ``vmtx``, ``VORG``): Qt lays out horizontal text only, and kiosk asks for no
optional feature (``aalt``, ``pwid``, ``ruby``, ``trad``, …), whose alternate glyphs
would only add size. Only the default and Simplified Chinese (``ZHS``) language
systems are kept: the Japanese, Korean and Traditional Chinese ``locl`` variants
would add thousands of glyphs and, when the host locale is e.g. ja_JP, could make the
shaper pick non-Chinese glyph forms. CFF hinting is dropped unless
``--keep-hinting`` is given. The whole name table (copyright and
licence records included) is kept, with the family renamed to ``Kiosk Sans SC``
(``BUNDLED_FAMILY``): under its original name, a machine with fonts-noto-cjk installed
would render with the system's 20 MB collection instead (other glyph versions, and
~15 MB more resident memory), so the slides would not look the same everywhere. The
OFL allows the rename (Noto declares no Reserved Font Name) and asks it of Modified
Versions in spirit.

Run from the repository root, with Debian's ``fonts-noto-cjk`` installed::

    .venv/bin/python tools/subset_fonts.py [--out assets/fonts]

or, without installing it, from the package file itself::

    apt-get download fonts-noto-cjk
    .venv/bin/python tools/subset_fonts.py --deb fonts-noto-cjk_*.deb
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kiosk.playlist.coverage import COVERAGE_FILE, format_coverage, parse_coverage

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "assets" / "fonts"
DEFAULT_DATA = REPO_ROOT / "data"
DEFAULT_SOURCES = REPO_ROOT.parent / "shared" / "sources"
DEFAULT_FONT_DIR = Path("/usr/share/fonts/opentype/noto")

FAMILY = "Noto Sans CJK SC"
#: the bundled subset's family name (kiosk/playlist/theme_spec.py uses it by default)
BUNDLED_FAMILY = "Kiosk Sans SC"
STYLES: dict[str, str] = {
    "Regular": "NotoSansCJK-Regular.ttc",
    "Bold": "NotoSansCJK-Bold.ttc",
}
OUTPUT_PATTERN = "NotoSansSC-{style}.otf"
# Playlists and the chart data files they name (kiosk/playlist/data.py).
PLAYLIST_PATTERNS = ("*.yaml", "*.yml", "*.csv")

GB2312_SYMBOL_ROWS = range(0xA1, 0xAA)
GB2312_HANZI_ROWS = range(0xB0, 0xF8)
GB2312_CELLS = range(0xA1, 0xFF)

UNICODE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2100, 0x214F),  # Letterlike Symbols: ℃ №
    (0x2150, 0x218F),  # Number Forms: Ⅰ-Ⅻ
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators: ≤ ≥ ≈ ±
    (0x2460, 0x24FF),  # Enclosed Alphanumerics: ① ⑴ ⒈
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months: ㈠ ㊣
    (0x3300, 0x33FF),  # CJK Compatibility: ㎡ ㎞ ㎏
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
EXTRA_CHARS = "\u00b7\u00b0\u00d7"  # middle dot, degree sign, multiplication sign

# GB 18030-2022 implementation level 1 hanzi: the assigned ideographs of these blocks.
GB18030_HANZI_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
)
# GB 18030's two-byte region (GBK): lead bytes 0x81-0xFE, trail bytes 0x40-0x7E, 0x80-0xFE.
GB18030_LEAD_BYTES = range(0x81, 0xFF)
GB18030_TRAIL_BYTES = (*range(0x40, 0x7F), *range(0x80, 0xFF))

# Features Qt never asks for: vertical layout (kiosk draws horizontal text only).
VERTICAL_FEATURES = frozenset({"valt", "vchw", "vert", "vhal", "vjmo", "vkrn", "vpal", "vrt2"})
# Tables only vertical layout reads.
VERTICAL_TABLES = ("vhea", "vmtx", "VORG")

# Language systems kept in GSUB/GPOS; the script-default LangSys is always kept.
KEEP_LANGSYS = frozenset({"ZHS "})


@dataclass(frozen=True)
class SubsetResult:
    """What was written for one style."""

    path: Path
    size: int
    glyphs: int
    missing: tuple[str, ...]


def gb2312_chars(rows: Iterable[int]) -> set[str]:
    """Decode every valid GB2312 two-byte code point in the given rows."""
    chars: set[str] = set()
    for row in rows:
        for cell in GB2312_CELLS:
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def gb2312_hanzi() -> set[str]:
    """Return the 6,763 GB2312 hanzi (levels 1 and 2)."""
    return gb2312_chars(GB2312_HANZI_ROWS)


def gb18030_hanzi() -> set[str]:
    """Return the hanzi of GB 18030-2022 implementation level 1 as Python knows them: every
    assigned ideograph (general category Lo) of CJK Unified Ideographs and Extension A
    that the ``gb18030`` codec encodes and decodes back (27,584 with Unicode 14)."""
    chars: set[str] = set()
    for first, last in GB18030_HANZI_BLOCKS:
        for code_point in range(first, last + 1):
            char = chr(code_point)
            if unicodedata.category(char) != "Lo":
                continue
            try:
                if char.encode("gb18030").decode("gb18030") == char:
                    chars.add(char)
            except UnicodeError:
                continue
    return chars


def gb18030_two_byte_chars() -> set[str]:
    """Return every character of GB 18030's two-byte region (GBK) but private-use ones."""
    chars: set[str] = set()
    for lead in GB18030_LEAD_BYTES:
        for trail in GB18030_TRAIL_BYTES:
            try:
                char = bytes((lead, trail)).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if unicodedata.category(char) != "Co":
                chars.add(char)
    return chars


def range_chars() -> set[str]:
    """Return every code point of the fixed Unicode ranges (gaps included)."""
    return {chr(cp) for first, last in UNICODE_RANGES for cp in range(first, last + 1)}


def text_files(data_dir: Path, sources_dir: Path) -> list[Path]:
    """List the playlists and data files under ``data_dir`` and the reports in ``sources_dir``."""
    files: list[Path] = []
    if data_dir.is_dir():
        files += sorted(p for pattern in PLAYLIST_PATTERNS for p in data_dir.rglob(pattern))
    if sources_dir.is_dir():
        files += sorted(sources_dir.glob("*.txt"))
    return files


def text_chars(paths: Iterable[Path]) -> set[str]:
    """Return every non-whitespace character used in the given UTF-8 files."""
    chars: set[str] = set()
    for path in paths:
        chars |= {ch for ch in path.read_text(encoding="utf-8-sig") if not ch.isspace()}
    return chars


def required_chars(data_dir: Path, sources_dir: Path) -> set[str]:
    """Return the characters the bundled fonts must cover: GB2312 and the texts.

    The Unicode ranges are not in here: they contain unassigned code points and
    characters Noto Sans CJK does not have, which are simply skipped.
    """
    gb2312 = gb2312_hanzi() | gb2312_chars(GB2312_SYMBOL_ROWS)
    return gb2312 | set(EXTRA_CHARS) | text_chars(text_files(data_dir, sources_dir))


def load_face(collection_path: Path, family: str) -> TTFont:
    """Return the font of the collection whose family name (name ID 1) is ``family``."""
    collection = TTCollection(str(collection_path))
    for font in collection.fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise LookupError(f"no face named {family!r} in {collection_path}")


def prune_language_systems(font: TTFont, keep: frozenset[str]) -> None:
    """Drop GSUB/GPOS language systems not in ``keep`` (default LangSys stays)."""
    for tag in ("GSUB", "GPOS"):
        if tag not in font:
            continue
        for record in font[tag].table.ScriptList.ScriptRecord:
            script = record.Script
            script.LangSysRecord = [r for r in script.LangSysRecord if r.LangSysTag in keep]
            script.LangSysCount = len(script.LangSysRecord)


def rename_family(font: TTFont, old: str, new: str) -> None:
    """Rename the family in the name table (family, full, unique and PostScript names,
    typographic family) and in the CFF table, leaving every other record as it is."""
    old_ps, new_ps = old.replace(" ", ""), new.replace(" ", "")
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16, 17, 21):
            text = record.toUnicode()
            record.string = text.replace(old, new).replace(old_ps, new_ps).replace(
                "NotoSansCJKsc", new_ps
            )
    if "CFF " in font:
        # The collection's faces share one CFF table named after the JP face: name it
        # after this face, as the name table now does.
        name = font["name"]
        cff = font["CFF "].cff
        cff.fontNames = [name.getDebugName(6)]
        top = cff.topDictIndex[0]
        top.FamilyName = name.getDebugName(1)
        top.FullName = name.getDebugName(4)


def subset_options(keep_hinting: bool) -> subset.Options:
    """Build fontTools subsetter options: horizontal layout features, full name table."""
    options = subset.Options()
    options.layout_features = [f for f in options.layout_features if f not in VERTICAL_FEATURES]
    options.drop_tables = [*options.drop_tables, *VERTICAL_TABLES]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.hinting = keep_hinting
    return options


def missing_chars(font: TTFont, chars: Iterable[str]) -> tuple[str, ...]:
    """Return the characters of ``chars`` that the font's cmap does not map."""
    cmap = font.getBestCmap()
    return tuple(sorted(ch for ch in chars if ord(ch) not in cmap))


def subset_style(
    collection_path: Path,
    required: set[str],
    wanted: set[str],
    out_path: Path,
    keep_hinting: bool,
) -> SubsetResult:
    """Subset the SC face of one collection and save it to ``out_path``.

    The subset holds ``required`` plus whatever the font has of ``wanted``; the result
    lists the ``required`` characters the font lacks.
    """
    font = load_face(collection_path, FAMILY)
    missing = missing_chars(font, required)
    prune_language_systems(font, KEEP_LANGSYS)
    subsetter = subset.Subsetter(subset_options(keep_hinting))
    subsetter.populate(unicodes={ord(ch) for ch in required | wanted})
    subsetter.subset(font)
    rename_family(font, FAMILY, BUNDLED_FAMILY)
    font.recalcTimestamp = False  # keep head.modified: reproducible output
    out_path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out_path))
    glyphs = len(font.getGlyphOrder())
    return SubsetResult(out_path, out_path.stat().st_size, glyphs, missing)


def write_coverage(font_paths: Sequence[Path], out_path: Path) -> int:
    """Write the code points every one of ``font_paths`` maps (kiosk check reads them);
    return how many there are. Written from the saved files, so it cannot disagree."""
    cmaps = [set(TTFont(str(path), lazy=True).getBestCmap()) for path in font_paths]
    covered = set.intersection(*cmaps)
    header = (
        f"# Code points every bundled font ({', '.join(p.name for p in font_paths)}) maps:\n"
        f"# {len(covered):,} in all. Written by tools/subset_fonts.py; do not edit.\n"
        "# kiosk check (kiosk/playlist/coverage.py) warns about any other character.\n"
        "# One range a line, hexadecimal: FIRST-LAST, or a single code point.\n"
    )
    out_path.write_text(header + format_coverage(covered), encoding="utf-8")
    return len(covered)


def extract_deb(deb: Path, into: Path) -> Path:
    """Unpack a fonts-noto-cjk .deb (from ``apt-get download fonts-noto-cjk``) into
    ``into`` with dpkg-deb; return the folder holding its .ttc files."""
    dpkg_deb = shutil.which("dpkg-deb")
    if dpkg_deb is None:
        raise SystemExit("dpkg-deb is needed to unpack a .deb (or install fonts-noto-cjk)")
    subprocess.run([dpkg_deb, "-x", str(deb), str(into)], check=True)
    fields = subprocess.run(
        [dpkg_deb, "-f", str(deb), "Package", "Version"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    print(f"source: {deb.name} ({', '.join(fields)})")
    return into / DEFAULT_FONT_DIR.relative_to("/")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: %(default)s)"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--font-dir",
        type=Path,
        default=DEFAULT_FONT_DIR,
        help="directory holding the Noto Sans CJK .ttc files (default: %(default)s)",
    )
    source.add_argument(
        "--deb",
        type=Path,
        help="a fonts-noto-cjk .deb (apt-get download fonts-noto-cjk), used without installing it",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="directory searched for playlists (*.yaml, *.yml, *.csv)",
    )
    parser.add_argument(
        "--sources", type=Path, default=DEFAULT_SOURCES, help="directory of source report *.txt files"
    )
    parser.add_argument("--keep-hinting", action="store_true", help="keep CFF hints (about 20%% larger)")
    return parser.parse_args(argv)


def report(style: str, result: SubsetResult) -> None:
    """Print one output's size and glyph count, and warn about missing characters."""
    print(
        f"{style:8} {result.path}  {result.size:,} bytes "
        f"({result.size / 2**20:.2f} MiB), {result.glyphs:,} glyphs"
    )
    if result.missing:
        listing = " ".join(f"{ch}(U+{ord(ch):04X})" for ch in result.missing)
        print(f"  warning: not in the source font: {listing}", file=sys.stderr)


def code_point_ranges(chars: Iterable[str]) -> str:
    """'U+4DB6-U+4DBF, U+9FF0-U+9FFF' for a set of characters."""
    ranges = format_coverage({ord(ch) for ch in chars}).split()
    return ", ".join("U+" + line.replace("-", "-U+") for line in ranges)


def build(font_dir: Path, args: argparse.Namespace) -> int:
    """Subset both styles from ``font_dir`` and write coverage.txt; return the exit status."""
    required = required_chars(args.data, args.sources)
    hanzi = gb18030_hanzi()
    wanted = hanzi | gb18030_two_byte_chars() | range_chars()
    print(
        f"{len(required):,} required characters, {len(hanzi):,} GB 18030 level-1 hanzi "
        "(+ GB 18030 two-byte region and Unicode ranges, as far as the font has them)"
    )
    status = 0
    paths = []
    for style, collection in STYLES.items():
        out_path = args.out / OUTPUT_PATTERN.format(style=style)
        result = subset_style(font_dir / collection, required, wanted, out_path, args.keep_hinting)
        report(style, result)
        paths.append(out_path)
        if result.missing:
            status = 1
    covered = write_coverage(paths, args.out / COVERAGE_FILE)
    print(f"coverage {args.out / COVERAGE_FILE}: {covered:,} code points")
    coverage = parse_coverage((args.out / COVERAGE_FILE).read_text(encoding="utf-8"))
    lacking = {ch for ch in hanzi if ord(ch) not in coverage}
    if lacking:
        # Not an error: Unicode 13 and 14 added these ideographs after the source font's
        # release (Noto Sans CJK 2.004); kiosk check warns wherever a playlist uses one.
        ranges = code_point_ranges(lacking)
        print(f"note: the source font lacks {len(lacking)} GB 18030 level-1 hanzi: {ranges}")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Subset both styles; return 1 if a required character is not covered."""
    args = parse_args(argv)
    if args.deb is None:
        return build(args.font_dir, args)
    with tempfile.TemporaryDirectory(prefix="fonts-noto-cjk-") as folder:
        return build(extract_deb(args.deb, Path(folder)), args)


if __name__ == "__main__":
    sys.exit(main())
