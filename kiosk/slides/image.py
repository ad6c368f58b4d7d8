"""The `image` slide: a picture, with an optional caption.

`fit: contain` shows the whole picture in the content area on the theme's background,
lifted by a soft shadow, the caption under it in muted type. `fit: cover` fills the
whole slide (cropping what does not fit); the caption then sits on a translucent band at
the bottom in the theme's background colour (dark on a dark theme), which also carries
the source line and footer, drawn again above the picture.

The picture is decoded once per size at the size it is shown (contain: the whole picture
in its box; cover: only the part that covers the slide), never at the file's full size and
never for longer than kiosk/decode.py allows, scaled to its final size and kept with its
shadow in the layout, so a frame is a few blits.
A file that cannot be read (corrupt, not an image, gone since the playlist was checked)
shows a plain panel with a drawn picture icon, "图片无法显示" and the file's name: never
a crash, never a black screen.

Animation (0.8 s, ease-out): the picture fades in while settling from 1.03x to its size.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from kiosk import numbers
from kiosk.playlist.model import ImageSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.layout import wrapped_height
from kiosk.slides.sprites import Sprite, draw_all, paint_sprite, text_sprite
from kiosk.theme import Metrics

log = logging.getLogger(__name__)

#: the picture starts this much larger and settles to its size
START_SCALE = 1.03
#: a picture smaller than its box is enlarged at most this much (contain)
MAX_UPSCALE = 2.0
#: what the placeholder says
BROKEN_TEXT = "图片无法显示"


@dataclass(frozen=True)
class Placeholder:
    """The panel shown instead of a picture that cannot be read, drawn once into `sprite`."""

    panel: QRectF
    icon: QRectF
    message_box: QRectF
    name_box: QRectF
    sprite: Sprite


@dataclass(frozen=True)
class ImageLayout:
    vmin: float
    image: QImage | None  # scaled to `target` (None: the placeholder is shown)
    target: QRectF  # where the picture goes at rest
    shadow: QImage | None
    shadow_rect: QRectF
    band: QRectF | None  # cover: the translucent band under the caption and chrome
    caption: Sprite | None
    chrome: list[Sprite]  # cover: the chrome's strips, drawn again on top
    placeholder: Placeholder | None


def contain_rect(box: QRectF, width: float, height: float) -> QRectF:
    """The largest rect of the given aspect centred in box."""
    scale = min(box.width() / width, box.height() / height)
    w, h = width * scale, height * scale
    return QRectF(box.center().x() - w / 2, box.center().y() - h / 2, w, h)


def opaque_or_premultiplied(image: QImage) -> QImage:
    """The image in the format the raster painter blends fastest: RGB32 when it has no
    alpha (photos), premultiplied ARGB when it does (a logo with a transparent ground)."""
    if image.hasAlphaChannel():
        return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return image.convertToFormat(QImage.Format.Format_RGB32)


def scaled_to(image: QImage, size: QSizeF, ratio: float) -> QImage:
    """image scaled smoothly to exactly `size` (logical pixels) at the pixel ratio, in the
    format that blits fastest: prepared once, so a frame copies it unscaled."""
    result = opaque_or_premultiplied(
        image.scaled(
            round(size.width() * ratio), round(size.height() * ratio),
            Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation,
        )
    )  # fmt: skip
    result.setDevicePixelRatio(ratio)
    return result


def soft_shadow(size: QSize, blur: float, color: QColor) -> QImage:
    """A blurred rectangle: drawn small, then scaled up smoothly (a cheap, soft blur)."""
    factor = 8.0
    small_w = max(4, math.ceil((size.width() + 2 * blur) / factor))
    small_h = max(4, math.ceil((size.height() + 2 * blur) / factor))
    small = QImage(small_w, small_h, QImage.Format.Format_ARGB32_Premultiplied)
    small.fill(0)
    painter = QPainter(small)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    inset = blur / factor
    painter.fillRect(QRectF(inset, inset, small_w - 2 * inset, small_h - 2 * inset), color)
    painter.end()
    return small.scaled(
        round(size.width() + 2 * blur),
        round(size.height() + 2 * blur),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def picture_icon(rect: QRectF) -> QPainterPath:
    """An outline picture icon (frame, sun, two hills) filling rect, as one path."""
    path = QPainterPath()
    w, h = rect.width(), rect.height()
    radius = min(w, h) * 0.08
    path.addRoundedRect(rect, radius, radius)
    sun = QPointF(rect.left() + w * 0.7, rect.top() + h * 0.3)
    path.addEllipse(sun, h * 0.1, h * 0.1)
    path.moveTo(rect.left() + w * 0.08, rect.bottom() - h * 0.14)
    path.lineTo(rect.left() + w * 0.36, rect.top() + h * 0.45)
    path.lineTo(rect.left() + w * 0.58, rect.bottom() - h * 0.32)
    path.lineTo(rect.left() + w * 0.7, rect.top() + h * 0.56)
    path.lineTo(rect.right() - w * 0.08, rect.bottom() - h * 0.14)
    return path


class ImageView(SlideView):
    """A picture, contained with a shadow or covering the slide."""

    model: ImageSlide
    entry_seconds = 0.8
    _warned = False  # the unreadable file is logged once, not once per size

    # ------------------------------------------------------------ timing (pure)

    def scale_at(self, t: float) -> float:
        """The picture's scale at t: 1.03 settling to exactly 1."""
        return START_SCALE - (START_SCALE - 1.0) * numbers.ease_out_cubic(t)

    def opacity_at(self, t: float) -> float:
        """The picture's (and caption's) opacity at t."""
        return numbers.ease_out_cubic(t)

    # ------------------------------------------------------------ layout

    def _caption_font(self, width: float, vmin: float) -> QFont:
        return paint.fit_font(
            lambda px: self.theme.font(px), self.model.caption or "", QRectF(0, 0, width, vmin * 20),
            vmin * 3.2, vmin * 2.2, max_lines=2,
        )  # fmt: skip

    def _caption_height(self, font: QFont, width: float) -> float:
        return wrapped_height(self.model.caption or "", font, width, 2)

    def compute_layout(self, metrics: Metrics) -> ImageLayout:
        if self.model.fit == "cover":
            layout = self._cover_layout(metrics)
            if layout is not None:
                return layout
        # A picture that cannot be read gets the placeholder, whatever its fit.
        return self._contain_layout(metrics)

    def _load(self, width: float, height: float, fit: str) -> QImage | None:
        image = paint.load_image(self.context.resolve(self.model.src), width, height, fit)
        if image is None and not self._warned:
            self._warned = True
            log.warning("image slide: %s cannot be read; a placeholder is shown", self.model.src)
        return image

    def _contain_layout(self, metrics: Metrics) -> ImageLayout:
        vmin = metrics.vmin
        content = metrics.content_rect()
        ratio = self.devicePixelRatioF()
        caption_font = None
        caption_h = gap = 0.0
        if self.model.caption:
            caption_font = self._caption_font(content.width(), vmin)
            caption_h = self._caption_height(caption_font, content.width())
            gap = vmin * 2.2
        box = QRectF(content.left(), content.top(), content.width(), content.height() - caption_h - gap)
        image = self._load(box.width() * ratio, box.height() * ratio, "contain")
        placeholder = None
        shadow = None
        shadow_rect = QRectF()
        if image is not None:
            target = contain_rect(box, image.width(), image.height())
            largest = image.width() / ratio * MAX_UPSCALE
            if target.width() > largest:
                # A small picture blown up to the whole wall looks worse than a smaller, crisp one.
                target = QRectF(0, 0, largest, largest * image.height() / image.width())
                target.moveCenter(box.center())
        else:
            target = self._placeholder_panel(box, metrics.portrait)
        # The picture and its caption, as a group, centred in the content area; on whole
        # pixels, so the still frame is a plain copy of the prepared picture (sharp, cheap).
        group_h = target.height() + (gap + caption_h if caption_font else 0.0)
        target.translate(0, content.top() + (content.height() - group_h) / 2 - target.top())
        if image is not None:
            target = QRectF(target.toRect())
            image = scaled_to(image, target.size(), ratio)
            blur = round(vmin * 2.2)
            shadow = soft_shadow(
                target.size().toSize(), blur, QColor(0, 0, 0, 150 if self.theme.spec.dark else 70)
            )
            shadow_rect = QRectF(
                target.left() - blur, target.top() - blur + round(vmin * 0.8), shadow.width(), shadow.height()
            )
        if image is None:
            placeholder = self._placeholder(target, vmin, ratio)
        caption = None
        if caption_font is not None and self.model.caption:
            caption_box = QRectF(content.left(), target.bottom() + gap, content.width(), caption_h)
            muted = self.theme.color("muted")
            caption = text_sprite(
                caption_box, self.model.caption, caption_font, muted, paint.ALIGN_TOP_CENTER, dpr=ratio
            )
        return ImageLayout(vmin, image, target, shadow, shadow_rect, None, caption, [], placeholder)

    def _cover_layout(self, metrics: Metrics) -> ImageLayout | None:
        """The picture over the whole slide; None when it cannot be read."""
        vmin = metrics.vmin
        content = metrics.content_rect()
        ratio = self.devicePixelRatioF()
        full = QRectF(0, 0, metrics.width, metrics.height)
        image = self._load(full.width() * ratio, full.height() * ratio, "cover")
        if image is None:
            return None
        image = self._cropped(image, full, ratio)
        # The band carries the caption and the chrome's bottom line (drawn again on top),
        # and is there only when it has something to carry.
        band = caption = None
        top = None
        if self.model.caption:
            font = self._caption_font(content.width(), vmin)
            height = self._caption_height(font, content.width())
            box = QRectF(content.left(), content.bottom() - height, content.width(), height)
            caption = text_sprite(
                box, self.model.caption, font, self.theme.color("text"), paint.ALIGN_TOP_LEFT,
                dpr=ratio,
            )  # fmt: skip
            top = box.top() - vmin * 2.5
        elif self.model.source or self.theme.spec.footer:
            top = metrics.safe_rect().bottom() - vmin * 8
        if top is not None:
            band = QRectF(0, top, metrics.width, metrics.height - top)
        chrome = self._chrome_strips(metrics)
        return ImageLayout(vmin, image, full, None, QRectF(), band, caption, chrome, None)

    def _cropped(self, image: QImage, full: QRectF, ratio: float) -> QImage:
        """The middle of image, scaled to cover `full` exactly (the crop is done once here)."""
        scale = max(full.width() * ratio / image.width(), full.height() * ratio / image.height())
        w, h = round(full.width() * ratio / scale), round(full.height() * ratio / scale)
        middle = image.copy((image.width() - w) // 2, (image.height() - h) // 2, w, h)
        return scaled_to(middle, full.size(), ratio)

    def _chrome_strips(self, metrics: Metrics) -> list[Sprite]:
        """The chrome (source, footer, logo) drawn once into sprites of the two strips where
        it lives (top and bottom), to blit above a covering picture."""
        safe = metrics.safe_rect()
        vmin = metrics.vmin
        ratio = self.devicePixelRatioF()

        def paint_chrome(painter: QPainter) -> None:
            paint.slide_chrome(painter, metrics, self.model, self.theme)

        strips = (
            QRectF(0, 0, metrics.width, safe.top() + vmin * 12),
            QRectF(0, safe.bottom() - vmin * 8, metrics.width, metrics.height - safe.bottom() + vmin * 8),
        )
        return [paint_sprite(strip, paint_chrome, dpr=ratio) for strip in strips]

    def _placeholder(self, panel: QRectF, vmin: float, ratio: float) -> Placeholder:
        """The panel that stands in for a picture that cannot be read: a plain panel, an
        outline picture icon, "图片无法显示" and the file's name, all in muted colours."""
        icon_h = panel.height() * 0.26
        icon = QRectF(0, 0, icon_h * 1.3, icon_h)
        icon.moveCenter(QPointF(panel.center().x(), panel.top() + panel.height() * 0.33))
        muted = self.theme.color("muted")
        inner = QRectF(panel.left() + panel.width() * 0.05, 0, panel.width() * 0.9, 0)
        message_font = paint.fit_font(
            lambda px: self.theme.font(px, QFont.Weight.Bold), BROKEN_TEXT,
            QRectF(0, 0, inner.width(), vmin * 8), vmin * 4, vmin * 2.4, wrap=False,
        )  # fmt: skip
        message_box = QRectF(inner.left(), icon.bottom() + panel.height() * 0.08, inner.width(),
                             QFontMetricsF(message_font).height() + 2)  # fmt: skip
        name_font = self.theme.font(max(vmin * 2.0, message_font.pixelSize() * 0.6))
        name_box = QRectF(inner.left(), message_box.bottom() + vmin * 0.8, inner.width(),
                          QFontMetricsF(name_font).height() + 2)  # fmt: skip

        pen_width = max(1.5, vmin * 0.35)

        def paint_placeholder(painter: QPainter) -> None:
            radius = panel.height() * 0.05
            painter.setPen(QPen(paint.with_alpha(muted, 0.35), max(1.0, pen_width * 0.5)))
            painter.setBrush(self.theme.color("panel"))
            painter.drawRoundedRect(panel, radius, radius)
            pen = QPen(paint.with_alpha(muted, 0.8), pen_width)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(picture_icon(icon))
            paint.draw_text(
                painter, message_box, BROKEN_TEXT, message_font, muted, paint.ALIGN_CENTER, wrap=False
            )
            paint.draw_text(
                painter, name_box, self.model.src, name_font, paint.with_alpha(muted, 0.8),
                paint.ALIGN_CENTER, wrap=False,
            )  # fmt: skip

        area = panel.adjusted(-pen_width, -pen_width, pen_width, pen_width)
        sprite = paint_sprite(area, paint_placeholder, dpr=ratio)
        return Placeholder(QRectF(panel), icon, message_box, name_box, sprite)

    def _placeholder_panel(self, box: QRectF, portrait: bool) -> QRectF:
        """The placeholder panel's rect, centred in box: a calm 16:10 card."""
        width = min(box.width() * (0.85 if portrait else 0.6), box.height() * 0.9 * 1.6)
        panel = QRectF(0, 0, width, width / 1.6)
        panel.moveCenter(box.center())
        return panel

    # ------------------------------------------------------------ paint

    def paint_content(self, painter: QPainter, layout: ImageLayout, t: float) -> None:
        opacity = self.opacity_at(t)
        if opacity <= 0:
            return
        scale = self.scale_at(t)
        painter.save()
        painter.setOpacity(painter.opacity() * opacity)
        if layout.shadow is not None:
            # Unscaled: a soft blur does not show a 3 % size change, and a plain blit is cheap.
            painter.drawImage(layout.shadow_rect.topLeft(), layout.shadow)
        if scale != 1.0:
            center = layout.target.center() if layout.image is not None else QPointF()
            if layout.placeholder is not None:
                center = layout.placeholder.panel.center()
            painter.translate(center)
            painter.scale(scale, scale)
            painter.translate(-center)
        if layout.image is not None:
            painter.drawImage(layout.target.topLeft(), layout.image)
        elif layout.placeholder is not None:
            layout.placeholder.sprite.draw(painter)
        painter.restore()
        if layout.band is not None:
            painter.save()
            painter.setOpacity(painter.opacity() * opacity)
            painter.fillRect(layout.band, paint.with_alpha(self.theme.color("background_top"), 0.72))
            painter.restore()
        draw_all(painter, layout.chrome)
        if layout.caption is not None:
            layout.caption.draw(painter, opacity=opacity)
