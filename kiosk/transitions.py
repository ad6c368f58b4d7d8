"""Transitions between slides: fade, slide, zoom, none.

Both slides are still pictures during a transition (the new slide's animation starts
only once it is fully on screen), so a transition paints two pixmaps per frame and
nothing else. `paint_transition` is a pure function of t, for tests and the benchmark.
Input during a transition calls `finish()`: it jumps to the end at once, so there is
never a queue of stale animations.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget

from kiosk.numbers import ease_in_out_cubic, ease_out_cubic
from kiosk.pictures import POOL


def paint_transition(
    painter: QPainter, rect: QRectF, old: QPixmap | None, new: QPixmap, kind: str, t: float, direction: int
) -> None:
    """Paint the frame at t (0..1) of a transition from `old` to `new`.

    direction is +1 when moving forward (the new slide comes from the right) and -1
    when moving back. Every frame is fully covered: no black frame between slides.
    """
    t = min(1.0, max(0.0, t))
    if old is None or kind == "none" or t >= 1.0:
        painter.drawPixmap(rect.topLeft(), new)
        return
    if kind == "slide":
        eased = ease_in_out_cubic(t)
        shift = rect.width() * eased * direction
        painter.drawPixmap(QPointF(rect.left() - shift, rect.top()), old)
        painter.drawPixmap(QPointF(rect.left() - shift + rect.width() * direction, rect.top()), new)
        return
    if kind == "zoom":
        _paint_zoom(painter, rect, old, new, t)
        return
    painter.drawPixmap(rect.topLeft(), old)
    painter.save()  # fade: the new slide over the old one, never through black
    painter.setOpacity(ease_in_out_cubic(t))
    painter.drawPixmap(rect.topLeft(), new)
    painter.restore()


#: the zoom brings the new slide in from this size to full size
ZOOM_FROM = 0.86
#: ... fading it in over the first 1 / ZOOM_FADE of the transition
ZOOM_FADE = 1.6


def _paint_zoom(painter: QPainter, rect: QRectF, old: QPixmap, new: QPixmap, t: float) -> None:
    """The new slide grows from ZOOM_FROM to full size over the old one, fading in.

    Scaling a whole screen is the most expensive frame kiosk paints: at 3840x2160 a
    smooth, translucent scale of 8 million pixels took 19 ms. The same picture for less
    (measured: bench/frames.py --size 3840x2160): the old slide is painted only in the
    ring it shows around the new one; the new one is scaled opaque and without smoothing
    (it moves, and a picture moving 0.3 % a frame shows no stair-steps; the last frame,
    t = 1, is a plain sharp copy); and while it fades in, the old slide is laid over it
    at the remaining opacity instead of the new one at its own: (1 - a) old + a new
    either way, but blending an unscaled picture costs a fraction of blending a scaled one."""
    scale = ZOOM_FROM + (1.0 - ZOOM_FROM) * ease_out_cubic(t)
    opacity = min(1.0, t * ZOOM_FADE)
    width, height = rect.width() * scale, rect.height() * scale
    target = QRectF(rect.center().x() - width / 2, rect.center().y() - height / 2, width, height)
    painter.save()
    for band in _ring(rect, target):
        _copy(painter, old, rect, band)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawPixmap(target, new, QRectF(0, 0, new.width(), new.height()))
    if opacity < 1.0:
        painter.setOpacity(1.0 - opacity)
        _copy(painter, old, rect, QRectF(target.toAlignedRect()).intersected(rect))
    painter.restore()


def _copy(painter: QPainter, picture: QPixmap, rect: QRectF, area: QRectF) -> None:
    """The part `area` of a full-screen picture drawn where it belongs, unscaled."""
    ratio = picture.devicePixelRatio()  # the picture's pixels may be smaller (HiDPI)
    source = area.translated(-rect.left(), -rect.top())
    painter.drawPixmap(
        area,
        picture,
        QRectF(source.x() * ratio, source.y() * ratio, source.width() * ratio, source.height() * ratio),
    )


def _ring(outer: QRectF, inner: QRectF) -> list[QRectF]:
    """The parts of `outer` that `inner` (inside it) leaves: top, bottom, left, right,
    in whole pixels and overlapping inner by one, so no seam of the old slide shows."""
    inner = QRectF(inner.toAlignedRect()).adjusted(1, 1, -1, -1)
    top = QRectF(outer.left(), outer.top(), outer.width(), inner.top() - outer.top())
    bottom = QRectF(outer.left(), inner.bottom(), outer.width(), outer.bottom() - inner.bottom())
    left = QRectF(outer.left(), inner.top(), inner.left() - outer.left(), inner.height())
    right = QRectF(inner.right(), inner.top(), outer.right() - inner.right(), inner.height())
    return [band for band in (top, bottom, left, right) if band.width() > 0 and band.height() > 0]


class TransitionWidget(QWidget):
    """Covers the stage while a transition runs; emits `finished` at the end."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._old: QPixmap | None = None
        self._new: QPixmap | None = None
        self._kind = "fade"
        self._direction = 1
        self._t = 0.0
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.Linear)
        self._animation.valueChanged.connect(self._on_value)
        self._animation.finished.connect(self._done)
        self.hide()

    def run(self, old: QPixmap | None, new: QPixmap, kind: str, seconds: float, direction: int) -> None:
        self._old, self._new, self._kind, self._direction = old, new, kind, direction
        self._t = 0.0
        self.raise_()
        self.show()
        self._animation.setDuration(max(1, round(seconds * 1000)))
        self._animation.start()

    def finish(self) -> None:
        """Jump to the end now (input arrived during the transition)."""
        if self.isVisible():
            self._animation.stop()
            self._done()

    def set_progress(self, t: float) -> None:
        self._t = t
        self.update()

    def _on_value(self, value: object) -> None:
        self.set_progress(float(value))  # type: ignore[arg-type]  # Qt's animation gives a float typed as object

    def _done(self) -> None:
        if not self.isVisible():
            return
        self.hide()
        POOL.give(self._old)  # for the next slide change (kiosk/pictures.py)
        self._old = None
        self.finished.emit()  # the stage may take the new slide's picture (take_last_frame)
        POOL.give(self._new)
        self._new = None

    def take_last_frame(self) -> QPixmap | None:
        """The new slide's picture the transition ended on (while `finished` is being
        emitted): that slide's own first frame, which it can show instead of painting it
        again. The taker gives it back to the pool."""
        picture, self._new = self._new, None
        return picture

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._new is None:
            return
        painter = QPainter(self)
        rect = QRectF(self.rect())
        paint_transition(painter, rect, self._old, self._new, self._kind, self._t, self._direction)
        painter.end()
