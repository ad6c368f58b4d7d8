"""Warnings for `kiosk check`: things a valid playlist does that its author likely did not
mean. They never stop a show (the exit code stays 0); each names its FILE:LINE:COL.

Qt-free, like the rest of the playlist language.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from kiosk.playlist.errors import Problem
from kiosk.playlist.model import Playlist
from kiosk.playlist.safeyaml import Document, load_file
from kiosk.playlist.schedule import next_change, on_air


def playlist_document(playlist: Playlist) -> Document | None:
    """The playlist's YAML again, for the marks of its values (None for a playlist in memory)."""
    if playlist.path is None:
        return None
    return load_file(Path(playlist.path))


def schedule_warnings(playlist: Playlist, document: Document, now: datetime) -> list[Problem]:
    """Slides whose `when` window is over for good, and a day on which nothing is on air."""
    problems = []
    for index, slide in enumerate(playlist.slides):
        when = slide.when
        if slide.skip or when is None or when.until is None or when.until > now:
            continue
        name = slide.id or slide.type
        problems.append(
            Problem(
                document.mark_of(("slides", index, "when", "until")),
                f"warning: slide {index + 1} ({name}) is never on air again: its window ended "
                f"{when.until:%Y-%m-%d %H:%M}",
            )
        )
    if playlist.playable() and not _anything_on_air_today(playlist, now):
        problems.append(
            Problem(
                document.mark_of(("slides",), key=True),
                f"warning: no slide is on air for the rest of today ({now:%Y-%m-%d}); "
                "the screen shows the calm idle slide until a `when` window opens",
            )
        )
    return problems


def _anything_on_air_today(playlist: Playlist, now: datetime) -> bool:
    """Whether some slide is on air between now and midnight (the schedule's own change
    points are visited, so a window that opens at 18:00 counts)."""
    slides = playlist.slides
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    moment: datetime | None = now
    while moment is not None and moment < midnight:
        if on_air(slides, moment):
            return True
        moment = next_change(slides, moment, horizon=midnight - moment)
    return False
