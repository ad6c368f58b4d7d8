"""The presenter view (issue 15): the slide on air, the next one, notes and timers on a
screen of the speaker's own. `open_presenter` puts it up beside a show."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QScreen

from kiosk.presenter.screens import choose_presenter_screen
from kiosk.presenter.window import PresenterState, PresenterWindow, clock_text

if TYPE_CHECKING:
    from kiosk.window import ShowWindow

log = logging.getLogger(__name__)

#: what the presenter view says when it had to open as a window
ONE_SCREEN_NOTE = "只有一个屏幕 · 演讲者视图在窗口中 (one screen: a window)"


def open_presenter(show: ShowWindow, screen: QScreen | None) -> PresenterWindow:
    """The presenter view for `show`: full screen on `screen`, or, when there is no other
    screen (None), a window on the show's screen, for rehearsing on a laptop."""
    presenter = PresenterWindow(show, note="" if screen is not None else ONE_SCREEN_NOTE)
    # Under --lock the wall takes the focus back from other windows, not from this one.
    show.placement.allies.append(presenter)
    if screen is not None:
        log.info("presenter view on screen %s", screen.name())
        presenter.placement.show_on(screen, fullscreen=True)
        return presenter
    wall = show.placement.target_screen()
    log.info("one screen only (%s): the presenter view opens in a window", wall.name())
    area = wall.availableGeometry()
    width = min(1280, round(area.width() * 0.7))
    presenter.placement.show_on(wall, fullscreen=False, size=(width, round(width * 9 / 16)))
    return presenter


__all__ = [
    "ONE_SCREEN_NOTE",
    "PresenterState",
    "PresenterWindow",
    "choose_presenter_screen",
    "clock_text",
    "open_presenter",
]
