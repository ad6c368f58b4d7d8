"""The `text` slide: words, for what numbers cannot say.

The heading is the standard slide title (top-left, like every slide type); the body
below it is paragraphs and bullets (lines that start with "- "), bullets marked with a
round gold dot. One font size for the whole body: the largest between vmin*2.6 and
vmin*6.5 (vmin*5.6 on a portrait screen) at which every line fits the area under the
title; if even the smallest does not fit, the last line that fits is elided and the rest
is left out (and logged), never spilled past the content area. A body shorter than that
area sits a little above its middle (lines still aligned left), not at its top.

Animation: the heading is still from the first frame; the body's lines come in one after
another, each fading in as it slides up a little (ease-out).

Each line of the body is drawn once per size into a sprite and blitted as it fades and
moves (see sprites.py for why).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

from kiosk.playlist.model import TextSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import tidy_breaks
from kiosk.slides.layout import TitleBlock, body_area, fade, paint_title, title_block
from kiosk.slides.sprites import Sprite, text_sprite
from kiosk.theme import Metrics

log = logging.getLogger(__name__)

#: the body's font size range, in vmin: a short body is set large, to read from afar;
#: on a portrait screen as large as the width lets it be (lines break between words, so
#: a bullet on two or three lines reads as well as one long line)
MAX_BODY_VMIN = 6.5
MAX_BODY_VMIN_PORTRAIT = 7.2
MIN_BODY_VMIN = 2.6
#: where a short body sits in the area under the title: the share of the free height
#: above it (optically centred, as the other slides' content is)
BODY_CENTRE = 0.45
#: a paragraph or bullet that wraps into up to this many lines breaks between phrases,
#: never leaving a word alone on its last line (breaks.tidy_breaks)
TIDY_LINES = 4
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


# ---------------------------------------------------------------- the body


@dataclass(frozen=True)
class BodyLine:
    """One paragraph or bullet of the body, placed."""

    bullet: bool
    text: str
    box: QRectF
    marker: QPointF | None  # the bullet dot's centre
    sprite: Sprite


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
    return paint.fit_size(make_font, lambda font: body_fits(lines, font, box), max_px, min_px)


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
        max_vmin = MAX_BODY_VMIN_PORTRAIT if metrics.portrait else MAX_BODY_VMIN
        font = fit_body_font(self.theme.font, lines, body, vmin * max_vmin, vmin * MIN_BODY_VMIN)
        boxes = self._line_boxes(lines, font, body)
        dropped = len(lines) - len(boxes)
        if dropped:
            log.warning("text slide %s: %d line(s) do not fit and are left out", self.model.id or "", dropped)
        # A body shorter than its area sits a little above the area's middle.
        used = boxes[-1][1].bottom() - body.top() if boxes else 0.0
        shift = 0 if dropped else round(max(0.0, body.height() - used) * BODY_CENTRE)
        metrics_f = QFontMetricsF(font)
        marker_dy = metrics_f.ascent() - metrics_f.capHeight() / 2
        marker_x = body.left() + _indent(font) * 0.32
        color = self.theme.color("text")
        ratio = self.devicePixelRatioF()
        placed: list[BodyLine] = []
        for index, (bullet, box) in enumerate(boxes):
            text = lines[index][1]
            if dropped and index == len(boxes) - 1:
                text += "…"  # say that something is left out
            box = box.translated(0, shift)
            marker = QPointF(marker_x, box.top() + marker_dy) if bullet else None
            if paint.fits_box(text, font, box, wrap=True):  # whole: break it between phrases
                shown = tidy_breaks(text, font, box.width(), TIDY_LINES)
            else:
                shown = text  # elided at the end of the body
            sprite = text_sprite(box, shown, font, color, paint.ALIGN_TOP_LEFT, dpr=ratio)
            placed.append(BodyLine(bullet, text, box, marker, sprite))
        return TextLayout(vmin, block, font, max(1.5, font.pixelSize() * 0.17), placed, dropped)

    @staticmethod
    def _line_boxes(lines: list[tuple[bool, str]], font: QFont, body: QRectF) -> list[tuple[bool, QRectF]]:
        """Each line's box, stacked down from the body's top, for the lines that fit; when
        not even the smallest font fits them all, the last one keeps the whole lines of it
        that fit (it is elided) and the rest are left out."""
        line_height = QFontMetricsF(font).height()
        gap, indent = _gap(font), _indent(font)
        boxes: list[tuple[bool, QRectF]] = []
        top = body.top()
        for bullet, text in lines:
            left = body.left() + (indent if bullet else 0.0)
            width = body.right() - left
            height = paint.text_size(text, font, width)[1] + 2.0
            room = body.bottom() - top
            if height > room + 0.5:
                whole_lines = int((room - 2.0) // line_height)
                if whole_lines < 1:
                    break
                height = whole_lines * line_height + 2.0
            boxes.append((bullet, QRectF(left, top, width, height)))
            top += height + gap
        return boxes

    def animated_area(self, layout: TextLayout) -> QRectF:
        """What comes in comes in under the title; the title and footer stay still."""
        return body_area(layout.title)

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
