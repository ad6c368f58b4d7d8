"""Proof of play: one JSON line per slide shown, for whoever paid for the screen time.

A line is written when a slide leaves the screen (or when kiosk quits), so it knows how
long the slide was really up: wall seconds including time paused, the paused seconds,
whether the screen was black for part of it, and whether the move that ended it was
automatic (its time was up, a schedule closed, a reload) or manual (a key, a clicker).

Files: `<state>/plays/plays-YYYY-MM-DD.jsonl`, one per day (the day the slide started),
at most 10 MB each (further lines that day are dropped, with one warning) and at most
400 of them (the oldest is deleted). `kiosk report` reads them (kiosk/report.py).

Qt-free. Clocks are injected (monotonic seconds and local wall time) so tests play a
week without waiting. Appending never raises: a full disk is logged once.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from kiosk.player import Move, Snapshot
from kiosk.playlist.model import Playlist, SlideBase

log = logging.getLogger(__name__)

PLAYS_FOLDER = "plays"
MAX_DAY_BYTES = 10 * 1024 * 1024
MAX_DAY_FILES = 400
DAY_FILE = re.compile(r"^plays-(\d{4}-\d{2}-\d{2})\.jsonl$")
#: a tick's snapshot is taken at or after the slide's deadline; this absorbs float noise
DEADLINE_SLACK = 1e-6
#: moves that put a slide on air afresh (its time starts again, even on the same slide)
FRESH_MOVES = frozenset({Move.START, Move.NEXT, Move.PREVIOUS, Move.JUMP})


def playlist_version(path: Path | None) -> str:
    """The first 12 hex digits of the sha256 of the playlist file's bytes ('' if unreadable):
    which edition of a playlist was on air, the same on every screen that plays it."""
    if path is None:
        return ""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return ""


class VersionCache:
    """playlist_version() of the playlist on air, read again only when a reload replaces it."""

    def __init__(self) -> None:
        self._playlist: Playlist | None = None
        self._version = ""

    def of(self, playlist: Playlist) -> str:
        if playlist is not self._playlist:
            self._playlist, self._version = playlist, playlist_version(playlist.path)
        return self._version


def local_iso(moment: datetime) -> str:
    """ISO 8601 with the UTC offset (a naive time is local time, as datetime.now() gives)."""
    aware = moment.astimezone() if moment.tzinfo is None else moment
    return aware.isoformat(timespec="milliseconds")


def slide_name(slide: SlideBase, number: int) -> str | int:
    """How logs name a slide: its id, or its number (from 1) when it has none."""
    return slide.id if slide.id else number


def slide_number(playlist: Playlist, slide: SlideBase | None) -> int | None:
    """The slide's number in the playlist, from 1 (by identity: two slides may be equal)."""
    if slide is None:
        return None
    return next((i + 1 for i, s in enumerate(playlist.slides) if s is slide), None)


# ---------------------------------------------------------------- the files


class DayFiles:
    """Appends lines to `plays-YYYY-MM-DD.jsonl`, keeping both bounds.

    Each line is one open/write/close: a file deleted or synced away in between is simply
    made again, and nothing stays open for days. No fsync: a line lost to a power cut is
    cheaper than a show that stutters on a slow SD card."""

    def __init__(
        self, folder: Path, *, max_day_bytes: int = MAX_DAY_BYTES, max_day_files: int = MAX_DAY_FILES
    ) -> None:
        self.folder = folder
        self.max_day_bytes = max_day_bytes
        self.max_day_files = max_day_files
        self._pruned_for: date | None = None
        self._full_days: set[date] = set()
        self._failing = False

    def path(self, day: date) -> Path:
        return self.folder / f"plays-{day.isoformat()}.jsonl"

    def append(self, day: date, record: Mapping[str, object]) -> bool:
        """Add one line to the day's file; False (logged, never raised) if it was not written."""
        data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        path = self.path(day)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            self._failed(path, exc)
            return False
        try:
            size = os.fstat(fd).st_size
            if size + len(data) > self.max_day_bytes:
                self._day_full(day, path)
                return False
            if not self._write(fd, data, size, path):
                return False
        finally:
            os.close(fd)
        self._failing = False
        if day != self._pruned_for:
            self._pruned_for = day
            self.prune()
        return True

    def _write(self, fd: int, data: bytes, size: int, path: Path) -> bool:
        try:
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            # A short write leaves half a line that the next line would be glued to: cut it off.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            self._failed(path, exc)
            return False
        return True

    def _failed(self, path: Path, exc: OSError) -> None:
        if not self._failing:  # once, not once a slide, until a line gets through again
            log.warning("proof of play: cannot write %s (%s); lines are lost until it can", path, exc)
        self._failing = True

    def _day_full(self, day: date, path: Path) -> None:
        if day not in self._full_days:
            self._full_days.add(day)
            log.warning(
                "proof of play: %s has reached %d bytes; the rest of that day's lines are dropped",
                path,
                self.max_day_bytes,
            )

    def day_files(self) -> list[Path]:
        """The day files in the folder, oldest first (their names sort by date)."""
        try:
            names = sorted(name for name in os.listdir(self.folder) if DAY_FILE.match(name))
        except OSError:
            return []
        return [self.folder / name for name in names]

    def prune(self) -> None:
        """Delete the oldest day files beyond the bound (once a day: on a new day's first line)."""
        files = self.day_files()
        for old in files[: max(0, len(files) - self.max_day_files)]:
            try:
                old.unlink()
            except OSError as exc:
                log.warning("proof of play: cannot delete old %s (%s)", old, exc)


# ---------------------------------------------------------------- the listener


@dataclass
class Showing:
    """One slide on screen, from the moment it came on air."""

    slide: SlideBase
    number: int
    started_wall: datetime
    started: float  # monotonic
    version: str
    paused_seconds: float = 0.0
    paused_since: float | None = None
    blacked: bool = False

    def hold(self, snapshot: Snapshot, now: float) -> None:
        """Follow pause and black screen while the slide is up."""
        self.blacked = self.blacked or snapshot.blacked
        if snapshot.paused and self.paused_since is None:
            self.paused_since = now
        elif not snapshot.paused and self.paused_since is not None:
            self.paused_seconds += now - self.paused_since
            self.paused_since = None


class PlayLogger:
    """A player listener (player.subscribe) that writes one line per slide shown.

    `clock` must be the player's clock: a change is timed by the snapshot's `taken_at`
    (the moment the player changed, not when this listener's turn came: the window builds
    the new slide first), and only kiosk's quit by `clock()`."""

    def __init__(
        self,
        files: DayFiles,
        *,
        screen: str = "",
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.files = files
        self.screen = screen
        self.clock = clock
        self.wall = wall
        self._versions = VersionCache()
        self._showing: Showing | None = None
        self._last: Snapshot | None = None

    def __call__(self, snapshot: Snapshot) -> None:
        now = snapshot.taken_at
        if self._showing is not None and self._leaves(self._showing, snapshot):
            assert self._last is not None  # a showing began with a snapshot
            self._finish(now, ended_by(self._last, snapshot))
        if self._showing is None and snapshot.slide is not None and snapshot.index is not None:
            self._showing = Showing(
                slide=snapshot.slide,
                number=snapshot.index + 1,
                started_wall=self.wall(),
                started=now,
                version=self._versions.of(snapshot.playlist),
            )
        if self._showing is not None:
            self._showing.hold(snapshot, now)
        self._last = snapshot

    def join(self, snapshot: Snapshot) -> None:
        """Start listening mid-slide (the show starts the logger after its first frame):
        the slide on air came up `elapsed` seconds ago, not now."""
        self(snapshot)
        if self._showing is not None and not snapshot.held:
            self._showing.started -= snapshot.elapsed
            self._showing.started_wall -= timedelta(seconds=snapshot.elapsed)

    def close(self) -> None:
        """kiosk quits: the slide on screen gets its line now."""
        if self._showing is not None:
            self._finish(self.clock(), "quit")

    def _leaves(self, showing: Showing, snapshot: Snapshot) -> bool:
        """Whether this snapshot takes the slide off the screen (a reload that keeps it
        on air, or a pause, does not)."""
        if snapshot.slide is None or snapshot.index is None or snapshot.move in FRESH_MOVES:
            return True
        now_on = (slide_name(snapshot.slide, snapshot.index + 1), snapshot.slide.type)
        return now_on != (slide_name(showing.slide, showing.number), showing.slide.type)

    def _finish(self, now: float, end: str) -> None:
        showing, self._showing = self._showing, None
        assert showing is not None
        if showing.paused_since is not None:  # still paused as it leaves (or kiosk quits)
            showing.paused_seconds += now - showing.paused_since
        record = {
            "start": local_iso(showing.started_wall),
            "slide": slide_name(showing.slide, showing.number),
            "number": showing.number,
            "type": showing.slide.type,
            "label": showing.slide.label_for_humans(),
            "seconds": round(now - showing.started, 3),
            "paused_seconds": round(showing.paused_seconds, 3),
            "blacked": showing.blacked,
            "screen": self.screen,
            "playlist": showing.version,
            "end": end,
        }
        self.files.append(showing.started_wall.date(), record)


def ended_by(before: Snapshot, after: Snapshot) -> str:
    """'auto' or 'manual': what moved the show from `before` to `after`.

    The snapshot does not say who asked for a NEXT, so it is told by the clock: the
    player's tick moves only once the slide's time is up, a key earlier. A slide that left
    the rotation (its `when` window closed) moved on its own too. Reloads and schedule
    changes are automatic; PREVIOUS and JUMP are people. Not told apart: a slide that
    failed to build and was passed over at once reads as manual."""
    if after.move in (Move.PREVIOUS, Move.JUMP):
        return "manual"
    if after.move is not Move.NEXT:
        return "auto"
    if before.time_left is not None and after.taken_at >= before.taken_at + before.time_left - DEADLINE_SLACK:
        return "auto"
    if before.index is not None and before.index not in after.order:
        return "auto"
    return "manual"
