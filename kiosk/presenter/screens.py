"""Which screen the presenter view is on, and what happens when screens come and go.

The presenter view belongs on any screen but the wall's. It is placed like the show
(kiosk/placement.py: full screen and frameless, even with no window manager); when its
screen is unplugged it hides at once (it must never land on the wall), and it comes back
full-screen when a screen other than the wall's is there again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from kiosk.placement import Placement

log = logging.getLogger(__name__)


def screen_list(app: QGuiApplication) -> str:
    return ", ".join(f"{i} ({s.name()})" for i, s in enumerate(app.screens()))


def choose_presenter_screen(
    app: QGuiApplication, show_screen: QScreen, wanted: str
) -> tuple[QScreen | None, str | None]:
    """The screen for `--presenter [SCREEN]` and an error, if any. `wanted` "" means the
    first screen that is not the show's; (None, None) means there is none: a window."""
    screens = app.screens()
    if not wanted:
        others = [screen for screen in screens if screen.name() != show_screen.name()]
        return (others[0] if others else None), None
    found: QScreen | None = None
    if wanted.isdigit() and int(wanted) < len(screens):
        found = screens[int(wanted)]
    for screen in screens:
        if screen.name() == wanted:
            found = screen
    if found is None:
        return None, f"kiosk: no screen '{wanted}' for --presenter; screens: {screen_list(app)}"
    if found.name() == show_screen.name():
        return None, (
            f"kiosk: --presenter {wanted} is the show's own screen ({found.name()}); name another "
            f"screen, or give --presenter alone (screens: {screen_list(app)})"
        )
    return found, None


class PresenterPlacement(Placement):
    """Places the presenter view full-screen on a screen that is not the wall's, or in a
    window when there is only one screen."""

    def __init__(self, window: QWidget, wall: QWidget, wall_screen: Callable[[], str]) -> None:
        super().__init__(window, lock=False)
        self.wall = wall
        self.wall_screen = wall_screen  # the name of the screen the show is on now
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenRemoved.connect(self._screen_removed)

    def presenter_screen(self) -> QScreen | None:
        """The wanted screen when it is there, else the window's own, else any screen
        but the wall's; None when the wall's is the only one."""
        wall = self.wall_screen()
        others = [screen for screen in QGuiApplication.screens() if screen.name() != wall]
        for name in (self.wanted_screen, self.window.screen().name() if self.window.screen() else None):
            for screen in others:
                if screen.name() == name:
                    return screen
        return others[0] if others else None

    def _screen_removed(self, screen: QScreen) -> None:
        """Hide at once when our screen goes: Qt would move the window onto the wall's."""
        own = self.window.screen()
        if (
            self.placed_fullscreen
            and own is not None
            and own.name() == screen.name()
            and self.window.isVisible()
        ):
            log.info("the presenter view's screen %s was unplugged; the show goes on", screen.name())
            self._hide()

    def _hide(self) -> None:
        """Out of sight; the keyboard (a clicker is one) goes back to the wall."""
        self.window.hide()
        self.wall.activateWindow()
        self.wall.setFocus()

    def follow_screens(self) -> None:
        if not self.placed_fullscreen or self.released:
            return
        target = self.presenter_screen()
        if target is None:
            if self.window.isVisible():
                log.info("no screen for the presenter view but the wall's; it waits for one")
                self._hide()
            return
        if self.window.isVisible() and self.covers(target) and self.window.screen() is target:
            return
        log.info("presenter view on screen %s", target.name())
        self._place(target, fullscreen=True)
