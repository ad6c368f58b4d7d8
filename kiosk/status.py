"""`status.json` in the state folder: what this screen is doing, for whoever looks after it
(a glance over SSH, a monitoring script, a Syncthing return folder at headquarters).

Written on every change that matters (slide, pause, black screen, end, problems, a
reload) and every minute otherwise, never more than once a second (a burst of key
presses is one write), and atomically: a temporary file in the same folder, fsync,
os.replace, so a reader sees the old file or the new one, never half of one.

Qt-free: the publisher is told the time by an injected clock and asks for a wake-up
through an injected `arm(seconds)`; the show gives it a single-shot QTimer (kiosk/app.py),
tests a list.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.player import Move, Snapshot
from kiosk.playlog import VersionCache, local_iso, slide_name, slide_number

log = logging.getLogger(__name__)

STATUS_FILE = "status.json"
#: bursts of changes are coalesced into one write at most this often
MIN_INTERVAL = 1.0
#: written at least this often, so a reader can tell a live show from a dead one
REFRESH_INTERVAL = 60.0
#: moves that put a slide on air afresh (the same slide again, too: a one-slide loop)
SLIDE_MOVES = frozenset({Move.START, Move.NEXT, Move.PREVIOUS, Move.JUMP})


def snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as plain JSON (no playlist objects)."""
    number = None if snapshot.index is None else snapshot.index + 1
    slide = snapshot.slide
    following = snapshot.next_slide
    following_number = slide_number(snapshot.playlist, following)
    change = snapshot.next_schedule_change
    return {
        "slide": None if slide is None or number is None else slide_name(slide, number),
        "label": None if slide is None else slide.label_for_humans(),
        "type": None if slide is None else slide.type,
        "index": snapshot.index,
        "position": snapshot.position,
        "count": snapshot.count,
        "paused": snapshot.paused,
        "blacked": snapshot.blacked,
        "ended": snapshot.ended,
        "time_left": None if snapshot.time_left is None else round(snapshot.time_left, 3),
        "next_slide": (
            None if following is None or following_number is None else slide_name(following, following_number)
        ),
        "next_schedule_change": None if change is None else local_iso(change),
        "problems": list(snapshot.problems),
        "reload_waiting": snapshot.reload_waiting,
    }


def what_matters(snapshot: Snapshot) -> tuple[object, ...]:
    """The parts of a snapshot whose change is worth a write (not the seconds ticking)."""
    return (
        id(snapshot.playlist),  # a reload (the previous snapshot keeps the old one alive)
        snapshot.order,
        snapshot.position,
        snapshot.index,
        snapshot.paused,
        snapshot.blacked,
        snapshot.ended,
        snapshot.problems,
        snapshot.move.value,
    )


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that no reader ever sees a partial file."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())  # the new bytes are on disk before the name points at them
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class StatusWriter:
    """What goes into status.json, and writing it."""

    def __init__(
        self,
        folder: Path,
        *,
        screen: str = "",
        source: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.path = folder / STATUS_FILE
        self.screen = screen
        self.source = source
        self.clock, self.wall = clock, wall
        self.started, self.started_at = clock(), wall()
        self.last_reload: datetime | None = None
        #: when the slide on air came on (to the millisecond, noted as the player said so,
        #: not when the coalesced write happened): screens in step compare these
        self.on_air_since: datetime | None = None
        self._on_air: str | int | None = None  # the slide's id (its index when it has none)
        self._playlist: object = None
        self._versions = VersionCache()
        self._failing = False

    def observe(self, snapshot: Snapshot) -> None:
        """Note a reload (a new playlist object on air) when it happens, not when written."""
        if self._playlist is not None and snapshot.playlist is not self._playlist:
            self.last_reload = self.wall()
        self._playlist = snapshot.playlist
        # A reload that keeps the slide on screen (found by id) does not put it on afresh.
        on_air = None if snapshot.slide is None else snapshot.slide.id or snapshot.index
        if snapshot.move in SLIDE_MOVES or on_air != self._on_air:
            self.on_air_since = self.wall()
        self._on_air = on_air

    def content(self, snapshot: Snapshot) -> dict[str, Any]:
        playlist = snapshot.playlist
        return {
            "kiosk": __version__,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "screen": self.screen,
            "started_at": local_iso(self.started_at),
            "uptime_seconds": round(self.clock() - self.started, 1),
            "playlist": {
                "path": None if playlist.path is None else str(playlist.path),
                "source": None if self.source is None else str(self.source),
                "title": playlist.title,
                "version": self._versions.of(playlist),
            },
            "snapshot": snapshot_json(snapshot),
            "on_air_since": None if self.on_air_since is None else local_iso(self.on_air_since),
            "last_reload": None if self.last_reload is None else local_iso(self.last_reload),
            "disk_free_bytes": self._free_bytes(),
            "written_at": local_iso(self.wall()),
        }

    def write(self, snapshot: Snapshot) -> bool:
        """Write status.json; False (logged once until it works again) if it could not."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(self.content(snapshot), ensure_ascii=False, indent=2) + "\n"
            write_atomically(self.path, text)
        except OSError as exc:
            if not self._failing:
                log.warning("cannot write %s (%s)", self.path, exc)
            self._failing = True
            return False
        self._failing = False
        return True

    def _free_bytes(self) -> int | None:
        try:
            return shutil.disk_usage(self.path.parent).free
        except OSError:
            return None


class StatusPublisher:
    """When to write: a player listener that writes on changes that matter, coalesced to
    one write a second, and refreshes the file every minute. One alarm at a time: `arm`
    (re)sets the single wake-up, and the alarm calls `wake()`."""

    def __init__(
        self,
        writer: StatusWriter,
        *,
        arm: Callable[[float], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.writer = writer
        self.arm = arm
        self.clock = clock
        self._snapshot: Snapshot | None = None
        self._written: tuple[object, ...] | None = None
        self._written_at: float | None = None
        self._dirty = False

    def __call__(self, snapshot: Snapshot) -> None:
        self.writer.observe(snapshot)
        self._snapshot = snapshot
        if what_matters(snapshot) != self._written:
            self._dirty = True
            # Never written from inside the player's emit: the alarm runs it just after.
            self.arm(self._wait(self.clock()))

    def wake(self) -> None:
        """The alarm went off: write if due, then arm the next wake-up."""
        now = self.clock()
        if self._snapshot is not None and self._wait(now) <= 0:
            self._write(self._snapshot, now)
        self.arm(self._wait(now))

    def flush(self) -> None:
        """kiosk quits: a change still waiting for its turn is written now (the last word)."""
        if self._dirty and self._snapshot is not None:
            self._write(self._snapshot, self.clock())

    def _wait(self, now: float) -> float:
        """Seconds until the next write is due."""
        if self._written_at is None:
            return 0.0
        since = now - self._written_at
        return max(0.0, (MIN_INTERVAL if self._dirty else REFRESH_INTERVAL) - since)

    def _write(self, snapshot: Snapshot, now: float) -> None:
        self.writer.write(snapshot)
        self._written, self._written_at, self._dirty = what_matters(snapshot), now, False
