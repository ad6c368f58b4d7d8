"""Sprites: still drawing made once per size into an image, blitted on every frame.

Why: a frame must cost little (60 fps on a small PC), and Qt draws text slowly in two
cases every slide meets: at an opacity below 1 (text that fades in) and with glyphs
larger than about 64 px (its glyph cache stops there; bigger ones are filled as
outlines on every draw). Measured 0.5 to 3.7 ms per line of text that way, against
about 0.05 ms to blit the same line prepared as an image. Laying out, fitting and
eliding text is costly too; a sprite does all of that once, in `compute_layout`.

So texts that fade or move, big digits, cards, rings, a line chart's curves and the
figure slides' titles are drawn into sprites: `text_sprite` for one text laid out in a
box exactly as `paint.draw_text` would draw it there (the image only as large as the
text), `paint_sprite` for anything a function paints in slide coordinates. A frame
then calls `sprite.draw(painter, dx=..., dy=..., opacity=...)`: moved by whole pixels
(so the image is copied, never resampled) and faded by the painter's opacity, which
for an image is a plain blend.

A PDF wants the drawing itself, not its picture (text as text, shapes as paths): inside
`as_vectors()` a sprite draws by calling the function that made it (`kiosk export --pdf`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from kiosk.slides import paint

#: pixels kept around the drawn area (draw_text may paint up to 2 px outside its box,
#: antialiased edges about 1 px)
MARGIN = 3


@dataclass(frozen=True)
class Sprite:
    """A prepared image and where it goes: `origin` (whole pixels) is its top-left on the
    slide; `box` is the area it was made for (a text's box), for layouts and tests."""

    image: QImage
    origin: QPointF
    box: QRectF
    #: what painted the image, in slide coordinates: drawn again as vectors into a PDF
    paint: Callable[[QPainter], None] | None = field(default=None, compare=False, repr=False)

    def draw(self, painter: QPainter, *, dx: float = 0.0, dy: float = 0.0, opacity: float = 1.0) -> None:
        """Blit where it was made, moved by (dx, dy) rounded to whole pixels, at opacity
        (inside as_vectors(): paint it again there instead)."""
        if opacity <= 0:
            return
        if _vectors and self.paint is not None:
            painter.save()
            # As a fresh painter starts, the way paint_sprite gives one: no brush left over
            # from the slide's drawing (a line chart's curves were filled with its legend's).
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.translate(round(dx), round(dy))
            painter.setOpacity(painter.opacity() * min(1.0, opacity))
            self.paint(painter)
            painter.restore()
            return
        target = QPointF(self.origin.x() + round(dx), self.origin.y() + round(dy))
        if opacity >= 1.0:
            painter.drawImage(target, self.image)
            return
        painter.save()
        painter.setOpacity(painter.opacity() * opacity)
        painter.drawImage(target, self.image)
        painter.restore()


_vectors = False


@contextlib.contextmanager
def as_vectors() -> Iterator[None]:
    """Sprites drawn inside paint their drawing again, as vectors (a PDF page), not their picture."""
    global _vectors
    before, _vectors = _vectors, True
    try:
        yield
    finally:
        _vectors = before


def vectors() -> bool:
    """Whether sprites draw as vectors now (inside as_vectors())."""
    return _vectors


def sprite_reach(area: QRectF, extra: float = 1.0) -> QRectF:
    """Everything a sprite made for area may paint: its MARGIN, and `extra` px more (the
    repaint area of a slide's animation, SlideView.animated_area)."""
    grow = MARGIN + extra
    return area.adjusted(-grow, -grow, grow, grow)


def draw_all(painter: QPainter, sprites: Iterable[Sprite | None], opacity: float = 1.0) -> None:
    """Blit each sprite that is there (a layout keeps None for a part a slide lacks)."""
    for sprite in sprites:
        if sprite is not None:
            sprite.draw(painter, opacity=opacity)


def paint_sprite(area: QRectF, paint_into: Callable[[QPainter], None], *, dpr: float = 1.0) -> Sprite:
    """A transparent sprite covering area (and MARGIN around it) with paint_into's drawing,
    made in slide coordinates: paint_into draws exactly as it would on the slide."""
    left = math.floor(area.left()) - MARGIN
    top = math.floor(area.top()) - MARGIN
    width = math.ceil(area.right()) + MARGIN - left
    height = math.ceil(area.bottom()) + MARGIN - top
    ratio = max(1.0, dpr)
    image = QImage(
        max(1, math.ceil(width * ratio)),
        max(1, math.ceil(height * ratio)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(ratio)
    image.fill(0)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.translate(-left, -top)
        paint_into(painter)
    finally:
        painter.end()
    return Sprite(image, QPointF(left, top), QRectF(area), paint_into)


def text_sprite(
    box: QRectF,
    text: str,
    font: QFont,
    pen: QColor,
    align: Qt.AlignmentFlag = paint.ALIGN_LEFT,
    *,
    wrap: bool = True,
    dpr: float = 1.0,
) -> Sprite:
    """A sprite of text laid out in box exactly as paint.draw_text would draw it there.

    The image covers only what the text takes of box (a short line in a wide box is a
    small image: less to blend each frame); `box` is kept as the sprite's box."""
    shown = paint.elide_to_box(text, font, box, wrap)
    flags = int(align) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
    used = QFontMetricsF(font).boundingRect(box, flags, shown).intersected(box)
    sprite = paint_sprite(
        used, lambda painter: paint.draw_text(painter, box, text, font, pen, align, wrap=wrap), dpr=dpr
    )
    return replace(sprite, box=QRectF(box))
