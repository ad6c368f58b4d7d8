"""The playlist language, Qt-free: models, the safe loader, chart data and schedules."""

from kiosk.playlist.errors import Mark, PlaylistError, Problem
from kiosk.playlist.load import load_playlist, load_playlist_text
from kiosk.playlist.model import SLIDE_TYPES, Playlist, SlideBase

__all__ = [
    "SLIDE_TYPES",
    "Mark",
    "Playlist",
    "PlaylistError",
    "Problem",
    "SlideBase",
    "load_playlist",
    "load_playlist_text",
]
