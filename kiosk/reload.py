"""Live reload: the playlist and every file it names are watched while the show runs.

- A valid change is staged and taken in at the next slide change, keeping the current
  slide by id (or position): the slide on screen is never pulled from under the audience.
- An invalid change leaves the show as it was, logs every problem as file:line:col and
  shows a small badge until the playlist is fixed.
- Editors that save by writing a new file and renaming it over the old one make the
  watcher lose the path, so the folders are watched too and paths are re-added on each
  reload. Rapid successive saves are coalesced by a short debounce.
- R/F5 reloads at once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from kiosk.player import Player
from kiosk.playlist import Playlist, PlaylistError, load_playlist

log = logging.getLogger(__name__)
DEBOUNCE_MS = 400
WATCH_DELAY_MS = 300


def watched_files(playlist: Playlist) -> list[Path]:
    """The playlist file and every file it names (data, images, logo, background, theme)."""
    if playlist.path is None:
        return []
    files = [playlist.path]
    if playlist.theme.endswith((".yaml", ".yml")):
        files.append(playlist.resolve(playlist.theme))
    for slide in playlist.slides:
        for name in slide.file_fields:
            value = getattr(slide, name)
            if value:
                files.append(playlist.resolve(value))
        if slide.background and not slide.background_is_color():
            files.append(playlist.resolve(slide.background))
    return files


class Reloader(QObject):
    """Watches the running playlist's files and hands good new versions to the player."""

    def __init__(self, window: object, player: Player, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__()
        self.window = window
        self.player = player
        self.problems: list[str] = []
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.reload_staged)
        # Watching costs tens of ms (inotify, folders): do it just after the first frame.
        QTimer.singleShot(WATCH_DELAY_MS, lambda: self.watch(self.player.playlist))

    def watch(self, playlist: Playlist) -> None:
        """Watch exactly the files of `playlist` and their folders."""
        for paths in (self.watcher.files(), self.watcher.directories()):
            if paths:
                self.watcher.removePaths(paths)
        files = {str(p) for p in watched_files(playlist) if p.exists()}
        folders = {str(Path(p).parent) for p in files}
        for path in sorted(files | folders):
            self.watcher.addPath(path)

    def _changed(self, path: str) -> None:
        log.debug("changed on disk: %s", path)
        self._debounce.start()  # restarts: a burst of saves becomes one reload

    def reload_staged(self) -> bool:
        """After files changed: stage a good playlist for the next slide change."""
        playlist = self._load()
        if playlist is None:
            return False
        if playlist == self.player.playlist and not self.player.has_pending:
            return True  # touched, not changed (an editor's swap file, a save without edits)
        log.info(
            "playlist changed on disk: %d slides; taken in at the next slide change", len(playlist.slides)
        )
        self.player.stage_playlist(playlist)
        return True

    def reload_now(self) -> bool:
        """R/F5: load the playlist again and take it in at once."""
        playlist = self._load()
        if playlist is None:
            return False
        log.info("reloaded %s: %d slides", playlist.path, len(playlist.slides))
        self.player.replace_playlist(playlist)
        return True

    def _load(self) -> Playlist | None:
        path = self.player.playlist.path
        if path is None:
            return None
        try:
            playlist = load_playlist(path)
        except PlaylistError as error:
            self.problems = [str(p) for p in error.problems]
            for problem in self.problems:
                log.error("reload: %s", problem)
            log.error("reload: the last good playlist keeps playing")
            count = len(self.problems)
            self._badge(f"播放列表有 {count} 处错误, 仍在播放上一版 · {self.problems[0]}")
            self.watch(self.player.playlist)
            return None
        self.problems = []
        self._badge("")
        self.watch(playlist)
        return playlist

    def _badge(self, text: str) -> None:
        overlay = getattr(self.window, "overlay", None)
        if overlay is not None:
            overlay.set_state(badge=text)
