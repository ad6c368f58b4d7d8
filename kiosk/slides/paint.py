"""Low-level painting helpers every slide shares: background, chrome, images, colours,
and text that always fits.

Text never overflows: `fit_font` shrinks a font until the text fits its box (wrapping
where allowed), and `draw_text` elides what still would not fit at the smallest size.
Choosing sizes for groups of texts and placing the standard title is in layout.py;
drawing once and blitting every frame is in sprites.py.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageReader,
    QPainter,
    QPen,
    QTextOption,
)

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
        image = load_image(context.resolve(model.background), rect.width(), rect.height())  # type: ignore[attr-defined]
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

# Qt refuses to decode images needing more than this many MB (decompression bombs).
QImageReader.setAllocationLimit(256)


# An SVG is a document that can point at other files: Qt's reader follows <image href> to
# any local path, so an SVG in the playlist's folder could show a picture from anywhere.
# Only self-contained SVGs are drawn: every href is '#fragment' or an embedded 'data:'
# picture, and no DTD (its entities could spell an href the scan below does not see).
MAX_SVG_BYTES = 4 * 1024 * 1024
_SVG_HREF = re.compile(rb"""href\s*=\s*["']\s*([^"']*)""", re.IGNORECASE)
_SVG_CSS_URL = re.compile(rb"""url\(\s*["']?\s*([^)"'\s]*)""", re.IGNORECASE)


def svg_is_self_contained(data: bytes) -> bool:
    """Whether an SVG document refers to nothing outside itself."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return False
    references = _SVG_HREF.findall(data) + _SVG_CSS_URL.findall(data)
    return all(ref.startswith(b"#") or ref.lower().startswith(b"data:") for ref in references)


def _is_svg(path: str) -> bool:
    if path.lower().endswith((".svg", ".svgz")):
        return True
    return bytes(QImageReader.imageFormat(path).data()).lower().startswith(b"svg")


def _svg_allowed(path: str) -> bool:
    if path.lower().endswith(".svgz"):
        return False  # compressed: the scan cannot read it; export a plain .svg instead
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SVG_BYTES + 1)
    except OSError:
        return False
    return len(data) <= MAX_SVG_BYTES and svg_is_self_contained(data)


@lru_cache(maxsize=16)
def _load_image_cached(path: str, mtime: float, width: int, height: int) -> QImage | None:
    if _is_svg(path) and not _svg_allowed(path):
        return None
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and size.width() > 0 and size.height() > 0:
        # Decode at screen size, not at the file's size: a 6000 px photo costs 100 MB otherwise.
        scale = min(1.0, max(width / size.width(), height / size.height()))
        if scale < 1.0:
            reader.setScaledSize(size * scale)
    image = reader.read()
    return None if image.isNull() else image


def load_image(path: Path, width: float, height: float) -> QImage | None:
    """The image decoded at about the given size, or None if it cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a folder, or a pipe that would block the show forever
    return _load_image_cached(str(path), info.st_mtime, max(1, round(width)), max(1, round(height)))


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
