"""The alert layer: an alert (kiosk/alerts.py) drawn over the whole show, above the slide,
the overlays and the black screen (an evacuation notice must show on a blacked wall).

Read from across a hall: the theme's own font, bold, as large as the screen allows (the
message up to 11 vmin, in at most four lines, five on a portrait screen, one more when it
is set a phrase a line), broken between phrases where Chinese allows (kiosk/slides/
breaks.py). The title is a label above it. Each priority has a look that says how much it
matters before a word is read:
- info: a band across the lowest 30% in the theme's dark colours with an accent rule on
  top and a gold title; the slide above it goes on.
- warning: the slide dimmed, an amber band across the middle with near-black type, the
  title amber on a black pill.
- urgent: the whole screen red, white type, the title red on a white pill; nothing of the
  show behind it.

Mouse and touch pass through to the window below: the operator can still move the show.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.alerts import ActiveAlert
from kiosk.drawing import (
    ALIGN_CENTER,
    FontFactory,
    draw_text,
    fit_font,
    fit_size,
    fits_box,
    text_size,
    with_alpha,
)
from kiosk.slides.breaks import (
    BREAK_AFTER,
    PHRASE_SHARE,
    break_points,
    fit_headline,
    tidy_breaks,
    wrapped_lines,
)
from kiosk.theme import Metrics, Theme

#: fixed colours, the same on every theme: an urgent alert must not look like a slide
URGENT_RED = QColor("#b3261e")
WARNING_AMBER = QColor("#f2a900")
NEAR_BLACK = QColor("#1a1300")
WHITE = QColor("#ffffff")
#: how dark the slide behind a warning gets
WARNING_DIM = 0.72


@dataclass(frozen=True)
class AlertLook:
    """Where and in what colours a priority draws."""

    band: QRectF  # the coloured area
    dim: float  # 0..1 darkening of everything outside the band
    fill: QColor
    text: QColor
    rule: QColor | None  # a line along the band's top edge
    title_text: QColor
    title_fill: QColor | None  # a pill behind the title: a notice's label, read first


@dataclass(frozen=True)
class AlertLayout:
    look: AlertLook
    title_box: QRectF | None
    title_font: QFont | None
    title: str
    message_box: QRectF
    message_font: QFont
    message: str  # with its line breaks


class AlertLayer(QWidget):
    """Shows one alert (or nothing: then it is hidden)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.active: ActiveAlert | None = None
        self._layout: AlertLayout | None = None
        #: the alert painted once per layout: a slide animating under a band repaints the
        #: band's part of the layer every frame, and a blit costs a fraction of the text
        self._picture: QPixmap | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def set_alert(self, active: ActiveAlert | None) -> None:
        """Show `active` (None: hide the layer)."""
        self.active = active
        self._invalidate()
        # An urgent alert covers every pixel: Qt then leaves the slide under it unpainted.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, _covers(active))
        self.setVisible(active is not None)
        if active is not None:
            self.raise_()
            self.update()

    def set_theme(self, theme: Theme) -> None:
        if theme is not self.theme:
            self.theme = theme
            self._invalidate()
            self.update()

    # ------------------------------------------------------------ layout

    def layout_for(self, width: float, height: float) -> AlertLayout | None:
        if self.active is None or width <= 0 or height <= 0:
            return None
        metrics = Metrics(width, height, self.theme.spec.overscan)
        look = self._look(metrics)
        alert = self.active.alert
        vmin = metrics.vmin
        pad = vmin * (7 if alert.priority == "urgent" else 5)
        inner = look.band.intersected(metrics.safe_rect()).adjusted(pad, pad, -pad, -pad)
        title, title_font, title_box = alert.title or "", None, None
        if title:
            title_font = fit_font(
                lambda px: self.theme.font(px, QFont.Weight.Bold), title, inner,
                vmin * _sizes(alert.priority)[0], vmin * 3, wrap=False,
            )  # fmt: skip
            title_height = text_size(title, title_font)[1]
            title_box = QRectF(inner.left(), inner.top(), inner.width(), title_height)
            inner = inner.adjusted(0, title_height + vmin * 4.5, 0, 0)
        max_lines = 5 if metrics.portrait else 4
        font, message = fit_message(
            lambda px: self.theme.font(px, QFont.Weight.Bold), alert.message, inner,
            vmin * _sizes(alert.priority)[1], vmin * 3, max_lines,
        )  # fmt: skip
        used = text_size(message, font, inner.width())[1]
        message_box = QRectF(inner.left(), inner.top(), inner.width(), used)
        # The title and the message as one block, centred in the band.
        shift = max(0.0, (inner.bottom() - message_box.bottom()) / 2)
        if title_box is not None:
            title_box.translate(0, shift)
        message_box.translate(0, shift)
        return AlertLayout(look, title_box, title_font, title, message_box, font, message)

    def _look(self, metrics: Metrics) -> AlertLook:
        width, height = metrics.width, metrics.height
        priority = self.active.alert.priority if self.active else "info"
        if priority == "urgent":
            return AlertLook(QRectF(0, 0, width, height), 0.0, URGENT_RED, WHITE, None, URGENT_RED, WHITE)
        if priority == "warning":
            band_height = height * (0.46 if metrics.portrait else 0.56)
            band = QRectF(0, (height - band_height) / 2, width, band_height)
            return AlertLook(band, WARNING_DIM, WARNING_AMBER, NEAR_BLACK, None, WARNING_AMBER, NEAR_BLACK)
        band_height = height * (0.26 if metrics.portrait else 0.3)
        band = QRectF(0, height - band_height, width, band_height)
        fill = with_alpha(self.theme.color("background_top"), 0.96)
        accent = self.theme.color("accent")
        return AlertLook(band, 0.0, fill, self.theme.color("text"), accent, accent, None)

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        picture = self._picture or self._paint_picture()
        if picture is None:
            return
        painter = QPainter(self)
        painter.setClipRegion(event.region())
        painter.drawPixmap(0, 0, picture)
        painter.end()

    def _paint_picture(self) -> QPixmap | None:
        if self._layout is None:
            self._layout = self.layout_for(self.width(), self.height())
        if self._layout is None:
            return None
        dpr = self.devicePixelRatioF()
        picture = QPixmap(round(self.width() * dpr), round(self.height() * dpr))
        picture.setDevicePixelRatio(dpr)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.paint_alert(painter, self._layout)
        painter.end()
        self._picture = picture
        return picture

    def paint_alert(self, painter: QPainter, layout: AlertLayout) -> None:
        look = layout.look
        if look.dim > 0:
            painter.fillRect(QRectF(self.rect()), with_alpha(QColor("black"), look.dim))
        painter.fillRect(look.band, look.fill)
        if look.rule is not None:
            thickness = max(3.0, Metrics(self.width(), self.height()).vmin * 0.6)
            painter.fillRect(
                QRectF(look.band.left(), look.band.top(), look.band.width(), thickness), look.rule
            )
        if layout.title_box is not None and layout.title_font is not None:
            if look.title_fill is not None:
                self._paint_pill(painter, layout.title_box, layout.title, layout.title_font, look.title_fill)
            draw_text(
                painter,
                layout.title_box,
                layout.title,
                layout.title_font,
                look.title_text,
                ALIGN_CENTER,
                wrap=False,
            )
        draw_text(painter, layout.message_box, layout.message, layout.message_font, look.text, ALIGN_CENTER)

    @staticmethod
    def _paint_pill(painter: QPainter, box: QRectF, title: str, font: QFont, fill: QColor) -> None:
        width, height = text_size(title, font)
        pad = height * 0.45
        pill = QRectF(
            box.center().x() - width / 2 - pad, box.top() - pad * 0.25, width + 2 * pad, height + pad * 0.5
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(pill, pill.height() * 0.18, pill.height() * 0.18)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._invalidate()
        super().resizeEvent(event)

    def _invalidate(self) -> None:
        self._layout = None
        self._picture = None


def fit_message(
    make_font: FontFactory, text: str, box: QRectF, max_px: float, min_px: float, max_lines: int
) -> tuple[QFont, str]:
    """The message's font and line breaks: as a headline's (breaks.fit_headline), unless
    those break inside a phrase ("因突发情况，请 / 全体人员…"); then each phrase starts a
    line and a long one is split evenly, when that keeps PHRASE_SHARE of the size."""
    font, shown = fit_headline(make_font, text, box, max_px, min_px, max_lines)
    phrases = _phrases(text)
    if len(phrases) < 2 or _ends_at_phrases(shown, font, box.width()):
        return font, shown

    def set_in(candidate: QFont) -> str:
        return "\n".join(tidy_breaks(p, candidate, box.width(), max_lines) for p in phrases)

    def fits(candidate: QFont) -> bool:
        return fits_box(set_in(candidate), candidate, box, True, max_lines + 1)

    phrased = fit_size(make_font, fits, max_px, min_px)
    if fits(phrased) and phrased.pixelSize() >= font.pixelSize() * PHRASE_SHARE:
        return phrased, set_in(phrased)
    return font, shown


def _phrases(text: str) -> list[str]:
    pieces, start = [], 0
    for end, next_start in break_points(text):
        pieces.append(text[start:end].strip())
        start = next_start
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _ends_at_phrases(text: str, font: QFont, width: float) -> bool:
    """Whether every line of text as set (but the last) ends a phrase."""
    lines = wrapped_lines(text, font, width)
    return all(line and line[-1] in BREAK_AFTER for line in lines[:-1])


def _covers(active: ActiveAlert | None) -> bool:
    """Whether the alert paints every pixel of the screen (an urgent one)."""
    return active is not None and active.alert.priority == "urgent"


def _sizes(priority: str) -> tuple[float, float]:
    """The largest title and message sizes of a priority, in vmin."""
    return {"urgent": (9.0, 11.0), "warning": (7.0, 8.5), "info": (5.0, 6.0)}[priority]
