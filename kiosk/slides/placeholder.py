"""A plain, honest stand-in: shown when a slide cannot be drawn, never a black screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPainter

from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.theme import Metrics


class PlaceholderView(SlideView):
    entry_seconds = 0.0
    message = ""

    def compute_layout(self, metrics: Metrics) -> Any:
        box = metrics.content_rect()
        title = self.model.label_for_humans()
        title_box = QRectF(box.left(), box.center().y() - metrics.vmin * 10, box.width(), metrics.vmin * 12)
        note_box = QRectF(box.left(), title_box.bottom() + metrics.vmin * 2, box.width(), metrics.vmin * 8)
        font = paint.fit_font(
            lambda px: self.theme.font(px, QFont.Weight.Bold),
            title,
            title_box,
            metrics.vmin * 7,
            metrics.vmin * 3,
        )
        return title, title_box, font, note_box, self.theme.font(metrics.vmin * 2.6)

    def paint_content(self, painter: QPainter, layout: Any, t: float) -> None:
        title, title_box, font, note_box, note_font = layout
        paint.draw_text(painter, title_box, title, font, self.theme.color("text"), paint.ALIGN_CENTER)
        if self.message:
            paint.draw_text(
                painter, note_box, self.message, note_font, self.theme.color("muted"), paint.ALIGN_CENTER
            )
