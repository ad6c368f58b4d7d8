"""The full-screen window: input -> player commands, slides -> screen, overlays on top.

It knows slides only through the contract in slides/base.py and listens to the player's
changes; the player knows nothing of it. The key map is DESIGN.md's, reveal.js-like.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import Enum, auto

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QCursor,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QScreen,
    QTouchEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import memory
from kiosk.overlays import OverlayWidget, OverviewWidget, ProgressBar
from kiosk.placement import Placement
from kiosk.player import Change, Move, Player
from kiosk.playlist.model import SlideBase
from kiosk.slides import build_view
from kiosk.slides.base import SlideContext, SlideView
from kiosk.theme import Metrics
from kiosk.thumbnails import SlideThumbnails
from kiosk.transitions import TransitionWidget

log = logging.getLogger(__name__)

CURSOR_HIDE_MS = 3000
LONG_PRESS_MS = 600
GOTO_TIMEOUT_MS = 5000
#: after a slide change, when its transition and count-up are over (memory.release_free_memory)
SETTLE_MS = 3000


class Command(Enum):
    NEXT = auto()
    PREVIOUS = auto()
    FIRST = auto()
    LAST = auto()
    GOTO = auto()
    PAUSE = auto()
    BLACK = auto()
    OVERVIEW = auto()
    HELP = auto()
    RELOAD = auto()
    FULLSCREEN = auto()
    QUIT = auto()


K = Qt.Key
KEY_MAP: dict[int, Command] = {
    **dict.fromkeys(
        [K.Key_Right, K.Key_Down, K.Key_PageDown, K.Key_Space, K.Key_Return, K.Key_Enter, K.Key_N],
        Command.NEXT,
    ),
    **dict.fromkeys([K.Key_Left, K.Key_Up, K.Key_PageUp, K.Key_Backspace, K.Key_P], Command.PREVIOUS),
    K.Key_Home: Command.FIRST,
    K.Key_End: Command.LAST,
    K.Key_G: Command.GOTO,
    **dict.fromkeys(
        [K.Key_A, K.Key_K, K.Key_Pause, K.Key_MediaPause, K.Key_MediaTogglePlayPause], Command.PAUSE
    ),
    **dict.fromkeys([K.Key_B, K.Key_Period], Command.BLACK),
    **dict.fromkeys([K.Key_O, K.Key_Tab], Command.OVERVIEW),
    **dict.fromkeys([K.Key_Question, K.Key_H, K.Key_F1], Command.HELP),
    **dict.fromkeys([K.Key_R, K.Key_F5], Command.RELOAD),
    **dict.fromkeys([K.Key_F, K.Key_F11], Command.FULLSCREEN),
    **dict.fromkeys([K.Key_Escape, K.Key_Q], Command.QUIT),
}


class ShowWindow(QWidget):
    """The window the audience sees."""

    reload_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        player: Player,
        context: SlideContext,
        *,
        lock: bool = False,
        build: Callable[[SlideBase, SlideContext, QWidget], SlideView] = build_view,
    ) -> None:
        super().__init__()
        self.player = player
        self.context = context
        self.theme = context.theme
        self.lock = lock
        self._build = build
        self.view: SlideView | None = None
        self._wheel_accumulated = 0
        self._press_started: float | None = None
        self._touch_start: tuple[QPointF, float] | None = None
        self._cursor_hidden = False
        self.cursor_hide_ms = CURSOR_HIDE_MS
        self.setWindowTitle(player.playlist.title or "kiosk")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setMouseTracking(True)
        self._black_palette()
        self.transition = TransitionWidget(self)
        self.transition.finished.connect(self._transition_done)
        self.overlay = OverlayWidget(self.theme, self, lock=lock)
        self.progress = ProgressBar(self.theme, player.progress, self)
        self.progress.setVisible(self.theme.spec.progress_bar)
        self.overview = OverviewWidget(self.theme, self)
        self.overview.chosen.connect(self._overview_chosen)
        self.overview.closed.connect(self.setFocus)
        self.black = QWidget(self)
        self.black.setAutoFillBackground(True)
        self.black.setPalette(QPalette(QColor("black")))
        self.black.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.black.hide()
        self._tick_timer = self._single_shot(self._tick)
        self._cursor_timer = self._single_shot(self._hide_cursor)
        self._long_press_timer = self._single_shot(self._long_press)
        self._goto_timer = self._single_shot(self._cancel_goto)
        self._schedule_timer = self._single_shot(self._schedule_due)
        self._settle_timer = self._single_shot(memory.release_free_memory)
        self.goto_buffer: str | None = None
        # Made on demand for the overview's page on screen, in a cache bounded in bytes.
        self.thumbnails = SlideThumbnails(player, context, build)
        # Which screen, full screen or not, and the lock's hold on both.
        self.placement = Placement(self, lock=lock)
        player.subscribe(self.on_change)
        QApplication.instance().installEventFilter(self)
        self._cursor_timer.start(self.cursor_hide_ms)

    def _single_shot(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    def _black_palette(self) -> None:
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    # ------------------------------------------------------------ placing on a screen

    def show_on(
        self, screen: QScreen | None, *, fullscreen: bool, size: tuple[int, int] | None = None
    ) -> None:
        """Full-screen or windowed on `screen` (kiosk/placement.py does the work)."""
        self.placement.show_on(screen, fullscreen=fullscreen, size=size)

    def toggle_fullscreen(self) -> None:
        self.placement.toggle_fullscreen()

    # ------------------------------------------------------------ the player's changes

    def on_change(self, change: Change) -> None:
        if change.move is Move.STATE and self.view is not None:
            self._refresh_chrome()
            return
        if change.move is Move.RELOAD and self.view is not None and self.view.model is change.slide:
            self._refresh_chrome()
            return
        self.show_slide(change.slide, change.move)

    def show_slide(self, slide: SlideBase | None, move: Move) -> None:
        """Build the slide's view and bring it on with its transition."""
        self.transition.finish()
        new_view = self._make_view(slide)
        if new_view is None:
            return  # the player moved on to another slide already
        old_view, self.view = self.view, new_view
        new_view.setGeometry(self.rect())
        new_view.set_progress(0.0)
        spec = self.player.playlist.transition_of(slide) if slide is not None else None
        animate = (
            old_view is not None
            and spec is not None
            and spec.type != "none"
            and spec.duration > 0
            and self.isVisible()
            and move in (Move.NEXT, Move.PREVIOUS, Move.JUMP)
        )
        if animate:
            old_picture = old_view.grab()
            new_picture = new_view.grab()
            direction = -1 if move is Move.PREVIOUS else 1
            self.transition.setGeometry(self.rect())
            self.transition.run(old_picture, new_picture, spec.type, spec.duration, direction)
            self._raise_layers()
        else:
            new_view.show()
            self._raise_layers()
            self._enter(new_view)
        if old_view is not None:
            old_view.stop()
            old_view.hide()
            old_view.deleteLater()
        self._refresh_chrome()
        # Once the slide has settled (transition and count-up over), hand the memory the
        # old slide and the transition's pictures left free back to the system.
        self._settle_timer.start(SETTLE_MS)

    def _make_view(self, slide: SlideBase | None) -> SlideView | None:
        from kiosk.slides.idle import IdleView  # the calm slide when nothing is on air

        try:
            if slide is None:
                view = IdleView(self.player.playlist, self.context, self)
            else:
                view = self._build(slide, self.context, self)
            view.hide()
            view.setGeometry(self.rect())
            view.failed.connect(lambda: self._view_failed(view))
            return view
        except Exception:
            log.exception("slide %s could not be built; skipping it", self._slide_name(slide))
            index = self.player.current_index
            if slide is not None and index is not None:
                self.player.mark_broken(index)
            return None

    def _view_failed(self, view: SlideView) -> None:
        """A slide raised while painting or animating: skip it until the next loop."""
        if view is not self.view:
            return
        index = self.player.current_index
        if index is not None and self.player.current is view.model:
            QTimer.singleShot(0, lambda: self.player.mark_broken(index))

    def _enter(self, view: SlideView) -> None:
        try:
            view.enter()
        except Exception:
            log.exception("slide %s failed to start its animation", self._slide_name(view.model))
            view.finish()

    def _slide_name(self, slide: SlideBase | None) -> str:
        if slide is None:
            return "idle"
        return f"{(self.player.current_index or 0) + 1} ({slide.id or slide.type})"

    def _transition_done(self) -> None:
        if self.view is not None:
            self.view.show()
            self._raise_layers()
            self._enter(self.view)

    def _raise_layers(self) -> None:
        for layer in (self.transition, self.progress, self.overlay, self.overview, self.black):
            if layer.isVisible() or layer is self.overlay or layer is self.progress:
                layer.raise_()

    def _refresh_chrome(self) -> None:
        player = self.player
        count = len(player.order)
        counter = f"{player.position + 1} / {count}" if player.position is not None and count else ""
        self.overlay.set_state(counter=counter, paused=player.paused, ended=player.ended)
        self.black.setVisible(player.blacked)
        if player.blacked:
            self.black.raise_()
        left = player.time_left()
        self._tick_timer.stop()
        if left is not None:
            self._tick_timer.start(max(0, round(left * 1000)))
        if self.progress.isVisible():
            self.progress.run(left)
        self._plan_schedule_check()

    def _plan_schedule_check(self) -> None:
        """Wake when a `when` window opens or closes (at the latest every minute, so a
        wall-clock jump is noticed too); idle otherwise."""
        from kiosk.playlist.schedule import next_change

        slides = self.player.playlist.slides
        if not any(slide.when for slide in slides):
            self._schedule_timer.stop()
            return
        now = self.player.wall()
        change = next_change(slides, now)
        seconds = 60.0 if change is None else min(60.0, max(0.5, (change - now).total_seconds()))
        self._schedule_timer.start(round(seconds * 1000))

    def _schedule_due(self) -> None:
        self.player.refresh_schedule()
        self._plan_schedule_check()

    def _tick(self) -> None:
        position = (self.player.current_index, self.player.position)
        self.player.tick()
        if (self.player.current_index, self.player.position) == position:
            self._refresh_chrome()  # a timer that fired a hair early: re-arm it

    # ------------------------------------------------------------ geometry

    def resizeEvent(self, event: QResizeEvent) -> None:
        rect = self.rect()
        for widget in (self.view, self.transition, self.overlay, self.overview, self.black):
            if widget is not None:
                widget.setGeometry(rect)
        metrics = Metrics(rect.width(), rect.height(), self.theme.spec.overscan)
        safe = metrics.safe_rect()
        height = max(3, round(metrics.vmin * 0.45))
        self.progress.setGeometry(
            QRect(round(safe.left()), round(safe.bottom()) - height, round(safe.width()), height)
        )
        self.progress.run(self.player.time_left())
        super().resizeEvent(event)

    # ------------------------------------------------------------ keys

    def event(self, event: QEvent) -> bool:
        # Tab would move focus between widgets; here it opens the overview.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() == K.Key_Tab:
            self.keyPressEvent(event)
            return True
        if event.type() in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            self._touch(event)  # type: ignore[arg-type]
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers()
        if (
            key == K.Key_Q
            and modifiers & Qt.KeyboardModifier.ControlModifier
            and modifiers & Qt.KeyboardModifier.AltModifier
        ):
            self.quit()
            return
        if self.overview.isVisible():
            self.overview.keyPressEvent(event)
            return
        if self.goto_buffer is not None and self._goto_key(event):
            return
        if self.overlay.state.help and key == K.Key_Escape:
            self.overlay.set_state(help=False)
            return
        if key in (K.Key_0, K.Key_1, K.Key_2, K.Key_3, K.Key_4, K.Key_5, K.Key_6, K.Key_7, K.Key_8, K.Key_9):
            self._start_goto(event.text())
            return
        command = KEY_MAP.get(key)
        if command is None and event.text() == "?":
            command = Command.HELP
        if command is None:
            return
        # Holding a key repeats only navigation; a held B must not flicker the screen.
        if not event.isAutoRepeat() or command in (Command.NEXT, Command.PREVIOUS):
            self.run(command)

    def run(self, command: Command) -> None:
        """Carry out a command; input during a transition finishes it first."""
        self.transition.finish()
        if self.view is not None and command in (Command.NEXT, Command.PREVIOUS):
            self.view.finish()
        player = self.player
        actions: dict[Command, Callable[[], None]] = {
            Command.NEXT: player.next,
            Command.PREVIOUS: player.previous,
            Command.FIRST: player.first,
            Command.LAST: player.last,
            Command.GOTO: lambda: self._start_goto(""),
            Command.PAUSE: player.toggle_pause,
            Command.BLACK: player.toggle_black,
            Command.OVERVIEW: self.open_overview,
            Command.HELP: lambda: self.overlay.set_state(help=not self.overlay.state.help),
            Command.RELOAD: self.reload_requested.emit,
            Command.FULLSCREEN: self.toggle_fullscreen,
            Command.QUIT: self._quit_key,
        }
        if player.blacked and command not in (Command.BLACK, Command.QUIT, Command.RELOAD):
            player.toggle_black()  # any key brings the picture back, as on a projector
            if command not in (Command.NEXT, Command.PREVIOUS):
                return
        actions[command]()

    def _quit_key(self) -> None:
        if self.lock:
            log.info("quit key ignored: --lock is on (Ctrl+Alt+Q quits)")
            return
        self.quit()

    def quit(self) -> None:
        self.placement.release()
        self.quit_requested.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.placement.may_close:  # --lock: a window manager's close is refused
            log.info("close refused: --lock is on (Ctrl+Alt+Q quits)")
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)

    # ------------------------------------------------------------ go to

    def _start_goto(self, first: str) -> None:
        self.goto_buffer = first
        self.overlay.set_state(goto_text=first, goto_error="")
        self._goto_timer.start(GOTO_TIMEOUT_MS)

    def _goto_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == K.Key_Escape:
            self._cancel_goto()
        elif key in (K.Key_Return, K.Key_Enter):
            target = self.goto_buffer or ""
            if target and self.player.go_to(target):
                self._cancel_goto()
            else:
                self.overlay.set_state(goto_error=f"没有这张幻灯片 No slide '{target}'")
                self._goto_timer.start(GOTO_TIMEOUT_MS)
        elif key == K.Key_Backspace:
            self.goto_buffer = (self.goto_buffer or "")[:-1]
            self.overlay.set_state(goto_text=self.goto_buffer, goto_error="")
        elif event.text() and event.text().isprintable() and not event.text().isspace():
            self.goto_buffer = (self.goto_buffer or "") + event.text()
            self.overlay.set_state(goto_text=self.goto_buffer[-24:], goto_error="")
        else:
            return False
        self._goto_timer.start(GOTO_TIMEOUT_MS)
        return True

    def _cancel_goto(self) -> None:
        self.goto_buffer = None
        self._goto_timer.stop()
        self.overlay.set_state(goto_text=None, goto_error="")

    # ------------------------------------------------------------ overview

    def open_overview(self) -> None:
        self.overview.setGeometry(self.rect())
        self.overview.open(self.thumbnails, self.player.position or 0)
        self.overview.setFocus()

    def _overview_chosen(self, position: int) -> None:
        self.setFocus()
        self.player.go_to(position + 1)

    # ------------------------------------------------------------ mouse, wheel, touch

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_started = time.monotonic()
            self._long_press_timer.start(LONG_PRESS_MS)
        elif event.button() == Qt.MouseButton.RightButton:
            self.run(Command.PREVIOUS)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press_started is None:
            return
        self._press_started = None
        if self._long_press_timer.isActive():
            self._long_press_timer.stop()
            self.run(Command.NEXT)

    def _long_press(self) -> None:
        self._press_started = None
        self.run(Command.PAUSE)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Trackpads send many small deltas; a step is one mouse-wheel notch (120).
        self._wheel_accumulated += event.angleDelta().y()
        while abs(self._wheel_accumulated) >= 120:
            step = 120 if self._wheel_accumulated > 0 else -120
            self._wheel_accumulated -= step
            self.run(Command.PREVIOUS if step > 0 else Command.NEXT)

    def _touch(self, event: QTouchEvent) -> None:
        points = event.points()
        if not points:
            return
        position = points[0].position()
        if event.type() == QEvent.Type.TouchBegin:
            self._touch_start = (position, time.monotonic())
            self._long_press_timer.start(LONG_PRESS_MS)
            return
        if self._touch_start is None:
            return
        start, _ = self._touch_start
        dx, dy = position.x() - start.x(), position.y() - start.y()
        if abs(dx) > 20 or abs(dy) > 20:
            self._long_press_timer.stop()  # a finger that moves is not a long press
        if event.type() != QEvent.Type.TouchEnd:
            return
        self._touch_start = None
        self._long_press_timer.stop()
        if abs(dx) > max(60, self.width() * 0.06) and abs(dx) > abs(dy):
            self.run(Command.NEXT if dx < 0 else Command.PREVIOUS)

    # ------------------------------------------------------------ cursor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove:
            self._show_cursor()
        return False

    def _show_cursor(self) -> None:
        if self._cursor_hidden:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_hidden = False
        self._cursor_timer.start(self.cursor_hide_ms)

    def _hide_cursor(self) -> None:
        if not self._cursor_hidden:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._cursor_hidden = True

    @property
    def cursor_hidden(self) -> bool:
        return self._cursor_hidden
