"""Qt application set-up shared by the show and export: one QApplication, fonts, theme."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from kiosk.playlist.model import Playlist
from kiosk.slides.base import SlideContext
from kiosk.theme import load_theme, register_fonts


def ensure_application() -> QApplication:
    """The process's QApplication (created once), with the bundled fonts registered."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("kiosk")
    register_fonts()
    return app  # type: ignore[return-value]


def slide_context(playlist: Playlist) -> SlideContext:
    return SlideContext(load_theme(playlist.theme, playlist.folder), playlist.folder)
