"""The `bar` slide: bars that grow from the zero line one after another, values written at their ends.

Vertical bars suit a few short labels; long labels, many bars or a portrait screen get
horizontal bars (`choose_orientation`). Negative values diverge from the zero line (down,
or to the left). Colour says what the numbers mean: a bar's own colour, else green/red
for good/bad news when the slide says which direction is good, else the gold accent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from kiosk.numbers import ease_out_cubic, format_number, nice_ceiling, widest_text
from kiosk.playlist.model import Bar, BarSlide, SlideBase
from kiosk.slides import paint
from kiosk.slides.base import SlideContext
from kiosk.slides.chart import ChartView
from kiosk.slides.layout import TitleBlock, clamp01, fit_common, paint_title, tallest_height, text_units
from kiosk.slides.qtgraph import pg
from kiosk.slides.sprites import Sprite, draw_all, text_sprite
from kiosk.theme import Metrics, Theme, color

Orientation = Literal["vertical", "horizontal"]

#: labels longer than this many hanzi do not fit under a vertical bar
LONG_LABEL_UNITS = 4.0
#: more bars than this are listed as rows
MANY_BARS = 8
#: the tallest row of a horizontal bar chart on a portrait screen, in vmin (label and bar)
PORTRAIT_SLOT_VMIN = 30
#: the share of the entry animation one bar takes to grow; the starts spread over the rest
GROW_SHARE = 0.55


def choose_orientation(labels: list[str], portrait: bool) -> Orientation:
    """Horizontal when labels are long, bars are many, or the screen is portrait; else vertical."""
    if portrait or len(labels) > MANY_BARS:
        return "horizontal"
    if any(text_units(label) > LONG_LABEL_UNITS for label in labels):
        return "horizontal"
    return "vertical"


def bar_progress(index: int, count: int, t: float) -> float:
    """How far bar `index` has grown at t (0..1, eased): each starts a little after the one before."""
    if count <= 1:
        return ease_out_cubic(t)
    start = index / (count - 1) * (1.0 - GROW_SHARE)
    return ease_out_cubic((t - start) / GROW_SHARE)


def axis_range(values: list[float]) -> tuple[float, float]:
    """The value range the bars are scaled to: zero included, ends rounded out to a nice step.

    The step is a tenth of the span rounded up by `nice_ceiling`, so the longest bar fills
    at least ~90% of its side however the values fall (one nice ceiling per side would
    leave half a side empty for -27.2 next to 20.9).
    """
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        return 0.0, 1.0
    step = nice_ceiling((high - low) / 10)
    top = math.ceil(high / step - 1e-9) * step if high > 0 else 0.0
    bottom = math.floor(low / step + 1e-9) * step if low < 0 else 0.0
    if not top - bottom > 0:
        return 0.0, 1.0  # values so near zero (5e-324) that the steps underflow
    return bottom, top


def bar_color(theme: Theme, bar: Bar, good: str | None) -> QColor:
    """The bar's own colour; else green when its sign is good news and red when bad; else gold."""
    if bar.color:
        return color(bar.color)
    if good is None:
        return theme.chart_color(0)
    if bar.value == 0:
        return theme.color("muted")
    good_news = (bar.value > 0) == (good == "up")
    return theme.trend_color(good_news)


def solve_scale(extents: Callable[[float], tuple[float, float]], length: float, span: float) -> float:
    """The largest pixels-per-unit whose extents (room above and below zero) fit in length.

    The extents grow with the scale but also hold fixed parts (value labels, category
    labels), so the answer is found by bisection rather than a formula.
    """
    low, high = 0.0, length / span
    for _ in range(40):
        mid = (low + high) / 2
        if sum(extents(mid)) <= length:
            low = mid
        else:
            high = mid
    return low


@dataclass
class BarLayout:
    """Where everything goes at one size, in slide pixels; the value axis is y for vertical bars."""

    frame: TitleBlock
    horizontal: bool
    plot: QRectF  # the space bars may reach (value bands and labels excluded)
    zero: float  # pixel of the zero line along the value axis
    scale: float  # pixels per unit of value
    lanes: list[tuple[float, float]]  # (start, thickness) of each bar across the value axis
    slot: float  # pitch of the lanes
    label_boxes: list[QRectF]
    label_font: QFont
    label_align: Qt.AlignmentFlag
    value_font: QFont
    value_band: float  # room for a value label beyond a bar's end
    value_gap: float
    value_height: float  # height of a value label's box beside a horizontal bar
    zero_lines: list[QLineF]
    zero_pen: QPen


class BarView(ChartView):
    """A bar chart: bars grow from zero in turn, with values counting up at their ends."""

    model: BarSlide

    def __init__(self, model: BarSlide, context: SlideContext, parent: QWidget | None = None) -> None:
        super().__init__(model, context, parent)
        self.bars: list[Bar] = list(model.bars or [])
        self.values = [b.value for b in self.bars]
        self.starts = [0.0] * len(self.bars)  # where each bar grows from: 0, or its length before a push
        self.decimals = model.decimals()
        self._labels: tuple[BarLayout, list[Sprite]] | None = None  # the layout they were made for
        self.signed = any(v < 0 for v in self.values)
        self.colors = [bar_color(self.theme, b, model.good) for b in self.bars]
        self._widest: list[str] | None = None
        self.item = pg.BarGraphItem(
            x0=[0.0] * len(self.bars),
            y0=[0.0] * len(self.bars),
            width=[0.0] * len(self.bars),
            height=[0.0] * len(self.bars),
            brushes=[pg.mkBrush(c) for c in self.colors],
            pen=pg.mkPen(None),
        )
        self.scene.addItem(self.item)

    def entry_duration(self) -> float:
        """Longer for more bars, so the stagger stays readable (1.4 s to 2.6 s)."""
        return min(2.6, 1.4 + 0.08 * (len(self.bars) - 1))

    def count_from(self, old: SlideBase) -> None:
        """New bars pushed while the slide is on air (kiosk/live.py): a bar whose label was
        there before grows (or shrinks) from the length it had, its value counting from
        the old one; a new label grows from zero."""
        if not isinstance(old, BarSlide):
            return
        before = {bar.label: bar.value for bar in old.bars or []}
        self.starts = [before.get(bar.label, 0.0) for bar in self.bars]
        self._widest = None
        self._layout = None  # the value labels' room fits the new counts
        self.enter()

    # ------------------------------------------------------------ pure parts (tests use these)

    def orientation(self, metrics: Metrics) -> Orientation:
        return self.model.orientation or choose_orientation([b.label for b in self.bars], metrics.portrait)

    def bar_values(self, t: float) -> list[float]:
        """The value each bar shows at t (its length and its label both follow it)."""
        count = len(self.values)
        return [
            s + (v - s) * bar_progress(i, count, t)
            for i, (s, v) in enumerate(zip(self.starts, self.values, strict=True))
        ]

    def value_text(self, value: float) -> str:
        """'+20.9%' / '-18.4%': the playlist's precision, the unit, and a '+' when signs are mixed."""
        text = format_number(value, self.decimals)
        if self.signed and value > 0 and float(text) != 0:
            text = "+" + text
        return text + self.model.unit

    def value_texts(self, t: float) -> list[str]:
        return [self.value_text(v) for v in self.bar_values(t)]

    def bar_rects(self, layout: BarLayout, t: float) -> list[QRectF]:
        """Each bar's rectangle at t, in slide pixels."""
        rects = []
        for (start, thick), value in zip(layout.lanes, self.bar_values(t), strict=True):
            length = value * layout.scale
            if layout.horizontal:
                end = layout.zero + length
                rects.append(QRectF(min(layout.zero, end), start, abs(length), thick))
            else:
                end = layout.zero - length
                rects.append(QRectF(start, min(layout.zero, end), thick, abs(length)))
        return rects

    def value_box(self, layout: BarLayout, index: int, rect: QRectF) -> QRectF:
        """The box of a value label: beyond the bar's end, on the side of its (final) sign."""
        negative = self.values[index] < 0
        band, gap = layout.value_band, layout.value_gap
        if layout.horizontal:
            mid = rect.center().y()
            height = layout.value_height
            if negative:
                left = max(layout.frame.body.left(), rect.left() - gap - band)
                return QRectF(left, mid - height / 2, rect.left() - gap - left, height)
            left = rect.right() + gap
            return QRectF(left, mid - height / 2, min(band, layout.frame.body.right() - left), height)
        center = rect.center().x()
        width = layout.slot
        if negative:
            return QRectF(center - width / 2, rect.bottom() + gap, width, band)
        return QRectF(center - width / 2, rect.top() - gap - band, width, band)

    # ------------------------------------------------------------ layout

    def compute_layout(self, metrics: Metrics) -> BarLayout:
        frame = self.frame_for(metrics)
        if self.orientation(metrics) == "horizontal":
            return self._horizontal_layout(frame, metrics)
        return self._vertical_layout(frame, metrics)

    def _widest_values(self) -> list[str]:
        """For each bar, a text as wide as any its count-up shows (so the room never jumps).

        Computed once per view: `widest_text` samples the count-up, ~2 ms a bar.
        """
        if self._widest is None:
            texts = []
            for value, start in zip(self.values, self.starts, strict=True):
                digits = widest_text(value, self.decimals, start=start)
                if self.signed and value > 0:
                    digits = "+" + digits
                texts.append(digits + self.model.unit)
            self._widest = texts
        return self._widest

    def _zero_pen(self, vmin: float) -> QPen:
        pen = QPen(paint.with_alpha(self.theme.color("muted"), 0.75), max(1.0, vmin * 0.18))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def _vertical_layout(self, frame: TitleBlock, metrics: Metrics) -> BarLayout:
        """Columns; each category label sits by the zero line on the side away from its bar."""
        vmin, body, count = metrics.vmin, frame.body, len(self.bars)
        group = min(body.width(), count * vmin * 34)
        slot = group / count
        left = body.center().x() - group / 2
        thick = min(slot * 0.58, vmin * 16)
        label_width = slot * 0.94
        labels = [b.label for b in self.bars]
        label_font = fit_common(
            self.theme.font,
            labels,
            QRectF(0, 0, label_width, body.height() * 0.3),
            vmin * 3.4,
            vmin * 1.6,
            wrap=True,
            max_lines=2,
        )
        label_height = tallest_height(labels, label_font, label_width, 2)
        label_gap = vmin * 1.6
        value_font, value_band = self._value_font(QRectF(0, 0, slot * 0.98, body.height() * 0.2), vmin)
        gap = vmin * 0.8
        show = self.model.show_values
        low, high = axis_range(self.values)
        up_fixed = value_band + gap if show and any(v > 0 for v in self.values) else 0.0
        down_fixed = value_band + gap if show and self.signed else 0.0
        up_labels = label_height + label_gap if self.signed else 0.0
        down_labels = label_height + label_gap if any(v >= 0 for v in self.values) else 0.0

        def extents(scale: float) -> tuple[float, float]:
            up = max(high * scale + up_fixed, up_labels)
            down = max(-low * scale + down_fixed, down_labels)
            return up, down

        scale = solve_scale(extents, body.height(), high - low)
        up, _down = extents(scale)
        zero = round(body.top() + up)
        plot = QRectF(left, zero - high * scale, group, (high - low) * scale)
        lanes = [
            (float(round(left + slot * (i + 0.5) - thick / 2)), float(round(thick))) for i in range(count)
        ]
        label_boxes = []
        for i, value in enumerate(self.values):
            x = left + slot * (i + 0.5) - label_width / 2
            y = zero - label_gap - label_height if value < 0 else zero + label_gap
            label_boxes.append(QRectF(x, y, label_width, label_height))
        zero_lines = [QLineF(left + slot * 0.04, zero, left + group - slot * 0.04, zero)]
        return BarLayout(
            frame=frame,
            horizontal=False,
            plot=plot,
            zero=zero,
            scale=scale,
            lanes=lanes,
            slot=slot,
            label_boxes=label_boxes,
            label_font=label_font,
            label_align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            value_font=value_font,
            value_band=value_band,
            value_gap=gap,
            value_height=max(lanes[0][1], QFontMetricsF(value_font).height()),
            zero_lines=zero_lines,
            zero_pen=self._zero_pen(vmin),
        )

    def _value_font(self, box: QRectF, vmin: float) -> tuple[QFont, float]:
        """The values' font (one size for all) and the room one value label needs."""
        widest = self._widest_values()
        font = fit_common(self.theme.number_font, widest, box, min(vmin * 4.2, box.height()), vmin * 1.2)
        if not self.model.show_values:
            return font, 0.0
        return font, QFontMetricsF(font).height()

    def _horizontal_layout(self, frame: TitleBlock, metrics: Metrics) -> BarLayout:
        """Rows: labels in a column at the left, or (portrait) on their own line above each bar."""
        vmin, body, count = metrics.vmin, frame.body, len(self.bars)
        stacked = metrics.portrait
        labels = [b.label for b in self.bars]
        # On a portrait screen the rows share the tall body: few bars get tall rows, big
        # labels and thick bars rather than a thin strip in an empty middle.
        slot = min(
            body.height() * (0.9 if stacked else 1.0) / count, vmin * (PORTRAIT_SLOT_VMIN if stacked else 13)
        )
        group = slot * count
        if stacked:
            label_font = fit_common(
                self.theme.font,
                labels,
                QRectF(0, 0, body.width(), slot * 0.4),
                min(vmin * 4.4, slot * 0.3),
                min(vmin * 1.6, slot * 0.2),
                wrap=False,
            )
            label_height = QFontMetricsF(label_font).height()
            bar_space = slot - label_height - vmin * 0.6
            thick = min(bar_space * 0.72, vmin * 13)
            column = 0.0
            # What a row draws sits at its bottom: the air above the first label is not the chart's.
            free = slot - label_height - vmin * 0.6 - thick - vmin * 0.4
            # The rows' ink sits a little above the middle of the tall body.
            top = body.top() + (body.height() - group + free) * 0.42 - free
        else:
            max_label = min(vmin * 3.4, slot * 0.8)
            column_cap = body.width() * 0.3
            label_font = fit_common(
                self.theme.font,
                labels,
                QRectF(0, 0, column_cap, slot * 0.96),
                max_label,
                min(vmin * 1.6, slot * 0.4),
                wrap=True,
                max_lines=2,
            )
            natural = max(paint.text_size(text, label_font)[0] for text in labels)
            column = min(natural + 1, column_cap)
            thick = min(slot * 0.62, vmin * 8.5)
            top = body.top() + (body.height() - group) * 0.5  # the rows in the middle of the body
        gap = vmin * 1.0
        value_height = thick * 1.25 if stacked else slot * 0.9
        value_font, _ = self._value_font(QRectF(0, 0, body.width() * 0.24, value_height), vmin)
        widths = [paint.text_size(text, value_font)[0] + 1 for text in self._widest_values()]
        negative_band = max((w for w, v in zip(widths, self.values, strict=True) if v < 0), default=0.0)
        positive_band = max((w for w, v in zip(widths, self.values, strict=True) if v > 0), default=0.0)
        value_band = max(widths) if self.model.show_values else 0.0
        left = body.left() + (column + vmin * 2.5 if column else 0)
        right = body.right()
        if self.model.show_values:
            left += negative_band + gap if negative_band else 0.0
            right -= positive_band + gap if positive_band else 0.0
        plot = QRectF(left, top, max(1.0, right - left), group)
        low, high = axis_range(self.values)
        scale = plot.width() / (high - low)
        zero = round(plot.left() - low * scale)
        if stacked:
            lanes = [
                (float(round(top + slot * (i + 1) - thick - vmin * 0.4)), float(round(thick)))
                for i in range(count)
            ]
            label_boxes = [
                QRectF(body.left(), lanes[i][0] - vmin * 0.6 - label_height, body.width(), label_height)
                for i in range(count)
            ]
            align = paint.ALIGN_LEFT
        else:
            lanes = [
                (float(round(top + slot * (i + 0.5) - thick / 2)), float(round(thick))) for i in range(count)
            ]
            label_boxes = [QRectF(body.left(), top + slot * i, column, slot) for i in range(count)]
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if stacked:  # one short line per bar, so it never runs through the labels between bars
            zero_lines = [QLineF(zero, a - vmin * 0.5, zero, a + b + vmin * 0.5) for a, b in lanes]
        else:
            zero_lines = [
                QLineF(zero, lanes[0][0] - vmin * 0.6, zero, lanes[-1][0] + lanes[-1][1] + vmin * 0.6)
            ]
        return BarLayout(
            frame=frame,
            horizontal=True,
            plot=plot,
            zero=zero,
            scale=scale,
            lanes=lanes,
            slot=slot,
            label_boxes=label_boxes,
            label_font=label_font,
            label_align=align,
            value_font=value_font,
            value_band=value_band,
            value_gap=gap,
            value_height=max(lanes[0][1], QFontMetricsF(value_font).height()),
            zero_lines=zero_lines,
            zero_pen=self._zero_pen(vmin),
        )

    # ------------------------------------------------------------ painting

    def label_sprites(self, layout: BarLayout) -> list[Sprite]:
        """The bars' labels, drawn once per layout: they stand still while the bars grow,
        and at 3840x2160 drawing their text on every frame took 2.4 ms of a bar chart's 8."""
        if self._labels is None or self._labels[0] is not layout:
            color = self.theme.color("text")
            sprites = [
                text_sprite(box, bar.label, layout.label_font, color, layout.label_align)
                for box, bar in zip(layout.label_boxes, self.bars, strict=True)
            ]
            self._labels = (layout, sprites)
        return self._labels[1]

    def apply(self, layout: object, t: float) -> None:
        assert isinstance(layout, BarLayout)
        rects = self.bar_rects(layout, t)
        self.item.setOpts(
            x0=[r.left() for r in rects],
            y0=[r.top() for r in rects],
            width=[r.width() for r in rects],
            height=[r.height() for r in rects],
        )

    def changed_areas(self, layout: BarLayout, since: float, t: float) -> list[QRectF]:
        """Each growing bar's ends, from where they were to where they are, and its value
        label at both places; a bar that has stopped, nothing: at 4K the whole chart area
        was most of a frame's cost."""
        areas = []
        count = len(self.values)
        before, after = self.bar_rects(layout, since), self.bar_rects(layout, t)
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            if old == new and bar_progress(index, count, since) == bar_progress(index, count, t):
                continue
            areas += _moved_ends(old, new, layout.horizontal)
            if self.model.show_values:
                areas += [self.value_box(layout, index, old), self.value_box(layout, index, new)]
        margin = 2.0  # the antialiased edge's pixel, and the one beside it
        return [area.adjusted(-margin, -margin, margin, margin) for area in areas]

    def paint_content(self, painter: QPainter, layout: BarLayout, t: float) -> None:
        paint_title(painter, self.theme, layout.frame)
        text_color = self.theme.color("text")
        draw_all(painter, self.label_sprites(layout))
        self.paint_chart(painter, layout, t)
        painter.setPen(layout.zero_pen)
        painter.drawLines(layout.zero_lines)
        if not self.model.show_values:
            return
        count = len(self.values)
        rects = self.bar_rects(layout, t)
        for index, (rect, value) in enumerate(zip(rects, self.bar_values(t), strict=True)):
            opacity = 1.0 if self.starts[index] else clamp01(bar_progress(index, count, t) * 4)
            if opacity <= 0:
                continue
            if layout.horizontal:
                align = Qt.AlignmentFlag.AlignRight if self.values[index] < 0 else Qt.AlignmentFlag.AlignLeft
                align |= Qt.AlignmentFlag.AlignVCenter
            else:
                align = Qt.AlignmentFlag.AlignTop if self.values[index] < 0 else Qt.AlignmentFlag.AlignBottom
                align |= Qt.AlignmentFlag.AlignHCenter
            paint.draw_text(
                painter,
                self.value_box(layout, index, rect),
                self.value_text(value),
                layout.value_font,
                text_color,
                align,
                wrap=False,
                opacity=opacity,
            )


def _moved_ends(old: QRectF, new: QRectF, horizontal: bool) -> list[QRectF]:
    """The strips a bar's two ends swept from `old` to `new` (one is empty while the bar
    grows from its zero line), across the bar's whole lane."""
    if horizontal:
        lane_top, lane_height = min(old.top(), new.top()), max(old.height(), new.height())
        return [
            QRectF(min(a, b), lane_top, abs(a - b), lane_height)
            for a, b in ((old.left(), new.left()), (old.right(), new.right()))
        ]
    lane_left, lane_width = min(old.left(), new.left()), max(old.width(), new.width())
    return [
        QRectF(lane_left, min(a, b), lane_width, abs(a - b))
        for a, b in ((old.top(), new.top()), (old.bottom(), new.bottom()))
    ]
