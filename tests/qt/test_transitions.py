"""The transitions' frames: the zoom's cheaper drawing (kiosk/transitions.py) shows the
same picture as the plain one, a smooth translucent scale of the new slide over the
whole old one, within antialiasing; its last frame is the new slide exactly."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

from kiosk.app import ensure_application
from kiosk.numbers import ease_out_cubic
from kiosk.transitions import ZOOM_FADE, ZOOM_FROM, paint_transition

WIDTH, HEIGHT = 960, 540


def slide(colour: str, text: str) -> QPixmap:
    picture = QPixmap(WIDTH, HEIGHT)
    picture.fill(QColor(colour))
    painter = QPainter(picture)
    painter.setPen(QColor("white"))
    font = painter.font()
    font.setPixelSize(60)
    painter.setFont(font)
    painter.drawText(50, 200, text)
    painter.fillRect(600, 300, 200, 120, QColor("#3ecf8e"))
    painter.end()
    return picture


def plain_zoom(old: QPixmap, new: QPixmap, t: float) -> QImage:
    """The zoom as first written: the old slide, the new one scaled smoothly over it at its opacity."""
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    rect = QRectF(0, 0, WIDTH, HEIGHT)
    painter.drawPixmap(rect.topLeft(), old)
    scale = ZOOM_FROM + (1 - ZOOM_FROM) * ease_out_cubic(t)
    painter.setOpacity(min(1.0, t * ZOOM_FADE))
    painter.translate(rect.center())
    painter.scale(scale, scale)
    painter.translate(-rect.center())
    painter.drawPixmap(rect.topLeft(), new)
    painter.end()
    return image


def zoom(old: QPixmap, new: QPixmap, t: float) -> QImage:
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    paint_transition(painter, QRectF(0, 0, WIDTH, HEIGHT), old, new, "zoom", t, 1)
    painter.end()
    return image


def pixels(image: QImage) -> np.ndarray:
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(HEIGHT, image.bytesPerLine())
    return array[:, : WIDTH * 4].reshape(HEIGHT, WIDTH, 4)[..., :3].astype(np.int16)


@pytest.mark.parametrize("t", [0.02, 0.2, 0.4, 0.6, 0.62, 0.7, 0.9, 0.99])
def test_the_zoom_shows_the_plain_zooms_picture(t: float) -> None:
    ensure_application()
    old, new = slide("#123456", "旧的 12.3%"), slide("#c06020", "新的 64.5%")
    difference = np.abs(pixels(zoom(old, new, t)) - pixels(plain_zoom(old, new, t)))
    assert difference.mean() < 1.5, difference.mean()
    # only edges differ (nearest against smooth scaling): a few pixels in a thousand
    assert (difference > 40).any(axis=2).mean() < 0.005


def test_the_zooms_last_frame_is_the_new_slide_exactly() -> None:
    ensure_application()
    old, new = slide("#123456", "旧的"), slide("#c06020", "新的")
    assert (pixels(zoom(old, new, 1.0)) == pixels(new.toImage().convertToFormat(QImage.Format.Format_RGB32))).all()


def test_the_zoom_never_shows_black_between_the_slides() -> None:
    ensure_application()
    old, new = slide("#123456", "旧的"), slide("#c06020", "新的")
    for t in np.linspace(0, 1, 41):
        frame = pixels(zoom(old, new, float(t)))
        assert (frame.sum(axis=2) > 30).all(), t  # every pixel is one slide or a blend of both
