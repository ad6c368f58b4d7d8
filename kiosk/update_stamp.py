"""The "数据更新于 HH:MM" stamp: on a slide whose figures were pushed (kiosk/pushed.py), a
small line in the top-right corner of the safe area says when they last changed, so the
audience can tell a live figure from the one in the printed report.

It is shown on every slide that carries pushed values, always: a figure that differs from
the playlist's must say so (there is no setting to hide it). It is the slide's: it shows
while the slide is on screen, never during a transition, and under the overlays.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.drawing import ALIGN_CENTER, draw_text, text_size, with_alpha
from kiosk.theme import Metrics, Theme

#: the stamp's type, in vmin (the source line's size: read from the front rows, not across a hall)
STAMP_VMIN = 2.2


def stamp_text(updated: datetime) -> str:
    return f"数据更新于 {updated:%H:%M}"


class UpdateStamp(QWidget):
    """A child of the show's window; `place` puts it in the corner for the window's size."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.text = ""
        self.vmin = 10.0  # of the window, set by place()
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def set_updated(self, updated: datetime | None) -> None:
        """Show the stamp for `updated` (None: hide it)."""
        self.text = stamp_text(updated) if updated is not None else ""
        self.place()
        self.setVisible(bool(self.text))
        self.update()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is None or not self.text:
            return
        metrics = Metrics(parent.width(), parent.height(), self.theme.spec.overscan)
        self.vmin = vmin = metrics.vmin
        width, height = text_size(self.text, self.theme.font(vmin * STAMP_VMIN))
        pad_x, pad_y = vmin * 1.2, vmin * 0.5
        safe = metrics.safe_rect()
        # Right-aligned on the slide's title row: the slide counter has the corner above it,
        # and a theme's logo (paint.slide_chrome: 3 to 11 vmin down) the place beside it.
        right = safe.right() - vmin * 2.5
        top = safe.top() + vmin * (12.0 if self.theme.spec.logo else 6.5)
        self.setGeometry(
            round(right - width - 2 * pad_x),
            round(top),
            round(width + 2 * pad_x) + 1,
            round(height + 2 * pad_y),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.text:
            return
        vmin = self.vmin
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(with_alpha(self.theme.color("background_top"), 0.7))
        painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
        draw_text(painter, box, self.text, self.theme.font(vmin * STAMP_VMIN), self.theme.color("muted"),
                  ALIGN_CENTER, wrap=False)  # fmt: skip
        painter.end()
