"""The `title` slide: the show's opening (or a section's), a centred composition.

From the top: the logo (when given), the title large and bold, a gold rule, the subtitle
in muted type, and the footer small at the bottom of the content area. The stack is
centred a little above the middle, where the eye rests on a screen seen from afar.

Animation (1.2 s, ease-out, nothing bounces): the logo fades in; the title rises a little
as it fades in; the rule grows out from the centre; the subtitle follows the title up;
the footer fades in last. Everything is a function of t, so t=1 is the final frame.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter

from kiosk.playlist.model import TitleSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import fit_headline
from kiosk.slides.layout import fade, wrapped_height
from kiosk.slides.sprites import Sprite, text_sprite
from kiosk.theme import Metrics

log = logging.getLogger(__name__)

#: when each part starts and how long it takes to come in (seconds into the entry)
LOGO_TIMING = (0.0, 0.6)
TITLE_TIMING = (0.0, 0.75)
RULE_TIMING = (0.3, 0.6)
SUBTITLE_TIMING = (0.45, 0.6)
FOOTER_TIMING = (0.65, 0.55)
#: how far (in vmin) the title and the subtitle rise while they fade in
TITLE_RISE_VMIN = 2.5
SUBTITLE_RISE_VMIN = 1.5


@dataclass(frozen=True)
class TitleStages:
    """How far in (0..1, eased) each part of the slide is at one moment."""

    logo: float
    title: float
    rule: float
    subtitle: float
    footer: float


@dataclass(frozen=True)
class TitleLayout:
    vmin: float
    logo: QImage | None
    logo_box: QRectF
    title_box: QRectF
    title_font: QFont
    rule_center: QPointF
    rule_length: float
    rule_thickness: float
    subtitle_box: QRectF | None
    subtitle_font: QFont | None
    footer_box: QRectF | None
    footer_font: QFont | None
    title_sprite: Sprite
    subtitle_sprite: Sprite | None
    footer_sprite: Sprite | None


class TitleView(SlideView):
    """An opening or section slide: a big centred title."""

    model: TitleSlide
    entry_seconds = 1.2
    _warned = False

    # ------------------------------------------------------------ timing (pure)

    def stages(self, t: float) -> TitleStages:
        """Each part's eased progress at t (0 = not yet shown, 1 = in place)."""
        elapsed = t * self.entry_duration()

        def stage(timing: tuple[float, float]) -> float:
            return fade(elapsed, *timing)

        return TitleStages(
            stage(LOGO_TIMING), stage(TITLE_TIMING), stage(RULE_TIMING), stage(SUBTITLE_TIMING),
            stage(FOOTER_TIMING),
        )  # fmt: skip

    # ------------------------------------------------------------ layout

    def load_logo(self, size: float) -> QImage | None:
        """The logo decoded for `size`, or None (no logo, or a file that cannot be read)."""
        if not self.model.logo:
            return None
        image = paint.load_image(self.context.resolve(self.model.logo), size, size)
        if image is None and not self._warned:
            self._warned = True  # once, not once per size
            log.warning("title slide: the logo %s cannot be read; shown without it", self.model.logo)
        return image

    def compute_layout(self, metrics: Metrics) -> TitleLayout:
        vmin = metrics.vmin
        content = metrics.content_rect()
        portrait = metrics.portrait
        width = content.width() * (1.0 if portrait else 0.86)
        left = content.center().x() - width / 2

        # Footer: one small line at the bottom of the content area.
        footer_box = footer_font = None
        bottom = content.bottom()
        if self.model.footer:
            footer_font = paint.fit_font(
                lambda px: self.theme.font(px), self.model.footer,
                QRectF(0, 0, width, vmin * 4), vmin * 2.8, vmin * 2.0, wrap=False,
            )  # fmt: skip
            height = paint.text_size("X", footer_font)[1] + 2
            footer_box = QRectF(left, content.bottom() - height, width, height)
            bottom = footer_box.top() - vmin * 3

        # Title and subtitle break between phrases where that costs little size (breaks.py).
        title_lines = 3 if portrait else 2
        title_font, title = fit_headline(
            lambda px: self.theme.font(px, QFont.Weight.Bold), self.model.title,
            QRectF(0, 0, width, content.height() * 0.45), vmin * (13 if portrait else 11), vmin * 5,
            title_lines,
        )  # fmt: skip
        title_height = wrapped_height(title, title_font, width, title_lines)

        subtitle_font = None
        subtitle = self.model.subtitle or ""
        subtitle_height = 0.0
        if subtitle:
            subtitle_room = QRectF(0, 0, width, content.height() * 0.25)
            subtitle_font, subtitle = fit_headline(
                lambda px: self.theme.font(px), subtitle, subtitle_room,
                vmin * (5.6 if portrait else 4.6), vmin * 2.8, 2,
            )  # fmt: skip
            subtitle_height = wrapped_height(subtitle, subtitle_font, width, 2)

        logo_size = vmin * (18 if portrait else 14)
        logo = self.load_logo(logo_size)
        logo_height = 0.0
        if logo is not None:
            logo = logo.scaled(
                round(logo_size), round(logo_size),
                Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation,
            )  # fmt: skip
            logo_height = logo.height() + vmin * 4

        rule_gap = vmin * 3.2
        rule_thickness = vmin * 0.6
        stack = logo_height + title_height + rule_gap + rule_thickness
        if subtitle_font is not None:
            stack += rule_gap + subtitle_height
        # Optically centred: a little above the middle of the free area.
        top = content.top() + max(0.0, bottom - content.top() - stack) * (0.42 if portrait else 0.45)

        logo_box = QRectF()
        if logo is not None:
            logo_box = QRectF(content.center().x() - logo.width() / 2, top, logo.width(), logo.height())
            top += logo_height
        title_box = QRectF(left, top, width, title_height)
        rule_y = title_box.bottom() + rule_gap + rule_thickness / 2
        subtitle_box = None
        if subtitle_font is not None:
            subtitle_box = QRectF(left, rule_y + rule_thickness / 2 + rule_gap, width, subtitle_height)
        # Drawn once into sprites: the big title and the fading texts blit fast.
        ratio = self.devicePixelRatioF()
        title_sprite = text_sprite(
            title_box, title, title_font, self.theme.color("text"), paint.ALIGN_TOP_CENTER,
            dpr=ratio,
        )  # fmt: skip
        subtitle_sprite = footer_sprite = None
        if subtitle_box is not None and subtitle_font is not None and subtitle:
            subtitle_sprite = text_sprite(
                subtitle_box, subtitle, subtitle_font, self.theme.color("muted"),
                paint.ALIGN_TOP_CENTER, dpr=ratio,
            )  # fmt: skip
        if footer_box is not None and footer_font is not None and self.model.footer:
            footer_sprite = text_sprite(
                footer_box, self.model.footer, footer_font, paint.with_alpha(self.theme.color("muted"), 0.9),
                paint.ALIGN_CENTER, wrap=False, dpr=ratio,
            )  # fmt: skip
        return TitleLayout(
            vmin, logo, logo_box, title_box, title_font, QPointF(content.center().x(), rule_y),
            vmin * 12, rule_thickness, subtitle_box, subtitle_font, footer_box, footer_font,
            title_sprite, subtitle_sprite, footer_sprite,
        )  # fmt: skip

    # ------------------------------------------------------------ paint

    def paint_content(self, painter: QPainter, layout: TitleLayout, t: float) -> None:
        stages = self.stages(t)
        vmin = layout.vmin
        if layout.logo is not None and stages.logo > 0:
            painter.save()
            painter.setOpacity(stages.logo)
            paint.draw_image_contain(painter, layout.logo_box, layout.logo)
            painter.restore()
        rise = (1 - stages.title) * vmin * TITLE_RISE_VMIN
        layout.title_sprite.draw(painter, dy=rise, opacity=stages.title)
        if stages.rule > 0:
            length = layout.rule_length * stages.rule
            start = QPointF(layout.rule_center.x() - length / 2, layout.rule_center.y())
            paint.accent_rule(painter, self.theme, start, length, layout.rule_thickness)
        if layout.subtitle_sprite is not None:
            rise = (1 - stages.subtitle) * vmin * SUBTITLE_RISE_VMIN
            layout.subtitle_sprite.draw(painter, dy=rise, opacity=stages.subtitle)
        if layout.footer_sprite is not None:
            layout.footer_sprite.draw(painter, opacity=stages.footer)
