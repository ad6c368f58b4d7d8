"""The full-screen window the audience sees: it wires the parts together.

- input (kiosk/input.py): keys, clicker, mouse and touch become commands;
- the stage (kiosk/stage.py): the slide on screen, its transition, a slide that fails;
- placement (kiosk/placement.py): which screen, full screen, and the hold of --lock;
- overlays (kiosk/overlays.py): status, help, "go to", the overview, the progress bar.

The window reads the show's state only from the player's snapshots and changes it only
through the player's commands; the player knows nothing of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QPalette, QResizeEvent, QScreen
from PySide6.QtWidgets import QWidget

from kiosk.commands import Command
from kiosk.dialogs import ShowDialogs
from kiosk.input import FORCED, ShowInput
from kiosk.overlays import OverlayWidget, OverviewWidget, ProgressBar
from kiosk.placement import Placement
from kiosk.player import Move, Player, Snapshot
from kiosk.playlist.model import Playlist
from kiosk.slides import build_view
from kiosk.slides.base import SlideContext, SlideView
from kiosk.stage import Build, Stage
from kiosk.theme import Metrics, Theme
from kiosk.thumbnails import SlideThumbnails
from kiosk.timekeeper import Timekeeper

log = logging.getLogger(__name__)


def _default_contexts(playlist: Playlist) -> SlideContext:
    from kiosk.app import slide_context

    return slide_context(playlist)


class ShowWindow(ShowDialogs, QWidget):
    """The window the audience sees."""

    reload_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        player: Player,
        context: SlideContext,
        *,
        lock: bool = False,
        build: Build = build_view,
        contexts: Callable[[Playlist], SlideContext] = _default_contexts,
    ) -> None:
        super().__init__()
        self.player = player
        self.lock = lock
        self.snapshot = player.snapshot()
        self.theme = context.theme
        self.setWindowTitle(self.snapshot.playlist.title or "kiosk")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._paint_black(self)
        self.stage = Stage(self, context, build, contexts)
        self.stage.failed.connect(player.mark_broken)
        self.stage.entered.connect(self._raise_layers)
        self.overlay = OverlayWidget(self.theme, self, lock=lock)
        self.progress = ProgressBar(self.theme, self._progress_now, self)
        self.progress.setVisible(self.theme.spec.progress_bar)
        self.overview = OverviewWidget(self.theme, self)
        self.overview.chosen.connect(lambda position: self.go_to(str(position + 1)))
        self.overview.closed.connect(self.setFocus)
        self.black = QWidget(self)
        self._paint_black(self.black)
        self.black.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.black.hide()
        self.input = ShowInput(self, clock=player.clock, intercept=self.modal_key)
        self.input.command.connect(self.run)
        self.input.goto_changed.connect(
            lambda text, error: self.overlay.set_state(goto_text=text, goto_error=error)
        )
        self.timekeeper = Timekeeper(player, self)  # the end of a slide's time, schedules
        # Made on demand for the overview's page on screen, in a cache bounded in bytes.
        self.thumbnails = SlideThumbnails(lambda: self.snapshot, self.stage.context_for, build)
        self.placement = Placement(self, lock=lock)
        player.subscribe(self.on_snapshot)

    @staticmethod
    def _paint_black(widget: QWidget) -> None:
        widget.setAutoFillBackground(True)
        widget.setPalette(QPalette(QColor("black")))

    @property
    def view(self) -> SlideView | None:
        return self.stage.view

    @property
    def transition(self) -> QWidget:
        return self.stage.transition

    @property
    def cursor_hidden(self) -> bool:
        return self.input.cursor_hidden

    # ------------------------------------------------------------ placing on a screen

    def show_on(
        self, screen: QScreen | None, *, fullscreen: bool, size: tuple[int, int] | None = None
    ) -> None:
        """Full-screen or windowed on `screen` (kiosk/placement.py does the work)."""
        self.placement.show_on(screen, fullscreen=fullscreen, size=size)

    # ------------------------------------------------------------ the show's state

    def on_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        same_slide = self.view is not None and self.view.model is snapshot.slide
        if snapshot.move is Move.START or not (snapshot.move in (Move.STATE, Move.RELOAD) and same_slide):
            self.stage.show(snapshot, animate=self.isVisible())
            self._retheme(self.stage.context.theme)
            self._raise_layers()
        self._refresh_chrome()
        self.timekeeper.follow(snapshot, new_slide=not same_slide)

    def _retheme(self, theme: Theme) -> None:
        """A reload changed the theme: the overlays take it too."""
        if theme is self.theme:
            return
        self.theme = theme
        for layer in (self.overlay, self.progress, self.overview):
            layer.theme = theme
            layer.update()
        self.progress.setVisible(theme.spec.progress_bar)

    def _refresh_chrome(self) -> None:
        snapshot = self.snapshot
        self.overlay.set_state(counter=snapshot.counter, paused=snapshot.paused, ended=snapshot.ended)
        self.black.setVisible(snapshot.blacked)
        if snapshot.blacked:
            self.black.raise_()
        if self.progress.isVisible():
            self.progress.run(snapshot.time_left)

    def _progress_now(self) -> float:
        return self.snapshot.progress(self.player.clock())

    def _raise_layers(self) -> None:
        for layer in (self.transition, self.progress, self.overlay, self.overview, self.black):
            if layer.isVisible() or layer is self.overlay or layer is self.progress:
                layer.raise_()

    # ------------------------------------------------------------ commands

    def run(self, command: Command, argument: str = "") -> None:
        """Carry out a command (from input, and later the presenter view and the API)."""
        self.stage.finish(view_too=command in (Command.NEXT, Command.PREVIOUS))
        player = self.player
        if self.snapshot.blacked and command not in (Command.BLACK, Command.QUIT, Command.RELOAD):
            player.toggle_black()  # any key brings the picture back, as on a projector
            if command not in (Command.NEXT, Command.PREVIOUS):
                return
        actions: dict[Command, Callable[[], object]] = {
            Command.NEXT: player.next,
            Command.PREVIOUS: player.previous,
            Command.FIRST: player.first,
            Command.LAST: player.last,
            Command.GOTO: lambda: self.go_to(argument),
            Command.PAUSE: player.toggle_pause,
            Command.RESUME: lambda: player.set_paused(False),
            Command.BLACK: player.toggle_black,
            Command.OVERVIEW: self.open_overview,
            Command.HELP: lambda: self.overlay.set_state(help=not self.overlay.state.help),
            Command.RELOAD: self.reload_requested.emit,
            Command.FULLSCREEN: self.placement.toggle_fullscreen,
            Command.QUIT: lambda: self._quit_command(forced=argument == FORCED),
        }
        actions[command]()

    def _quit_command(self, *, forced: bool) -> None:
        if self.lock and not forced:
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
        self.input.close()
        super().closeEvent(event)

    # ------------------------------------------------------------ geometry

    def resizeEvent(self, event: QResizeEvent) -> None:
        rect = self.rect()
        self.stage.resize(rect)
        for widget in (self.overlay, self.overview, self.black):
            widget.setGeometry(rect)
        metrics = Metrics(rect.width(), rect.height(), self.theme.spec.overscan)
        safe = metrics.safe_rect()
        height = max(3, round(metrics.vmin * 0.45))
        self.progress.setGeometry(
            QRect(round(safe.left()), round(safe.bottom()) - height, round(safe.width()), height)
        )
        self.progress.run(self.snapshot.time_left)
        super().resizeEvent(event)
