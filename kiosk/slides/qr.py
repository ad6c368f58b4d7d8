"""The `qr` slide: a QR code for a web address or text, with a caption, for phones to scan.

Phones must read it from across a lobby, so the code is drawn for scanning, not for looks:
- dark modules on a light tile on every theme (camera apps expect dark on light; many do
  not read an inverted code), with the quiet zone of 4 modules the standard asks for;
- each module a whole number of device pixels, placed on whole device pixels, drawn as
  rectangles with antialiasing off: edges stay sharp at any screen size, never a
  scaled, blurred bitmap;
- as big as the slide allows: on a landscape screen the code stands left of its caption,
  on a portrait one above it.
The code (segno, in the model's `qr_code`) is made once per view and drawn once per size
into a sprite; the entry fades the tile in, then the caption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from kiosk.playlist.model import QrSlide, qr_code
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import fit_headline
from kiosk.slides.layout import TitleBlock, fade, text_units, title_block, title_sprite
from kiosk.slides.sprites import Sprite, paint_sprite, sprite_reach, text_sprite
from kiosk.theme import Metrics

#: modules of light margin around the code (ISO/IEC 18004 asks for 4)
QUIET_ZONE = 4
#: the tile and the modules: near-white and near-black whatever the theme
TILE = QColor("#ffffff")
DARK = QColor("#0a0f1a")
#: seconds the tile takes to fade in; the caption follows after CAPTION_DELAY
TILE_IN_SECONDS = 0.6
CAPTION_DELAY = 0.3
CAPTION_IN_SECONDS = 0.6


def module_size(available: float, modules: int, dpr: float = 1.0) -> float:
    """The side of one module in logical pixels: the largest whole number of device
    pixels at which the code and its quiet zone fit `available` (at least one)."""
    device = math.floor(available * dpr / (modules + 2 * QUIET_ZONE))
    return max(1, device) / dpr


def dark_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each run of dark modules: one rectangle a run, so
    neighbours share an edge exactly and no hairline seams show between them."""
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return runs


@dataclass(frozen=True)
class QrLayout:
    title: TitleBlock
    tile: QRectF  # the light tile: the code and its quiet zone
    module: float
    code: Sprite
    caption: Sprite | None
    address: Sprite | None
    title_sprite: Sprite | None
    rise: float


class QrView(SlideView):
    """A QR code on a light tile, its caption beside or under it."""

    model: QrSlide
    entry_seconds = CAPTION_DELAY + CAPTION_IN_SECONDS + 0.3

    @cached_property
    def matrix(self) -> list[list[bool]]:
        """The code's modules, True for dark (no quiet zone; the layout adds it)."""
        code = qr_code(self.model.text, self.model.error)
        return [[bool(m) for m in row] for row in code.matrix]

    # ------------------------------------------------------------ timing (pure)

    def tile_opacity(self, t: float) -> float:
        return fade(t * self.entry_duration(), 0.0, TILE_IN_SECONDS)

    def caption_opacity(self, t: float) -> float:
        return fade(t * self.entry_duration(), CAPTION_DELAY, CAPTION_IN_SECONDS)

    # ------------------------------------------------------------ layout

    def address_text(self) -> str | None:
        """The web address as people would type it (no https://), shown small under the
        caption for those who cannot scan; None for text that is not a short address."""
        text = self.model.text.strip()
        for scheme in ("https://", "http://"):
            if text.lower().startswith(scheme):
                text = text[len(scheme) :]
                break
        else:
            return None
        text = text.rstrip("/")
        return text if 0 < len(text) <= 60 and not any(c.isspace() for c in text) else None

    def compute_layout(self, metrics: Metrics) -> QrLayout:
        vmin, dpr = metrics.vmin, self.devicePixelRatioF()
        block = title_block(self.theme, metrics, self.model.title)
        body = block.body
        caption = self.model.caption or ""
        address = self.address_text()
        modules = len(self.matrix)
        if metrics.portrait:
            text_h = (vmin * 20 if caption else 0) + (vmin * 5 if address else 0)
            side = min(body.width() * 0.82, body.height() - text_h - vmin * 4)
            module = module_size(side, modules, dpr)
            size = module * (modules + 2 * QUIET_ZONE)
            left = _on_pixel(body.center().x() - size / 2, dpr)
            top = _on_pixel(body.top() + max(0.0, (body.height() - size - text_h - vmin * 4) * 0.4), dpr)
            tile = QRectF(left, top, size, size)
            text_box = QRectF(body.left(), tile.bottom() + vmin * 4, body.width(), text_h)
            align = paint.ALIGN_TOP_CENTER
        else:
            side = min(body.height(), body.width() * 0.46)
            module = module_size(side, modules, dpr)
            size = module * (modules + 2 * QUIET_ZONE)
            gap = vmin * 6
            text_w = min(body.width() - size - gap, vmin * 90) if caption or address else 0.0
            top = _on_pixel(body.center().y() - size / 2, dpr)
            align = paint.ALIGN_TOP_LEFT
            # The code and the text are centred together by what the text really takes:
            # laid out once in all the room there is, then placed.
            trial = self._texts(caption, address, QRectF(0, top, text_w, size), align, metrics)
            used = max((_ink_width(sprite) for sprite in trial if sprite is not None), default=0.0)
            group = size + (gap + used if used else 0.0)
            left = _on_pixel(body.center().x() - group / 2, dpr)
            tile = QRectF(left, top, size, size)
            text_box = QRectF(tile.right() + gap, tile.top(), text_w, size)
        caption_sprite, address_sprite = self._texts(caption, address, text_box, align, metrics)
        code = paint_sprite(tile, lambda painter: self._paint_code(painter, tile, module), dpr=dpr)
        return QrLayout(
            block, tile, module, code, caption_sprite, address_sprite,
            title_sprite(self.theme, block, dpr), vmin * 2,
        )  # fmt: skip

    def _texts(
        self, caption: str, address: str | None, box: QRectF, align: Qt.AlignmentFlag, metrics: Metrics
    ) -> tuple[Sprite | None, Sprite | None]:
        """The caption, big (fitted in up to 3 lines, broken between phrases), and the
        address under it, small and muted; centred together on the box's height."""
        vmin, dpr = metrics.vmin, self.devicePixelRatioF()
        if box.width() <= 0:
            return None, None
        address_font = self.theme.font(vmin * 2.6)
        address_h = vmin * 4.4 if address else 0.0
        caption_sprite = None
        caption_h = 0.0
        if caption:
            room = QRectF(0, 0, box.width(), min(box.height() - address_h, vmin * 22))
            max_px = vmin * (6.4 if text_units(caption) <= 10 else 5.2)
            font, shown = fit_headline(
                lambda px: self.theme.font(px, QFont.Weight.Bold), caption, room, max_px, vmin * 3.4, 3
            )
            caption_h = paint.text_size(shown, font, box.width())[1]
            caption_top = box.top() + (
                (box.height() - caption_h - address_h) / 2 if not metrics.portrait else 0.0
            )
            caption_box = QRectF(box.left(), caption_top, box.width(), caption_h + 2)
            caption_sprite = text_sprite(caption_box, shown, font, self.theme.color("text"), align, dpr=dpr)
        address_sprite = None
        if address:
            top = (caption_sprite.box.bottom() if caption_sprite else box.center().y() - address_h / 2) + vmin
            address_box = QRectF(box.left(), top, box.width(), address_h)
            address_sprite = text_sprite(
                address_box, address, address_font, self.theme.color("muted"),
                align, wrap=False, dpr=dpr,
            )  # fmt: skip
        return caption_sprite, address_sprite

    def _paint_code(self, painter: QPainter, tile: QRectF, module: float) -> None:
        """The tile and the dark modules, each on whole device pixels, edges hard."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(tile, TILE)
        if not self.theme.spec.dark:  # a hairline keeps the white tile apart from a light page
            edge = paint.with_alpha(self.theme.color("muted"), 0.35)
            width = 1.0 / max(1.0, self.devicePixelRatioF())
            for line in (
                QRectF(tile.left(), tile.top(), tile.width(), width),
                QRectF(tile.left(), tile.bottom() - width, tile.width(), width),
                QRectF(tile.left(), tile.top(), width, tile.height()),
                QRectF(tile.right() - width, tile.top(), width, tile.height()),
            ):
                painter.fillRect(line, edge)
        origin_x = tile.left() + QUIET_ZONE * module
        origin_y = tile.top() + QUIET_ZONE * module
        for y, x, length in dark_runs(self.matrix):
            painter.fillRect(
                QRectF(origin_x + x * module, origin_y + y * module, length * module, module), DARK
            )
        painter.restore()

    # ------------------------------------------------------------ paint

    def animated_area(self, layout: QrLayout) -> QRectF | None:
        area = QRectF(layout.tile)
        for sprite in (layout.caption, layout.address):
            if sprite is not None:
                area = area.united(sprite.box)
        return sprite_reach(area, extra=abs(layout.rise) + 2)

    def paint_content(self, painter: QPainter, layout: QrLayout, t: float) -> None:
        if layout.title_sprite is not None:
            layout.title_sprite.draw(painter)
        # The code never moves or scales: only its opacity changes, so every frame of it
        # is as sharp as the last.
        layout.code.draw(painter, opacity=self.tile_opacity(t))
        shown = self.caption_opacity(t)
        rise = layout.rise * (1.0 - shown)
        for sprite in (layout.caption, layout.address):
            if sprite is not None:
                sprite.draw(painter, dy=rise, opacity=shown)


def _ink_width(sprite: Sprite) -> float:
    """How far right of its box's left edge a left-aligned text sprite reaches."""
    ratio = max(1.0, sprite.image.devicePixelRatio())
    return sprite.origin.x() + sprite.image.width() / ratio - sprite.box.left()


def _on_pixel(value: float, dpr: float) -> float:
    """value moved to the nearest whole device pixel."""
    return round(value * dpr) / dpr
