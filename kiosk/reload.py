"""Reloading the playlist while the show runs; a bad edit never stops the show.

A valid playlist replaces the running one (the player keeps the current slide by id);
an invalid one is logged with every file:line:col and shown as a small badge while the
last good playlist keeps playing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from kiosk.player import Player
from kiosk.playlist import PlaylistError, load_playlist

log = logging.getLogger(__name__)


class Reloader(QObject):
    def __init__(self, window: object, player: Player) -> None:
        super().__init__()
        self.window = window
        self.player = player
        self.problems: list[str] = []

    def reload_now(self) -> bool:
        """Load the playlist file again; True when the new one was taken in."""
        path = self.player.playlist.path
        if path is None:
            return False
        try:
            playlist = load_playlist(path)
        except PlaylistError as error:
            self.problems = [str(p) for p in error.problems]
            for problem in self.problems:
                log.error("reload: %s", problem)
            self._badge(f"播放列表有 {len(self.problems)} 处错误, 仍在播放上一版 · {self.problems[0]}")
            return False
        self.problems = []
        self._badge("")
        log.info("reloaded %s: %d slides", path, len(playlist.slides))
        self.player.replace_playlist(playlist)
        return True

    def _badge(self, text: str) -> None:
        overlay = getattr(self.window, "overlay", None)
        if overlay is not None:
            overlay.set_state(badge=text)
