"""The `tribute` slide: a quiet page of words, for remembrance.

On the dark tribute gradient (the base paints it): a small drawn candle, its flame glowing,
the title in regular weight and slightly spaced, a thin gold line that fades out at both
ends, and the body smaller, with generous line spacing, all centred. Nothing counts up and
nothing moves: the parts fade in slowly, one after another, over 2.5 s.

The tribute background is dark in every theme, so the type is not simply the theme's text
colour (navy in the light theme): `tribute_ink` picks, among the theme's own colours, the
one that reads best on it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QRadialGradient,
)

from kiosk.playlist.model import TributeSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import fit_headline, tidy_breaks, wrapped_lines
from kiosk.slides.layout import fade, tallest_height
from kiosk.slides.sprites import Sprite, text_sprite
from kiosk.theme import Metrics, Theme

log = logging.getLogger(__name__)

#: (start, seconds) of each part's fade, in seconds into the 2.5 s entry
EMBLEM_TIMING = (0.0, 1.4)
TITLE_TIMING = (0.3, 1.5)
LINE_TIMING = (0.8, 1.3)
BODY_TIMING = (1.1, 1.4)
#: body line pitch, in units of the font's pixel size (generous, for slow reading)
BODY_LINE_PITCH = 1.9
#: space between two paragraphs of the body, in pitches
PARAGRAPH_GAP = 0.55
#: the title is set a little spaced (percent of normal letter spacing)
TITLE_LETTER_SPACING = 108.0
#: a body line wrapping into up to this many lines is broken evenly (breaks.tidy_breaks)
MAX_TIDY_LINES = 4


@dataclass(frozen=True)
class TributeStages:
    """Opacity (eased, 0..1) of each part at one moment."""

    emblem: float
    title: float
    line: float
    body: float


@dataclass(frozen=True)
class Candle:
    """The emblem: a small candle, its flame with a soft glow. Drawn, so it is the same in
    every font and theme, and plain enough to stay dignified."""

    flame: QPainterPath
    flame_rect: QRectF
    wick_top: QPointF
    wick_bottom: QPointF
    stick: QRectF
    glow_center: QPointF
    glow_radius: float


def candle(rect: QRectF) -> Candle:
    """A candle filling rect (about 0.4 wide for 1 high): flame on top, then the stick."""
    h, w = rect.height(), rect.width()
    cx = rect.center().x()
    flame_rect = QRectF(cx - w * 0.26, rect.top(), w * 0.52, h * 0.36)
    wick_top = QPointF(cx, flame_rect.bottom() - h * 0.03)
    wick_bottom = QPointF(cx, rect.top() + h * 0.42)
    stick = QRectF(cx - w * 0.32, wick_bottom.y(), w * 0.64, rect.bottom() - wick_bottom.y())
    glow = QPointF(cx, flame_rect.top() + flame_rect.height() * 0.62)
    return Candle(flame_path(flame_rect), flame_rect, wick_top, wick_bottom, stick, glow, h * 0.38)


@dataclass(frozen=True)
class TributeLayout:
    vmin: float
    candle: Candle
    title: Sprite
    line_y: float
    line_left: float
    line_right: float
    line_thickness: float
    body: list[Sprite]


def tribute_ink(theme: Theme) -> QColor:
    """The theme colour that reads best on the tribute background (its text on a dark
    theme; on the light theme, whose text is navy, its white background colour)."""
    ground = theme.color("tribute_bottom")
    candidates = [theme.color(role) for role in ("text", "background_top", "background_bottom", "muted")]
    return max(candidates, key=lambda c: paint.contrast(c, ground))


def tribute_accent(theme: Theme) -> QColor:
    """The accent if it reads on the dark ground; else the ink, softened."""
    accent = theme.color("accent")
    if paint.contrast(accent, theme.color("tribute_bottom")) >= 3.0:
        return accent
    return paint.with_alpha(tribute_ink(theme), 0.7)


def wrap_lines(text: str, font: QFont, width: float) -> list[list[str]]:
    """The body's paragraphs (separated by blank lines), each as the lines it is set in:
    the author's line breaks are kept (a tribute is often written like verse) and long
    lines break at width, between phrases where they can (never leaving a word alone on
    a line). Each line is then set on its own, at our own pitch."""
    paragraphs: list[list[str]] = []
    lines: list[str] = []
    for written in [*text.splitlines(), ""]:
        written = written.strip()
        if not written:
            if lines:
                paragraphs.append(lines)
                lines = []
            continue
        lines.extend(wrapped_lines(tidy_breaks(written, font, width, MAX_TIDY_LINES), font, width))
    return paragraphs


def place_lines(paragraphs: list[list[str]], pitch: float, room: float) -> list[tuple[float, str]]:
    """(offset from the body's top, text) of each line that fits room; paragraphs are half a
    pitch apart. When some do not fit, the last one shown ends with an ellipsis."""
    placed: list[tuple[float, str]] = []
    y = 0.0
    total = sum(len(lines) for lines in paragraphs)
    for number, lines in enumerate(paragraphs):
        if number:
            y += pitch * PARAGRAPH_GAP
        for line in lines:
            if y + pitch > room + 0.5:
                if placed:
                    offset, last = placed[-1]
                    placed[-1] = (offset, last + "…")
                return placed
            placed.append((y, line))
            y += pitch
    assert len(placed) == total
    return placed


def body_height(paragraphs: list[list[str]], pitch: float) -> float:
    """Height of the whole body at pitch, paragraph gaps included."""
    lines = sum(len(p) for p in paragraphs)
    return lines * pitch + max(0, len(paragraphs) - 1) * pitch * PARAGRAPH_GAP


def flame_path(rect: QRectF) -> QPainterPath:
    """A candle flame: a slim teardrop filling rect, its point at the top."""
    path = QPainterPath()
    cx, top, bottom = rect.center().x(), rect.top(), rect.bottom()
    half = rect.width() / 2
    path.moveTo(cx, top)
    h = rect.height()
    shoulder = bottom - h * 0.22
    path.cubicTo(cx + half * 0.35, top + h * 0.3, cx + half, top + h * 0.5, cx + half * 0.92, shoulder)
    path.cubicTo(cx + half * 0.85, bottom, cx - half * 0.85, bottom, cx - half * 0.92, shoulder)
    path.cubicTo(cx - half, top + h * 0.5, cx - half * 0.35, top + h * 0.3, cx, top)
    path.closeSubpath()
    return path


class TributeView(SlideView):
    """Words of remembrance on the quiet dark background."""

    model: TributeSlide
    entry_seconds = 2.5

    # ------------------------------------------------------------ timing (pure)

    def stages(self, t: float) -> TributeStages:
        """Each part's opacity at t; nothing moves, so this is all that animates."""
        elapsed = t * self.entry_duration()
        return TributeStages(
            fade(elapsed, *EMBLEM_TIMING), fade(elapsed, *TITLE_TIMING), fade(elapsed, *LINE_TIMING),
            fade(elapsed, *BODY_TIMING),
        )  # fmt: skip

    # ------------------------------------------------------------ layout

    def _title_font(self, px: float) -> QFont:
        font = self.theme.font(px)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, TITLE_LETTER_SPACING)
        return font

    def _body_font(self, room: float, width: float, vmin: float) -> tuple[QFont, list[list[str]]]:
        """The largest body font (vmin*2.6 to vmin*3.6) at which the whole body fits room px."""
        text = self.model.body or ""
        px = vmin * 3.6
        while True:
            font = self.theme.font(px)
            paragraphs = wrap_lines(text, font, width)
            if body_height(paragraphs, px * BODY_LINE_PITCH) <= room or px <= vmin * 2.6:
                return font, paragraphs
            px = max(vmin * 2.6, px * 0.95)

    def compute_layout(self, metrics: Metrics) -> TributeLayout:
        vmin = metrics.vmin
        content = metrics.content_rect()
        portrait = metrics.portrait
        ink = tribute_ink(self.theme)
        ratio = self.devicePixelRatioF()
        width = content.width() * (1.0 if portrait else 0.72)
        left = content.center().x() - width / 2

        emblem_h = vmin * 9
        emblem_w = emblem_h * 0.4
        emblem_gap = vmin * 4
        title_max_lines = 3 if portrait else 2
        title_font, title_text = fit_headline(
            self._title_font, self.model.title, QRectF(0, 0, width, content.height() * 0.3),
            vmin * (6.4 if portrait else 6.0), vmin * 3.6, title_max_lines,
        )  # fmt: skip
        title_h = tallest_height([title_text], title_font, width, title_max_lines) + 2.0
        line_gap = vmin * 4.0
        thickness = max(1.0, vmin * 0.16)

        fixed = emblem_h + emblem_gap + title_h
        body_font: QFont | None = None
        placed: list[tuple[float, str]] = []
        body_h = pitch = 0.0
        if self.model.body:
            room = content.height() - fixed - 2 * line_gap - thickness
            body_font, paragraphs = self._body_font(room, width, vmin)
            pitch = body_font.pixelSize() * BODY_LINE_PITCH
            placed = place_lines(paragraphs, pitch, room)
            if len(placed) < sum(len(p) for p in paragraphs):
                log.warning("tribute slide %s: the body is too long; it is shortened", self.model.id or "")
            body_h = placed[-1][0] + pitch if placed else 0.0
        stack = fixed + (2 * line_gap + thickness + body_h if placed else 0.0)
        top = content.top() + max(0.0, content.height() - stack) * 0.44

        emblem = QRectF(content.center().x() - emblem_w / 2, top, emblem_w, emblem_h)
        top += emblem_h + emblem_gap
        title_box = QRectF(left, top, width, title_h)
        title = text_sprite(
            title_box, title_text, title_font, paint.with_alpha(ink, 0.94),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, dpr=ratio,
        )  # fmt: skip
        top = title_box.bottom() + line_gap
        line_y = top + thickness / 2
        body: list[Sprite] = []
        if body_font is not None:
            top += thickness + line_gap
            body_ink = paint.with_alpha(ink, 0.74)
            # Each line in a box one pitch high, its glyphs centred in it: even, airy spacing.
            for offset, line in placed:
                box = QRectF(left, top + offset, width, pitch)
                sprite = text_sprite(
                    box, line, body_font, body_ink, paint.ALIGN_CENTER, wrap=False, dpr=ratio
                )
                body.append(sprite)
        half_line = vmin * (9 if portrait else 11)
        return TributeLayout(
            vmin, candle(emblem), title, line_y, content.center().x() - half_line,
            content.center().x() + half_line, thickness, body,
        )  # fmt: skip

    # ------------------------------------------------------------ paint

    def paint_content(self, painter: QPainter, layout: TributeLayout, t: float) -> None:
        stages = self.stages(t)
        accent = tribute_accent(self.theme)
        if stages.emblem > 0:
            self._paint_candle(painter, layout, accent, stages.emblem)
        layout.title.draw(painter, opacity=stages.title)
        if stages.line > 0:
            self._paint_line(painter, layout, accent, stages.line)
        for sprite in layout.body:
            sprite.draw(painter, opacity=stages.body)

    def _paint_candle(self, painter: QPainter, layout: TributeLayout, accent: QColor, opacity: float) -> None:
        shape = layout.candle
        ink = tribute_ink(self.theme)
        painter.save()
        painter.setOpacity(painter.opacity() * opacity)
        painter.setPen(Qt.PenStyle.NoPen)
        glow = QRadialGradient(shape.glow_center, shape.glow_radius)
        glow.setColorAt(0.0, paint.with_alpha(accent, 0.24))
        glow.setColorAt(1.0, paint.with_alpha(accent, 0.0))
        painter.setBrush(QBrush(glow))
        painter.drawEllipse(shape.glow_center, shape.glow_radius, shape.glow_radius)
        # The stick: the ink, faint, fading towards its foot.
        stick = QLinearGradient(shape.stick.topLeft(), shape.stick.bottomLeft())
        stick.setColorAt(0.0, paint.with_alpha(ink, 0.34))
        stick.setColorAt(1.0, paint.with_alpha(ink, 0.06))
        painter.setBrush(QBrush(stick))
        radius = shape.stick.width() * 0.12
        painter.drawRoundedRect(shape.stick, radius, radius)
        painter.setPen(QPen(paint.with_alpha(ink, 0.45), max(1.0, layout.vmin * 0.14)))
        painter.drawLine(shape.wick_top, shape.wick_bottom)
        painter.setPen(Qt.PenStyle.NoPen)
        flame = QLinearGradient(shape.flame_rect.topLeft(), shape.flame_rect.bottomLeft())
        flame.setColorAt(0.0, paint.with_alpha(accent, 0.5))
        flame.setColorAt(1.0, accent)
        painter.setBrush(QBrush(flame))
        painter.drawPath(shape.flame)
        painter.restore()

    def _paint_line(self, painter: QPainter, layout: TributeLayout, accent: QColor, opacity: float) -> None:
        gradient = QLinearGradient(QPointF(layout.line_left, 0), QPointF(layout.line_right, 0))
        gradient.setColorAt(0.0, paint.with_alpha(accent, 0.0))
        gradient.setColorAt(0.5, paint.with_alpha(accent, 0.85))
        gradient.setColorAt(1.0, paint.with_alpha(accent, 0.0))
        painter.save()
        painter.setOpacity(painter.opacity() * opacity)
        painter.setPen(QPen(QBrush(gradient), layout.line_thickness))
        painter.drawLine(QPointF(layout.line_left, layout.line_y), QPointF(layout.line_right, layout.line_y))
        painter.restore()
