"""The presenter view: a second window for whoever speaks beside the wall (issue 15).

It shows the slide on air as the wall shows it, the next slide's final frame, the slide's
notes (never shown on the wall), the slide's number and id, the time left on it and in the
loop, the time since the show started, the wall clock, the show's state, and a strip of
every slide to jump to. It reads the show only from the player's snapshots and acts only
through the command layer: keys, clicker, mouse and touch work here as on the wall, and
what the presenter view draws for its own use (go-to entry, help, overview) stays here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QFont, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk import drawing
from kiosk.commands import Command
from kiosk.dialogs import ShowDialogs
from kiosk.input import ShowInput
from kiosk.overlays import OverlayWidget, OverviewWidget
from kiosk.player import Snapshot
from kiosk.playlist.model import SlideBase
from kiosk.presenter.layout import PresenterLayout, presenter_layout
from kiosk.presenter.panes import BACKGROUND, MUTED, PANEL, TEXT, LivePane, SlidePictures, SlideStrip
from kiosk.presenter.screens import PresenterPlacement
from kiosk.slides import build_view
from kiosk.slides.breaks import wrapped_lines
from kiosk.stage import Build
from kiosk.theme import Theme

if TYPE_CHECKING:
    from kiosk.window import ShowWindow

log = logging.getLogger(__name__)

#: the live pane follows the wall's animations at up to this many frames a second
FRAME_MS = 16
#: the clocks and the slide's time bar
TICK_MS = 250
#: notes are set no smaller than this share of the window's shorter side (2.6 % is
#: 28 px at 1080: readable at arm's length on a lectern monitor)
NOTES_MIN, NOTES_MAX = 2.6, 4.4
#: the time left turns amber from this many seconds on
URGENT_SECONDS = 10


def clock_text(seconds: float) -> str:
    """'4:05', or '1:02:03' from an hour on."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class PresenterState:
    """What the presenter view shows, in words: drawn from, and tested through, this."""

    counter: str  # "3 / 24"
    slide_id: str
    label: str  # the slide's title or first label
    notes: str
    time_left: str  # "0:12", or what stands still ("已暂停")
    seconds_left: float | None  # the same in seconds while the slide's time runs
    slide_progress: float  # 0..1 of the slide's time used
    loop_left: str  # "本轮还剩 5:20" or ""
    elapsed: str  # since the show started
    clock: str  # the wall clock, "19:45:12"
    badges: tuple[str, ...]  # the show's state: on air, paused, black wall, problems...
    next_label: str
    goto: str | None  # the go-to entry typed here, None when closed


def badges_of(snapshot: Snapshot) -> tuple[str, ...]:
    found = []
    if snapshot.blacked:
        found.append("大屏黑屏 WALL BLACK")
    if snapshot.paused:
        found.append("已暂停 PAUSED")
    if snapshot.ended:
        found.append("播放结束 END")
    if snapshot.problems:
        found.append(f"播放单有误 {len(snapshot.problems)} PROBLEMS")
    if snapshot.reload_waiting:
        found.append("新版本待切换 UPDATE WAITING")
    return tuple(found) or ("播放中 ON AIR",)


class PresenterWindow(ShowDialogs, QWidget):
    """The presenter's window; `note` says why it is a window (one screen only)."""

    def __init__(
        self,
        show: ShowWindow,
        *,
        build: Build = build_view,
        now: Callable[[], datetime] = datetime.now,
        note: str = "",
    ) -> None:
        super().__init__()
        self.show_window = show
        self.player = show.player
        self.now = now
        self.note = note
        self.snapshot = self.player.snapshot()
        self.started_at = self.player.clock()  # the show started when its presenter did
        self.setWindowTitle("kiosk 演讲者视图 Presenter view")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.live = LivePane(show.stage, show, self, blacked=lambda: self.snapshot.blacked)
        self.pictures = SlidePictures(build, lambda: show.stage.context_for(self.snapshot.playlist))
        self.thumbnails = show.thumbnails  # one cache for the strip, the overview and the wall's
        self.strip = SlideStrip(self.thumbnails, lambda: self.theme, self)
        self.strip.chosen.connect(lambda position: self.run(Command.GOTO, str(position + 1)))
        self.overview = OverviewWidget(self.theme, self)
        self.overview.chosen.connect(lambda position: self.run(Command.GOTO, str(position + 1)))
        self.overview.closed.connect(self.setFocus)
        self.overlay = OverlayWidget(self.theme, self, lock=show.lock)  # go-to entry and help
        self.input = ShowInput(self, clock=self.player.clock, intercept=self.modal_key, hide_cursor=False)
        self.input.command.connect(self.run)
        self.input.goto_changed.connect(
            lambda text, error: self.overlay.set_state(goto_text=text, goto_error=error)
        )
        self._moving = False
        self._pump = self._timer(FRAME_MS, self._frame)
        self._ticks = self._timer(TICK_MS, self._tick)
        self._ticks.start()
        self.placement = PresenterPlacement(self, show, lambda: show.placement.target_screen().name())
        self.player.subscribe(self.on_snapshot)
        show.stage.entered.connect(self._wake)
        show.quit_requested.connect(self._show_ended)
        self.strip.follow(self.snapshot.position)

    def _timer(self, interval: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval)
        timer.timeout.connect(slot)
        return timer

    @property
    def theme(self) -> Theme:
        return self.show_window.theme  # a reloaded theme reaches the presenter too

    def layout_now(self) -> PresenterLayout:
        wall = self.show_window
        aspect = wall.width() / wall.height() if wall.width() > 0 and wall.height() > 0 else 16 / 9
        return presenter_layout(self.width(), self.height(), aspect)

    # ------------------------------------------------------------ the show's state

    def on_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.strip.follow(snapshot.position)
        for layer in (self.overlay, self.overview):
            layer.theme = self.theme
        self.update()
        self._wake()

    def state(self) -> PresenterState:
        snapshot = self.snapshot
        clock = self.player.clock()
        slide = snapshot.slide
        progress = snapshot.progress(clock)
        seconds_left = self._running_left(snapshot.time_left, snapshot, clock)
        return PresenterState(
            counter=snapshot.counter,
            slide_id=(slide.id or "") if slide is not None else "",
            label=slide.label_for_humans() if slide is not None else "",
            notes=str(slide.notes or "") if slide is not None else "",
            time_left=self._time_left(snapshot, seconds_left),
            seconds_left=seconds_left,
            slide_progress=progress,
            loop_left=self._loop_left(snapshot, clock),
            elapsed=clock_text(clock - self.started_at),
            clock=self.now().strftime("%H:%M:%S"),
            badges=badges_of(snapshot),
            next_label=snapshot.next_slide.label_for_humans() if snapshot.next_slide is not None else "",
            goto=self.overlay.state.goto_text,
        )

    @staticmethod
    def _running_left(left: float | None, snapshot: Snapshot, clock: float) -> float | None:
        if left is None:
            return None
        return max(0.0, left - (clock - snapshot.taken_at))

    @staticmethod
    def _time_left(snapshot: Snapshot, left: float | None) -> str:
        if left is not None:
            return clock_text(left)
        if snapshot.ended:
            return "结束"
        if snapshot.held:
            used = snapshot.elapsed
            return f"{clock_text(max(0.0, snapshot.duration - used))} 停"
        return "手动"  # nothing advances by itself (a rehearsal, the idle slide)

    def _loop_left(self, snapshot: Snapshot, clock: float) -> str:
        left = self._running_left(snapshot.loop_left, snapshot, clock)
        return "" if left is None else f"本轮还剩 {clock_text(left)}"

    # ------------------------------------------------------------ commands

    def run(self, command: Command, argument: str = "") -> None:
        """A command given here: the presenter's own view things stay here, the rest go
        to the show (the wall), exactly as if given there."""
        if command is Command.GOTO:
            # Straight to the player: a jump from here leaves a black wall black, so the
            # presenter can line up the next slide unseen, then bring the picture back with B.
            self.go_to(argument)
        elif command is Command.OVERVIEW:
            self.open_overview()
        elif command is Command.HELP:
            self.overlay.set_state(help=not self.overlay.state.help)
        elif command is Command.FULLSCREEN:
            self.placement.toggle_fullscreen()
        else:
            self.show_window.run(command, argument)

    # ------------------------------------------------------------ keeping up with the wall

    def wall_moving(self) -> bool:
        stage = self.show_window.stage
        view = stage.view
        return stage.transition.isVisible() or (view is not None and view.is_animating())

    def _wake(self) -> None:
        if not self._pump.isActive():
            self._pump.start()

    def _frame(self) -> None:
        """One turn of the pump: follow the wall while it moves; when it is still, make
        one picture that is missing; when nothing is left, sleep until the next change."""
        if not self.isVisible():
            self._pump.stop()
            return
        if self.wall_moving():
            self._moving = True
            self.live.follow()
            return
        if self._moving:
            self._moving = False
            self.live.update()  # the final frame
            return
        if not self._make_one_picture():
            self._pump.stop()

    def _coming_slides(self) -> list[SlideBase]:
        """The next slide and the one after it (made ahead, so Next shows one at once)."""
        snapshot = self.snapshot
        coming: list[SlideBase] = []
        if snapshot.next_slide is not None:
            coming.append(snapshot.next_slide)
        if snapshot.position is not None and snapshot.count > 2:
            coming.append(snapshot.slide_at((snapshot.position + 2) % snapshot.count))
        return coming

    def _make_one_picture(self) -> bool:
        width, height = self._next_size()
        for slide in self._coming_slides():
            if self.pictures.cached(slide, width, height) is None:
                self.pictures.render(slide, width, height)
                self.update(self.layout_now().next.toAlignedRect())
                return True
        missing = self.strip.missing()
        if missing is not None:
            self.strip.make(missing)
            return True
        return False

    def _next_size(self) -> tuple[int, int]:
        rect = self.layout_now().next
        return max(1, round(rect.width())), max(1, round(rect.height()))

    def _tick(self) -> None:
        if self.isVisible():
            layout = self.layout_now()
            self.update(layout.header.toAlignedRect())
            self.update(layout.timing.toAlignedRect())
            self.live.update()  # the wall's progress bar and status row, a few times a second

    def _show_ended(self) -> None:
        self.placement.release()
        self.close()

    # ------------------------------------------------------------ geometry and painting

    def resizeEvent(self, event: QResizeEvent) -> None:
        layout = self.layout_now()
        self.live.setGeometry(layout.live.toAlignedRect())
        self.strip.setGeometry(layout.strip.toAlignedRect())
        for layer in (self.overlay, self.overview):
            layer.setGeometry(self.rect())
        self._wake()
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._pump.stop()
        self._ticks.stop()
        self.input.close()
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.fillRect(event.rect(), BACKGROUND)
            layout, state = self.layout_now(), self.state()
            self._paint_header(painter, layout, state)
            self._paint_labels(painter, layout, state)
            self._paint_timing(painter, layout, state)
            self._paint_next(painter, layout, state)
            self._paint_notes(painter, layout, state)
        finally:
            painter.end()

    def _label(
        self, painter: QPainter, layout: PresenterLayout, box: QRectF, title: str, detail: str = ""
    ) -> None:
        row = QRectF(box.left(), box.top() - layout.label_height, box.width(), layout.label_height * 0.85)
        font = self.theme.font(layout.vmin * 1.9, QFont.Weight.Bold)
        drawing.draw_text(painter, row, title, font, self.theme.color("accent"), wrap=False)
        if detail:
            width = drawing.text_size(title, font)[0] + layout.vmin * 1.5
            rest = QRectF(row.left() + width, row.top(), row.width() - width, row.height())
            drawing.draw_text(painter, rest, detail, self.theme.font(layout.vmin * 1.9), MUTED, wrap=False)

    def _paint_header(self, painter: QPainter, layout: PresenterLayout, state: PresenterState) -> None:
        header, vmin = layout.header, layout.vmin
        clock_font = self.theme.number_font(vmin * 4.2)
        clock_width = drawing.text_size("00:00:00", clock_font)[0] + vmin
        clock_box = QRectF(header.right() - clock_width, header.top(), clock_width, header.height())
        drawing.draw_text(painter, clock_box, state.clock, clock_font, TEXT, drawing.ALIGN_LEFT, wrap=False)
        right = clock_box.left() - vmin * 2
        for badge in reversed(state.badges):
            right = self._paint_badge(painter, layout, badge, right) - vmin
        title_font = self.theme.font(vmin * 3.0, QFont.Weight.Bold)
        counter = f"{state.counter}   {state.label}" if state.counter else "待机 IDLE"
        left_box = QRectF(
            header.left(), header.top(), max(0.0, right - header.left() - vmin), header.height() * 0.62
        )
        drawing.draw_text(painter, left_box, counter, title_font, TEXT, wrap=False)
        detail = f"id: {state.slide_id}" if state.slide_id else ""
        if self.note:
            detail = f"{detail}   {self.note}" if detail else self.note
        detail_box = QRectF(left_box.left(), left_box.bottom(), left_box.width(), header.height() * 0.38)
        drawing.draw_text(painter, detail_box, detail, self.theme.font(vmin * 1.9), MUTED, wrap=False)

    def _paint_badge(self, painter: QPainter, layout: PresenterLayout, text: str, right: float) -> float:
        vmin = layout.vmin
        font = self.theme.font(vmin * 2.0, QFont.Weight.Bold)
        width = drawing.text_size(text, font)[0] + vmin * 2.4
        height = vmin * 4.0
        box = QRectF(right - width, layout.header.center().y() - height / 2, width, height)
        alarm = text.startswith(("大屏黑屏", "播放单有误"))
        calm = text.startswith("播放中")
        fill = QColor("#c62828") if alarm else (PANEL if calm else QColor("#b26a00"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(box, height / 2, height / 2)
        drawing.draw_text(painter, box, text, font, TEXT, drawing.ALIGN_CENTER, wrap=False)
        return box.left()

    def _paint_labels(self, painter: QPainter, layout: PresenterLayout, state: PresenterState) -> None:
        self._label(painter, layout, layout.live, "现在 · 大屏", "ON AIR")

    def _paint_timing(self, painter: QPainter, layout: PresenterLayout, state: PresenterState) -> None:
        box, vmin = layout.timing, layout.vmin
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(PANEL)
        painter.drawRoundedRect(box, vmin, vmin)
        inner = box.adjusted(vmin * 2, vmin * 1.2, -vmin * 2, -vmin * 1.2)
        left_font = self.theme.number_font(min(inner.height() * 0.62, vmin * 8))
        left_width = drawing.text_size("0:00:00", left_font)[0]
        number = QRectF(inner.left(), inner.top(), left_width, inner.height() * 0.72)
        urgent = state.seconds_left is not None and state.seconds_left <= URGENT_SECONDS
        drawing.draw_text(
            painter, number, state.time_left, left_font, QColor("#ffb74d") if urgent else TEXT, wrap=False
        )
        small = self.theme.font(vmin * 1.9)
        caption = QRectF(inner.left(), number.bottom(), left_width, inner.bottom() - number.bottom())
        drawing.draw_text(painter, caption, "本张剩余 LEFT", small, MUTED, wrap=False)
        side = QRectF(
            number.right() + vmin * 3, inner.top(), inner.right() - number.right() - vmin * 3, inner.height()
        )
        bar = QRectF(side.left(), side.top() + side.height() * 0.18, side.width(), max(4.0, vmin * 0.9))
        painter.setBrush(QColor("#2c3340"))
        painter.drawRoundedRect(bar, bar.height() / 2, bar.height() / 2)
        done = QRectF(bar.left(), bar.top(), bar.width() * state.slide_progress, bar.height())
        painter.setBrush(self.theme.color("accent"))
        painter.drawRoundedRect(done, bar.height() / 2, bar.height() / 2)
        font = self.theme.font(vmin * 2.4, QFont.Weight.Medium)
        rows = [f"已放映 {state.elapsed}", state.loop_left or " "]
        row_height = (side.bottom() - bar.bottom() - vmin) / len(rows)
        for i, text in enumerate(rows):
            row = QRectF(side.left(), bar.bottom() + vmin + i * row_height, side.width(), row_height)
            drawing.draw_text(painter, row, text, font, TEXT if i == 0 else MUTED, wrap=False)

    def _paint_next(self, painter: QPainter, layout: PresenterLayout, state: PresenterState) -> None:
        box = layout.next
        self._label(painter, layout, box, "下一张", f"NEXT  {state.next_label}")
        slide = self.snapshot.next_slide
        if slide is None:
            painter.fillRect(box, PANEL)
            text = "之后结束 · END OF SHOW" if self.snapshot.slide is not None else ""
            drawing.draw_text(
                painter, box, text, self.theme.font(layout.vmin * 2.4), MUTED, drawing.ALIGN_CENTER
            )
            return
        image = self.pictures.cached(slide, *self._next_size())
        if image is None:
            painter.fillRect(box, PANEL)  # made within a moment, once the wall is still
            return
        painter.drawImage(box, image)

    def _paint_notes(self, painter: QPainter, layout: PresenterLayout, state: PresenterState) -> None:
        box, vmin = layout.notes, layout.vmin
        self._label(painter, layout, box, "备注", "NOTES")
        if not state.notes:
            drawing.draw_text(
                painter, box, "（本张没有备注）", self.theme.font(vmin * 2.4), MUTED, drawing.ALIGN_TOP_LEFT
            )
            return
        font = self.notes_font(state.notes, box)
        text = "\n".join(wrapped_lines(state.notes, font, box.width()))
        drawing.draw_text(painter, box, text, font, TEXT, drawing.ALIGN_TOP_LEFT)

    def notes_font(self, notes: str, box: QRectF) -> QFont:
        """As large as the box allows, between NOTES_MIN and NOTES_MAX of the shorter side."""
        vmin = min(self.width(), self.height()) / 100
        return drawing.fit_font(
            lambda px: self.theme.font(px, QFont.Weight.Medium),
            notes,
            box,
            vmin * NOTES_MAX,
            vmin * NOTES_MIN,
        )
