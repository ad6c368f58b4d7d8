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
    painter.drawPixmap(rect.topLeft(), old)
    if kind == "zoom":
        eased = ease_out_cubic(t)
        scale = 0.86 + 0.14 * eased
        painter.save()
        painter.setOpacity(min(1.0, t * 1.6))
        painter.translate(rect.center())
        painter.scale(scale, scale)
        painter.translate(-rect.center())
        painter.drawPixmap(rect.topLeft(), new)
        painter.restore()
        return
    painter.save()  # fade: the new slide over the old one, never through black
    painter.setOpacity(ease_in_out_cubic(t))
    painter.drawPixmap(rect.topLeft(), new)
    painter.restore()


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
        self._old = self._new = None
        self.finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._new is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._kind == "zoom")
        rect = QRectF(self.rect())
        paint_transition(painter, rect, self._old, self._new, self._kind, self._t, self._direction)
        painter.end()
