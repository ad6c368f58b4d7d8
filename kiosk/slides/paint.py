"""Painting every slide shares: its background and chrome, and pictures from files (decoded
at the size shown, cached in bytes). The general drawing kit (text that always fits,
colours, the accent rule) is kiosk/drawing.py, shared with the overlays; its names are
imported here so that slides say paint.draw_text. Choosing sizes for groups of texts
and placing the standard title is in layout.py; drawing once and blitting every frame is
in sprites.py.
"""

from __future__ import annotations

import stat
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
)

from kiosk.decode import Fit, decode
from kiosk.drawing import (  # the kit slides and overlays share; slides use it as paint.*
    ALIGN_BOTTOM_CENTER,
    ALIGN_CENTER,
    ALIGN_LEFT,
    ALIGN_TOP_CENTER,
    ALIGN_TOP_LEFT,
    ALIGN_TOP_RIGHT,
    FontFactory,
    accent_rule,
    contrast,
    draw_image_contain,
    draw_image_cover,
    draw_text,
    elide_line,
    elide_to_box,
    fit_font,
    fit_size,
    fits_box,
    luminance,
    text_size,
    with_alpha,
)
from kiosk.playlist import svg as svg_rules
from kiosk.playlist.model import SlideBase
from kiosk.theme import Metrics, Theme, color

if TYPE_CHECKING:  # base.py imports this module: only the type, not the module
    from kiosk.slides.base import SlideContext

# ---------------------------------------------------------------- background and chrome


def slide_background(painter: QPainter, rect: QRectF, model: SlideBase, context: SlideContext) -> None:
    """The slide's own colour or picture, else the theme's gradient (the quiet one for a
    quiet type: the registry's `quiet`)."""
    theme = context.theme
    if model.background and model.background_is_color():
        painter.fillRect(rect, color(model.background))
        return
    theme.paint_background(painter, rect, quiet=model.quiet)
    if model.background:
        image = load_image(context.resolve(model.background), rect.width(), rect.height(), "cover")
        if image is not None:
            draw_image_cover(painter, rect, image)
            # Keep type readable over any photo: darken it a little.
            painter.fillRect(rect, QColor(0, 0, 0, 110 if theme.spec.dark else 60))


def slide_chrome(painter: QPainter, metrics: Metrics, model: SlideBase, theme: Theme) -> None:
    """The still parts around the content: accent rule, source line, footer, logo."""
    safe = metrics.safe_rect()
    vmin = metrics.vmin
    margin = vmin * (7 if not metrics.portrait else 6)
    baseline_box = QRectF(
        safe.left() + margin, safe.bottom() - vmin * 6.5, safe.width() - 2 * margin, vmin * 4
    )
    muted = with_alpha(theme.color("muted"), 0.85)
    small = theme.font(vmin * 1.9)
    if model.source:
        width = baseline_box.width() * (0.62 if theme.spec.footer else 1.0)
        source_box = QRectF(baseline_box.left(), baseline_box.top(), width, baseline_box.height())
        text = f"来源:{model.source}"
        font, wrap = source_font(theme, text, source_box, vmin)
        # Two lines grow upwards from the baseline, into the margin under the body.
        box = source_box.adjusted(0, -source_box.height() * 0.5, 0, 0) if wrap else source_box
        draw_text(painter, box, text, font, muted, ALIGN_LEFT if not wrap else _ALIGN_BOTTOM_LEFT, wrap=wrap)
    if theme.spec.footer and not model.quiet:
        draw_text(
            painter,
            baseline_box,
            theme.spec.footer,
            small,
            muted,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            wrap=False,
        )
    logo = theme.spec.logo_path()
    if logo is not None:
        size = vmin * 8
        image = load_image(logo, size, size)
        if image is not None:
            target = QRectF(safe.right() - margin - size, safe.top() + vmin * 3, size, size)
            draw_image_contain(painter, target, image)


_ALIGN_BOTTOM_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom

#: the source line shrinks to this share of its size before it wraps (1.9 vmin: 20 px on
#: a 1080 px wide portrait screen, 16 px after shrinking: still a caption, not a figure)
SOURCE_SHRINK = 0.82


def source_font(theme: Theme, text: str, box: QRectF, vmin: float) -> tuple[QFont, bool]:
    """The source line's font and whether it wraps: one line at 1.9 vmin, else one line
    down to SOURCE_SHRINK of that, else two lines (in 1.5 times the box's height); what
    still does not fit is elided between words by draw_text, never inside a number."""
    full = theme.font(vmin * 1.9)
    if fits_box(text, full, box, wrap=False):
        return full, False
    smallest = theme.font(vmin * 1.9 * SOURCE_SHRINK)
    if fits_box(text, smallest, box, wrap=False):
        return fit_font(theme.font, text, box, vmin * 1.9, vmin * 1.9 * SOURCE_SHRINK, wrap=False), False
    two_lines = QRectF(box.left(), box.top(), box.width(), box.height() * 1.5)
    return fit_font(theme.font, text, two_lines, vmin * 1.9, vmin * 1.9 * SOURCE_SHRINK, max_lines=2), True


# ---------------------------------------------------------------- images

# The SVG rules (self-contained, no DTD, at most 4 MB, the complexity limit) live with
# the playlist language, Qt-free, so `kiosk check` reports what the show would refuse.
# Decoding (at the size shown, with a deadline) is kiosk/decode.py.
svg_is_self_contained = svg_rules.svg_is_self_contained
MAX_SVG_BYTES = svg_rules.MAX_SVG_BYTES

#: decoded pictures kept, in full screens' worth of pixels (at 4 bytes a pixel)
CACHE_SCREENS = 3


class ImageCache:
    """Decoded pictures by file, version and size, bounded in bytes, not entries:
    CACHE_SCREENS full screens (the largest box asked for, at least 1920x1080). Sixteen
    decoded originals were 988 MB at 1080p; the oldest go first."""

    FLOOR_PIXELS = 1920 * 1080

    def __init__(self, screens: float = CACHE_SCREENS) -> None:
        self.screens = screens
        self.largest_pixels = self.FLOOR_PIXELS
        self.entries: OrderedDict[tuple[str, float, int, int, str], QImage | None] = OrderedDict()
        self.used = 0

    @property
    def budget(self) -> int:
        return int(self.screens * self.largest_pixels * 4)

    @staticmethod
    def cost(image: QImage | None) -> int:
        return 1024 if image is None else max(1024, image.sizeInBytes())  # a failure costs a little

    def get(self, key: tuple[str, float, int, int, str]) -> tuple[bool, QImage | None]:
        if key not in self.entries:
            return False, None
        self.entries.move_to_end(key)
        return True, self.entries[key]

    def put(self, key: tuple[str, float, int, int, str], image: QImage | None) -> None:
        self.largest_pixels = max(self.largest_pixels, key[2] * key[3])
        cost = self.cost(image)
        if cost > self.budget:
            return  # larger than the whole budget: decoded for this use only
        if key in self.entries:
            self.used -= self.cost(self.entries.pop(key))
        self.entries[key] = image
        self.used += cost
        while self.used > self.budget:
            _, oldest = self.entries.popitem(last=False)
            self.used -= self.cost(oldest)

    def clear(self) -> None:
        self.entries.clear()
        self.used = 0


image_cache = ImageCache()


def load_image(path: Path, width: float, height: float, fit: str = "contain") -> QImage | None:
    """The image decoded for a box of width x height (device pixels) with that fit
    ('contain': the whole picture fits in the box; 'cover': the box is filled, only its
    part decoded), never larger than the file; None if it cannot be read in time."""
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a folder, or a pipe that would block the show forever
    w, h = max(1, round(width)), max(1, round(height))
    key = (str(path), info.st_mtime, w, h, fit)
    found, image = image_cache.get(key)
    if not found:
        image = decode(str(path), info.st_mtime, Fit(fit, w, h))
        image_cache.put(key, image)
    return image


__all__ = [  # the drawing kit, re-exported for the slides, and this module's own
    "ALIGN_BOTTOM_CENTER",
    "ALIGN_CENTER",
    "ALIGN_LEFT",
    "ALIGN_TOP_CENTER",
    "ALIGN_TOP_LEFT",
    "ALIGN_TOP_RIGHT",
    "CACHE_SCREENS",
    "MAX_SVG_BYTES",
    "FontFactory",
    "ImageCache",
    "accent_rule",
    "contrast",
    "draw_image_contain",
    "draw_image_cover",
    "draw_text",
    "elide_line",
    "elide_to_box",
    "fit_font",
    "fit_size",
    "fits_box",
    "image_cache",
    "load_image",
    "luminance",
    "slide_background",
    "slide_chrome",
    "svg_is_self_contained",
    "text_size",
    "with_alpha",
]
