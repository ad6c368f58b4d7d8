"""What the figure slides (stat, stats, gauge) share: a headline number set on one
baseline with its qualifiers, the trend arrow, and the count-up timing.

A figure is drawn as a group on one baseline: [prefix] [number] [unit+suffix] [arrow].
The number box is as wide as the widest text the count-up will show (numbers.widest_text),
and the number is right-aligned in it, so neither the number nor the unit beside it moves
while the digits change.

A frame must cost little (60 fps on a small PC), so everything is prepared once per size:
boxes and fonts (`place_group`), the still parts drawn into sprites (sprites.py: title,
labels, notes, panels, qualifiers; fitted and elided once), and for big numbers the
digits pre-rendered (`number_glyphs`: Qt fills glyphs over ~64 px as outlines on every
draw). A frame blits the sprites and sets the number from its glyphs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath

from kiosk import numbers
from kiosk.numbers import FigureText
from kiosk.playlist.model import Figure
from kiosk.slides import paint
from kiosk.slides.layout import clamp01
from kiosk.slides.sprites import Sprite, paint_sprite, sprite_reach
from kiosk.theme import Theme

#: seconds a number counts up when the playlist does not say (`count_up` unset)
DEFAULT_COUNT_SECONDS = 1.8
#: prefix, unit and suffix are set this much smaller than the number
SMALL_SCALE = 0.42
#: seconds the trend arrow and the note take to fade in, as the count lands
DETAIL_FADE_SECONDS = 0.6

#: the minus sign the audience sees: U+2212 is as wide as a digit and sits at their middle
MINUS = "\u2212"


# ---------------------------------------------------------------- timing


def count_seconds(count_up: float | None) -> float:
    """Seconds of a count-up: the playlist's `count_up`, the default when unset, 0 for none."""
    if count_up is None:
        return DEFAULT_COUNT_SECONDS
    return max(0.0, float(count_up))


def count_progress(elapsed: float, seconds: float) -> float:
    """Linear progress of a count-up `elapsed` seconds after it started (1 when there is none)."""
    if seconds <= 0:
        return 1.0
    return clamp01(elapsed / seconds)


# ---------------------------------------------------------------- the figure's parts


@dataclass(frozen=True)
class FigureParts:
    """The texts of a figure that do not depend on t, and how it counts."""

    value: float
    decimals: int
    prefix: str
    tail: str  # unit and suffix, set together in the small size
    unit: str
    suffix: str
    final: str  # the number as it lands
    widest: str  # at least as wide as any number the count-up shows
    trend: str | None = None
    good_news: bool | None = None
    start: float = 0.0  # where the count starts: 0, or the figure shown before a push

    def text(self, progress: float) -> FigureText:
        """prefix, number, unit, suffix at count-up progress 0..1 (eased, written precision kept)."""
        return numbers.compose(
            self.value,
            self.decimals,
            prefix=self.prefix,
            unit=self.unit,
            suffix=self.suffix,
            progress=progress,
            start=self.start,
        )

    def counting_from(self, start: float) -> FigureParts:
        """These parts counting from `start` instead of 0: a figure pushed while its slide
        is on air (kiosk/live.py) moves on from the number the audience was reading."""
        widest = numbers.widest_text(self.value, self.decimals, start=start)
        return replace(self, start=start, widest=widest)


def figure_parts(
    value: float,
    decimals: int | None,
    *,
    prefix: str = "",
    unit: str = "",
    suffix: str = "",
    trend: str | None = None,
    good_news: bool | None = None,
) -> FigureParts:
    """The parts of a figure from its model's fields; precision is the written one."""
    places = decimals if decimals is not None else numbers.decimals_of(value)
    final = numbers.format_number(value, places)
    widest = numbers.widest_text(value, places)
    return FigureParts(value, places, prefix, unit + suffix, unit, suffix, final, widest, trend, good_news)


def parts_of(figure: Figure) -> FigureParts:
    """FigureParts of a `Figure` (a stat slide or one item of a stats slide)."""
    return figure_parts(
        figure.value,
        figure.decimals,
        prefix=figure.prefix,
        unit=figure.unit,
        suffix=figure.suffix,
        trend=figure.trend,
        good_news=figure.good_news,
    )


# ---------------------------------------------------------------- the group on one baseline


@dataclass(frozen=True)
class FigureGroup:
    """A figure's boxes for one size: all texts share `baseline`; `bounds` is what the eye
    sees (cap height of the digits, whole width), for aligning the group with others."""

    parts: FigureParts
    number_font: QFont
    prefix_font: QFont
    tail_font: QFont
    prefix_box: QRectF
    number_box: QRectF
    tail_box: QRectF
    arrow: QPainterPath | None
    arrow_rect: QRectF
    baseline: float
    bounds: QRectF


def _small_font(theme: Theme, text: str, px: float) -> QFont:
    """Digits and '%' in the number font; Chinese qualifiers (余名, 以上) in the text font."""
    if text.isascii():
        return theme.number_font(px)
    return theme.font(px, QFont.Weight.Bold)


@dataclass(frozen=True)
class _Widths:
    prefix: float
    prefix_gap: float
    number: float
    tail_gap: float
    tail: float
    arrow_gap: float
    arrow: float

    @property
    def total(self) -> float:
        return (
            self.prefix
            + self.prefix_gap
            + self.number
            + self.tail_gap
            + self.tail
            + self.arrow_gap
            + self.arrow
        )


def _widths(theme: Theme, parts: FigureParts, px: float) -> _Widths:
    number_metrics = QFontMetricsF(theme.number_font(px))
    number = max(
        number_metrics.horizontalAdvance(shown_number(parts.widest)),
        number_metrics.horizontalAdvance(shown_number(parts.final)),
    )
    small = px * SMALL_SCALE
    prefix = QFontMetricsF(_small_font(theme, parts.prefix, small)).horizontalAdvance(parts.prefix)
    tail = QFontMetricsF(_small_font(theme, parts.tail, small)).horizontalAdvance(parts.tail)
    arrow = arrow_size(number_metrics.capHeight())[0] if parts.trend else 0.0
    return _Widths(
        prefix,
        px * 0.05 if parts.prefix else 0.0,
        number,
        px * 0.04 if parts.tail else 0.0,
        tail,
        px * 0.1 if parts.trend else 0.0,
        arrow,
    )


def shown_number(number: str) -> str:
    """The number as set on screen: a true minus sign, not the short hyphen."""
    return number.replace("-", MINUS)


def group_width(theme: Theme, parts: FigureParts, px: float) -> float:
    """Width of the whole group with the number set at px (the count-up's widest text)."""
    return _widths(theme, parts, px).total


def fit_number_px(
    theme: Theme, parts: FigureParts, width: float, max_px: float, min_px: float = 8.0
) -> float:
    """The largest number size up to max_px at which the group fits `width`."""
    reference = 200.0
    per_px = group_width(theme, parts, reference) / reference
    px = max_px if per_px <= 0 else min(max_px, width / per_px)
    for _ in range(12):  # glyph widths do not scale exactly linearly; step down until it fits
        if px <= min_px or group_width(theme, parts, px) <= width:
            break
        px *= 0.97
    return max(min_px, px)


def cap_height(theme: Theme, px: float) -> float:
    """Visual height of the digits at px (what the eye measures the number by)."""
    return QFontMetricsF(theme.number_font(px)).capHeight()


def arrow_size(cap: float) -> tuple[float, float]:
    """Width and height of the trend arrow next to digits of cap height `cap`."""
    height = cap * 0.56
    return height * 1.1, height


def place_group(theme: Theme, parts: FigureParts, px: float, center_x: float, baseline: float) -> FigureGroup:
    """The group's boxes with the number at px, centred on center_x, on `baseline`."""
    number_font = theme.number_font(px)
    small = px * SMALL_SCALE
    prefix_font = _small_font(theme, parts.prefix, small)
    tail_font = _small_font(theme, parts.tail, small)
    w = _widths(theme, parts, px)
    x = center_x - w.total / 2

    def box_at(left: float, width: float, font: QFont) -> QRectF:
        metrics = QFontMetricsF(font)
        # A little slack so measuring round-off never elides a qualifier.
        return QRectF(left, baseline - metrics.ascent(), width + 2 + width * 0.02, metrics.height())

    prefix_box = box_at(x, w.prefix, prefix_font)
    x += w.prefix + w.prefix_gap
    # Right-aligned: its right edge is where the unit starts; the slack goes to the left.
    number_box = box_at(x, w.number, number_font).adjusted(
        -(2 + w.number * 0.02), 0, -(2 + w.number * 0.02), 0
    )
    x += w.number + w.tail_gap
    tail_box = box_at(x, w.tail, tail_font)
    x += w.tail + w.arrow_gap
    cap = QFontMetricsF(number_font).capHeight()
    arrow_w, arrow_h = arrow_size(cap)
    arrow_rect = QRectF(x, baseline - cap / 2 - arrow_h / 2, arrow_w, arrow_h)
    arrow = trend_arrow(arrow_rect, parts.trend == "up") if parts.trend else None
    bounds = QRectF(center_x - w.total / 2, baseline - cap, w.total, cap)
    return FigureGroup(
        parts,
        number_font,
        prefix_font,
        tail_font,
        prefix_box,
        number_box,
        tail_box,
        arrow,
        arrow_rect,
        baseline,
        bounds,
    )


def trend_arrow(rect: QRectF, up: bool) -> QPainterPath:
    """A solid triangle (▲ or ▼) filling rect, as a path so every font shows it the same."""
    path = QPainterPath()
    if up:
        path.moveTo(rect.center().x(), rect.top())
        path.lineTo(rect.right(), rect.bottom())
        path.lineTo(rect.left(), rect.bottom())
    else:
        path.moveTo(rect.left(), rect.top())
        path.lineTo(rect.right(), rect.top())
        path.lineTo(rect.center().x(), rect.bottom())
    path.closeSubpath()
    return path


@dataclass(frozen=True)
class GroupColors:
    number: QColor
    small: QColor
    arrow: QColor


def group_colors(theme: Theme, parts: FigureParts) -> GroupColors:
    """White (text) digits, the accent for qualifiers, green/red for the trend's news."""
    return GroupColors(theme.color("text"), theme.color("accent"), theme.trend_color(parts.good_news))


def paint_qualifiers(painter: QPainter, group: FigureGroup, colors: GroupColors) -> None:
    """The still parts of a figure (prefix, unit and suffix): painted once into a sprite."""
    parts = group.parts
    if parts.prefix:
        paint.draw_text(
            painter, group.prefix_box, parts.prefix, group.prefix_font, colors.small,
            paint.ALIGN_TOP_LEFT, wrap=False,
        )  # fmt: skip
    if parts.tail:
        paint.draw_text(
            painter,
            group.tail_box,
            parts.tail,
            group.tail_font,
            colors.small,
            paint.ALIGN_TOP_LEFT,
            wrap=False,
        )


def number_area(group: FigureGroup) -> QRectF:
    """Everything paint_number may touch for the group: the digits at their font's full
    height, the arrow, and a margin for antialiasing and glyph sprites."""
    metrics = QFontMetricsF(group.number_font)
    area = group.number_box.united(group.arrow_rect).united(group.bounds)
    area = area.united(QRectF(area.left(), group.baseline - metrics.ascent(), area.width(), metrics.height()))
    return sprite_reach(area, extra=metrics.height() * 0.05)


def paint_number(
    painter: QPainter,
    group: FigureGroup,
    number: str,
    colors: GroupColors,
    *,
    glyphs: NumberGlyphs | None = None,
    arrow_opacity: float = 1.0,
) -> None:
    """The moving parts of a figure at one moment: the digits (hugging the right of their
    box, so the unit beside them stays put) and the trend arrow."""
    shown = shown_number(number)
    if glyphs is None or not glyphs.draw(painter, shown, group.number_box.right(), group.baseline):
        paint.draw_text(
            painter,
            group.number_box,
            shown,
            group.number_font,
            colors.number,
            paint.ALIGN_TOP_RIGHT,
            wrap=False,
        )
    if group.arrow is not None and arrow_opacity > 0:
        painter.save()
        painter.setOpacity(painter.opacity() * arrow_opacity)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.arrow)
        painter.drawPath(group.arrow)
        painter.restore()


#: Qt's raster engine caches glyphs up to about this size; larger ones it fills as paths
#: on every draw, which is what a huge counting number would cost each frame.
GLYPH_CACHE_LIMIT_PX = 64
_NUMBER_CHARS = "0123456789." + MINUS


@dataclass(frozen=True)
class NumberGlyphs:
    """The characters a count-up shows, each drawn once into a sprite (for sizes Qt does
    not cache), its origin relative to the pen on the baseline.

    A frame then sets the number right to left from these sprites by their advances:
    a blit per digit instead of filling each big glyph's outline.
    """

    glyphs: dict[str, tuple[Sprite, float]]  # char -> (sprite, advance)

    def draw(self, painter: QPainter, text: str, right: float, baseline: float) -> bool:
        """Set text ending at `right` on `baseline`; False (nothing drawn) if a char is missing."""
        if any(ch not in self.glyphs for ch in text):
            return False
        x = right
        for ch in reversed(text):
            sprite, advance = self.glyphs[ch]
            x -= advance
            sprite.draw(painter, dx=x, dy=baseline)  # origin is whole pixels: the same blit
        return True


def number_glyphs(group: FigureGroup, color: QColor, dpr: float = 1.0) -> NumberGlyphs | None:
    """Pre-rendered digits for the group's number font, or None when Qt caches them itself."""
    font = group.number_font
    if font.pixelSize() <= GLYPH_CACHE_LIMIT_PX:
        return None
    metrics = QFontMetricsF(font)
    glyphs: dict[str, tuple[Sprite, float]] = {}
    for ch in _NUMBER_CHARS:
        advance = metrics.horizontalAdvance(ch)
        # Pen at (0, 0) on the baseline; the box is the line's, the sprite is cut to the ink.
        box = QRectF(0, -metrics.ascent(), advance + 4, metrics.height())
        ink = metrics.boundingRect(ch).adjusted(-3, -3, 3, 3)

        def paint_glyph(painter: QPainter, ch: str = ch, box: QRectF = box) -> None:
            paint.draw_text(painter, box, ch, font, color, paint.ALIGN_TOP_LEFT, wrap=False)

        sprite = paint_sprite(ink, paint_glyph, dpr=dpr)
        glyphs[ch] = (sprite, advance)
    return NumberGlyphs(glyphs)


def qualifiers_sprite(group: FigureGroup, colors: GroupColors, dpr: float = 1.0) -> Sprite | None:
    """A figure's prefix, unit and suffix drawn once (None when it has none)."""
    if not group.parts.prefix and not group.parts.tail:
        return None
    area = group.prefix_box if group.parts.prefix else group.tail_box
    if group.parts.prefix and group.parts.tail:
        area = area.united(group.tail_box)
    return paint_sprite(area, lambda painter: paint_qualifiers(painter, group, colors), dpr=dpr)
