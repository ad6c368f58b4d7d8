"""Where the show's window is: on which screen, full screen or in a window, and the lock.

The window owns one Placement. It puts the window on a screen (covering it whole even
with no window manager), follows screens as they come and go, and under --lock keeps the
show full-screen and focused whatever a window manager or a stray key does: minimise,
un-fullscreen, close, a lost focus. Only `release()` (Ctrl+Alt+Q, --quit-after) ends that.

Field-tested under Xvfb with no window manager and with openbox (tests/deploy): openbox
minimises by unmapping the window (Qt: WindowStateChange to minimised and a spontaneous
Hide), and `wmctrl -b remove,fullscreen` only clears the full-screen state; showing the
window full-screen again (showFullScreen clears the minimised state too), raising and
activating it brings both back, focus included. Another window that takes the focus (a
dialog) leaves ours full-screen but deaf to Ctrl+Alt+Q: WindowDeactivate takes it back.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

#: how long after a window manager's move the lock puts the show back. Not 0: the event
#: that told us is still being handled, and a burst of them (unmap, state, focus) should
#: cost one re-placement, not three.
RESTORE_MS = 50
#: after a screen came or went, Qt moves windows off a screen that is gone once the
#: signal has been handled; re-place after that, never on a QScreen about to be deleted.
SCREENS_SETTLE_MS = 100
#: a window manager that keeps refusing full screen must not get a re-placement loop:
#: after this many restores within RESTORE_WINDOW_S the lock waits RESTORE_BACKOFF_MS.
RESTORE_BURST = 20
RESTORE_WINDOW_S = 5.0
RESTORE_BACKOFF_MS = 2000


class Placement(QObject):
    """Places `window` on a screen and, with `lock`, keeps it there full-screen."""

    def __init__(self, window: QWidget, *, lock: bool = False) -> None:
        super().__init__(window)
        self.window = window
        self.lock = lock
        #: the name of the screen the show belongs on: it returns there when that screen
        #: comes back. None follows the primary screen.
        self.wanted_screen: str | None = None
        #: whether we placed the window full-screen (the window's own state may differ
        #: for a moment while a window manager un-fullscreens or minimises it)
        self.placed_fullscreen = False
        self.released = False  # quitting on purpose: the lock lets go
        #: the show's own other windows (the presenter view): the lock lets them have the focus
        self.allies: list[QWidget] = []
        self._restores: list[float] = []
        self._restore_timer = QTimer(self)
        self._restore_timer.setSingleShot(True)
        self._restore_timer.timeout.connect(self.restore)
        self._screens_timer = QTimer(self)
        self._screens_timer.setSingleShot(True)
        self._screens_timer.timeout.connect(self.follow_screens)
        window.installEventFilter(self)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._screen_added)
        app.screenRemoved.connect(self._screens_changed)
        app.primaryScreenChanged.connect(self._screens_changed)
        for screen in app.screens():
            screen.geometryChanged.connect(self._screens_changed)

    # ------------------------------------------------------------ placing

    def show_on(
        self, screen: QScreen | None, *, fullscreen: bool, size: tuple[int, int] | None = None
    ) -> None:
        """Full-screen (frameless, covering the screen even with no window manager) or
        windowed; the screen becomes the one the show belongs on (None: the primary)."""
        self.wanted_screen = screen.name() if screen is not None else None
        self._place(screen, fullscreen=fullscreen, size=size)

    def toggle_fullscreen(self) -> None:
        if self.lock:
            log.info("full screen toggle ignored: --lock is on")
            return
        self.show_on(self.window.screen(), fullscreen=not self.placed_fullscreen)

    def release(self) -> None:
        """Quitting on purpose: stop holding the window full-screen and let it close."""
        self.released = True
        self._restore_timer.stop()
        self._screens_timer.stop()

    @property
    def may_close(self) -> bool:
        """A window manager's close (Alt+F4) is refused under --lock until release()."""
        return self.released or not self.lock

    def _place(
        self, screen: QScreen | None, *, fullscreen: bool, size: tuple[int, int] | None = None
    ) -> None:
        window = self.window
        self.placed_fullscreen = fullscreen
        if screen is not None and window.screen() is not screen:
            window.setScreen(screen)
        if fullscreen:
            flags = Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window
            if self.lock:
                flags |= Qt.WindowType.WindowStaysOnTopHint
            self._set_flags(flags)
            geometry = (screen or QGuiApplication.primaryScreen()).geometry()
            # Without a window manager showFullScreen() alone leaves a small window in a
            # corner: set the geometry to the whole screen as well, before and after.
            window.setGeometry(geometry)
            window.showFullScreen()
            window.setGeometry(geometry)
        else:
            self._set_flags(Qt.WindowType.Window)
            width, height = size or (1280, 720)
            window.resize(width, height)
            if screen is not None:
                center = screen.availableGeometry().center()
                window.move(center.x() - width // 2, center.y() - height // 2)
            window.showNormal()
        window.raise_()
        window.activateWindow()
        window.setFocus()

    def _set_flags(self, flags: Qt.WindowType) -> None:
        # setWindowFlags hides a shown window (a flash of the desktop): only when they change.
        if self.window.windowFlags() != flags:
            self.window.setWindowFlags(flags)

    def target_screen(self) -> QScreen:
        """The wanted screen when it is there, else the window's own screen when it is
        still there (a screen of that name), else the primary one."""
        screens = QGuiApplication.screens()
        by_name = {screen.name(): screen for screen in screens}
        if self.wanted_screen in by_name:
            return by_name[self.wanted_screen]
        current = self.window.screen()
        if current is not None and current.name() in by_name:
            return by_name[current.name()]
        return QGuiApplication.primaryScreen()

    def covers(self, screen: QScreen) -> bool:
        """Whether the window is shown full-screen over the whole of `screen`."""
        window = self.window
        return (
            window.isVisible()
            and window.isFullScreen()
            and not window.isMinimized()
            and window.geometry() == screen.geometry()
        )

    # ------------------------------------------------------------ the lock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and self._holding():
            kind = event.type()
            if kind == QEvent.Type.WindowStateChange:
                if not self.window.isFullScreen() or self.window.isMinimized():
                    self._restore_soon(f"the window became {self.window.windowState().name}")
            elif kind == QEvent.Type.Hide and event.spontaneous():
                self._restore_soon("the window was hidden")
            elif kind == QEvent.Type.WindowDeactivate:
                # Another window took the focus: Ctrl+Alt+Q must stay reachable.
                self._restore_soon("another window took the focus")
        return False

    def _holding(self) -> bool:
        return self.lock and self.placed_fullscreen and not self.released

    def _restore_soon(self, why: str) -> None:
        if self._restore_timer.isActive():
            return
        log.info("--lock: %s; putting the show back full screen and focused", why)
        now = time.monotonic()
        self._restores = [t for t in self._restores if now - t < RESTORE_WINDOW_S] + [now]
        if len(self._restores) > RESTORE_BURST:
            log.warning(
                "--lock: the window manager keeps moving the show; retrying in %d ms", RESTORE_BACKOFF_MS
            )
            self._restore_timer.start(RESTORE_BACKOFF_MS)
            return
        self._restore_timer.start(RESTORE_MS)

    def restore(self) -> None:
        """Full screen on the target screen again, raised and focused (under --lock)."""
        if not self._holding():
            return
        window = self.window
        screen = self.target_screen()
        if not self.covers(screen):
            # showFullScreen clears a minimised state too; on X11 that maps the window again.
            self._place(screen, fullscreen=True)
        elif not window.isActiveWindow() and not any(ally.isActiveWindow() for ally in self.allies):
            window.raise_()
            window.activateWindow()
            window.setFocus()

    # ------------------------------------------------------------ screens

    def _screen_added(self, screen: QScreen) -> None:
        screen.geometryChanged.connect(self._screens_changed)
        self._screens_changed()

    def _screens_changed(self, *_: object) -> None:
        self._screens_timer.start(SCREENS_SETTLE_MS)

    def follow_screens(self) -> None:
        """A screen came, went or changed: be on the wanted screen when it is there,
        else on the window's own or the primary one, and cover it whole."""
        if not self.placed_fullscreen or self.released:
            return
        target = self.target_screen()
        names = ", ".join(screen.name() for screen in QGuiApplication.screens())
        if self.covers(target) and self.window.screen() is target:
            log.info("screens changed (%s); staying on %s", names, target.name())
            return
        log.info("screens changed (%s); showing on %s", names, target.name())
        self._place(target, fullscreen=True)
