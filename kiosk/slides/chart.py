"""What the chart slides (bar, line, pie) share: the pyqtgraph scene and a few helpers.

pyqtgraph is imported here (through kiosk/slides/qtgraph.py, which spares it making every
Qt class) and in the chart modules that import this one, so it loads when the first chart
slide is built, never for a show that opens on a title.

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

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsScene, QWidget

from kiosk.playlist.model import SlideBase
from kiosk.slides.base import SlideContext, SlideView
from kiosk.slides.layout import TitleBlock, body_area, title_block
from kiosk.slides.qtgraph import pg
from kiosk.slides.sprites import Sprite, paint_sprite
from kiosk.theme import Metrics, Theme, color

pg.setConfigOptions(antialias=True)


# ---------------------------------------------------------------- helpers


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


# ---------------------------------------------------------------- the chart view


class ChartView(SlideView):
    """Base of the chart slides: the standard title and a pyqtgraph scene painted with the slide.

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
        self._still: tuple[object, float, Sprite] | None = None

    def frame_for(self, metrics: Metrics) -> TitleBlock:
        """The standard title block (layout.title_block) with the slide's title."""
        title = getattr(self.model, "title", None)
        return title_block(self.theme, metrics, str(title) if title else None)

    def apply(self, layout: object, t: float) -> None:
        """Put the scene's items in their state at t (subclasses)."""

    def animated_area(self, layout: Any) -> QRectF:
        """The chart grows in the body under the title; the title and footer stay still."""
        return body_area(layout.frame)

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

        They are rendered once per size into a sprite, and each frame only draws that sprite
        (clipped): eight thick antialiased curves cost ~4 ms a frame to stroke, the image ~0.3 ms.
        """
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        if self._still is None or self._still[0] is not layout or self._still[1] != ratio:
            self.apply(layout, 1.0)
            self._applied = (layout, 1.0)
            area = self.scene.itemsBoundingRect().adjusted(-4, -4, 4, 4)
            area = QRectF(area.intersected(QRectF(0, 0, self.width(), self.height())).toAlignedRect())
            sprite = paint_sprite(
                area,
                lambda p: self.scene.render(p, area, area, Qt.AspectRatioMode.IgnoreAspectRatio),
                dpr=ratio,
            )
            self._still = (layout, ratio, sprite)
        painter.save()
        if clip is not None:
            painter.setClipRect(clip, Qt.ClipOperation.IntersectClip)
        self._still[2].draw(painter)
        painter.restore()
