"""Qt renders Chinese with the bundled fonts, also where no CJK font is installed.

In-process: the bundled fonts register, cover the test text and draw real glyph
shapes (not blank, not the boxes of missing glyphs). In a subprocess whose
fontconfig only knows DejaVu: no CJK family exists until the bundled fonts are
registered, after which the text is covered and drawn.

Coverage is asked with code points (`QFontMetrics.inFontUcs4(ord(ch))`,
`QRawFont.supportsCharacter(ord(ch))`): in PySide6 6.12 the `QChar` overloads
(`inFont(ch)`, `supportsCharacter(ch)`) mis-convert most non-ASCII one-character
strings and answer False even for DejaVu's own Cyrillic, see
`test_qchar_overload_agrees_with_code_points`.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QPainter,
    QRawFont,
)

REPO = Path(__file__).parents[2]
FONT_DIR = REPO / "assets" / "fonts"
FONT_FILES = [FONT_DIR / "NotoSansSC-Regular.otf", FONT_DIR / "NotoSansSC-Bold.otf"]
FAMILY = "Kiosk Sans SC"
TEXT = "向人民报告江苏公安平安答卷警察节致敬"
TOFU = "\u25a1" * len(TEXT)  # WHITE SQUARE, what a missing glyph looks like
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
PIXEL_SIZE = 48


def render(text: str, font: QFont) -> QImage:
    """Draw ``text`` in black on a white greyscale image just large enough for it."""
    metrics = QFontMetrics(font)
    image = QImage(
        metrics.horizontalAdvance(text) + 20, metrics.height() + 20, QImage.Format.Format_Grayscale8
    )
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def gray_bytes(image: QImage) -> bytes:
    """The image's pixels, one byte each, without the scan-line padding."""
    width, stride = image.width(), image.bytesPerLine()
    data = bytes(image.constBits())
    return b"".join(data[y * stride : y * stride + width] for y in range(image.height()))


def dark_pixels(image: QImage) -> int:
    return sum(1 for value in gray_bytes(image) if value < 128)


def registered_font(bold: bool = False) -> QFont:
    font = QFont(FAMILY)
    font.setPixelSize(PIXEL_SIZE)
    font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    return font


@pytest.fixture(scope="module")
def font_ids(qapp: QGuiApplication) -> Iterator[list[int]]:
    assert isinstance(qapp, QGuiApplication)
    ids = [QFontDatabase.addApplicationFont(str(path)) for path in FONT_FILES]
    yield ids
    for font_id in ids:
        if font_id != -1:
            QFontDatabase.removeApplicationFont(font_id)


def test_bundled_fonts_register(font_ids: list[int]) -> None:
    assert -1 not in font_ids, f"addApplicationFont failed for {FONT_FILES}: ids {font_ids}"
    for font_id in font_ids:
        assert QFontDatabase.applicationFontFamilies(font_id) == [FAMILY]


@pytest.mark.parametrize("path", FONT_FILES, ids=lambda p: p.name)
def test_font_files_have_every_character(path: Path, font_ids: list[int]) -> None:
    raw = QRawFont(str(path), PIXEL_SIZE)
    assert raw.isValid()
    missing = [ch for ch in TEXT if not raw.supportsCharacter(ord(ch))]
    assert not missing, f"{path.name} lacks {''.join(missing)}"


@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
def test_text_is_in_font(font_ids: list[int], bold: bool) -> None:
    font = registered_font(bold)
    assert QFontInfo(font).family() == FAMILY
    metrics = QFontMetrics(font)
    missing = [ch for ch in TEXT if not metrics.inFontUcs4(ord(ch))]
    assert not missing, f"not in {FAMILY}: {''.join(missing)}"


@pytest.mark.parametrize("bold", [False, True], ids=["regular", "bold"])
def test_text_renders_real_glyphs(font_ids: list[int], bold: bool) -> None:
    font = registered_font(bold)
    image = render(TEXT, font)
    dark = dark_pixels(image)
    assert dark > 0.05 * image.width() * image.height(), f"only {dark} dark pixels: blank rendering"

    tofu = render(TOFU, font)
    assert (image.width(), image.height()) == (tofu.width(), tofu.height())
    differing = sum(a != b for a, b in zip(gray_bytes(image), gray_bytes(tofu), strict=True))
    assert differing > 0.05 * image.width() * image.height(), "the text renders like missing-glyph boxes"

    # Missing glyphs all look alike; real ones do not.
    shapes = {gray_bytes(render(ch, font)) for ch in set(TEXT)}
    assert len(shapes) == len(set(TEXT))


def test_bold_differs_from_regular(font_ids: list[int]) -> None:
    regular = dark_pixels(render(TEXT, registered_font(bold=False)))
    bold = dark_pixels(render(TEXT, registered_font(bold=True)))
    assert bold > regular * 1.1


# Runs in a fresh interpreter whose fontconfig only sees DejaVu.
CHILD = r"""
import json, sys
from PySide6.QtCore import Qt
from PySide6.QtGui import (QColor, QFont, QFontDatabase, QFontInfo, QFontMetrics, QGuiApplication,
                           QImage, QPainter)

def pixels(text, font):
    metrics = QFontMetrics(font)
    image = QImage(metrics.horizontalAdvance(text) + 20, metrics.height() + 20,
                   QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    data, stride = bytes(image.constBits()), image.bytesPerLine()
    return b"".join(data[y * stride : y * stride + image.width()] for y in range(image.height()))

app = QGuiApplication([])
text, tofu, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
before = QFontDatabase.families()
default_font = QFont()
in_default_before = {ch: QFontMetrics(default_font).inFontUcs4(ord(ch)) for ch in text}
ids = [QFontDatabase.addApplicationFont(p) for p in paths]
families = sorted({f for i in ids if i != -1 for f in QFontDatabase.applicationFontFamilies(i)})
results = {}
for family in families:
    for bold in (False, True):
        font = QFont(family)
        font.setPixelSize(48)
        font.setBold(bold)
        metrics = QFontMetrics(font)
        drawn, boxes = pixels(text, font), pixels(tofu, font)
        results[f"{family}|{'bold' if bold else 'regular'}"] = {
            "resolved": QFontInfo(font).family(),
            "in_font": {ch: metrics.inFontUcs4(ord(ch)) for ch in text},
            "pixels": len(drawn),
            "dark": sum(1 for v in drawn if v < 128),
            "differ_from_boxes": -1 if len(drawn) != len(boxes)
            else sum(1 for x, y in zip(drawn, boxes) if x != y),
            "distinct_shapes": len({pixels(ch, font) for ch in set(text)}),
        }
print(json.dumps({
    "families_before": before,
    "in_default_before": in_default_before,
    "ids": ids,
    "families": families,
    "results": results,
}))
"""


def fonts_conf(folder: Path) -> Path:
    """A fontconfig configuration that knows only the DejaVu fonts."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"  <dir>{DEJAVU_DIR}</dir>\n"
        f"  <cachedir>{folder / 'cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.mark.skipif(not DEJAVU_DIR.is_dir(), reason=f"{DEJAVU_DIR} is not installed")
def test_renders_without_any_system_cjk_font(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "FONTCONFIG_"))}
    env.update(QT_QPA_PLATFORM="offscreen", FONTCONFIG_FILE=str(fonts_conf(tmp_path)))
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, TEXT, TOFU, *map(str, FONT_FILES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])

    before = out["families_before"]
    assert before, "fontconfig found no font at all"
    assert not [f for f in before if "CJK" in f], f"a CJK font is visible despite fonts.conf: {before}"
    assert not any(out["in_default_before"].values()), "the system fonts already cover the text"

    assert -1 not in out["ids"], f"addApplicationFont failed: {out['ids']}"
    assert out["families"] == [FAMILY]
    for key, result in out["results"].items():
        assert result["resolved"] == FAMILY, key
        missing = [ch for ch, ok in result["in_font"].items() if not ok]
        assert not missing, f"{key}: not in font: {''.join(missing)}"
        assert result["dark"] > 0.05 * result["pixels"], f"{key}: blank rendering"
        assert result["differ_from_boxes"] > 0.05 * result["pixels"], f"{key}: renders like boxes"
        assert result["distinct_shapes"] == len(set(TEXT)), f"{key}: glyphs look alike"


# ------------------------------------------------ rare names, beyond GB2312

# Officers' names on a tribute slide and district names: GB 18030 level 1, not GB2312.
RARE = "喆堃赟珺玥燊硚埇鄠"
MISSING = "\ue000"  # private use: no font has it, so it draws as a missing-glyph box


def cjk_free_fonts_conf(folder: Path) -> Path:
    """A fontconfig configuration with no CJK font: DejaVu only, or no font at all."""
    conf = folder / "fonts.conf"
    dirs = f"  <dir>{DEJAVU_DIR}</dir>\n" if DEJAVU_DIR.is_dir() else ""
    conf.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f"{dirs}"
        f"  <cachedir>{folder / 'cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def cjk_free_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "FONTCONFIG_"))}
    env.update(QT_QPA_PLATFORM="offscreen", FONTCONFIG_FILE=str(cjk_free_fonts_conf(folder)))
    return env


# kiosk's own registration and theme fonts, in a fresh interpreter that sees no CJK font.
RARE_CHILD = r"""
import json, sys
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont
from PySide6.QtWidgets import QApplication
from kiosk.app import ensure_application
from kiosk.theme import load_theme, register_fonts

app = QApplication([])  # first a bare application: what the system alone offers
text = sys.argv[1]
system = QFontDatabase.families()
system_covers = [f for f in system for ch in text if QFontMetrics(QFont(f)).inFontUcs4(ord(ch))]
ensure_application()  # then kiosk's start-up, which registers the bundled fonts
families = register_fonts()
result = {"system": system, "system_covers": system_covers, "families": families}
for weight in (QFont.Weight.Normal, QFont.Weight.Bold):
    font = load_theme("police-blue").font(48, weight)
    metrics, raw = QFontMetrics(font), QRawFont.fromFont(font)
    result[weight.name] = {
        "raw_family": raw.familyName(),
        "raw_style": raw.styleName(),
        "not_in_font": [ch for ch in text if not metrics.inFontUcs4(ord(ch))],
        "not_in_raw_font": [ch for ch in text if not raw.supportsCharacter(ord(ch))],
    }
print(json.dumps(result))
"""


def test_rare_names_are_in_kiosks_fonts_without_system_cjk_fonts(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", RARE_CHILD, RARE],
        env=cjk_free_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not [f for f in out["system"] if "CJK" in f or "Kiosk" in f], out["system"]
    assert out["system_covers"] == [], "system fonts cover the names: the test would prove nothing"
    assert out["families"] == [FAMILY]
    for weight, style in (("Normal", "Regular"), ("Bold", "Bold")):
        assert (out[weight]["raw_family"], out[weight]["raw_style"]) == (FAMILY, style)
        assert out[weight]["not_in_font"] == [], f"{style}: {''.join(out[weight]['not_in_font'])}"
        assert out[weight]["not_in_raw_font"] == [], f"{style}: {''.join(out[weight]['not_in_raw_font'])}"


def rare_playlist(folder: Path) -> Path:
    """One tribute slide (regular weight) and one title slide (bold) per rare character,
    then the same two with a private-use character, the look of a missing glyph."""
    lines = ["version: 1", "slides:"]
    for index, char in enumerate([*RARE, MISSING]):
        name = "missing" if char == MISSING else f"c{index}"
        lines += [
            f"  - {{type: tribute, id: tribute-{name}, title: 致敬, body: '王{char}'}}",
            f"  - {{type: title, id: title-{name}, title: '王{char}'}}",
        ]
    path = folder / "rare.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def png_pixels(path: Path) -> bytes:
    image = QImage(str(path))
    assert not image.isNull(), path
    return gray_bytes(image.convertToFormat(QImage.Format.Format_Grayscale8))


def test_exported_tribute_shows_rare_names_not_boxes(tmp_path: Path, qapp: QGuiApplication) -> None:
    out = tmp_path / "png"
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "export", str(rare_playlist(tmp_path)), "--out", str(out),
         "--size", "1280x720"],
        env=cjk_free_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for kind in ("tribute", "title"):
        boxes = png_pixels(next(out.glob(f"*-{kind}-missing.png")))
        shapes = {}
        for index, char in enumerate(RARE):
            pixels = png_pixels(next(out.glob(f"*-{kind}-c{index}.png")))
            assert len(pixels) == len(boxes)
            differing = sum(a != b for a, b in zip(pixels, boxes, strict=True))
            # A glyph's strokes against a box's outline: hundreds of pixels at this size.
            assert differing > 200, f"{kind}: {char} (U+{ord(char):04X}) looks like a missing-glyph box"
            shapes[pixels] = char
        assert len(shapes) == len(RARE), f"{kind}: some characters render alike"
