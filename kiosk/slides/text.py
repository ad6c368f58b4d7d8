"""The `text` slide: words, for what numbers cannot say.

The heading is the standard slide title (top-left, like every slide type); the body
below it is paragraphs and bullets (lines that start with "- "), bullets marked with a
round gold dot. One font size for the whole body: the largest between vmin*2.6 and
vmin*5 at which every line fits the area under the title; if even the smallest does not
fit, the last line that fits is elided and the rest is left out (and logged), never
spilled past the content area.

Animation: the heading is still from the first frame; the body's lines come in one after
another, each fading in as it slides up a little (ease-out).

Text that fades or moves is drawn once per size into a `TextSprite` (an image) and blitted:
Qt draws text at an opacity below 1, or larger than ~64 px, through slow paths (0.5 to
4 ms a line measured), while blitting a prepared image costs ~0.05 ms. The other text
slides (title, tribute, timeline, image) use the same sprites.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from kiosk.playlist.model import TextSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.figure import TitleBlock, fade, paint_title, title_block
from kiosk.theme import Metrics

log = logging.getLogger(__name__)

#: the body's font size range, in vmin
MAX_BODY_VMIN = 5.0
MIN_BODY_VMIN = 2.6
#: space between two lines of the body (paragraphs or bullets), in units of the line height
PARAGRAPH_GAP = 0.5
#: bullets' text is indented by this many font px (the dot sits in the indent)
BULLET_INDENT = 1.25
#: the line animation: the first starts after LEAD s, each takes LINE_SECONDS, the next
#: one follows STAGGER s later (less when there are many lines, so the body is in by ~3 s)
LEAD_SECONDS = 0.15
LINE_SECONDS = 0.6
STAGGER_SECONDS = 0.22
MAX_STAGGER_TOTAL = 2.2
#: how far (in vmin) a line rises while it fades in
RISE_VMIN = 1.6


# ---------------------------------------------------------------- text sprites


@dataclass(frozen=True)
class TextSprite:
    """Text drawn once (with paint.draw_text, so fitted and elided) into an image."""

    image: QImage
    origin: QPointF  # where the image's top-left goes, on whole pixels
    box: QRectF  # the box the text was laid out in

    def draw(self, painter: QPainter, *, dx: float = 0.0, dy: float = 0.0, opacity: float = 1.0) -> None:
        """Blit at the box's place, moved by (dx, dy) rounded to whole pixels, at opacity."""
        if opacity <= 0:
            return
        painter.save()
        painter.setOpacity(painter.opacity() * min(1.0, opacity))
        painter.drawImage(QPointF(self.origin.x() + round(dx), self.origin.y() + round(dy)), self.image)
        painter.restore()


#: pixels around the box kept in a sprite (draw_text may paint up to 2 px outside its box)
SPRITE_MARGIN = 3


def text_sprite(
    box: QRectF,
    text: str,
    font: QFont,
    pen: QColor,
    align: Qt.AlignmentFlag = paint.ALIGN_LEFT,
    *,
    wrap: bool = True,
    device_pixel_ratio: float = 1.0,
) -> TextSprite:
    """A sprite of text laid out in box exactly as paint.draw_text would draw it there."""
    left = math.floor(box.left()) - SPRITE_MARGIN
    top = math.floor(box.top()) - SPRITE_MARGIN
    width = math.ceil(box.right()) + SPRITE_MARGIN - left
    height = math.ceil(box.bottom()) + SPRITE_MARGIN - top
    ratio = max(1.0, device_pixel_ratio)
    image = QImage(
        max(1, math.ceil(width * ratio)),
        max(1, math.ceil(height * ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(ratio)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint.draw_text(painter, box.translated(-left, -top), text, font, pen, align, wrap=wrap)
    painter.end()
    return TextSprite(image, QPointF(left, top), QRectF(box))


# ---------------------------------------------------------------- the body


@dataclass(frozen=True)
class BodyLine:
    """One paragraph or bullet of the body, placed."""

    bullet: bool
    text: str
    box: QRectF
    marker: QPointF | None  # the bullet dot's centre
    sprite: TextSprite


@dataclass(frozen=True)
class TextLayout:
    vmin: float
    title: TitleBlock
    font: QFont
    marker_radius: float
    lines: list[BodyLine]
    dropped: int  # lines left out because not even the smallest font fits them all


def stagger(count: int) -> float:
    """Seconds between two lines' starts: shorter when there are many."""
    if count <= 1:
        return 0.0
    return min(STAGGER_SECONDS, MAX_STAGGER_TOTAL / (count - 1))


def _gap(font: QFont) -> float:
    return QFontMetricsF(font).height() * PARAGRAPH_GAP


def _indent(font: QFont) -> float:
    return font.pixelSize() * BULLET_INDENT


def body_height(lines: list[tuple[bool, str]], font: QFont, width: float) -> float:
    """Height of the whole body at font, each line wrapped at the width it gets."""
    if not lines:
        return 0.0
    total = _gap(font) * (len(lines) - 1)
    for bullet, text in lines:
        total += paint.text_size(text, font, width - (_indent(font) if bullet else 0.0))[1] + 2.0
    return total


def body_fits(lines: list[tuple[bool, str]], font: QFont, box: QRectF) -> bool:
    """Whether every line fits box's width (no word wider) and all of them its height."""
    for bullet, text in lines:
        width = box.width() - (_indent(font) if bullet else 0.0)
        if paint.text_size(text, font, width)[0] > width + 0.5:
            return False
    return body_height(lines, font, box.width()) <= box.height() + 0.5


def fit_body_font(
    make_font: paint.FontFactory, lines: list[tuple[bool, str]], box: QRectF, max_px: float, min_px: float
) -> QFont:
    """The largest font between min_px and max_px at which the whole body fits box."""
    if body_fits(lines, make_font(max_px), box):
        return make_font(max_px)
    low, high = min_px, max_px
    for _ in range(9):
        mid = (low + high) / 2
        if body_fits(lines, make_font(mid), box):
            low = mid
        else:
            high = mid
    return make_font(low)


class TextView(SlideView):
    """Paragraphs and bullets under the standard title."""

    model: TextSlide
    _lines: list[tuple[bool, str]] | None = None

    # ------------------------------------------------------------ timing (pure)

    def body_lines(self) -> list[tuple[bool, str]]:
        """(is_bullet, text) of each line of the body (parsed once: paint asks every frame)."""
        if self._lines is None:
            self._lines = self.model.lines()
        return self._lines

    def entry_duration(self) -> float:
        count = max(1, len(self.body_lines()))
        return LEAD_SECONDS + stagger(count) * (count - 1) + LINE_SECONDS

    def line_progress(self, index: int, t: float) -> float:
        """How far line `index` has come in at t (0 hidden, 1 in place; eased)."""
        count = len(self.body_lines())
        start = LEAD_SECONDS + stagger(count) * index
        return fade(t * self.entry_duration(), start, LINE_SECONDS)

    # ------------------------------------------------------------ layout and paint

    def compute_layout(self, metrics: Metrics) -> TextLayout:
        vmin = metrics.vmin
        block = title_block(self.theme, metrics, self.model.heading)
        body = block.body
        lines = self.body_lines()
        font = fit_body_font(
            lambda px: self.theme.font(px), lines, body, vmin * MAX_BODY_VMIN, vmin * MIN_BODY_VMIN
        )
        metrics_f = QFontMetricsF(font)
        line_height = metrics_f.height()
        gap, indent = _gap(font), _indent(font)
        marker_dy = metrics_f.ascent() - metrics_f.capHeight() / 2
        color = self.theme.color("text")
        ratio = self.devicePixelRatioF()
        placed: list[BodyLine] = []
        top = body.top()
        for bullet, text in lines:
            left = body.left() + (indent if bullet else 0.0)
            width = body.right() - left
            height = paint.text_size(text, font, width)[1] + 2.0
            room = body.bottom() - top
            if height > room + 0.5:
                # Not even the smallest font fits it all: keep the lines that fit, elide the last.
                whole_lines = int((room - 2.0) // line_height)
                if whole_lines < 1:
                    break
                height = whole_lines * line_height + 2.0
            marker = QPointF(body.left() + indent * 0.32, top + marker_dy) if bullet else None
            box = QRectF(left, top, width, height)
            sprite = text_sprite(box, text, font, color, paint.ALIGN_TOP_LEFT, device_pixel_ratio=ratio)
            placed.append(BodyLine(bullet, text, box, marker, sprite))
            top += height + gap
        dropped = len(lines) - len(placed)
        if dropped and placed:
            # Say that something is left out: the last line shown ends with an ellipsis.
            last = placed[-1]
            text = last.text + "…"
            sprite = text_sprite(last.box, text, font, color, paint.ALIGN_TOP_LEFT, device_pixel_ratio=ratio)
            placed[-1] = BodyLine(last.bullet, text, last.box, last.marker, sprite)
        if dropped:
            log.warning("text slide %s: %d line(s) do not fit and are left out", self.model.id or "", dropped)
        return TextLayout(vmin, block, font, max(1.5, font.pixelSize() * 0.17), placed, dropped)

    def paint_content(self, painter: QPainter, layout: TextLayout, t: float) -> None:
        paint_title(painter, self.theme, layout.title)
        accent = self.theme.color("accent")
        rise = layout.vmin * RISE_VMIN
        for index, line in enumerate(layout.lines):
            shown = self.line_progress(index, t)
            if shown <= 0:
                continue
            dy = round((1 - shown) * rise)  # whole pixels, as the sprite moves
            if line.marker is not None:
                painter.save()
                painter.setOpacity(painter.opacity() * shown)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(accent)
                painter.drawEllipse(line.marker + QPointF(0, dy), layout.marker_radius, layout.marker_radius)
                painter.restore()
            line.sprite.draw(painter, dy=dy, opacity=shown)
