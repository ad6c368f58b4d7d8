"""What a window of the show does with its own dialogs: the go-to entry, help and the
overview. The show's window (kiosk/window.py) and the presenter view (kiosk/presenter/)
each have their own, and both go to a slide, route keys to an open dialog and open the
overview the same way: here, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from kiosk.input import ShowInput
from kiosk.overlays import OverlayWidget, OverviewWidget
from kiosk.player import Player, Snapshot
from kiosk.thumbnails import SlideThumbnails

# The mixin's methods use the window's own (QWidget's) setFocus and rect.
if TYPE_CHECKING:
    _Window = QWidget
else:
    _Window = object


class ShowDialogs(_Window):
    """Mixed into a QWidget that has these parts (set in its __init__)."""

    player: Player
    snapshot: Snapshot
    input: ShowInput
    overlay: OverlayWidget
    overview: OverviewWidget
    thumbnails: SlideThumbnails

    def go_to(self, target: str) -> None:
        """Go to slide `target` (a number from 1 or an id), or say there is none."""
        self.setFocus()
        if self.player.go_to(target):
            self.input.cancel_goto()
        else:
            self.input.goto_failed(target)

    def modal_key(self, event: QKeyEvent) -> bool:
        """Keys the open overview or help take before the command map does."""
        if self.overview.isVisible():
            self.overview.keyPressEvent(event)
            return True
        if self.overlay.state.help and event.key() == Qt.Key.Key_Escape and self.input.goto_text is None:
            self.overlay.set_state(help=False)
            return True
        return False

    def open_overview(self) -> None:
        self.overview.setGeometry(self.rect())
        self.overview.open(self.thumbnails, self.snapshot.position or 0)
        self.overview.setFocus()
