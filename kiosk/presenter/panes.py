"""The presenter view's moving parts: the slide on air as the wall shows it, pictures of
coming slides, and the strip of every slide to jump to.

The wall comes first. Everything the presenter view draws that costs more than a blit
(a picture of the next slide, the strip's thumbnails) is made only while the wall is
still (no transition, no entry animation), one picture per turn of the event loop, so a
transition on the wall never waits for the presenter's screen.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QEvent, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QTouchEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from kiosk import drawing
from kiosk.playlist.model import SlideBase
from kiosk.slides.base import SlideContext
from kiosk.stage import Build, Stage
from kiosk.theme import Theme
from kiosk.thumbnails import SlideThumbnails, render_thumbnail

BACKGROUND = QColor("#101318")  # the presenter's own dark room light: the slides stand out
PANEL = QColor("#1b2029")
TEXT = QColor("#e9edf2")
MUTED = QColor("#8d97a5")


class LivePane(QWidget):
    """The slide on air as the wall shows it, moving as it moves.

    It copies the wall's own pixels, scaled, from the wall window's backing store (the
    picture Qt's raster engine paints the window into and hands to the screen): what the
    audience sees, at the cost of one scaled copy of what changed, not a second paint of
    the slide. While the wall is black (or hidden) its store holds no slide: the pane then
    has the wall's widgets paint the slide at its own scale instead."""

    def __init__(
        self, stage: Stage, wall: QWidget, parent: QWidget | None = None, *, blacked: Callable[[], bool]
    ) -> None:
        super().__init__(parent)
        self.stage = stage
        self.wall = wall
        self.blacked = blacked
        self.copies = 0  # frames copied from the wall's store (tests)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def source(self) -> QWidget | None:
        """The wall's widget that shows the slide now: the transition, or the slide view."""
        if self.stage.transition.isVisible():
            return self.stage.transition
        return self.stage.view

    def scale(self) -> tuple[float, float]:
        wall = self.wall
        return self.width() / max(1, wall.width()), self.height() / max(1, wall.height())

    def changed_area(self) -> QRect | None:
        """The part of the pane the wall's current frame changes (a count-up's number),
        or None for all of it: the pane repaints what the wall repaints, no more."""
        view = self.stage.view
        if self.source() is not view or view is None:
            return None
        area = view.repaint_area(view.progress)
        if area is None:
            return None
        sx, sy = self.scale()
        mapped = QRectF(area.x() * sx, area.y() * sy, area.width() * sx, area.height() * sy)
        return mapped.toAlignedRect().adjusted(-1, -1, 1, 1).intersected(self.rect())

    def follow(self) -> None:
        """The wall painted a frame: paint the same here (later, with Qt's other updates)."""
        area = self.changed_area()
        if area is None:
            self.update()
        else:
            self.update(area)

    def wall_pixels(self) -> QImage | None:
        """The wall window's painted picture, when it shows the slide."""
        wall = self.wall
        if self.blacked() or not wall.isVisible() or wall.isMinimized():
            return None
        store = wall.backingStore()
        device = store.paintDevice() if store is not None else None
        if not isinstance(device, QImage) or device.isNull() or device.width() < wall.width():
            return None  # not a raster store (or not painted yet): paint it ourselves
        return device

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            image = self.wall_pixels()
            if image is not None:
                self._copy(painter, image, QRectF(event.rect()))
                return
            source = self.source()
            if source is None or self.wall.width() <= 0 or self.wall.height() <= 0:
                painter.fillRect(event.rect(), QColor("black"))
                return
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            sx, sy = self.scale()
            painter.scale(sx, sy)
            # Only the wall's pixels under the area to repaint (a pixel more each side for
            # the rounding between the two scales).
            target = QRectF(event.rect())
            wanted = QRectF(target.x() / sx, target.y() / sy, target.width() / sx, target.height() / sy)
            region = wanted.toAlignedRect().adjusted(-1, -1, 1, 1).intersected(source.rect())
            source.render(painter, region.topLeft(), QRegion(region), QWidget.RenderFlag.DrawChildren)
        finally:
            painter.end()

    def _copy(self, painter: QPainter, image: QImage, target: QRectF) -> None:
        # The store may be larger than the window in device pixels (a HiDPI screen).
        fx, fy = image.width() / self.width(), image.height() / self.height()
        source = QRectF(target.x() * fx, target.y() * fy, target.width() * fx, target.height() * fy)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, image, source)
        self.copies += 1


class SlidePictures:
    """Final frames of single slides at one size (the next slide, the one after), the
    few most recent kept. A reloaded playlist brings new slide objects, so new pictures."""

    KEEP = 4

    def __init__(self, build: Build, context_for: Callable[[], SlideContext]) -> None:
        self._build = build
        self._context_for = context_for
        self._images: OrderedDict[tuple[int, int, int], tuple[SlideBase, QImage]] = OrderedDict()

    def cached(self, slide: SlideBase, width: int, height: int) -> QImage | None:
        found = self._images.get((id(slide), width, height))
        if found is None or found[0] is not slide:  # an id reused by a new object
            return None
        self._images.move_to_end((id(slide), width, height))
        return found[1]

    def render(self, slide: SlideBase, width: int, height: int) -> QImage:
        image = self.cached(slide, width, height)
        if image is None:
            image = render_thumbnail(self._build, slide, self._context_for(), width, height)
            self._images[(id(slide), width, height)] = (slide, image)
            while len(self._images) > self.KEEP:
                self._images.popitem(last=False)
        return image


class SlideStrip(QWidget):
    """Every slide in rotation, small, in one row: the one on air marked; a click or a
    tap jumps there, the wheel scrolls."""

    chosen = Signal(int)  # a position in the rotation

    def __init__(
        self, thumbnails: SlideThumbnails, theme: Callable[[], Theme], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.thumbnails = thumbnails
        self._theme = theme
        self.current: int | None = None
        self.first = 0  # the first position shown (scrolling)
        self._touch_x: float | None = None  # where a finger went down
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)

    # ------------------------------------------------------------ geometry

    def cell_size(self) -> tuple[float, float]:
        """A cell: a thumbnail at 16:9 with its number under it."""
        height = self.height()
        label = height * 0.22
        image_height = height - label
        return image_height * 16 / 9 + height * 0.08, height

    def visible_count(self) -> int:
        width, _ = self.cell_size()
        return max(1, int(self.width() // max(1.0, width)))

    def thumb_size(self) -> tuple[int, int]:
        _width, height = self.cell_size()
        image_height = round(height * 0.78) - 4
        return max(1, round(image_height * 16 / 9)), max(1, image_height)

    def cell_rect(self, position: int) -> QRectF:
        width, height = self.cell_size()
        return QRectF((position - self.first) * width, 0, width, height)

    def positions(self) -> range:
        return range(self.first, min(self.thumbnails.count(), self.first + self.visible_count()))

    def follow(self, current: int | None) -> None:
        """The slide on air changed: mark it, and scroll so it is in view with some of
        what comes after it."""
        self.current = current
        if current is not None:
            shown = self.visible_count()
            if not self.first <= current < self.first + shown - 1:
                self.first = max(0, min(current - 1, self.thumbnails.count() - shown))
        self.update()

    def missing(self) -> int | None:
        """A position in view whose thumbnail is not made yet (the presenter makes it when
        the wall is still)."""
        width, height = self.thumb_size()
        for position in self.positions():
            if self.thumbnails.cached(position, width, height) is None:
                return position
        return None

    def make(self, position: int) -> None:
        width, height = self.thumb_size()
        self.thumbnails.render(position, width, height)
        self.update(self.cell_rect(position).toAlignedRect())

    # ------------------------------------------------------------ input

    def position_at(self, x: float) -> int | None:
        width, _ = self.cell_size()
        position = self.first + int(x // max(1.0, width))
        return position if position in self.positions() else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        position = self.position_at(event.position().x())
        if position is not None:
            self.chosen.emit(position)
        event.accept()

    def event(self, event: QEvent) -> bool:
        """Touch: a tap jumps to the slide, a sideways drag scrolls the strip (the
        presenter view's own swipes, which move the show, stay outside the strip)."""
        kind = event.type()
        if kind not in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            return super().event(event)
        assert isinstance(event, QTouchEvent)
        points = event.points()
        if points:
            x = points[0].position().x()
            if kind == QEvent.Type.TouchBegin:
                self._touch_x = x
            elif kind == QEvent.Type.TouchEnd and self._touch_x is not None:
                moved = x - self._touch_x
                if abs(moved) < self.height() * 0.15:
                    position = self.position_at(x)
                    if position is not None:
                        self.chosen.emit(position)
                else:
                    self.scroll_by(-1 if moved > 0 else 1)
                self._touch_x = None
        event.accept()
        return True

    def scroll_by(self, pages: int) -> None:
        """Half a strip's width of slides per step, within the playlist."""
        most = max(0, self.thumbnails.count() - self.visible_count())
        self.first = max(0, min(most, self.first + pages * max(1, self.visible_count() // 2)))
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.scroll_by(-1 if event.angleDelta().y() + event.angleDelta().x() > 0 else 1)
        event.accept()

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), BACKGROUND)
            for position in self.positions():
                self._paint_cell(painter, position)
        finally:
            painter.end()

    def _paint_cell(self, painter: QPainter, position: int) -> None:
        theme = self._theme()
        cell = self.cell_rect(position)
        pad = cell.height() * 0.04
        width, height = self.thumb_size()
        box = QRectF(cell.left() + pad, cell.top() + 2, width, height)
        image = self.thumbnails.cached(position, width, height)
        if image is None:
            painter.fillRect(box, PANEL)
        else:
            painter.drawImage(box, image)
        on_air = position == self.current
        if on_air:
            painter.setPen(QPen(theme.color("accent"), max(2.0, cell.height() * 0.03)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box.adjusted(-1, -1, 1, 1))
        label = QRectF(box.left(), box.bottom(), box.width(), cell.bottom() - box.bottom())
        font = theme.font(label.height() * 0.62, QFont.Weight.Bold if on_air else QFont.Weight.Normal)
        text = f"{position + 1}  {self.thumbnails.label(position)}"
        drawing.draw_text(painter, label, text, font, theme.color("accent") if on_air else MUTED, wrap=False)
