"""Where things go on a slide, and how big: what every slide type shares when it lays out.

- The standard title (`title_block`, `paint_title`, `title_sprite`): every slide with a
  title puts it in the same place, so the eye finds it at once, with its short accent
  rule; the body is what is below. A title opening with a quote hangs it in the margin.
- Text sizes for groups of texts (`fit_common`, `fit_lines`): the labels of one chart or
  one grid share one size, so none looks more important than another.
- Line counts and heights of wrapped text (`fits_lines`, `lines_needed`, `block_height`,
  `wrapped_height`, `tallest_height`) and the width of text in hanzi (`text_units`).
- Entry timing (`clamp01`, `fade`): every animation is a function of progress t.

Single texts are fitted with paint.fit_font; where lines break is breaks.py. Qt GUI
only: no pyqtgraph here, so the title and text slides never load it.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

from kiosk import numbers
from kiosk.slides import paint
from kiosk.slides.sprites import Sprite, paint_sprite
from kiosk.theme import Metrics, Theme

# ---------------------------------------------------------------- the title block

#: a title opening with one of these hangs it into the margin: a CJK opening quote sits
#: at the right of its full-width cell, and would make the title look indented
HANGING = "“‘「『（《〈【"


@dataclass(frozen=True)
class TitleBlock:
    """The standard title at the top of content_rect, its accent rule, and the body below.
    The title is drawn `hang` px left of its box (an opening quote in the margin)."""

    vmin: float
    title: str | None
    box: QRectF
    font: QFont | None
    rule_start: QPointF
    body: QRectF
    hang: float = 0.0
    wrap: bool = False


def body_area(block: TitleBlock) -> QRectF:
    """The body under the title with 2 vmin around it (value labels, markers and rising
    lines may overhang it): where a slide's content comes in while its title stays still."""
    margin = block.vmin * 2
    return block.body.adjusted(-margin, -margin, margin, margin)


def title_block(theme: Theme, metrics: Metrics, title: str | None) -> TitleBlock:
    """The title position every slide type shares, and the body under it.

    The title sits at the top of content_rect (height vmin*9, bold, fitted between vmin*3.2
    and vmin*5.6) with a short accent rule vmin*1.2 under its box; without a title the
    whole content_rect is body.
    """
    vmin = metrics.vmin
    content = metrics.content_rect()
    box = QRectF(content.left(), content.top(), content.width(), vmin * 9)
    rule_start = QPointF(content.left() + vmin * 0.3, box.bottom() + vmin * 1.2)
    if not title:
        return TitleBlock(vmin, None, box, None, rule_start, content)

    def bold(px: float) -> QFont:
        return theme.font(px, QFont.Weight.Bold)

    font = paint.fit_font(bold, title, box, vmin * 5.6, vmin * 3.2, wrap=False)
    # A title too long for one line even at the smallest size wraps to two lines between
    # words rather than lose its end ("…（截至2024年12月…" lost the date that made it true).
    # Two lines at the smallest title size (3.2 vmin) need 9.3 vmin: the box grows upwards.
    wrap = not paint.fits_box(title, font, box, wrap=False)
    if wrap:
        box = QRectF(box.left(), box.top() - vmin * 0.6, box.width(), vmin * 9.6)
        font = paint.fit_font(bold, title, box, vmin * 4.2, vmin * 3.2, max_lines=2)
    top = rule_start.y() + vmin * 0.6 + vmin * 5
    body = QRectF(content.left(), top, content.width(), content.bottom() - top)
    return TitleBlock(vmin, title, box, font, rule_start, body, hanging_indent(title, font), wrap)


def hanging_indent(text: str, font: QFont) -> float:
    """How far left to set text that opens with a quote or bracket (HANGING), so that the
    quote's ink starts where an ideograph's would."""
    if not text or text[0] not in HANGING:
        return 0.0
    metrics = QFontMetricsF(font)
    return max(0.0, metrics.tightBoundingRect(text[0]).left() - metrics.tightBoundingRect("国").left())


def paint_title(painter: QPainter, theme: Theme, block: TitleBlock) -> None:
    """The title and its rule: still from the first frame, like every slide's title."""
    if block.title is None or block.font is None:
        return
    box = block.box.translated(-block.hang, 0)
    paint.draw_text(painter, box, block.title, block.font, theme.color("text"), wrap=block.wrap)
    paint.accent_rule(painter, theme, block.rule_start, block.vmin * 8, block.vmin * 0.6)


def title_area(block: TitleBlock) -> QRectF:
    """What the title and its rule cover."""
    return (
        block.box.translated(-block.hang, 0)
        .united(block.box)
        .united(
            QRectF(block.rule_start.x(), block.rule_start.y() - block.vmin, block.vmin * 9, block.vmin * 2)
        )
    )


def title_sprite(theme: Theme, block: TitleBlock, dpr: float = 1.0) -> Sprite | None:
    """The title and its rule drawn once (None without a title)."""
    if block.title is None:
        return None
    return paint_sprite(title_area(block), lambda painter: paint_title(painter, theme, block), dpr=dpr)


# ---------------------------------------------------------------- sizes of text

#: the smallest text a slide sets for reading, in vmin: 1/48 of the screen's shorter side,
#: a letter a viewer reads from 2.5 shorter sides away at 1 inch per 10 feet (the rule
#: `kiosk check --size` warns by, kiosk/readability.py)
LEGIBLE_VMIN = 2.1


def text_units(text: str) -> float:
    """Width of text in hanzi: wide (CJK) characters count 1, narrow ones (Latin, digits) 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def block_height(font: QFont, lines: int) -> float:
    """Height of `lines` wrapped lines at font, with the pixel Qt adds to a wrapped block."""
    if lines <= 0:
        return 0.0
    return QFontMetricsF(font).height() * lines + 2.0


def fits_lines(text: str, font: QFont, width: float, max_lines: int) -> bool:
    """Whether text wrapped at width takes no more than max_lines lines at font."""
    return paint.text_size(text, font, width)[1] <= block_height(font, max_lines) + 0.5


def lines_needed(texts: Iterable[str], font: QFont, width: float, max_lines: int) -> int:
    """The most lines any of texts takes at `font` wrapped at width (0 for none, at most max_lines)."""
    most = 0
    for text in texts:
        if not text:
            continue
        lines = 1
        while lines < max_lines and not fits_lines(text, font, width, lines):
            lines += 1
        most = max(most, lines)
    return most


def wrapped_height(text: str, font: QFont, width: float, max_lines: int) -> float:
    """Height of the block text takes wrapped at width: at least one line, at most max_lines
    (what is beyond is elided)."""
    return block_height(font, max(1, lines_needed([text], font, width, max_lines)))


def tallest_height(texts: Iterable[str], font: QFont, width: float, max_lines: int) -> float:
    """The height the tallest of texts takes wrapped at width, at most max_lines lines of it."""
    cap = QFontMetricsF(font).height() * max_lines
    return max(min(paint.text_size(text, font, width)[1], cap) for text in texts)


def fit_common(
    make_font: paint.FontFactory,
    texts: Iterable[str],
    box: QRectF,
    max_px: float,
    min_px: float,
    *,
    wrap: bool = False,
    max_lines: int | None = None,
) -> QFont:
    """One font for a set of texts (category labels, values): the largest that fits each in box.

    Labels of one chart share one size, so none looks more important than another.
    """
    size = max_px
    for text in dict.fromkeys(texts):
        if not text or paint.fits_box(text, make_font(size), box, wrap, max_lines):
            continue  # fits at the size found so far: no search needed
        font = paint.fit_font(make_font, text, box, size, min_px, wrap=wrap, max_lines=max_lines)
        size = min(size, font.pixelSize())
        if size <= min_px:
            break
    return make_font(size)


def fit_lines(
    make_font: paint.FontFactory,
    texts: Iterable[str],
    width: float,
    max_px: float,
    min_px: float,
    *,
    max_lines: int = 2,
) -> QFont:
    """One font for texts wrapped at width in at most max_lines lines (the labels of a grid).

    A text too long to fit even at min_px is left out of the choice (it is elided at the
    common size): one runaway label must not shrink every other card's label.
    """
    smallest = make_font(min_px)
    fitting = [text for text in texts if text and fits_lines(text, smallest, width, max_lines)]
    box = QRectF(0, 0, width, block_height(make_font(max_px), max_lines))
    return fit_common(make_font, fitting, box, max_px, min_px, wrap=True, max_lines=max_lines)


# ---------------------------------------------------------------- timing


def clamp01(value: float) -> float:
    """value limited to 0..1 (NaN counts as finished, so nothing is left half-shown)."""
    if math.isnan(value):
        return 1.0
    return min(1.0, max(0.0, value))


def fade(elapsed: float, start: float, seconds: float) -> float:
    """Eased (ease-out) progress of something that comes in from `start` over `seconds`."""
    if seconds <= 0:
        return 1.0 if elapsed >= start else 0.0
    return numbers.ease_out_cubic((elapsed - start) / seconds)
