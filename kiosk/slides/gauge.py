"""The `gauge` slide: a thick ring that fills to value/max while the number counts up in it.

The ring is a 300° arc open at the bottom: a faint track, and over it the filled arc in
the accent colour with round caps, a little translucent at the ring's start and solid at
its end, so the fill grows brighter as it climbs. "0" and the maximum are written
small under the two ends, so 4.6 of 5 reads as such. The label is the slide's title; the
note sits beside the ring on a landscape screen and under it on a portrait one.

Animation: ring and number move together, both eased out over 1.8 s (the number keeps
its written precision); the note fades in as they land. Painted with QPainter arcs
(QPen with RoundCap), not a chart library. The track and the full ring (its conical
gradient is costly to fill) are painted once per size; a frame shows the swept part of
the full ring by filling the arc's outline with it as a texture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QConicalGradient,
    QFont,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QTransform,
)

from kiosk import numbers
from kiosk.numbers import FigureText
from kiosk.playlist.model import GaugeSlide, SlideBase
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import tidy_breaks
from kiosk.slides.figure import (
    DEFAULT_COUNT_SECONDS,
    DETAIL_FADE_SECONDS,
    FigureGroup,
    FigureParts,
    GroupColors,
    NumberGlyphs,
    cap_height,
    count_progress,
    figure_parts,
    fit_number_px,
    number_area,
    number_glyphs,
    paint_number,
    place_group,
    qualifiers_sprite,
)
from kiosk.slides.layout import (
    TitleBlock,
    block_height,
    fade,
    fit_lines,
    fits_lines,
    title_block,
    title_sprite,
    wrapped_height,
)
from kiosk.slides.sprites import Sprite, draw_all, paint_sprite, sprite_reach, text_sprite
from kiosk.theme import Metrics

#: where the ring starts (degrees, counter-clockwise from 3 o'clock: lower left) ...
START_DEGREES = 240.0
#: ... and how far it runs clockwise when full (open at the bottom)
SWEEP_DEGREES = 300.0
#: the filled arc is built of pieces of at most this many degrees at fixed angles (arc_outline)
CHUNK_DEGREES = 30.0
#: ring thickness as a share of its radius
THICKNESS = 0.17
#: seconds the ring fills and the number counts
FILL_SECONDS = DEFAULT_COUNT_SECONDS
#: the note starts fading in this long before the ring is full
DETAIL_LEAD_SECONDS = 0.4
#: the filled arc's start is this opaque; its tip is fully opaque
TAIL_ALPHA = 0.7
#: sin(60°): how far below the centre the ring's open ends are, in radii
_END_DROP = math.sin(math.radians(60))


@dataclass(frozen=True)
class GaugeLayout:
    title: TitleBlock
    center: QPointF
    radius: float
    thickness: float
    arc_rect: QRectF  # the rectangle drawArc takes: the pen's centre line
    group: FigureGroup
    zero_box: QRectF
    max_box: QRectF
    note_box: QRectF | None
    still: tuple[Sprite | None, ...]  # title, track, scale, qualifiers: painted once per size
    fill: QBrush  # the full ring in its gradient, as a texture the swept arc is filled with
    note: Sprite | None
    glyphs: NumberGlyphs | None
    colors: GroupColors


def ring_height(radius: float, thickness: float, label_height: float) -> tuple[float, float]:
    """How far the ring reaches above and below its centre (its open ends carry labels)."""
    above = radius + thickness / 2
    below = max(radius * _END_DROP + thickness / 2 + label_height, radius + thickness / 2)
    return above, below


class GaugeView(SlideView):
    """A ring filled to value/max with the figure in its middle."""

    model: GaugeSlide
    #: where the ring's fill starts: empty, or as full as it was before a push (count_from)
    _start_fraction: float = 0.0

    # ------------------------------------------------------------ timing (pure)

    @cached_property
    def parts(self) -> FigureParts:
        """The figure's still texts (widest_text samples the count: worked out once)."""
        m = self.model
        return figure_parts(m.value, m.decimals, prefix=m.prefix, unit=m.unit, suffix=m.suffix)

    def detail_start(self) -> float:
        return max(0.0, FILL_SECONDS - DETAIL_LEAD_SECONDS)

    def count_from(self, old: SlideBase) -> None:
        """A new figure pushed while the slide is on air (kiosk/live.py): the ring moves on
        from where it was and the number counts from the one that was on screen."""
        if isinstance(old, GaugeSlide):
            self.parts = self.parts.counting_from(old.value)
            self._start_fraction = min(1.0, max(0.0, old.value / old.max))
            self._layout = None  # the number's box fits the new count
            self.enter()

    def entry_duration(self) -> float:
        return max(FILL_SECONDS, self.detail_start() + DETAIL_FADE_SECONDS)

    def fill_progress(self, t: float) -> float:
        """Linear progress of the fill and the count at t (they are eased alike)."""
        return count_progress(t * self.entry_duration(), FILL_SECONDS)

    def fraction(self) -> float:
        """How full the ring is at the end: value/max, within 0..1."""
        return min(1.0, max(0.0, self.model.value / self.model.max))

    def sweep_angle(self, t: float) -> float:
        """Degrees of the filled arc at t (clockwise from the start); 300·value/max at the end."""
        start, eased = self._start_fraction, numbers.ease_out_cubic(self.fill_progress(t))
        return SWEEP_DEGREES * (start + (self.fraction() - start) * eased)

    def figure_text(self, t: float) -> FigureText:
        return self.parts.text(self.fill_progress(t))

    def number_text(self, t: float) -> str:
        """The figure in the ring as read at t, e.g. '87.5%'."""
        return self.figure_text(t).full()

    def detail_opacity(self, t: float) -> float:
        return fade(t * self.entry_duration(), self.detail_start(), DETAIL_FADE_SECONDS)

    # ------------------------------------------------------------ layout

    def scale_max_text(self) -> str:
        """The maximum as written under the ring's end ('100', '5', '2.5')."""
        top = self.model.max
        return numbers.format_number(top, 0 if float(top).is_integer() else numbers.decimals_of(top))

    def compute_layout(self, metrics: Metrics) -> GaugeLayout:
        vmin = metrics.vmin
        block = title_block(self.theme, metrics, self.model.label)
        scale_font = self.theme.font(vmin * 2.4)
        label_h = block_height(scale_font, 1) + vmin * 0.8
        note_font, note_w, note_h = self._note_block(block.body, metrics)
        center, radius, note_box = self._place_ring(block.body, metrics, label_h, note_w, note_h)
        thickness = radius * THICKNESS
        arc_rect = QRectF(center.x() - radius, center.y() - radius, 2 * radius, 2 * radius)

        # The figure in the ring's hollow, its digits centred on the ring's centre.
        inner = 2 * radius - thickness
        px = fit_number_px(self.theme, self.parts, inner * 0.72, radius * 0.62, vmin * 3)
        group = place_group(
            self.theme, self.parts, px, center.x(), center.y() + cap_height(self.theme, px) / 2
        )
        accent = self.theme.color("accent")
        colors = GroupColors(self.theme.color("text"), accent, accent)

        # "0" and the maximum under the ring's open ends (cos 60° = half a radius aside).
        end_y = center.y() + radius * _END_DROP + thickness / 2 + vmin * 0.8
        box_w, box_h, dx = radius * 0.9, block_height(scale_font, 1), radius * 0.5
        zero_box = QRectF(center.x() - dx - box_w / 2, end_y, box_w, box_h)
        max_box = QRectF(center.x() + dx - box_w / 2, end_y, box_w, box_h)

        dpr = self.devicePixelRatioF()
        ring_area = arc_rect.adjusted(-thickness, -thickness, thickness, thickness)
        ring_area = ring_area.united(zero_box).united(max_box)
        max_text = self.scale_max_text()
        muted = self.theme.color("muted")

        def paint_ring(painter: QPainter) -> None:
            self._paint_track(painter, arc_rect, thickness)
            for box, text in ((zero_box, "0"), (max_box, max_text)):
                paint.draw_text(painter, box, text, scale_font, muted, paint.ALIGN_TOP_CENTER, wrap=False)

        def paint_full(painter: QPainter) -> None:
            self._paint_full(painter, center, arc_rect, thickness)

        still = (
            title_sprite(self.theme, block, dpr),
            paint_sprite(ring_area, paint_ring, dpr=dpr),
            qualifiers_sprite(group, colors, dpr),
        )
        note_sprite = None
        if note_box is not None and note_font is not None:
            align = paint.ALIGN_TOP_CENTER if metrics.portrait else paint.ALIGN_LEFT
            note = tidy_breaks(self.model.note or "", note_font, note_box.width(), 4)  # no lonely word
            note_sprite = text_sprite(note_box, note, note_font, muted, align, dpr=dpr)
        return GaugeLayout(
            block, center, radius, thickness, arc_rect, group, zero_box, max_box, note_box,
            still, ring_texture(paint_sprite(ring_area, paint_full, dpr=dpr), dpr), note_sprite,
            number_glyphs(group, colors.number, dpr), colors,
        )  # fmt: skip

    def _note_block(self, body: QRectF, metrics: Metrics) -> tuple[QFont | None, float, float]:
        """The note's font, width and height (None, 0, 0 without a note)."""
        note = self.model.note
        if not note:
            return None, 0.0, 0.0
        width = body.width() * (0.9 if metrics.portrait else 0.46)
        font = self._note_font(note, width, metrics.vmin)
        return font, width, wrapped_height(note, font, width, 4)

    def _place_ring(
        self, body: QRectF, metrics: Metrics, label_h: float, note_w: float, note_h: float
    ) -> tuple[QPointF, float, QRectF | None]:
        """The ring's centre and radius, as large as the body allows, and the note's box:
        beside the ring on a landscape screen, under it on a portrait one; all centred."""
        vmin, gap = metrics.vmin, metrics.vmin * 6
        has_note = note_h > 0
        per_radius_h = 1 + THICKNESS + _END_DROP  # above and below the centre, in radii
        if metrics.portrait:
            room_h = body.height() - (gap + note_h if has_note else 0.0) - label_h
            radius = max(vmin * 5, min(room_h / per_radius_h, body.width() * 0.86 / (2 + THICKNESS)))
            above, below = ring_height(radius, radius * THICKNESS, label_h)
            stack = above + below + (gap + note_h if has_note else 0.0)
            top = body.top() + max(0.0, body.height() - stack) * 0.4
            center = QPointF(body.center().x(), top + above)
            note = QRectF(body.center().x() - note_w / 2, top + above + below + gap, note_w, note_h)
            return center, radius, note if has_note else None
        room_w = body.width() - (note_w + gap if has_note else 0.0)
        radius = max(vmin * 5, min((body.height() - label_h) / per_radius_h, room_w / (2 + THICKNESS)))
        thickness = radius * THICKNESS
        above, below = ring_height(radius, thickness, label_h)
        top = body.top() + max(0.0, body.height() - above - below) * 0.45
        width = 2 * radius + thickness + (gap + note_w if has_note else 0.0)
        left = body.left() + max(0.0, body.width() - width) / 2
        center = QPointF(left + radius + thickness / 2, top + above)
        note = QRectF(center.x() + radius + thickness / 2 + gap, center.y() - note_h / 2, note_w, note_h)
        return center, radius, note if has_note else None

    def _note_font(self, note: str, width: float, vmin: float) -> QFont:
        """One line if it reads well at a good size; else the largest that fits 4 lines
        (a short note wrapped for size alone leaves one lonely character on its last line)."""
        one_line = fit_lines(self.theme.font, [note], width, vmin * 4.6, vmin * 2.8, max_lines=1)
        if one_line.pixelSize() >= vmin * 3.4 and fits_lines(note, one_line, width, 1):
            return one_line
        return fit_lines(self.theme.font, [note], width, vmin * 4.6, vmin * 2.8, max_lines=4)

    # ------------------------------------------------------------ paint

    def animated_area(self, layout: GaugeLayout) -> QRectF:
        """The ring (with its round caps), the counting number inside it and the note."""
        ring = sprite_reach(layout.arc_rect, extra=layout.thickness / 2 + 1)
        area = ring.united(number_area(layout.group))
        if layout.note_box is not None:
            area = area.united(sprite_reach(layout.note_box))
        return area

    def changed_areas(self, layout: GaugeLayout, since: float, t: float) -> list[QRectF]:
        """The arc's growing end (from a piece before the one it was in, see arc_outline),
        the number while it counts and the note while it fades in."""
        areas = []
        before, after = self.sweep_angle(since), self.sweep_angle(t)
        if after != before:
            settled = max(0.0, (min(before, after) // CHUNK_DEGREES - 1) * CHUNK_DEGREES)
            end = arc_outline(layout.arc_rect, max(after, before), layout.thickness, since=settled)
            areas.append(end.boundingRect().adjusted(-2, -2, 2, 2))
        if self.figure_text(since) != self.figure_text(t):
            areas.append(number_area(layout.group))
        if layout.note_box is not None and self.detail_opacity(since) != self.detail_opacity(t):
            areas.append(sprite_reach(layout.note_box))
        return areas

    def paint_content(self, painter: QPainter, layout: GaugeLayout, t: float) -> None:
        draw_all(painter, layout.still)
        sweep = self.sweep_angle(t)
        if sweep > 0.05:
            # The swept part of the full ring: its outline (round caps) filled with the ring.
            painter.save()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(layout.fill)
            painter.drawPath(arc_outline(layout.arc_rect, sweep, layout.thickness))
            painter.restore()
        paint_number(painter, layout.group, self.figure_text(t).number, layout.colors, glyphs=layout.glyphs)
        if layout.note is not None:
            layout.note.draw(painter, opacity=self.detail_opacity(t))

    def _paint_track(self, painter: QPainter, arc_rect: QRectF, thickness: float) -> None:
        """The faint empty ring the fill runs along."""
        track = paint.with_alpha(self.theme.color("text"), 0.1)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(track, thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawArc(arc_rect, round(START_DEGREES * 16), round(-SWEEP_DEGREES * 16))

    def _paint_full(self, painter: QPainter, center: QPointF, arc_rect: QRectF, thickness: float) -> None:
        """The ring as it looks full: accent, a little translucent at the start, solid at the end.

        A conical gradient runs counter-clockwise from its angle: from the ring's end (0)
        back to its start (300/360); in the gap the colour returns to the end's, so each
        round cap has its own end's colour. Painted once; frames fill the swept part of it.
        """
        accent = self.theme.color("accent")
        tail = paint.with_alpha(accent, TAIL_ALPHA)
        gradient = QConicalGradient(center, START_DEGREES - SWEEP_DEGREES)
        start = SWEEP_DEGREES / 360.0
        gradient.setColorAt(0.0, accent)
        gradient.setColorAt(start, tail)
        gradient.setColorAt(start + 0.04, tail)
        gradient.setColorAt(1.0, accent)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen = QPen(QBrush(gradient), thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawArc(arc_rect, round(START_DEGREES * 16), round(-SWEEP_DEGREES * 16))


def ring_texture(sprite: Sprite, dpr: float) -> QBrush:
    """A brush that paints `sprite` where it was made (filling a path shows that part of it).

    Qt maps a texture brush's transform in the texture's device pixels, so the sprite's
    logical origin is scaled by the pixel ratio. A filled path is antialiased; a clip by
    the same path would leave stair-steps on the round caps.
    """
    brush = QBrush(sprite.image)
    brush.setTransform(QTransform.fromTranslate(sprite.origin.x() * dpr, sprite.origin.y() * dpr))
    return brush


def arc_outline(arc_rect: QRectF, sweep: float, thickness: float, since: float = 0.0) -> QPainterPath:
    """The outline of the filled arc (round caps) clockwise by sweep degrees, from the
    start or from `since` degrees after it.

    The arc is built of CHUNK_DEGREES pieces at fixed angles, so a longer arc has the same
    curves as a shorter one up to the shorter one's last piece: a frame changes pixels
    only near the arc's growing end (GaugeView.changed_areas), not all along its edges."""
    path = QPainterPath()
    path.arcMoveTo(arc_rect, START_DEGREES - since)
    done = since
    while done < sweep:
        step = min(CHUNK_DEGREES - done % CHUNK_DEGREES, sweep - done)
        path.arcTo(arc_rect, START_DEGREES - done, -step)
        done += step
    stroker = QPainterPathStroker()
    stroker.setWidth(thickness)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    return stroker.createStroke(path)
