"""The phone remote's pairing code: a QR code of the page's address with the token in its
fragment, drawn crisp (whole pixels per module, quiet zone of 4) for the help overlay."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from kiosk.playlist.model import qr_code
from kiosk.slides.qr import DARK, QUIET_ZONE, TILE, dark_runs


def pairing_matrix(url: str) -> list[list[bool]]:
    """The code's modules (error level L: the fewest modules, so the biggest ones)."""
    return [[bool(module) for module in row] for row in qr_code(url, "L").matrix]


def paint_code(painter: QPainter, matrix: list[list[bool]], box: QRectF) -> QRectF:
    """The code as large as fits `box` (top-left aligned) in whole pixels; its tile."""
    modules = len(matrix) + 2 * QUIET_ZONE
    module = max(1, math.floor(min(box.width(), box.height()) / modules))
    tile = QRectF(round(box.left()), round(box.top()), module * modules, module * modules)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillRect(tile, TILE)
    left, top = tile.left() + QUIET_ZONE * module, tile.top() + QUIET_ZONE * module
    for y, x, length in dark_runs(matrix):
        painter.fillRect(QRectF(left + x * module, top + y * module, length * module, module), DARK)
    painter.restore()
    return tile
