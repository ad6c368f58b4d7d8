"""Low-level painting helpers every slide shares: background, chrome, images, colours,
and text that always fits.

Text never overflows: `fit_font` shrinks a font until the text fits its box (wrapping
where allowed), and `draw_text` elides what still would not fit at the smallest size.
Choosing sizes for groups of texts and placing the standard title is in layout.py;
drawing once and blitting every frame is in sprites.py.
"""

from __future__ import annotations

import stat
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QTextOption,
)

from kiosk.decode import Fit, decode
from kiosk.playlist import svg as svg_rules
from kiosk.playlist.model import SlideBase
from kiosk.theme import Metrics, Theme, color

FontFactory = Callable[[float], QFont]

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
ALIGN_TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
ALIGN_TOP_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
ALIGN_TOP_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
ALIGN_BOTTOM_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom


def text_size(text: str, font: QFont, width: float | None = None) -> tuple[float, float]:
    """Width and height of text in font; wrapped at `width` when given."""
    metrics = QFontMetricsF(font)
    if width is None:
        lines = text.split("\n") or [""]
        return max(metrics.horizontalAdvance(line) for line in lines), metrics.height() * len(lines)
    flags = int(Qt.TextFlag.TextWordWrap)
    rect = metrics.boundingRect(QRectF(0, 0, width, 1e6), flags, text)
    return rect.width(), rect.height()


def fit_font(
    make_font: FontFactory,
    text: str,
    box: QRectF,
    max_px: float,
    min_px: float,
    *,
    wrap: bool = True,
    max_lines: int | None = None,
) -> QFont:
    """The largest font from make_font(px), between min_px and max_px, that fits text in box."""
    return fit_size(make_font, lambda font: fits_box(text, font, box, wrap, max_lines), max_px, min_px)


def fit_size(make_font: FontFactory, fits: Callable[[QFont], bool], max_px: float, min_px: float) -> QFont:
    """The largest font from make_font(px), between min_px and max_px, for which fits(font)
    holds (min_px's when none does): a binary search, within ~0.2% of the best size."""
    low, high = min_px, max(min_px, max_px)
    for _ in range(9):
        mid = (low + high) / 2
        if fits(make_font(mid)):
            low = mid
        else:
            high = mid
    return make_font(high) if fits(make_font(high)) else make_font(low)


def fits_box(text: str, font: QFont, box: QRectF, wrap: bool, max_lines: int | None = None) -> bool:
    """Whether text at font fits box (wrapped at its width when wrap; in max_lines lines)."""
    width, height = text_size(text, font, box.width() if wrap else None)
    # Qt sets each wrapped line on a whole pixel: a block of n lines may be up to n px taller.
    if max_lines is not None and height > QFontMetricsF(font).height() * max_lines + max_lines:
        return False
    return width <= box.width() + 0.5 and height <= box.height() + 0.5


def draw_text(
    painter: QPainter,
    box: QRectF,
    text: str,
    font: QFont,
    pen: QColor,
    align: Qt.AlignmentFlag = ALIGN_LEFT,
    *,
    wrap: bool = True,
    opacity: float = 1.0,
) -> None:
    """Draw text in box; lines that do not fit are elided with '…', never spilled."""
    if opacity <= 0:
        return
    painter.save()
    painter.setOpacity(painter.opacity() * opacity)
    painter.setFont(font)
    painter.setPen(pen)
    shown = elide_to_box(text, font, box, wrap)
    option = QTextOption(align)
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.NoWrap)
    painter.setClipRect(box.adjusted(-2, -2, 2, 2), Qt.ClipOperation.IntersectClip)
    painter.drawText(box, shown, option)
    painter.restore()


def elide_line(text: str, metrics: QFontMetricsF, width: float) -> str:
    """One line of text, shortened with '…' to width.

    Qt's elidedText can overshoot by a fraction of a pixel ('J…' at 73.6 px for 73 px),
    which the clip would then shave off a glyph; drop characters until it truly fits.
    """
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    while len(shown) > 1 and metrics.horizontalAdvance(shown) > width + 0.5:
        shown = shown[:-2].rstrip() + "…" if shown.endswith("…") else shown[:-1] + "…"
    return shown


def elide_to_box(text: str, font: QFont, box: QRectF, wrap: bool) -> str:
    """text, shortened with '…' until it fits box.

    Wrapped text must fit in both directions: word wrap never breaks a word, so a Latin
    word or a long number wider than the box is cut with '…' rather than clipped mid-glyph.
    """
    metrics = QFontMetricsF(font)
    if not wrap:
        return elide_line(text, metrics, box.width())

    def fits(candidate: str) -> bool:
        width, height = text_size(candidate, font, box.width())
        return width <= box.width() + 0.5 and height <= box.height() + 0.5

    if fits(text):
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits with an ellipsis
        mid = (low + high + 1) // 2
        if fits(text[:mid] + "…"):
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def with_alpha(base: QColor, alpha: float) -> QColor:
    result = QColor(base)
    result.setAlphaF(max(0.0, min(1.0, alpha * base.alphaF())))
    return result


def luminance(color: QColor) -> float:
    """Relative luminance (WCAG) of a colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# ---------------------------------------------------------------- background and chrome


def slide_background(painter: QPainter, rect: QRectF, model: SlideBase, context: object) -> None:
    """The slide's own colour or picture, else the theme's gradient (the quiet one for a
    quiet type: the registry's `quiet`)."""
    theme: Theme = context.theme  # type: ignore[attr-defined]
    if model.background and model.background_is_color():
        painter.fillRect(rect, color(model.background))
        return
    theme.paint_background(painter, rect, quiet=model.quiet)
    if model.background:
        image = load_image(context.resolve(model.background), rect.width(), rect.height(), "cover")  # type: ignore[attr-defined]
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
        draw_text(
            painter,
            QRectF(baseline_box.left(), baseline_box.top(), width, baseline_box.height()),
            f"来源:{model.source}",
            small,
            muted,
            ALIGN_LEFT,
            wrap=False,
        )
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


def accent_rule(
    painter: QPainter, theme: Theme, start: QPointF, length: float, thickness: float, progress: float = 1.0
) -> None:
    """The short gold rule under a heading; grows in with progress."""
    if progress <= 0:
        return
    pen = QPen(theme.color("accent"), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.save()
    painter.setPen(pen)
    painter.drawLine(start, QPointF(start.x() + length * progress, start.y()))
    painter.restore()


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


def draw_image_contain(painter: QPainter, box: QRectF, image: QImage) -> QRectF:
    scale = min(box.width() / image.width(), box.height() / image.height())
    w, h = image.width() * scale, image.height() * scale
    target = QRectF(box.center().x() - w / 2, box.center().y() - h / 2, w, h)
    painter.drawImage(target, image)
    return target


def draw_image_cover(painter: QPainter, box: QRectF, image: QImage) -> None:
    scale = max(box.width() / image.width(), box.height() / image.height())
    w, h = box.width() / scale, box.height() / scale
    source = QRectF((image.width() - w) / 2, (image.height() - h) / 2, w, h)
    painter.drawImage(box, image, source)
