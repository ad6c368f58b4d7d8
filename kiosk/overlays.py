"""What the window draws over the slides: progress bar, counter, paused mark, go-to
prompt, help, the reload-error badge, and the overview grid.

They must look finished, not like debug UI: theme colours and fonts, rounded panels,
sizes relative to the screen. The progress bar is its own opaque strip so that its
updates repaint a few pixels, not the slide under it (idle CPU on a still slide).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHideEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from kiosk import drawing
from kiosk.commands import MOUSE_HELP, help_rows
from kiosk.theme import Metrics, Theme


def key_help(lock: bool = False) -> list[tuple[str, str]]:
    """The help overlay's rows, from the command layer (kiosk/commands.py): under --lock
    without what a lock takes away, and with Ctrl+Alt+Q as the only way to quit."""
    return help_rows(lock=lock)




def _panel(painter: QPainter, rect: QRectF, theme: Theme, radius: float, alpha: float = 0.88) -> None:
    """A rounded dark (or light) glass panel."""
    base = QColor(theme.spec.colors.background_top) if theme.spec.dark else QColor("#ffffff")
    base.setAlphaF(alpha)
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    painter.fillPath(path, base)
    painter.setPen(QPen(drawing.with_alpha(theme.color("accent"), 0.55), max(1.0, radius / 12)))
    painter.drawPath(path)


@dataclass
class OverlayState:
    counter: str = ""
    paused: bool = False
    ended: bool = False
    goto_text: str | None = None
    goto_error: str = ""
    help: bool = False
    badge: str = ""
    #: the playlist's problems (FILE:LINE:COL lines), listed in the help overlay
    problems: tuple[str, ...] = ()


#: What the audience sees while a broken edit waits to be fixed: short, in their language,
#: and no file path or parser words (those go to the log and the help overlay).
PROBLEMS_BADGE = "播放列表有误 · 仍在播放上一版"
#: how many problem lines the help overlay lists (the log has them all)
HELP_PROBLEM_LINES = 5
#: the phone remote's pairing code takes this many vmin of the help panel (code and margins)
PAIRING_VMIN = 22


class OverlayWidget(QWidget):
    """Transparent layer over the slide; repaints only when its state changes."""

    def __init__(self, theme: Theme, parent: QWidget | None = None, *, lock: bool = False) -> None:
        super().__init__(parent)
        self.theme = theme
        self.key_help = key_help(lock)
        self.state = OverlayState()
        self.pairing: list[list[bool]] | None = None  # the phone remote's QR code (help overlay)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)

    def set_state(self, **changes: object) -> None:
        changed = False
        for name, value in changes.items():
            if getattr(self.state, name) != value:
                setattr(self.state, name, value)
                changed = True
        if changed:
            self._fit_mask()
            self.update()

    def _fit_mask(self) -> None:
        """Take part only where something may be drawn: the status row, or all of the
        screen while a dialog (go-to, help) is open. A layer over the whole slide is
        repainted with every frame of everything under it (each count-up frame, each
        step of the progress bar), most of those paints drawing nothing: under the
        ten-slide peers deck that was 80 paints a second."""
        if self.state.goto_text is not None or self.state.help:
            self.clearMask()
        else:
            self.setMask(QRegion(self._status_band(self.metrics())))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_mask()
        super().resizeEvent(event)

    def set_problems(self, problems: list[str]) -> None:
        """The playlist's current problems: a short badge for the audience, the lines
        for the operator's help overlay (the reloader's `problems_changed`)."""
        self.set_state(badge=PROBLEMS_BADGE if problems else "", problems=tuple(problems))

    def metrics(self) -> Metrics:
        return Metrics(self.width(), self.height(), self.theme.spec.overscan)

    def set_pairing(self, url: str | None) -> None:
        """The phone remote's address with its token (kiosk/remote): the help overlay shows
        it as a QR code while the control server runs. Only the code: the token is never
        written out in letters on the wall."""
        from kiosk.remote.pairing import pairing_matrix

        self.pairing = None if url is None else pairing_matrix(url)
        self.update()

    def _pairing_room(self, m: Metrics) -> tuple[float, float]:
        """Width and height the help panel grows by for the pairing code: a column on the
        right where the screen is wide enough, else a row above the mouse line."""
        if self.pairing is None:
            return 0.0, 0.0
        if m.width * 0.86 >= m.vmin * (120 + PAIRING_VMIN):
            return m.vmin * PAIRING_VMIN, 0.0
        return 0.0, m.vmin * (PAIRING_VMIN - 2)

    def _paint_pairing(self, painter: QPainter, m: Metrics, area: QRectF) -> None:
        """The code in `area`, captioned under it (column) or beside it (row)."""
        from kiosk.remote.pairing import paint_code

        assert self.pairing is not None
        side = min(area.width(), area.height(), m.vmin * (PAIRING_VMIN - 4))
        tile = paint_code(painter, self.pairing, QRectF(area.left(), area.top(), side, side))
        if area.width() > area.height():  # a row: the caption right of the code
            caption = QRectF(tile.right() + m.vmin * 2, tile.top(), area.right() - tile.right() - m.vmin * 2,
                             tile.height())
        else:
            caption = QRectF(area.left(), tile.bottom() + m.vmin, area.width(), m.vmin * 6)
        drawing.draw_text(
            painter,
            caption,
            "手机遥控: 扫码打开\nPhone remote: scan",
            self.theme.font(m.vmin * 1.7),
            self.theme.color("muted"),
            drawing.ALIGN_LEFT,
            wrap=True,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        metrics = self.metrics()
        # The layer covers the slide, so every frame of a slide's animation repaints it
        # where they overlap: paint the status row only when that reaches it.
        if event.region().intersects(self._status_band(metrics)):
            self._paint_status_row(painter, metrics)
        if self.state.goto_text is not None or self.state.help:
            # A scrim under a dialog: the slide stays visible but clearly in the background.
            painter.fillRect(self.rect(), QColor(0, 0, 0, 120))
        if self.state.goto_text is not None:
            self._paint_goto(painter, metrics)
        if self.state.help:
            self._paint_help(painter, metrics)
        painter.end()

    @staticmethod
    def _status_row(m: Metrics) -> tuple[float, float]:
        """Top and height of the status row's panels."""
        return m.safe_rect().top() + m.vmin * 1.6, m.vmin * 3.6

    def _status_band(self, m: Metrics) -> QRect:
        """The strip across the top that the status row may paint in (a vmin to spare)."""
        top, height = self._status_row(m)
        return QRect(0, 0, self.width(), math.ceil(top + height + m.vmin))

    def _paint_status_row(self, painter: QPainter, m: Metrics) -> None:
        """Top-right, above the content area: [reload badge] [paused] [3 / 30]."""
        right = m.safe_rect().right() - m.vmin * 2.5
        top, height = self._status_row(m)
        if self.state.counter and self.theme.spec.counter:
            font = self.theme.font(m.vmin * 1.9, QFont.Weight.Medium)
            width = drawing.text_size(self.state.counter, font)[0] + m.vmin * 0.5
            box = QRectF(right - width, top, width, height)
            drawing.draw_text(
                painter,
                box,
                self.state.counter,
                font,
                drawing.with_alpha(self.theme.color("muted"), 0.8),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                wrap=False,
            )
            right = box.left() - m.vmin * 1.5
        if self.state.paused or self.state.ended:
            right = self._paint_paused(painter, m, right, top, height) - m.vmin * 1.2
        if self.state.badge:
            self._paint_badge(painter, m, right, top, height)

    def _paint_paused(self, painter: QPainter, m: Metrics, right: float, top: float, height: float) -> float:
        text = "已暂停  PAUSED" if self.state.paused else "播放结束  END"
        font = self.theme.font(m.vmin * 1.8, QFont.Weight.Bold)
        width = drawing.text_size(text, font)[0] + m.vmin * 6.2
        box = QRectF(right - width, top, width, height)
        _panel(painter, box, self.theme, box.height() / 2)
        accent = self.theme.color("accent")
        icon = QRectF(box.left() + m.vmin * 1.6, box.center().y() - m.vmin * 0.8, m.vmin * 0.55, m.vmin * 1.6)
        if self.state.paused:
            painter.fillRect(icon, accent)
            painter.fillRect(icon.translated(m.vmin * 0.9, 0), accent)
        else:
            painter.fillRect(QRectF(icon.left(), icon.top(), m.vmin * 1.45, m.vmin * 1.6), accent)
        text_box = box.adjusted(m.vmin * 4.0, 0, -m.vmin * 1.2, 0)
        drawing.draw_text(
            painter, text_box, text, font, self.theme.color("text"), drawing.ALIGN_LEFT, wrap=False
        )
        return box.left()

    def _paint_badge(self, painter: QPainter, m: Metrics, right: float, top: float, height: float) -> None:
        font = self.theme.font(m.vmin * 1.5, QFont.Weight.Medium)
        text = self.state.badge
        width = min(m.width * 0.45, drawing.text_size(text, font)[0] + m.vmin * 5)
        box = QRectF(right - width, top, width, height)
        _panel(painter, box, self.theme, box.height() / 2, 0.85)
        dot = m.vmin * 1.1
        painter.setBrush(self.theme.color("bad"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(box.left() + m.vmin * 1.3, box.center().y() - dot / 2, dot, dot))
        drawing.draw_text(
            painter,
            box.adjusted(m.vmin * 3.2, 0, -m.vmin * 1.2, 0),
            text,
            font,
            self.theme.color("text"),
            drawing.ALIGN_LEFT,
            wrap=False,
        )

    def _paint_goto(self, painter: QPainter, m: Metrics) -> None:
        box = QRectF(0, 0, min(m.width * 0.9, m.vmin * 60), m.vmin * 27)
        box.moveCenter(QRectF(self.rect()).center())
        _panel(painter, box, self.theme, m.vmin * 1.6, 1.0)
        hint = self.state.goto_error or "输入编号或 id, 按 Enter  ·  Esc 取消"
        lines = [
            (2.5, 4.0, "跳转到  Go to slide", self.theme.font(m.vmin * 2.4), self.theme.color("muted")),
            (
                7.5,
                11.0,
                (self.state.goto_text or "") + "▏",
                self.theme.number_font(m.vmin * 8.5),
                self.theme.color("accent"),
            ),
            (
                20.0,
                4.0,
                hint,
                self.theme.font(m.vmin * 2.0),
                self.theme.color("bad") if self.state.goto_error else self.theme.color("muted"),
            ),
        ]
        for offset, height, text, font, color in lines:
            line_box = QRectF(box.left(), box.top() + m.vmin * offset, box.width(), m.vmin * height)
            drawing.draw_text(painter, line_box, text, font, color, drawing.ALIGN_CENTER, wrap=False)

    def _paint_help(self, painter: QPainter, m: Metrics) -> None:
        rows = len(self.key_help)
        row_h = m.vmin * 4.6
        pairing_w, pairing_h = self._pairing_room(m)
        width = min(m.width * 0.86, m.vmin * 120 + pairing_w)
        problems_h = self._problems_height(m)
        box = QRectF(0, 0, width, row_h * rows + m.vmin * 19 + problems_h + pairing_h)
        box.moveCenter(QRectF(self.rect()).center())
        _panel(painter, box, self.theme, m.vmin * 1.8, 1.0)
        title_box = QRectF(
            box.left() + m.vmin * 4, box.top() + m.vmin * 3, box.width() - m.vmin * 8 - pairing_w, m.vmin * 5
        )
        drawing.draw_text(
            painter,
            title_box,
            "按键  Keys",
            self.theme.font(m.vmin * 3.4, QFont.Weight.Bold),
            self.theme.color("text"),
            drawing.ALIGN_LEFT,
            wrap=False,
        )
        drawing.accent_rule(
            painter,
            self.theme,
            title_box.bottomLeft() + QRectF(0, 0, 0, m.vmin).bottomRight(),
            m.vmin * 6,
            m.vmin * 0.5,
        )
        key_font = self.theme.font(m.vmin * 2.1, QFont.Weight.Bold)
        text_font = self.theme.font(m.vmin * 2.1)
        top = title_box.bottom() + m.vmin * 3
        key_width = (title_box.width()) * 0.45
        for index, (keys, action) in enumerate(self.key_help):
            row = QRectF(box.left() + m.vmin * 4, top + index * row_h, title_box.width(), row_h)
            drawing.draw_text(
                painter,
                QRectF(row.left(), row.top(), key_width, row_h),
                keys,
                key_font,
                self.theme.color("accent"),
                drawing.ALIGN_LEFT,
                wrap=False,
            )
            drawing.draw_text(
                painter,
                QRectF(row.left() + key_width, row.top(), row.width() - key_width, row_h),
                action,
                text_font,
                self.theme.color("text"),
                drawing.ALIGN_LEFT,
                wrap=False,
            )
        if problems_h:
            area = QRectF(box.left() + m.vmin * 4, top + rows * row_h, box.width() - m.vmin * 8, problems_h)
            self._paint_problems(painter, m, area)
        if pairing_w:  # a column right of the keys
            column = QRectF(title_box.right() + m.vmin * 2, box.top() + m.vmin * 4, pairing_w - m.vmin * 4,
                            box.height() - m.vmin * 8)
            self._paint_pairing(painter, m, column)
        elif pairing_h:  # a row under the keys and problems
            below = top + rows * row_h + problems_h + m.vmin
            self._paint_pairing(painter, m, QRectF(box.left() + m.vmin * 4, below, box.width() - m.vmin * 8,
                                                   pairing_h - m.vmin * 2))
        foot = QRectF(
            box.left() + m.vmin * 4, box.bottom() - m.vmin * 6.5, box.width() - m.vmin * 8, m.vmin * 4
        )
        drawing.draw_text(
            painter,
            foot,
            MOUSE_HELP,
            self.theme.font(m.vmin * 1.7),
            self.theme.color("muted"),
            drawing.ALIGN_LEFT,
            wrap=True,
        )

    def _problem_lines(self) -> list[str]:
        lines = list(self.state.problems[:HELP_PROBLEM_LINES])
        if len(self.state.problems) > HELP_PROBLEM_LINES:
            more = len(self.state.problems) - HELP_PROBLEM_LINES
            lines.append(f"… 还有 {more} 处 (见日志) {more} more in the log")
        return lines

    def _problems_height(self, m: Metrics) -> float:
        lines = self._problem_lines()
        return m.vmin * (5.5 + 3.0 * len(lines)) if lines else 0.0

    def _paint_problems(self, painter: QPainter, m: Metrics, rect: QRectF) -> None:
        """The operator's view of a broken playlist: what is wrong and where."""
        heading = QRectF(rect.left(), rect.top() + m.vmin * 1.0, rect.width(), m.vmin * 3.5)
        drawing.draw_text(
            painter,
            heading,
            "播放列表问题  Playlist problems (仍在播放上一版)",
            self.theme.font(m.vmin * 2.1, QFont.Weight.Bold),
            self.theme.color("bad"),
            drawing.ALIGN_LEFT,
            wrap=False,
        )
        font = self.theme.font(m.vmin * 1.6)
        for index, line in enumerate(self._problem_lines()):
            top = heading.bottom() + m.vmin * (0.5 + 3.0 * index)
            row = QRectF(rect.left(), top, rect.width(), m.vmin * 3.0)
            drawing.draw_text(
                painter, row, line, font, self.theme.color("text"), drawing.ALIGN_LEFT, wrap=False
            )


class ProgressBar(QWidget):
    """A thin strip for the current slide's time; opaque, so updates stay cheap."""

    #: the shortest time between two steps of the bar (30 a second)
    STEP_MS = 33

    def __init__(self, theme: Theme, progress: Callable[[], float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._progress = progress
        self._shown_pixels = -1
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)

    def run(self, seconds_left: float | None) -> None:
        """Animate while the slide's time runs; repaint only when a pixel changes, and
        at most STEP_MS apart (a thin bar moving a few pixels a step reads as smooth; at
        60 steps a second on 5 s slides it was most of a show's frames)."""
        self.refresh()
        if seconds_left is None or seconds_left <= 0 or self.width() <= 0:
            self._timer.stop()
            return
        pixels_left = max(1.0, self.width() * (1.0 - self._progress()))
        self._timer.start(max(self.STEP_MS, min(1000, round(seconds_left * 1000 / pixels_left))))

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        pixels = round(self.width() * self._progress())
        if pixels != self._shown_pixels:
            # Only the pixels that change colour (the bar grows, or starts again).
            low, high = sorted((max(0, self._shown_pixels), pixels))
            self._shown_pixels = pixels
            self.update(QRect(low, 0, high - low + 1, self.height()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        track = QColor(self.theme.spec.colors.background_top)
        track = track.darker(140) if self.theme.spec.dark else track.darker(108)
        painter.fillRect(self.rect(), track)
        pixels = max(0, self._shown_pixels)
        painter.fillRect(0, 0, pixels, self.height(), self.theme.color("accent"))
        painter.end()


class ThumbnailSource(Protocol):
    """What the overview needs to know of the slides (kiosk/thumbnails.py)."""

    def count(self) -> int: ...
    def label(self, position: int) -> str: ...
    def cached(self, position: int, width: int, height: int) -> QImage | None: ...
    def render(self, position: int, width: int, height: int) -> QImage: ...


class _NoSlides:
    def count(self) -> int:
        return 0

    def label(self, position: int) -> str:
        return ""

    def cached(self, position: int, width: int, height: int) -> QImage | None:
        return None

    def render(self, position: int, width: int, height: int) -> QImage:
        return QImage()


class OverviewWidget(QWidget):
    """A grid of slide thumbnails, a page at a time; arrows and Enter (or a click) pick
    one, PageUp/PageDown (and arrows past a page's edge) turn pages.

    It opens at once whatever the playlist's length: a page's cells are painted with the
    thumbnails already made and the missing ones are rendered one per turn of the event
    loop, at the size of their cell, for the page on screen only."""

    chosen = Signal(int)  # position in the rotation
    closed = Signal()

    #: the most rows a page has (landscape, portrait): cells stay big enough to read
    #: (a portrait screen's cells are portrait too, so three rows of them fill it)
    MAX_ROWS = (4, 3)
    #: the most columns (landscape, portrait)
    MAX_COLUMNS = (6, 3)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.source: ThumbnailSource = _NoSlides()
        self.selected = 0
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._fill = QTimer(self)  # renders the page's missing thumbnails, one per turn
        self._fill.setInterval(0)
        self._fill.timeout.connect(self._render_next)
        self.hide()

    def open(self, source: ThumbnailSource, selected: int) -> None:
        self.source = source
        self.selected = max(0, min(selected, self.count() - 1))
        self.raise_()
        self.show()
        self._page_changed()

    def count(self) -> int:
        return self.source.count()

    def hideEvent(self, event: QHideEvent) -> None:
        self._fill.stop()
        super().hideEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible():  # new cell sizes: the page's thumbnails are made again
            self._page_changed()

    # ------------------------------------------------------------ the grid

    def _portrait(self) -> bool:
        return self.height() > self.width()

    def columns(self) -> int:
        """Fewer, bigger cells for a short playlist; at most MAX_COLUMNS."""
        count = max(1, self.count())
        portrait = self._portrait()
        most = self.MAX_COLUMNS[portrait]
        for columns in range(2 if portrait else 3, most + 1):
            rows = -(-count // columns)
            if rows <= columns * (1.6 if portrait else 0.75):
                return columns
        return most

    def rows(self) -> int:
        return max(1, min(self.MAX_ROWS[self._portrait()], -(-max(1, self.count()) // self.columns())))

    def per_page(self) -> int:
        return self.columns() * self.rows()

    def page(self) -> int:
        return self.selected // self.per_page()

    def pages(self) -> int:
        return max(1, -(-self.count() // self.per_page()))

    def page_positions(self) -> range:
        first = self.page() * self.per_page()
        return range(first, min(self.count(), first + self.per_page()))

    def _area(self, m: Metrics) -> QRectF:
        area = m.safe_rect().adjusted(m.vmin * 5, m.vmin * 11, -m.vmin * 5, -m.vmin * 4)
        return QRectF(area.left(), area.top(), max(0.0, area.width()), max(0.0, area.height()))

    def cell_rects(self) -> list[QRectF]:
        """The cells of the page on screen, in order; never of negative size."""
        m = Metrics(self.width(), self.height(), self.theme.spec.overscan)
        area = self._area(m)
        columns, rows = self.columns(), self.rows()
        gap = m.vmin * 1.6
        label_h = m.vmin * 3.2
        # Thumbnails in the screen's own shape: a portrait slide shrunk into a 16:9 cell
        # was a strip with its labels cut to four characters.
        shape = self.height() / self.width() if self.width() > 0 else 9 / 16
        cell_w = max(0.0, (area.width() - gap * (columns - 1)) / columns)
        cell_h = cell_w * shape + label_h
        if rows * cell_h + (rows - 1) * gap > area.height():
            cell_h = max(0.0, (area.height() - gap * (rows - 1)) / rows)
            cell_w = max(0.0, min(cell_w, (cell_h - label_h) / shape))
        used_w = columns * cell_w + (columns - 1) * gap
        left = area.left() + max(0.0, area.width() - used_w) / 2
        return [
            QRectF(
                left + (i % columns) * (cell_w + gap),
                area.top() + (i // columns) * (cell_h + gap),
                cell_w,
                cell_h,
            )
            for i in range(len(self.page_positions()))
        ]

    def _image_rect(self, cell: QRectF) -> QRectF:
        m = Metrics(self.width(), self.height(), self.theme.spec.overscan)
        return QRectF(cell.left(), cell.top(), cell.width(), max(0.0, cell.height() - m.vmin * 3.2))

    def _thumb_size(self) -> tuple[int, int]:
        cells = self.cell_rects()
        if not cells:
            return 0, 0
        box = self._image_rect(cells[0])
        return math.floor(box.width()), math.floor(box.height())

    # ------------------------------------------------------------ thumbnails on demand

    def _page_changed(self) -> None:
        self.update()
        self._fill.start()

    def _render_next(self) -> None:
        """Render one missing thumbnail of the page on screen, then let the loop turn."""
        width, height = self._thumb_size()
        if not self.isVisible() or width < 1 or height < 1:
            self._fill.stop()
            return
        for index, position in enumerate(self.page_positions()):
            if self.source.cached(position, width, height) is None:
                self.source.render(position, width, height)
                cells = self.cell_rects()
                self.update(self._image_rect(cells[index]).toAlignedRect().adjusted(-4, -4, 4, 4))
                return
        self._fill.stop()

    # ------------------------------------------------------------ input

    def select(self, position: int) -> None:
        """Select a position (clamped); a page turn brings that page's thumbnails."""
        if self.count() == 0:
            return
        page = self.page()
        self.selected = max(0, min(position, self.count() - 1))
        if self.page() != page:
            self._page_changed()
        else:
            self.update()

    def move_selection(self, dx: int, dy: int) -> None:
        target = self.selected + dx + dy * self.columns()
        if 0 <= target < self.count():
            self.select(target)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        key = Qt.Key(event.key())
        if key in moves:
            self.move_selection(*moves[key])
        elif key == Qt.Key.Key_PageDown:
            self.select(self.selected + self.per_page())
        elif key == Qt.Key.Key_PageUp:
            self.select(self.selected - self.per_page())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.hide()
            self.chosen.emit(self.selected)
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_O, Qt.Key.Key_Tab):
            self.hide()
            self.closed.emit()
        elif key == Qt.Key.Key_Home:
            self.select(0)
        elif key == Qt.Key.Key_End:
            self.select(self.count() - 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for position, rect in zip(self.page_positions(), self.cell_rects(), strict=True):
            if rect.contains(event.position()):
                self.selected = position
                self.hide()
                self.chosen.emit(position)
                return

    def wheelEvent(self, event: QWheelEvent) -> None:
        step = -1 if event.angleDelta().y() > 0 else 1
        self.select(self.selected + step * self.per_page())

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        rect = QRectF(self.rect())
        self.theme.paint_background(painter, rect)
        painter.fillRect(rect, QColor(0, 0, 0, 90 if self.theme.spec.dark else 20))
        m = Metrics(self.width(), self.height(), self.theme.spec.overscan)
        safe = m.safe_rect()
        title = QRectF(
            safe.left() + m.vmin * 5, safe.top() + m.vmin * 3.5, safe.width() - m.vmin * 10, m.vmin * 5
        )
        heading = "总览  Overview"
        if self.pages() > 1:
            heading += f"   {self.page() + 1} / {self.pages()}"
        drawing.draw_text(
            painter,
            title,
            heading,
            self.theme.font(m.vmin * 3.4, QFont.Weight.Bold),
            self.theme.color("text"),
            drawing.ALIGN_LEFT,
            wrap=False,
        )
        hint = "方向键选择 · Enter 播放 · Esc 返回"
        if self.pages() > 1:
            hint = "PgUp/PgDn 翻页 · " + hint
        drawing.draw_text(
            painter,
            title,
            hint,
            self.theme.font(m.vmin * 1.8),
            self.theme.color("muted"),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            wrap=False,
        )
        label_font = self.theme.font(m.vmin * 1.6)
        size = self._thumb_size()
        for position, cell in zip(self.page_positions(), self.cell_rects(), strict=True):
            if cell.intersects(QRectF(event.rect())):
                self._paint_cell(painter, m, position, cell, label_font, size)
        painter.end()

    def _paint_cell(
        self, painter: QPainter, m: Metrics, position: int, cell: QRectF, font: QFont, size: tuple[int, int]
    ) -> None:
        image_rect = self._image_rect(cell)
        image = self.source.cached(position, *size) if min(size) >= 1 else None
        if image is not None and not image.isNull():
            drawing.draw_image_contain(painter, image_rect, image)
        else:  # not rendered yet: a quiet placeholder, filled in a moment
            painter.fillRect(image_rect, drawing.with_alpha(self.theme.color("muted"), 0.12))
        selected = position == self.selected
        pen = QPen(
            self.theme.color("accent") if selected else drawing.with_alpha(self.theme.color("muted"), 0.35),
            m.vmin * (0.5 if selected else 0.12),
        )
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(image_rect, m.vmin * 0.4, m.vmin * 0.4)
        label = f"{position + 1}  {self.source.label(position)}"
        color = self.theme.color("text") if selected else self.theme.color("muted")
        drawing.draw_text(
            painter,
            QRectF(cell.left(), image_rect.bottom() + m.vmin * 0.4, cell.width(), m.vmin * 2.8),
            label,
            font,
            color,
            drawing.ALIGN_LEFT,
            wrap=False,
        )
