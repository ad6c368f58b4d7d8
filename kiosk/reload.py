"""Live reload: the playlist and every file it names are watched while the show runs.

- A valid change is staged and taken in at the next slide change, keeping the current
  slide by id (or position): the slide on screen is never pulled from under the audience.
- An invalid change leaves the show as it was, logs every problem as file:line:col and
  tells the window (`problems_changed`): the audience sees a short badge, the operator
  the details in the help overlay, until the playlist is fixed.
- The watcher survives deploys. Files come and go in ways that break a plain file watch:
  an editor renames a new file over the old one, a deploy deletes and recreates the
  playlist or swaps its whole folder (`mv show old && mv new show`), a USB stick is pulled
  and put back. So after every event the watch is re-armed from scratch: each file that
  exists, its folder, and for what is missing the nearest folder that exists; plus the
  folder above the playlist's, so a folder renamed away or back is an event too. Where
  the file system gives no event at all (a remount, network and FUSE file systems) a
  poll every few seconds compares a cheap stat of the same paths.
- Events are compared with that stat too: a folder watched for a missing file reports
  every change in it, and a reload is only worth it when one of our paths changed.
  Rapid successive saves are coalesced by a short debounce.
- R/F5 reloads at once.
- A half-synced folder never reaches the wall. A sync tool (Syncthing, kiosk's fleet) may
  bring the playlist before the pictures it names, and writes each file as a temporary
  (`.syncthing.NAME.tmp`, `~syncthing~NAME.tmp` on Windows) renamed into place when
  complete. While such temporaries are in the playlist's folder, or while the only
  problems are files not found (for `TRANSIT_GRACE_S`), the set is taken to be on its
  way: the last good show plays on with no badge, and the reload is tried again until the
  set is complete and valid. A file still missing after that is reported as usual.
- The playlist is read again from the path the show was started with (`source`), links
  resolved afresh each time: a deploy that swaps a link (`show.yaml -> releases/v2/...`)
  is taken in, and a show that started from the last good copy (kiosk/lastgood.py) goes
  back to the real playlist as soon as it loads.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.player import Player
from kiosk.playlist import Playlist, PlaylistError, load_playlist
from kiosk.playlist.files import playlist_files

if TYPE_CHECKING:
    from kiosk.window import ShowWindow

log = logging.getLogger(__name__)
DEBOUNCE_MS = 400
WATCH_DELAY_MS = 300
#: how often the paths are stat'ed when no event came: a remount is seen within this time.
#: A stat of a playlist's few dozen paths costs microseconds; 2 s keeps a fixed stick on
#: screen about as fast as a person can look up from the laptop.
POLL_MS = 2000
#: how long files a new playlist names may take to arrive before they are reported missing.
#: A sync tool brings a playlist and its pictures one by one, seconds apart on a fast
#: link; a minute covers a few large pictures on a slow one, and a real mistake (a typo
#: in a file name) still shows on the badge after a minute (`kiosk check` says it at once).
TRANSIT_GRACE_S = 60.0
#: how long a sync tool's temporary files may hold a reload back (an interrupted transfer
#: leaves them for a day; the show then takes what is complete, or reports)
TRANSIT_MAX_S = 600.0
#: a folder tree is searched for temporaries this far at most (a reload stays cheap)
TEMPORARY_SEARCH_LIMIT = 5000

#: (st_dev, st_ino, st_mtime_ns, st_size) of a path, or None when it is not there
Stat = tuple[int, int, int, int] | None


def existing_ancestor(path: Path) -> Path | None:
    """`path` itself if it exists, else the nearest folder above it that does."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def watch_paths(files: Iterable[Path]) -> set[Path]:
    """What to watch for these files so that none can appear, change or go unnoticed:
    each file that exists and its folder; for a missing one the nearest existing folder
    above it (a folder being created or renamed in is an event there)."""
    paths: set[Path] = set()
    for file in files:
        if file.is_file():
            paths.add(file)
        folder = existing_ancestor(file.parent)
        if folder is not None:
            paths.add(folder)
    return paths


def stat_of(path: Path) -> Stat:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)


def sync_temporaries(folder: Path, limit: int = TEMPORARY_SEARCH_LIMIT) -> list[Path]:
    """A sync tool's files in transfer under `folder`: Syncthing's `.syncthing.NAME.tmp`
    (`~syncthing~NAME.tmp` on Windows). At most `limit` entries are looked at."""
    found: list[Path] = []
    seen = 0
    for top, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".st")]  # .stfolder, .stversions
        for name in files:
            seen += 1
            if name.endswith(".tmp") and name.startswith((".syncthing.", "~syncthing~")):
                found.append(Path(top) / name)
        seen += len(folders)
        if seen >= limit:
            break
    return found


MISSING = re.compile(r"^file not found: '(?P<name>[^']*)'")


def only_missing_files(error: PlaylistError, folder: Path) -> bool:
    """Every problem is a file the playlist names that is not there at all (yet): a
    dead link in its place is a mistake to report, not a file on its way."""
    if not error.problems:
        return False
    for problem in error.problems:
        found = MISSING.match(problem.message)
        if found is None or os.path.lexists(folder / found["name"]):
            return False
    return True


class Reloader(QObject):
    """Watches the running playlist's files and hands good new versions to the player."""

    #: the playlist's problems as FILE:LINE:COL lines; empty once a good one is back
    problems_changed = Signal(list)
    #: a playlist that loaded cleanly (kept as the last good copy)
    loaded = Signal(object)

    def __init__(
        self,
        window: ShowWindow | None,
        player: Player,
        debounce_ms: int = DEBOUNCE_MS,
        poll_ms: int = POLL_MS,
        *,
        source: Path | None = None,
        problems: list[str] | None = None,
        transit_grace_s: float = TRANSIT_GRACE_S,
        transit_max_s: float = TRANSIT_MAX_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.transit_grace_s, self.transit_max_s, self.clock = transit_grace_s, transit_max_s, clock
        self._transit_since: float | None = None  # when a set on its way was first seen
        self.player = player
        #: the playlist file as the show was told it (a link stays a link)
        self.source = source or player.snapshot().playlist.path
        self.problems: list[str] = []
        if window is not None:
            self.problems_changed.connect(window.overlay.set_problems)
        self.problems_changed.connect(player.set_problems)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self._files: list[Path] = []  # the files of the playlist on screen
        self._signature: dict[Path, Stat] = {}  # their stat when last loaded
        self._armed: dict[Path, tuple[int, int]] = {}  # (device, inode) of each watched path
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.reload_staged)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._check)
        self._retry = QTimer(self)  # a set on its way: look again, events or not
        self._retry.setSingleShot(True)
        self._retry.setInterval(min(poll_ms, 1000))
        self._retry.timeout.connect(self.reload_staged)
        # Watching costs tens of ms (inotify, folders): do it just after the first frame.
        QTimer.singleShot(WATCH_DELAY_MS, self._start)
        if problems:  # the show started from the last good copy: say so from the start
            QTimer.singleShot(0, lambda: self._set_problems(list(problems)))

    def _start(self) -> None:
        self.watch(self.player.snapshot().playlist)
        self._poll.start()
        if self.problems:
            # Started from the last good copy: the playlist may have been fixed between
            # the failed load and this watch, which no event would then report.
            self._debounce.start()

    # ------------------------------------------------------------ watching

    def watch(self, playlist: Playlist) -> None:
        """Watch the files of `playlist` and remember their state as the loaded one."""
        files = playlist_files(playlist)  # the same files the last good copy keeps
        if self.source is not None and self.source not in files:
            files.insert(0, self.source)  # the link, or the real playlist behind a copy
        self._files = files
        self._signature = self.signature()
        self._arm()

    def signature(self) -> dict[Path, Stat]:
        """A stat of each file and of the folders it lives in (a file added to, removed
        from or renamed in a folder changes the folder's mtime)."""
        paths = set(self._files) | {f.parent for f in self._files}
        return {path: stat_of(path) for path in paths}

    def _arm(self) -> None:
        """Watch what `watch_paths` says now. A path whose file or folder was replaced
        (a folder renamed away and another renamed in, a stick remounted) is watched
        afresh: Qt would go on watching the old inode under the same name."""
        wanted = watch_paths(self._files)
        if self._files:
            above = existing_ancestor(self._files[0].parent.parent)
            if above is not None:
                wanted.add(above)  # the playlist's folder renamed away or back
        identity = {path: (stat_of(path) or (0, 0))[:2] for path in wanted}
        current = {Path(p) for p in (*self.watcher.files(), *self.watcher.directories())}
        stale = {p for p in current if p not in wanted or self._armed.get(p) != identity[p]}
        if stale:
            self.watcher.removePaths([str(p) for p in stale])
        new = sorted((wanted - current) | (stale & wanted))
        if new:
            self.watcher.addPaths([str(p) for p in new])
        self._armed = identity

    def _changed(self, path: str) -> None:
        log.debug("changed on disk: %s", path)
        self._check()

    def _check(self) -> None:
        """A reload is due when one of our paths changed since the last load (the poll,
        and every event: a watched folder reports changes to files that are not ours,
        and the folder above the playlist's may be a busy one). Only then is the watch
        re-armed: a replaced file or folder always changes the stat."""
        if self.signature() != self._signature:
            self._arm()
            self._debounce.start()  # restarts: a burst of saves becomes one reload

    # ------------------------------------------------------------ reloading

    def reload_staged(self) -> bool:
        """After files changed: stage a good playlist for the next slide change."""
        playlist = self._load()
        if playlist is None:
            return False
        now = self.player.snapshot()
        if playlist == now.playlist and not now.reload_waiting:
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
        path = self.source
        if path is None:
            return None
        before = self.signature()
        on_air = self.player.snapshot().playlist
        temporaries = sync_temporaries(path.parent)
        if temporaries and self._on_its_way(f"{len(temporaries)} in transfer", self.transit_max_s):
            self._watch_after_load(on_air, before)
            return None
        try:
            playlist = load_playlist(path)
        except PlaylistError as error:
            missing = only_missing_files(error, path.parent)
            waiting = missing and self._on_its_way(str(error.problems[0]), self.transit_grace_s)
            if not waiting:
                self._transit_since = None
                self._set_problems([str(p) for p in error.problems])
            self._watch_after_load(on_air, before)  # the last good files
            return None
        if self._transit_since is not None:
            log.info("reload: the files arrived after %.1f s", self.clock() - self._transit_since)
            self._transit_since = None
        self._set_problems([])
        self._watch_after_load(playlist, before)
        self.loaded.emit(playlist)
        return playlist

    def _on_its_way(self, why: str, patience: float) -> bool:
        """The set looks half-synced: wait (no problems shown, the last good show plays on)
        and try again shortly, unless it has been so for longer than `patience` seconds."""
        now = self.clock()
        if self._transit_since is None:
            self._transit_since = now
            log.info("reload: waiting for files on their way (%s); the show plays on", why)
        if now - self._transit_since > patience:
            return False
        self._retry.start()
        return True

    def _watch_after_load(self, playlist: Playlist, before: dict[Path, Stat]) -> None:
        """Watch `playlist`'s files as loaded. A file saved while it was being read keeps
        its earlier stat, so the next check loads it again: its event is already queued
        and would otherwise find nothing changed."""
        self.watch(playlist)
        for path, earlier in before.items():
            if path in self._signature and self._signature[path] != earlier:
                self._signature[path] = earlier

    def _set_problems(self, problems: list[str]) -> None:
        """Details to the log (and the console); the window shows the audience a short
        badge and the operator these lines in the help overlay."""
        if problems and problems != self.problems:  # said once, not at every try
            for problem in problems:
                log.error("reload: %s", problem)
            log.error("reload: the last good playlist keeps playing")
        elif self.problems:
            log.info("reload: the playlist is good again")
        self.problems = problems
        self.problems_changed.emit(list(problems))
