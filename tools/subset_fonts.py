"""Subset Debian's Noto Sans CJK SC into the CJK fonts bundled with kiosk.

The kiosk must render Chinese on machines without any CJK font installed, so
it ships its own copy of Noto Sans CJK SC (SIL Open Font License 1.1). The full
faces are ~20 MB collections; this tool cuts the Simplified Chinese face of the
Regular and Bold collections from Debian's ``fonts-noto-cjk`` package down to:

* every GB2312 character: the 6,763 hanzi (rows 0xB0-0xF7) and the symbols,
  punctuation and fullwidth forms of rows 0xA1-0xA9;
* printable ASCII, Latin-1 Supplement, General Punctuation, arrows, geometric
  shapes, CJK Symbols and Punctuation, Halfwidth and Fullwidth Forms;
* every character used by a playlist or its chart data (``data/**/*.yaml``,
  ``*.yml``, ``*.csv``) and by the source reports (``../shared/sources/*.txt``).

All OpenType layout features are kept, but only the default and Simplified
Chinese (``ZHS``) language systems: the Japanese, Korean and Traditional
Chinese ``locl`` variants would nearly double the file and, when the host locale
is e.g. ja_JP, could make the shaper pick non-Chinese glyph forms. CFF hinting
is dropped unless ``--keep-hinting`` is given. The whole name table (copyright and
licence records included) is kept, with the family renamed to ``Kiosk Sans SC``
(``BUNDLED_FAMILY``): under its original name, a machine with fonts-noto-cjk installed
would render with the system's 20 MB collection instead (other glyph versions, and
~15 MB more resident memory), so the slides would not look the same everywhere. The
OFL allows the rename (Noto declares no Reserved Font Name) and asks it of Modified
Versions in spirit.

Run from the repository root::

    .venv/bin/python tools/subset_fonts.py [--out assets/fonts]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

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
    (0x2190, 0x21FF),  # Arrows
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
EXTRA_CHARS = "\u00b7\u00b0\u00d7"  # middle dot, degree sign, multiplication sign

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
    """Build fontTools subsetter options: all layout features, full name table."""
    options = subset.Options()
    options.layout_features = ["*"]
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
    collection_path: Path, required: set[str], out_path: Path, keep_hinting: bool
) -> SubsetResult:
    """Subset the SC face of one collection and save it to ``out_path``.

    The subset holds ``required`` plus whatever the font has of the Unicode
    ranges; the result lists the ``required`` characters the font lacks.
    """
    font = load_face(collection_path, FAMILY)
    missing = missing_chars(font, required)
    prune_language_systems(font, KEEP_LANGSYS)
    subsetter = subset.Subsetter(subset_options(keep_hinting))
    subsetter.populate(unicodes={ord(ch) for ch in required | range_chars()})
    subsetter.subset(font)
    rename_family(font, FAMILY, BUNDLED_FAMILY)
    font.recalcTimestamp = False  # keep head.modified: reproducible output
    out_path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out_path))
    glyphs = len(font.getGlyphOrder())
    return SubsetResult(out_path, out_path.stat().st_size, glyphs, missing)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: %(default)s)"
    )
    parser.add_argument(
        "--font-dir",
        type=Path,
        default=DEFAULT_FONT_DIR,
        help="directory holding the Noto Sans CJK .ttc files",
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


def main(argv: Sequence[str] | None = None) -> int:
    """Subset both styles; return 1 if a required character is not covered."""
    args = parse_args(argv)
    required = required_chars(args.data, args.sources)
    print(f"{len(required):,} required characters (+ Unicode ranges)")
    status = 0
    for style, collection in STYLES.items():
        out_path = args.out / OUTPUT_PATTERN.format(style=style)
        result = subset_style(args.font_dir / collection, required, out_path, args.keep_hinting)
        report(style, result)
        if result.missing:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
