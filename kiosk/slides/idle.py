"""The calm slide shown when no slide is on air (outside every `when` window):
the theme's background, the playlist's title and a clock. Never a black screen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.playlist.model import Playlist, TitleSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideContext, SlideView
from kiosk.theme import Metrics

WEEKDAYS = "一二三四五六日"


class IdleView(SlideView):
    entry_seconds = 0.0

    def __init__(self, playlist: Playlist, context: SlideContext, parent: QWidget | None = None) -> None:
        self.playlist_title = playlist.title or " "
        super().__init__(TitleSlide(title=self.playlist_title), context, parent)
        self._minute = QTimer(self)
        self._minute.setSingleShot(True)
        self._minute.timeout.connect(self._new_minute)
        self._new_minute()

    def _new_minute(self) -> None:
        """Repaint once a minute, on the minute: the clock is the only thing that moves."""
        self.update()
        now = datetime.now()
        self._minute.start((60 - now.second) * 1000 - now.microsecond // 1000 + 50)

    def compute_layout(self, metrics: Metrics) -> Any:
        box = metrics.content_rect()
        clock_box = QRectF(box.left(), box.center().y() - metrics.vmin * 14, box.width(), metrics.vmin * 20)
        date_box = QRectF(box.left(), clock_box.bottom(), box.width(), metrics.vmin * 5)
        title_box = QRectF(box.left(), box.top(), box.width(), metrics.vmin * 8)
        title_font = paint.fit_font(
            lambda px: self.theme.font(px, QFont.Weight.Bold),
            self.playlist_title,
            title_box,
            metrics.vmin * 4.5,
            metrics.vmin * 2.5,
            wrap=False,
        )
        return (
            clock_box,
            date_box,
            title_box,
            title_font,
            self.theme.number_font(metrics.vmin * 17),
            self.theme.font(metrics.vmin * 3),
        )

    def paint_content(self, painter: QPainter, layout: Any, t: float) -> None:
        clock_box, date_box, title_box, title_font, clock_font, date_font = layout
        now = datetime.now()
        paint.draw_text(
            painter,
            title_box,
            self.playlist_title,
            title_font,
            self.theme.color("muted"),
            paint.ALIGN_CENTER,
            wrap=False,
        )
        paint.draw_text(
            painter,
            clock_box,
            now.strftime("%H:%M"),
            clock_font,
            self.theme.color("text"),
            paint.ALIGN_CENTER,
            wrap=False,
        )
        date = f"{now.year}年{now.month}月{now.day}日  星期{WEEKDAYS[now.weekday()]}"
        paint.draw_text(
            painter, date_box, date, date_font, self.theme.color("accent"), paint.ALIGN_CENTER, wrap=False
        )
