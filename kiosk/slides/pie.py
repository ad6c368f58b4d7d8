"""The `pie` slide: a donut (or full pie) that sweeps in clockwise from 12 o'clock.

pyqtgraph has no pie item, so `PieItem` is one: a GraphicsObject needs only `paint` and
`boundingRect`, and its settings go through one `setOpts`, as BarGraphItem's do.
Labels sit outside the ring on thin leader lines, spread apart on each side so they never
overlap; the hole holds the total (or the largest share, for parts of 100%).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from kiosk.numbers import ease_out_cubic, format_number, format_percent, percent_of
from kiosk.playlist.model import PieSlide, SlideBase
from kiosk.slides import paint
from kiosk.slides.base import SlideContext
from kiosk.slides.chart import ChartView, palette_color, spread
from kiosk.slides.layout import TitleBlock, clamp01, fit_common, paint_title, tallest_height
from kiosk.slides.qtgraph import pg
from kiosk.theme import Metrics, Theme

#: inner radius of the donut as a share of the outer one
HOLE = 0.6


def ring_path(center: QPointF, outer: float, inner: float, start: float, span: float) -> QPainterPath:
    """A ring segment (or a pie wedge when inner is 0) from `start`, `span` degrees clockwise from 12."""
    path = QPainterPath()
    outer_rect = QRectF(center.x() - outer, center.y() - outer, 2 * outer, 2 * outer)
    qt_start = 90.0 - start  # Qt: 0 deg at 3 o'clock, counter-clockwise
    if inner <= 0:
        path.moveTo(center)
        path.arcTo(outer_rect, qt_start, -span)
        path.closeSubpath()
        return path
    inner_rect = QRectF(center.x() - inner, center.y() - inner, 2 * inner, 2 * inner)
    path.arcMoveTo(outer_rect, qt_start)
    path.arcTo(outer_rect, qt_start, -span)
    path.arcTo(inner_rect, qt_start - span, span)
    path.closeSubpath()
    return path


class PieItem(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph ships no type hints
    """A pie or donut as a pyqtgraph item: `setOpts(sweep=...)` reveals it clockwise."""

    def __init__(self, **opts: Any) -> None:
        super().__init__()
        self.opts: dict[str, Any] = {
            "center": QPointF(0, 0),
            "radius": 1.0,
            "hole": HOLE,
            "spans": [],  # degrees per slice, clockwise from 12 o'clock
            "brushes": [],
            "sweep": 360.0,  # degrees revealed so far
            "gap": 0.0,  # degrees left open between neighbouring slices
        }
        self.setOpts(**opts)

    def setOpts(self, **opts: Any) -> None:
        self.opts.update(opts)
        self.prepareGeometryChange()
        self.update()

    def boundingRect(self) -> QRectF:
        c, r = self.opts["center"], self.opts["radius"]
        return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        center, radius, sweep = self.opts["center"], self.opts["radius"], self.opts["sweep"]
        inner = radius * self.opts["hole"]
        gap = self.opts["gap"] if len(self.opts["spans"]) > 1 else 0.0
        start = 0.0
        for span, brush in zip(self.opts["spans"], self.opts["brushes"], strict=True):
            trim = gap / 2 if span > 2 * gap else 0.0
            first, last = start + trim, min(start + span - trim, sweep)
            start += span
            if last <= first:
                if start >= sweep:
                    break
                continue
            painter.setBrush(brush)
            painter.drawPath(ring_path(center, radius, inner, first, last - first))


def readable(theme: Theme, wanted: QColor) -> QColor:
    """`wanted` if it reads well on the theme's background, else the text colour."""
    background = theme.color("background_top")
    return wanted if paint.contrast(wanted, background) >= 3.0 else theme.color("text")


def balance_sides(
    mids: dict[int, float], shown: list[int], elbow: float, clear: float
) -> tuple[list[int], list[int]]:
    """Which slices are labelled on the right and which on the left.

    Each label goes to the side its slice is on, except that a slice right by 12 o'clock
    may cross to the less crowded side: its leader runs level above the ring (its elbow at
    radius `elbow` is higher than `clear`), so a run of small slices at the end of the
    list no longer piles up on one side.
    """
    right = [i for i in shown if mids[i] < 180]
    left = [i for i in shown if mids[i] >= 180]

    def above_ring(angle: float) -> bool:
        return elbow * math.cos(math.radians(angle)) >= clear

    while len(left) > len(right) + 1:
        movable = [i for i in left if above_ring(360 - mids[i])]
        if not movable:
            break
        moved = max(movable, key=lambda i: mids[i])
        left.remove(moved)
        right.append(moved)
    while len(right) > len(left) + 1:
        movable = [i for i in right if above_ring(mids[i])]
        if not movable:
            break
        moved = min(movable, key=lambda i: mids[i])
        right.remove(moved)
        left.append(moved)
    return right, left


@dataclass
class PieLabel:
    index: int
    percent_box: QRectF
    name_box: QRectF
    leader: list[QPointF]
    align: Qt.AlignmentFlag  # left on the right-hand side, right on the left-hand side

    def box(self) -> QRectF:
        return self.percent_box.united(self.name_box)


@dataclass
class PieLayout:
    frame: TitleBlock
    center: QPointF
    radius: float
    labels: list[PieLabel]
    percent_font: QFont
    name_font: QFont
    leader_pen_width: float
    number_box: QRectF = field(default_factory=QRectF)
    number_font: QFont = field(default_factory=QFont)
    caption_box: QRectF = field(default_factory=QRectF)
    caption_font: QFont = field(default_factory=QFont)


class PieView(ChartView):
    """Shares of a whole: a ring sweeping in, labelled slice by slice as it passes."""

    model: PieSlide
    #: where the number in the hole counts from: 0, or the number it showed before a push
    _center_from: float = 0.0

    def __init__(self, model: PieSlide, context: SlideContext, parent: QWidget | None = None) -> None:
        super().__init__(model, context, parent)
        self.slices = list(model.slices or [])
        self.values = [s.value for s in self.slices]
        self.total = sum(self.values)
        self.colors = [palette_color(self.theme, i, s.color) for i, s in enumerate(self.slices)]
        self.percent_colors = [readable(self.theme, c) for c in self.colors]
        self.spans = [v / self.total * 360.0 for v in self.values]
        self.starts = [sum(self.spans[:i]) for i in range(len(self.spans))]
        shares = [percent_of(v, self.total) for v in self.values]
        hidden_small = any(0 < share < 0.5 for share in shares)
        self.percent_decimals = 1 if hidden_small else 0
        self.item = PieItem(spans=self.spans, brushes=[QBrush(c) for c in self.colors])
        self.item.setOpts(hole=HOLE if model.donut else 0.0)
        self.scene.addItem(self.item)

    def count_from(self, old: SlideBase) -> None:
        """New slices pushed while the slide is on air (kiosk/live.py): the number in the
        hole counts from the one it showed (the same total, or the same slice's share); the
        ring sweeps in again, as every share may have moved."""
        if not isinstance(old, PieSlide) or not old.slices:
            return
        before = {s.label: s.value for s in old.slices}
        old_total = sum(before.values())
        if self._shows_total():
            self._center_from = old_total
        else:
            label = self.slices[self._largest()].label
            self._center_from = percent_of(before.get(label, 0.0), old_total) if old_total > 0 else 0.0
        self.enter()

    # ------------------------------------------------------------ pure parts (tests use these)

    def sweep(self, t: float) -> float:
        """Degrees revealed at t, clockwise from 12 o'clock (eased)."""
        return 360.0 * ease_out_cubic(t)

    def pie_angles(self, t: float) -> list[tuple[float, float]]:
        """(start, visible span) of each slice at t, in degrees clockwise from 12 o'clock."""
        sweep = self.sweep(t)
        return [
            (start, min(span, max(0.0, sweep - start)))
            for start, span in zip(self.starts, self.spans, strict=True)
        ]

    def percent_text(self, index: int) -> str:
        """'45%'; a share too small to show at the chart's precision reads '<0.1%', never '0.0%'."""
        text = format_percent(self.values[index], self.total, self.percent_decimals)
        if self.values[index] > 0 and float(text.rstrip("%")) == 0:
            return "<" + format_number(10.0**-self.percent_decimals, self.percent_decimals) + "%"
        return text

    def center_texts(self, t: float) -> tuple[str, str]:
        """(number, caption) in the hole: the total with its unit, or the largest share in %."""
        eased, start = ease_out_cubic(t), self._center_from
        if self._shows_total():
            total = start + (self.total - start) * eased
            return format_number(total, self.model.decimals()) + self.model.unit, "合计"
        largest = self._largest()
        share = start + (percent_of(self.values[largest], self.total) - start) * eased
        return format_number(share, self.percent_decimals) + "%", self.slices[largest].label

    def _shows_total(self) -> bool:
        """The hole shows the total with its unit; without a unit (or with %), the largest share."""
        return bool(self.model.unit) and self.model.unit != "%"

    def _largest(self) -> int:
        return max(range(len(self.values)), key=lambda i: self.values[i])

    def label_opacity(self, index: int, t: float) -> float:
        """A slice's label shows as the sweep passes over the slice."""
        span = max(self.spans[index], 1e-6)
        return clamp01((self.sweep(t) - self.starts[index]) / span)

    # ------------------------------------------------------------ layout

    def compute_layout(self, metrics: Metrics) -> PieLayout:
        frame = self.frame_for(metrics)
        vmin, body = metrics.vmin, frame.body
        radius = self._radius(body, vmin, metrics.portrait)
        center = QPointF(body.center().x(), body.center().y())
        reach = radius + vmin * 6  # leader lines run this far before the labels start
        column = max(vmin * 6, body.width() / 2 - reach)
        shown = [i for i, v in enumerate(self.values) if v > 0]
        mids = {i: self.starts[i] + self.spans[i] / 2 for i in shown}
        right, left = balance_sides(mids, shown, radius + vmin * 1.6, radius + vmin * 0.5)
        crowd = max(len(right), len(left), 1)

        percent_font, name_font, block = self._label_fonts(body, column, crowd, vmin)
        percent_height = QFontMetricsF(percent_font).height()
        name_height = block - percent_height - vmin * 1.0
        labels: list[PieLabel] = []
        for side, indices in ((1, right), (-1, left)):
            elbow = {i: self._point(center, radius + vmin * 1.6, mids[i]) for i in indices}
            order = sorted(indices, key=lambda i: elbow[i].y())  # = the order along this side's arc
            tops = spread([elbow[i].y() - block / 2 for i in order], block, body.top(), body.bottom())
            gutter = center.x() + side * (radius + vmin * 2.6)
            for i, top in zip(order, tops, strict=True):
                mid_y = top + percent_height * 0.55
                if side > 0:
                    x = center.x() + reach
                    align = Qt.AlignmentFlag.AlignLeft
                else:
                    x = center.x() - reach - column
                    align = Qt.AlignmentFlag.AlignRight
                end = QPointF(center.x() + side * (reach - vmin * 0.8), mid_y)
                x = max(x, body.left())
                width = min(column, body.right() - x)
                # Out from the ring, level to the gutter beside the pie, then to the label: the
                # line never crosses the ring, and lines of one side never cross each other.
                leader = [
                    self._point(center, radius + vmin * 0.7, mids[i]),
                    elbow[i],
                    QPointF(gutter, elbow[i].y()),
                    end,
                ]
                labels.append(
                    PieLabel(
                        index=i,
                        percent_box=QRectF(x, top, width, percent_height),
                        name_box=QRectF(x, top + percent_height, width, name_height),
                        leader=leader,
                        align=align,
                    )
                )
        layout = PieLayout(
            frame=frame,
            center=center,
            radius=radius,
            labels=labels,
            percent_font=percent_font,
            name_font=name_font,
            leader_pen_width=max(1.0, vmin * 0.16),
        )
        if self.model.donut:
            self._center_layout(layout, vmin)
        return layout

    def _radius(self, body: QRectF, vmin: float, portrait: bool) -> float:
        """As large as the body allows once the labels beside the ring have their natural width."""
        shown = [i for i, v in enumerate(self.values) if v > 0]
        percent_font, name_font = self.theme.number_font(vmin * 4.0), self.theme.font(vmin * 2.6)
        needed = max(
            max(paint.text_size(self.percent_text(i), percent_font)[0] for i in shown),
            max(paint.text_size(self.slices[i].label, name_font)[0] for i in shown),
        )
        cap = min(body.width() * 0.36, body.height() * 0.3) if portrait else body.height() / 2 - vmin
        needed = min(needed, body.width() * 0.18)  # a very long label shrinks, not the pie
        return min(cap, max(body.width() * 0.22, body.width() / 2 - vmin * 6 - needed))

    @staticmethod
    def _point(center: QPointF, radius: float, angle: float) -> QPointF:
        """The point at `radius` from center, `angle` degrees clockwise from 12 o'clock."""
        rad = math.radians(angle)
        return QPointF(center.x() + radius * math.sin(rad), center.y() - radius * math.cos(rad))

    def _label_fonts(
        self, body: QRectF, column: float, crowd: float, vmin: float
    ) -> tuple[QFont, QFont, float]:
        """Fonts for a label block (percent over name), shrunk until the most crowded side fits."""
        names = [s.label for s, v in zip(self.slices, self.values, strict=True) if v > 0]
        percents = [self.percent_text(i) for i, v in enumerate(self.values) if v > 0]
        scale = 1.0
        while True:
            percent_font = fit_common(
                self.theme.number_font,
                percents,
                QRectF(0, 0, column, vmin * 6),
                vmin * 4.0 * scale,
                vmin * 1.4,
            )
            name_font = fit_common(  # a long name takes a second line before it makes all names small
                self.theme.font,
                names,
                QRectF(0, 0, column, vmin * 12),
                vmin * 2.6 * scale,
                vmin * 1.6,
                wrap=True,
                max_lines=2,
            )
            name_height = tallest_height(names, name_font, column, 2)
            block = QFontMetricsF(percent_font).height() + name_height + vmin * 1.0
            if crowd * block <= body.height() or scale < 0.3:
                return percent_font, name_font, block
            scale *= 0.92

    def _center_layout(self, layout: PieLayout, vmin: float) -> None:
        """The number and caption in the donut's hole, fitted to its widest count-up text."""
        hole = layout.radius * HOLE
        c = layout.center
        number_box = QRectF(c.x() - hole * 0.78, c.y() - hole * 0.52, hole * 1.56, hole * 0.62)
        caption_box = QRectF(c.x() - hole * 0.72, number_box.bottom() + hole * 0.04, hole * 1.44, hole * 0.36)
        number, caption = self.center_texts(1.0)
        widest = "".join("8" if ch.isdigit() else ch for ch in number)
        layout.number_box = number_box
        layout.number_font = paint.fit_font(
            self.theme.number_font, widest, number_box, number_box.height() * 0.8, vmin * 1.6, wrap=False
        )
        layout.caption_box = caption_box
        layout.caption_font = paint.fit_font(
            self.theme.font,
            caption,
            caption_box,
            min(vmin * 2.8, caption_box.height() * 0.7),
            vmin * 1.2,
            wrap=True,
            max_lines=2,
        )

    # ------------------------------------------------------------ painting

    def apply(self, layout: object, t: float) -> None:
        assert isinstance(layout, PieLayout)
        gap = math.degrees(layout.frame.vmin * 0.4 / layout.radius)
        self.item.setOpts(center=layout.center, radius=layout.radius, sweep=self.sweep(t), gap=gap)

    def changed_areas(self, layout: PieLayout, since: float, t: float) -> list[QRectF]:
        """Only the part of the ring swept since the last frame, the labels still fading
        in, and the number in the hole while it counts: at 4K the whole chart area was
        most of a frame's cost."""
        margin = layout.leader_pen_width * 2 + 2  # antialiased edges, the leader's dot
        areas = []
        swept_from, swept_to = self.sweep(since), self.sweep(t)
        if swept_to > swept_from:
            # From the start of the slice the sweep was in: a longer arc is drawn with
            # other curves, so the slice's edges move by a fraction of a pixel all along.
            first = max((start for start in self.starts if start <= swept_from), default=0.0)
            inner = layout.radius * (HOLE if self.model.donut else 0.0)
            wedge = ring_path(layout.center, layout.radius, inner, first, swept_to - first)
            areas.append(wedge.boundingRect())
        for label in layout.labels:
            if self.label_opacity(label.index, since) != self.label_opacity(label.index, t):
                leader = QPolygonF(label.leader).boundingRect()
                areas.append(label.box().united(leader))
        if self.model.donut and (
            self.center_texts(since) != self.center_texts(t)
            or self._caption_opacity(since) != self._caption_opacity(t)
        ):
            areas += [layout.number_box, layout.caption_box]
        return [area.adjusted(-margin, -margin, margin, margin) for area in areas]

    @staticmethod
    def _caption_opacity(t: float) -> float:
        """The caption in the hole fades in over the first third of the entry."""
        return clamp01(t * 3)

    def paint_content(self, painter: QPainter, layout: PieLayout, t: float) -> None:
        paint_title(painter, self.theme, layout.frame)
        self.paint_chart(painter, layout, t)
        text, muted = self.theme.color("text"), self.theme.color("muted")
        for label in layout.labels:
            opacity = self.label_opacity(label.index, t)
            if opacity <= 0:
                continue
            color = self.colors[label.index]
            pen = QPen(paint.with_alpha(color, 0.85 * opacity), layout.leader_pen_width)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(label.leader)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(paint.with_alpha(color, opacity))
            dot = layout.leader_pen_width * 1.8
            painter.drawEllipse(label.leader[0], dot, dot)
            paint.draw_text(
                painter,
                label.percent_box,
                self.percent_text(label.index),
                layout.percent_font,
                self.percent_colors[label.index],
                label.align | Qt.AlignmentFlag.AlignVCenter,
                wrap=False,
                opacity=opacity,
            )
            paint.draw_text(
                painter,
                label.name_box,
                self.slices[label.index].label,
                layout.name_font,
                muted,
                label.align | Qt.AlignmentFlag.AlignTop,
                opacity=opacity,
            )
        if self.model.donut:
            number, caption = self.center_texts(t)
            paint.draw_text(
                painter, layout.number_box, number, layout.number_font, text, paint.ALIGN_CENTER, wrap=False
            )
            paint.draw_text(
                painter,
                layout.caption_box,
                caption,
                layout.caption_font,
                muted,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                opacity=self._caption_opacity(t),
            )
