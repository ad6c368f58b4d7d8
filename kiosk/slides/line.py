"""The `line` slide: lines that draw from left to right, each ending in its last value.

The curves are pyqtgraph PlotCurveItems laid out in slide pixels once per size; the
entry animation only moves a clip edge (and the dot that leads each line), so a frame
costs a clipped render of the curves and a few labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QWidget

from kiosk.numbers import decimals_of, ease_out_cubic, format_number, nice_ceiling
from kiosk.playlist.model import LineSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideContext
from kiosk.slides.chart import ChartView, palette_color, spread
from kiosk.slides.layout import TitleBlock, body_area, clamp01, fit_common, paint_title
from kiosk.slides.qtgraph import pg
from kiosk.theme import Metrics

#: show a marker on every point up to this many points (beyond, only the ends are marked)
MAX_MARKED_POINTS = 24


def axis_ticks(values: list[float]) -> tuple[float, float, float]:
    """(bottom, top, step) of the y axis: at most six nice ticks that hold every value.

    The axis starts at zero (honest for counts), unless all values sit high above it,
    where a zero base would flatten the line into a ruler.
    """
    low, high = min(values), max(values)
    if low == high:  # a flat line: show it against zero
        low, high = min(0.0, low), max(0.0, high)
        if low == high:
            high = 1.0
    if low >= 0 and not (low > 0.6 * high):
        low = 0.0
    if high <= 0 and not (high < 0.6 * low):
        high = 0.0
    step = nice_ceiling((high - low) / 5)
    bottom = math.floor(low / step + 1e-9) * step
    top = math.ceil(high / step - 1e-9) * step
    if not top - bottom > 0:
        # Values so close to zero (5e-324) that the steps underflow: a plain 0..1 axis.
        return min(0.0, bottom), max(1.0, top), 1.0
    return bottom, top, step


def step_decimals(step: float) -> int:
    """Decimals the tick labels need to tell steps apart (2.5 -> 1, 5 -> 0, 0.05 -> 2)."""
    return 0 if float(step).is_integer() else decimals_of(step)


@dataclass
class LineLayout:
    """Everything in slide pixels at one size."""

    frame: TitleBlock
    plot: QRectF
    xs: list[float]
    ys: list[list[float]]  # per series, per point
    ticks: list[tuple[QRectF, str, float]]  # (label box, text, y of its grid line)
    tick_font: QFont
    grid_pen: QPen
    base_y: float  # the strongest grid line: zero, or the bottom of the axis
    base_pen: QPen
    x_labels: list[tuple[QRectF, str]]
    x_font: QFont
    unit_box: QRectF
    unit_font: QFont
    legend: list[tuple[QRectF, QRectF, str]]  # (colour chip, name box, name)
    legend_font: QFont
    end_boxes: list[QRectF]
    end_font: QFont
    radius: float
    line_width: float
    marked: bool


class LineView(ChartView):
    """Line chart: each series a thick antialiased line in its palette colour."""

    model: LineSlide
    entry_seconds = 1.8

    def __init__(self, model: LineSlide, context: SlideContext, parent: QWidget | None = None) -> None:
        super().__init__(model, context, parent)
        self.labels: list[str] = list(model.x or [])
        self.series = list(model.series or [])
        self.colors: list[QColor] = [palette_color(self.theme, i, s.color) for i, s in enumerate(self.series)]
        self.decimals = model.decimals()
        self.curves = [pg.PlotCurveItem(antialias=True) for _ in self.series]
        for curve in self.curves:
            self.scene.addItem(curve)
        self._curves_layout: LineLayout | None = None

    # ------------------------------------------------------------ pure parts (tests use these)

    def drawn_fraction(self, t: float) -> float:
        """How much of the x range the lines cover at t (eased)."""
        return ease_out_cubic(t)

    def value_text(self, value: float) -> str:
        return format_number(value, self.decimals) + self.model.unit

    def end_texts(self) -> list[str]:
        return [self.value_text(s.values[-1]) for s in self.series]

    def lead_x(self, layout: LineLayout, t: float) -> float:
        """The x in pixels up to which the lines are drawn at t."""
        return layout.xs[0] + (layout.xs[-1] - layout.xs[0]) * self.drawn_fraction(t)

    def y_at(self, layout: LineLayout, series: int, x: float) -> float:
        """The line's pixel y at pixel x (linear between points)."""
        xs, ys = layout.xs, layout.ys[series]
        if x <= xs[0]:
            return ys[0]
        for i in range(1, len(xs)):
            if x <= xs[i]:
                share = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
                return ys[i - 1] + (ys[i] - ys[i - 1]) * share
        return ys[-1]

    # ------------------------------------------------------------ layout

    def compute_layout(self, metrics: Metrics) -> LineLayout:
        frame = self.frame_for(metrics)
        vmin, body = metrics.vmin, frame.body
        text = self.theme.color("muted")
        all_values = [v for s in self.series for v in s.values]
        bottom, top, step = axis_ticks(all_values)
        decimals = step_decimals(step)
        count = round((top - bottom) / step)
        tick_values = [bottom + i * step for i in range(count + 1)]
        tick_texts = [format_number(v, decimals) for v in tick_values]
        tick_font = self.theme.font(vmin * 2.3)
        tick_width = max(paint.text_size(s, tick_font)[0] for s in tick_texts) + 1

        # header row: the unit at the left, the legend at the right
        unit_text = f"单位：{self.model.unit}" if self.model.unit else ""
        unit_font = self.theme.font(vmin * 2.3)
        unit_width = paint.text_size(unit_text, unit_font)[0] + vmin * 3 if unit_text else 0.0
        legend, legend_font, row_height, rows = self._legend(body, unit_width, vmin)
        unit_height = QFontMetricsF(unit_font).height() * 1.35 if unit_text else 0.0
        header = max(row_height * rows, unit_height)
        unit_box = QRectF(body.left(), body.top(), max(1.0, unit_width), row_height or unit_height)

        # end labels at the right
        end_texts = self.end_texts()
        end_font = fit_common(
            self.theme.number_font,
            end_texts,
            QRectF(0, 0, body.width() * 0.18, vmin * 5),
            vmin * 3.4,
            vmin * 1.6,
        )
        end_band = max(paint.text_size(s, end_font)[0] for s in end_texts) + vmin * 2.0

        # x labels along the bottom
        x_font = fit_common(
            self.theme.font, self.labels, QRectF(0, 0, body.width() / 4, vmin * 5), vmin * 2.6, vmin * 1.8
        )
        x_height = QFontMetricsF(x_font).height()
        radius = vmin * 0.62
        plot = QRectF(
            body.left() + tick_width + vmin * 1.6,
            body.top() + header + vmin * 2.2,
            0,
            0,
        )
        plot.setRight(body.right() - end_band)
        plot.setBottom(body.bottom() - x_height - vmin * 1.6)
        pad = radius * 2.5
        span = len(self.labels) - 1
        xs = [plot.left() + pad + (plot.width() - pad) * i / span for i in range(len(self.labels))]

        def to_y(value: float) -> float:
            return plot.bottom() - (value - bottom) / (top - bottom) * plot.height()

        ys = [[to_y(v) for v in s.values] for s in self.series]
        tick_height = QFontMetricsF(tick_font).height()
        ticks = [
            (
                QRectF(body.left(), to_y(v) - tick_height / 2, tick_width, tick_height),
                s,
                round(to_y(v)) + 0.5,
            )
            for v, s in zip(tick_values, tick_texts, strict=True)
        ]
        base_value = 0.0 if bottom <= 0 <= top else bottom
        x_labels = self._x_labels(xs, x_font, body, plot.bottom() + vmin * 1.6, x_height, vmin)
        end_height = QFontMetricsF(end_font).height()
        order = sorted(range(len(self.series)), key=lambda i: ys[i][-1])
        tops = spread(
            [ys[i][-1] - end_height / 2 for i in order],
            end_height,
            body.top() + header,
            plot.bottom() + end_height / 2,
        )
        end_boxes: list[QRectF] = [QRectF()] * len(self.series)
        for i, y in zip(order, tops, strict=True):
            left = xs[-1] + radius * 2.2
            end_boxes[i] = QRectF(left, y, body.right() - left, end_height)
        grid = QPen(paint.with_alpha(text, 0.22), max(1.0, vmin * 0.1))
        base = QPen(paint.with_alpha(text, 0.6), max(1.0, vmin * 0.16))
        return LineLayout(
            frame=frame,
            plot=plot,
            xs=xs,
            ys=ys,
            ticks=ticks,
            tick_font=tick_font,
            grid_pen=grid,
            base_y=round(to_y(base_value)) + 0.5,
            base_pen=base,
            x_labels=x_labels,
            x_font=x_font,
            unit_box=unit_box,
            unit_font=unit_font,
            legend=legend,
            legend_font=legend_font,
            end_boxes=end_boxes,
            end_font=end_font,
            radius=radius,
            line_width=vmin * 0.55,
            marked=len(self.labels) <= MAX_MARKED_POINTS,
        )

    def _legend(
        self, body: QRectF, unit_width: float, vmin: float
    ) -> tuple[list[tuple[QRectF, QRectF, str]], QFont, float, int]:
        """Colour chips and names, right-aligned at the top; shrunk a little, then set in more rows.

        Returns the items, their font, the height of one row and the number of rows.
        """
        names = [s.name for s in self.series]
        font = self.theme.font(vmin * 2.6)
        if len(names) < 2:
            return [], font, 0.0, 0
        chip, chip_gap, spacing = vmin * 2.0, vmin * 1.0, vmin * 3.2

        def widths(f: QFont) -> list[float]:
            return [min(paint.text_size(n, f)[0] + 1, body.width() - chip - chip_gap) for n in names]

        def total(f: QFont) -> float:
            return sum(widths(f)) + len(names) * (chip + chip_gap) + (len(names) - 1) * spacing

        px = vmin * 2.6
        while total(font) > body.width() - unit_width and px > vmin * 2.0:
            px -= vmin * 0.1
            font = self.theme.font(px)
        # Flow into rows from the right; the first row leaves room for the unit at the left.
        rows: list[list[tuple[str, float]]] = [[]]
        room = body.width() - unit_width
        used = 0.0
        for name, width in zip(names, widths(font), strict=True):
            need = width + chip + chip_gap + (spacing if rows[-1] else 0.0)
            if rows[-1] and used + need > room:
                rows.append([])
                room, used = body.width(), 0.0
                need = width + chip + chip_gap
            rows[-1].append((name, width))
            used += need
        height = QFontMetricsF(font).height()
        row_height = max(height, chip) * 1.35
        items: list[tuple[QRectF, QRectF, str]] = []
        for number, row in enumerate(rows):
            center = body.top() + row_height * (number + 0.5)
            x = body.right()
            placed = []
            for name, width in reversed(row):
                box = QRectF(x - width, center - height / 2, width, height)
                chip_box = QRectF(box.left() - chip_gap - chip, center - chip / 2, chip, chip)
                placed.append((chip_box, box, name))
                x = chip_box.left() - spacing
            items.extend(reversed(placed))
        return items, font, row_height, len(rows)

    def _x_labels(
        self, xs: list[float], font: QFont, body: QRectF, top: float, height: float, vmin: float
    ) -> list[tuple[QRectF, str]]:
        """Labels under the points, every `stride`-th so neighbours never touch; kept inside body."""
        widest = max(paint.text_size(s, font)[0] for s in self.labels) + 1
        slot = xs[1] - xs[0]
        stride = max(1, math.ceil((widest + vmin * 2) / slot))
        shown = list(range(0, len(xs), stride))
        out = []
        width = min(widest, stride * slot - vmin)
        for i in shown:
            left = min(max(xs[i] - width / 2, body.left()), body.right() - width)
            out.append((QRectF(left, top, width, height), self.labels[i]))
        return out

    # ------------------------------------------------------------ painting

    def apply(self, layout: object, t: float) -> None:
        """The curves change only with the layout; t moves the clip (see paint_content)."""
        assert isinstance(layout, LineLayout)
        if self._curves_layout is layout:
            return
        self._curves_layout = layout
        single = len(self.series) == 1
        for curve, ys, color in zip(self.curves, layout.ys, self.colors, strict=True):
            pen = pg.mkPen(color, width=layout.line_width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            options: dict[str, object] = {"pen": pen, "antialias": True}
            if single:  # a soft area under a lone line; with several it would muddy the picture
                gradient = QLinearGradient(0, layout.plot.top(), 0, layout.base_y)
                gradient.setColorAt(0.0, paint.with_alpha(color, 0.22))
                gradient.setColorAt(1.0, paint.with_alpha(color, 0.0))
                options.update(fillLevel=layout.base_y, brush=QBrush(gradient))
            curve.setData(layout.xs, ys, **options)

    def changed_areas(self, layout: LineLayout, since: float, t: float) -> list[QRectF]:
        """The band the lines' lead crossed since the last frame, with the dots that lead
        them and the markers it reached, and the end values while they fade in."""
        body = body_area(layout.frame)
        reach = layout.radius * 2.6 + 3  # the leading dot's halo, and its antialiased edge
        left, right = self.lead_x(layout, since) - reach, self.lead_x(layout, t) + reach
        areas = [QRectF(left, body.top(), right - left, body.height())]
        if self._end_opacity(since) != self._end_opacity(t):
            areas += [box.adjusted(-2, -2, 2, 2) for box in layout.end_boxes]
        return areas

    def _end_opacity(self, t: float) -> float:
        """The values at the lines' ends fade in over the last tenth of the drawing."""
        return clamp01((self.drawn_fraction(t) - 0.9) / 0.1)

    def paint_content(self, painter: QPainter, layout: LineLayout, t: float) -> None:
        paint_title(painter, self.theme, layout.frame)
        self._paint_axes(painter, layout)
        lead = self.lead_x(layout, t)
        clip = QRectF(0, 0, lead, self.height())
        self.paint_still_chart(painter, layout, clip=clip)
        self._paint_markers(painter, layout, t, lead)
        end_opacity = self._end_opacity(t)
        for box, text, color in zip(layout.end_boxes, self.end_texts(), self.colors, strict=True):
            paint.draw_text(painter, box, text, layout.end_font, color, wrap=False, opacity=end_opacity)

    def _paint_axes(self, painter: QPainter, layout: LineLayout) -> None:
        muted, text = self.theme.color("muted"), self.theme.color("text")
        painter.setPen(layout.grid_pen)
        left, right = layout.plot.left(), layout.xs[-1] + layout.radius
        for _box, _text, y in layout.ticks:
            if abs(y - layout.base_y) > 1:
                painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setPen(layout.base_pen)
        painter.drawLine(QPointF(left, layout.base_y), QPointF(right, layout.base_y))
        align_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for box, label, _y in layout.ticks:
            paint.draw_text(painter, box, label, layout.tick_font, muted, align_right, wrap=False)
        for box, label in layout.x_labels:
            paint.draw_text(painter, box, label, layout.x_font, text, paint.ALIGN_CENTER, wrap=False)
        unit = self.model.unit
        if unit:
            paint.draw_text(painter, layout.unit_box, f"单位：{unit}", layout.unit_font, muted, wrap=False)
        for (chip, box, name), color in zip(layout.legend, self.colors, strict=False):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(chip, chip.width() * 0.2, chip.width() * 0.2)
            paint.draw_text(painter, box, name, layout.legend_font, text, wrap=False)

    def _paint_markers(self, painter: QPainter, layout: LineLayout, t: float, lead: float) -> None:
        """Point markers up to the lead, and the dot that leads each line while it draws."""
        ring = QPen(self.theme.color("background_top"), layout.radius * 0.45)
        radius = layout.radius
        drawing = self.drawn_fraction(t) < 1.0
        last = len(layout.xs) - 1
        for index, (ys, color) in enumerate(zip(layout.ys, self.colors, strict=True)):
            painter.setPen(ring)
            painter.setBrush(color)
            for i, (x, y) in enumerate(zip(layout.xs, ys, strict=True)):
                if x > lead + 0.5:
                    break
                if layout.marked or i in (0, last):
                    r = radius * (1.35 if i == last else 1.0)
                    painter.drawEllipse(QPointF(x, y), r, r)
            if drawing:
                y = self.y_at(layout, index, lead)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(paint.with_alpha(color, 0.28))
                painter.drawEllipse(QPointF(lead, y), radius * 2.6, radius * 2.6)
                painter.setBrush(color)
                painter.drawEllipse(QPointF(lead, y), radius * 1.35, radius * 1.35)
