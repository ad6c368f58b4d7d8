"""Themes in Qt terms: colours, fonts (the bundled CJK font is registered here), sizes.

Sizes are relative to the screen: one `vmin` is 1/100 of the shorter side, so a slide
looks composed at 1280x720, 1920x1080, 3840x2160 and portrait 1080x1920 alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontDatabase, QLinearGradient, QPainter

from kiosk import resources
from kiosk.playlist.load import load_theme_spec
from kiosk.playlist.paths import inside
from kiosk.playlist.theme_spec import ThemeSpec, builtin_theme_file

log = logging.getLogger(__name__)
FALLBACK_FAMILIES = [
    "Kiosk Sans SC",  # the bundled font (assets/fonts), for a theme naming another family
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
]


@cache
def register_fonts() -> list[str]:
    """Register the bundled fonts once per process; returns the families they provide."""
    families: list[str] = []
    folder = resources.fonts()
    for file in sorted(folder.glob("*.otf")) + sorted(folder.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(file))
        if font_id == -1:
            log.error("could not load the bundled font %s", file)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if not families:
        log.error("no bundled font was loaded from %s; Chinese text may show as boxes", folder)
    return sorted(set(families))


def color(text: str) -> QColor:
    """A QColor from '#rgb', '#rrggbb', '#rrggbbaa' (CSS order, as people write it) or a name."""
    if text.startswith("#") and len(text) == 9:
        # Qt reads #aarrggbb; the web and our themes write #rrggbbaa.
        return QColor(f"#{text[7:9]}{text[1:7]}")
    return QColor(text)


@dataclass
class Theme:
    """A theme ready to paint with."""

    spec: ThemeSpec

    @property
    def name(self) -> str:
        return self.spec.name

    def color(self, role: str) -> QColor:
        return color(getattr(self.spec.colors, role))

    def chart_color(self, index: int) -> QColor:
        palette = self.spec.colors.chart
        return color(palette[index % len(palette)])

    def trend_color(self, good_news: bool | None) -> QColor:
        if good_news is None:
            return self.color("accent")
        return self.color("good" if good_news else "bad")

    def font(self, pixel_size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
        font = QFont(self.spec.fonts.family)
        font.setFamilies([self.spec.fonts.family, *FALLBACK_FAMILIES])
        font.setPixelSize(max(1, round(pixel_size)))
        font.setWeight(weight)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        return font

    def number_font(self, pixel_size: float) -> QFont:
        font = self.font(pixel_size, QFont.Weight.Bold)
        font.setFamilies([self.spec.fonts.numbers, self.spec.fonts.family, *FALLBACK_FAMILIES])
        return font

    def paint_background(self, painter: QPainter, rect: QRectF, *, quiet: bool = False) -> None:
        """The theme's gradient, top-left to bottom-right."""
        top, bottom = (
            ("tribute_top", "tribute_bottom") if quiet else ("background_top", "background_bottom")
        )
        gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
        gradient.setColorAt(0.0, self.color(top))
        gradient.setColorAt(1.0, self.color(bottom))
        painter.fillRect(rect, gradient)


def load_theme(name_or_path: str, playlist_folder: Path | None = None) -> Theme:
    """A built-in theme by name, or a theme YAML relative to the playlist's folder."""
    builtin = builtin_theme_file(name_or_path)
    if builtin is not None:
        return Theme(load_theme_spec(builtin))
    folder = playlist_folder or Path.cwd()
    spec = load_theme_spec(inside(folder, name_or_path))  # the folder rule (SECURITY.md)
    spec._root = folder  # its logo too must stay in the playlist's folder
    return Theme(spec)


@dataclass(frozen=True)
class Metrics:
    """Sizes for a slide of a given pixel size, all relative to its shorter side."""

    width: float
    height: float
    overscan: float = 0.0  # percent per edge

    @property
    def vmin(self) -> float:
        return min(self.width, self.height) / 100.0

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def safe_rect(self) -> QRectF:
        """The area inside the overscan margin."""
        dx, dy = self.width * self.overscan / 100, self.height * self.overscan / 100
        return QRectF(dx, dy, self.width - 2 * dx, self.height - 2 * dy)

    def content_rect(self) -> QRectF:
        """The area slides lay their content in: safe area less a generous margin."""
        safe = self.safe_rect()
        margin_x = self.vmin * (7 if not self.portrait else 6)
        margin_top = self.vmin * 6
        margin_bottom = self.vmin * 9  # room for footer, source line and counter
        return safe.adjusted(margin_x, margin_top, -margin_x, -margin_bottom)
