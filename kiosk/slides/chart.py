"""What the chart slides (bar, line, pie) share: the title block, the pyqtgraph scene, helpers.

pyqtgraph is imported here and only here (and in the chart modules that import this one),
so it loads when the first chart slide is built, never for a show that opens on a title.

How the charts reach the screen: the plotted shapes are pyqtgraph graphics items
(BarGraphItem, PlotCurveItem, our PieItem) in a QGraphicsScene that has no view. Each
chart places its items in slide pixels in `compute_layout`, and `paint_content` renders
the scene with the slide's own painter, between the background and the text. We chose
this over a PlotWidget child because it paints the whole frame in one pass from t (a
child's scene repaints on the next event-loop turn, one frame behind the labels the
slide paints), keeps labels above the shapes, needs no transparency, mouse or focus
workarounds, and measured faster (0.5 ms vs 0.9 ms a frame for a bar chart at 1920x1080).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene, QWidget

from kiosk.numbers import decimals_of
from kiosk.playlist.model import SlideBase
from kiosk.slides import paint
from kiosk.slides.base import SlideContext, SlideView
from kiosk.theme import Metrics, Theme, color

pg.setConfigOptions(antialias=True)


# ---------------------------------------------------------------- the title block


@dataclass
class ChartFrame:
    """The parts every chart slide has: the canvas, the title block and the body below it."""

    canvas: QRectF
    vmin: float
    title: str | None
    title_box: QRectF
    title_font: QFont | None
    rule_start: QPointF
    body: QRectF


def chart_frame(theme: Theme, metrics: Metrics, title: str | None) -> ChartFrame:
    """The standard title position shared by all slide types, and the body under it.

    A title sits at the top of content_rect (height vmin*9, bold, fitted between
    vmin*3.2 and vmin*5.6) with a short accent rule vmin*1.2 under its box.
    """
    vmin = metrics.vmin
    content = metrics.content_rect()
    canvas = QRectF(0, 0, metrics.width, metrics.height)
    title_box = QRectF(content.left(), content.top(), content.width(), vmin * 9)
    rule_start = QPointF(content.left() + vmin * 0.3, title_box.bottom() + vmin * 1.2)
    if not title:
        return ChartFrame(canvas, vmin, None, title_box, None, rule_start, content)
    font = paint.fit_font(
        lambda px: theme.font(px, QFont.Weight.Bold),
        title,
        title_box,
        vmin * 5.6,
        vmin * 3.2,
        wrap=False,
    )
    top = rule_start.y() + vmin * 0.6 + vmin * 5
    body = QRectF(content.left(), top, content.width(), content.bottom() - top)
    return ChartFrame(canvas, vmin, title, title_box, font, rule_start, body)


def paint_frame(painter: QPainter, theme: Theme, frame: ChartFrame) -> None:
    """The title and its accent rule; still from the first frame, like every slide's title."""
    if frame.title is None or frame.title_font is None:
        return
    paint.draw_text(painter, frame.title_box, frame.title, frame.title_font, theme.color("text"), wrap=False)
    paint.accent_rule(painter, theme, frame.rule_start, frame.vmin * 8, frame.vmin * 0.6)


# ---------------------------------------------------------------- helpers


def text_units(text: str) -> float:
    """Width of text in hanzi: wide (CJK) characters count 1, narrow ones (Latin, digits) 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def written_decimals(values: Sequence[float], declared: Sequence[int | None] = ()) -> int:
    """The precision to write a chart's numbers with: the most decimals any value was written with.

    `declared` (a model's own record of how each value was written) wins; without it a
    float that is whole counts as written without decimals, so 20 stays '20', not '20.0'.
    """
    if declared and all(d is not None for d in declared):
        return max(int(d) for d in declared if d is not None)
    best = 0
    for value in values:
        written = getattr(value, "written_decimals", None)
        if isinstance(written, int):
            best = max(best, written)
        elif not float(value).is_integer():
            best = max(best, decimals_of(value))
    return best


def spread(desired: Sequence[float], size: float, low: float, high: float) -> list[float]:
    """Tops for boxes of height `size`, wanted at `desired` (sorted ascending), moved as little
    as needed so that none overlap and all stay within [low, high].

    Labels beside a pie or at the ends of lines ask for the y of their data; this keeps
    their order and pushes neighbours apart: boxes that would overlap form a stack centred
    on where its members want to be (so a crowd grows both ways, not only downwards). If
    they cannot all fit, they are spaced evenly.
    """
    count = len(desired)
    if count == 0:
        return []
    if count * size > high - low:
        step = (high - low - size) / max(1, count - 1)
        return [low + i * step for i in range(count)]
    # Each stack: [first index, number of boxes, top]; merge neighbours until none overlap.
    stacks: list[list[float]] = []
    for i, want in enumerate(desired):
        stacks.append([i, 1, want])
        while len(stacks) > 1 and stacks[-2][2] + stacks[-2][1] * size > stacks[-1][2] - 1e-9:
            first, n, _ = stacks.pop(-2)
            _, m, _ = stacks[-1]
            members = range(int(first), int(first + n + m))
            top = sum(desired[j] - (j - first) * size for j in members) / (n + m)
            stacks[-1] = [first, n + m, top]
        stack = stacks[-1]
        stack[2] = min(max(stack[2], low), high - stack[1] * size)
        # clamping may make it overlap the stack before: the loop above runs again next time
        while len(stacks) > 1 and stacks[-2][2] + stacks[-2][1] * size > stacks[-1][2] - 1e-9:
            first, n, _ = stacks.pop(-2)
            _, m, _ = stacks[-1]
            stacks[-1] = [first, n + m, max(low, min(high - (n + m) * size, stacks[-1][2] - n * size))]
    tops = [0.0] * count
    for first, n, top in stacks:
        for k in range(int(n)):
            tops[int(first) + k] = top + k * size
    return tops


def palette_color(theme: Theme, index: int, explicit: str | None) -> QColor:
    """A series' or slice's colour: its own if the playlist gives one, else the theme palette's."""
    return color(explicit) if explicit else theme.chart_color(index)


def clamp01(value: float) -> float:
    if math.isnan(value):
        return 1.0
    return min(1.0, max(0.0, value))


def fit_many(
    make_font: paint.FontFactory,
    texts: Sequence[str],
    box: QRectF,
    max_px: float,
    min_px: float,
    *,
    wrap: bool = False,
    max_lines: int | None = None,
) -> QFont:
    """One font for a set of texts (category labels, values): the largest that fits them all.

    Labels of one chart share one size, so none looks more important than another.
    """
    size = max_px
    for text in dict.fromkeys(texts):
        if not text or _fits(make_font(size), text, box, wrap, max_lines):
            continue  # fits at the size found so far: no search needed
        font = paint.fit_font(make_font, text, box, size, min_px, wrap=wrap, max_lines=max_lines)
        size = min(size, font.pixelSize())
        if size <= min_px:
            break
    return make_font(size)


def _fits(font: QFont, text: str, box: QRectF, wrap: bool, max_lines: int | None) -> bool:
    width, height = paint.text_size(text, font, box.width() if wrap else None)
    if max_lines is not None and height > QFontMetricsF(font).height() * max_lines + 1:
        return False
    return width <= box.width() + 0.5 and height <= box.height() + 0.5


# ---------------------------------------------------------------- the chart view


class ChartView(SlideView):
    """Base of the chart slides: the title block and a pyqtgraph scene painted with the slide.

    Subclasses add their pyqtgraph items to `self.scene` (in slide pixel coordinates), update
    them for t in `apply(layout, t)`, and paint their text in `paint_content` after
    `paint_chart`. Nothing here takes focus or mouse input: the scene has no view.
    """

    entry_seconds = 1.6

    def __init__(self, model: SlideBase, context: SlideContext, parent: QWidget | None = None) -> None:
        super().__init__(model, context, parent)
        self.scene = QGraphicsScene(self)
        self.scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._applied: tuple[object, float] | None = None
        self._still: tuple[object, float, QPointF, QImage] | None = None

    def frame_for(self, metrics: Metrics) -> ChartFrame:
        title = getattr(self.model, "title", None)
        return chart_frame(self.theme, metrics, str(title) if title else None)

    def apply(self, layout: object, t: float) -> None:
        """Put the scene's items in their state at t (subclasses)."""

    def paint_chart(self, painter: QPainter, layout: object, t: float, clip: QRectF | None = None) -> None:
        """Render the pyqtgraph items at t with the slide's painter (optionally clipped)."""
        if self._applied is None or self._applied[0] is not layout or self._applied[1] != t:
            self.apply(layout, t)
            self._applied = (layout, t)
        canvas = QRectF(0, 0, self.width(), self.height())
        painter.save()
        painter.setBrush(Qt.BrushStyle.NoBrush)  # items that draw paths must not inherit a fill
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setOpacity(1.0)
        if clip is not None:
            painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        self.scene.render(painter, canvas, canvas, Qt.AspectRatioMode.IgnoreAspectRatio)
        painter.restore()

    def paint_still_chart(self, painter: QPainter, layout: object, clip: QRectF | None = None) -> None:
        """Like paint_chart, for items that change only with the layout (a line chart's curves).

        They are rendered once per size into an image, and each frame only draws that image
        (clipped): eight thick antialiased curves cost ~4 ms a frame to stroke, the image ~0.3 ms.
        """
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        if self._still is None or self._still[0] is not layout or self._still[1] != ratio:
            self.apply(layout, 1.0)
            self._applied = (layout, 1.0)
            source = self.scene.itemsBoundingRect().adjusted(-4, -4, 4, 4)
            source = source.intersected(QRectF(0, 0, self.width(), self.height())).toAlignedRect()
            image = QImage(source.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            image_painter = QPainter(image)
            image_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            target = QRectF(0, 0, source.width(), source.height())
            self.scene.render(image_painter, target, QRectF(source), Qt.AspectRatioMode.IgnoreAspectRatio)
            image_painter.end()
            self._still = (layout, ratio, QPointF(source.topLeft()), image)
        _layout, _ratio, origin, image = self._still
        painter.save()
        if clip is not None:
            painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        painter.drawImage(origin, image)
        painter.restore()
