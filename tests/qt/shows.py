"""A show playing in a window for the Qt tests: the playlist text written to a file and
loaded as kiosk loads one, a player on the clocks the test gives, the window shown at a
small size and exposed, the first slide on air."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.app import ensure_application, slide_context
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.window import ShowWindow


def playing_window(
    qtbot,
    tmp_path: Path,
    text: str,
    *,
    size: tuple[int, int] = (640, 360),
    clock: Callable[[], float] = time.monotonic,
    wall: Callable[[], datetime] = lambda: datetime(2027, 1, 10, 12),
    lock: bool = False,
) -> ShowWindow:
    ensure_application()
    path = tmp_path / "show.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    playlist = load_playlist(path)
    player = Player(playlist, clock=clock, wall=wall)
    window = ShowWindow(player, slide_context(playlist), lock=lock)
    qtbot.addWidget(window)
    window.show_on(None, fullscreen=False, size=size)
    player.start()
    qtbot.waitExposed(window)
    return window
