"""The drawing kit slides and overlays share: text that always fits, colours, the accent
rule, pictures drawn into boxes. Nothing here knows a slide or a playlist.

Text never overflows: `fit_font` shrinks a font until the text fits its box (wrapping
where allowed), and `draw_text` elides what still would not fit at the smallest size.
Chinese wraps and elides between words, never inside one (kiosk/words.py): every text
is glued before it is measured or drawn.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen, QTextOption

from kiosk import words
from kiosk.theme import Theme

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
    text = words.glue(text)
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
    shown = elide_to_box(words.glue(text), font, box, wrap)
    option = QTextOption(align)
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap else QTextOption.WrapMode.NoWrap)
    painter.setClipRect(box.adjusted(-2, -2, 2, 2), Qt.ClipOperation.IntersectClip)
    painter.drawText(box, shown, option)
    painter.restore()


def elide_line(text: str, metrics: QFontMetricsF, width: float) -> str:
    """One line of text, shortened with '…' to width, between words: never inside a word,
    a number or a date (kiosk/words.py; "…报告20…" cut a year in half)."""
    text = words.glue(text)
    if metrics.horizontalAdvance(text) <= width + 0.5:
        return text
    parts = words.pieces(text)
    return _longest_prefix(parts, lambda shown: metrics.horizontalAdvance(shown) <= width + 0.5) or "…"


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

    text = words.glue(text)
    if fits(text):
        return text
    return _longest_prefix(words.pieces(text), fits) or "…"


def _longest_prefix(parts: list[str], fits: Callable[[str], bool]) -> str:
    """The longest run of whole parts from the start that fits with an ellipsis, or ''."""
    low, high = 0, len(parts)
    while low < high:
        mid = (low + high + 1) // 2
        if fits("".join(parts[:mid]).rstrip() + "…"):
            low = mid
        else:
            high = mid - 1
    return "".join(parts[:low]).rstrip() + "…" if low else ""


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
