"""The layers over a slide cost nothing while they have nothing to draw there (issue 19):
the overlay takes part only in the status row unless a dialog is open, and the progress
bar repaints only the pixels that change colour."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QApplication

from kiosk.app import ensure_application
from kiosk.commands import Command
from kiosk.overlays import ProgressBar
from kiosk.theme import load_theme
from kiosk.window import ShowWindow
from tests.qt.shows import playing_window

SHOW = """
defaults: {duration: 10s, transition: none}
slides:
  - {type: stat, label: 破案率, value: 99.2, unit: "%", id: rate}
  - {type: title, title: 第二, id: two}
"""


class Paints(QObject):
    """The rectangles of the paint events a widget gets."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())  # type: ignore[attr-defined]
        return False


def make_window(qtbot, tmp_path) -> ShowWindow:
    return playing_window(qtbot, tmp_path, SHOW, size=(960, 540))


def test_a_count_up_does_not_repaint_the_overlay(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    view = window.view
    assert view is not None
    view.stop()
    QApplication.processEvents()  # what was pending from the start (the counter) is painted
    overlay_paints, view_paints = Paints(), Paints()
    window.overlay.installEventFilter(overlay_paints)
    view.installEventFilter(view_paints)
    for step in range(1, 10):
        view.set_progress(step / 10)
        window.repaint(view.repaint_area(step / 10) or view.rect())
        QApplication.processEvents()
    assert len(view_paints.rects) >= 9  # the number counted
    # and the layer over it was left alone: it paints, if at all (a late first paint on a
    # busy machine), only its status row, never under the counting number
    band = window.overlay._status_band(window.overlay.metrics())
    counting = view.repaint_area(0.5)
    assert counting is not None and not counting.intersects(band)
    assert all(band.contains(rect) for rect in overlay_paints.rects), overlay_paints.rects
    window.run(Command.HELP)
    QApplication.processEvents()
    window.repaint()
    assert overlay_paints.rects, "with the help open the overlay paints over the slide"
    window.run(Command.HELP)
    window.quit()


def test_the_progress_bar_repaints_only_what_changes(qtbot) -> None:
    ensure_application()
    progress = [0.25]
    bar = ProgressBar(load_theme("police-blue"), lambda: progress[0])
    qtbot.addWidget(bar)
    bar.resize(1000, 6)
    bar.show()
    qtbot.waitExposed(bar)
    bar.refresh()
    QApplication.processEvents()
    paints = Paints()
    bar.installEventFilter(paints)
    progress[0] = 0.26
    bar.refresh()
    QApplication.processEvents()
    assert paints.rects and max(r.width() for r in paints.rects) <= 12, paints.rects
