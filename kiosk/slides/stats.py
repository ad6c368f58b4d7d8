"""The `stats` slide: 2 to 8 figures as a grid of quiet cards that count up together.

Each card is a faint rounded panel (theme 'panel') holding a figure: the number big, its
qualifiers smaller on the same baseline, a trend arrow if any, the label under it and a
note under that. All the numbers share one size, all labels one size, and every card
places its parts at the same heights, so the grid reads as one even table.

The grid shape follows the count and the screen (`grid_shape`); the last row, if short,
is centred. Animation: the cards rise in and count up one after another, 0.12 s apart;
each arrow fades in as its number lands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter

from kiosk.numbers import FigureText
from kiosk.playlist.model import Figure, SlideBase, StatsSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import tidy_breaks
from kiosk.slides.figure import (
    DETAIL_FADE_SECONDS,
    FigureGroup,
    FigureParts,
    GroupColors,
    NumberGlyphs,
    cap_height,
    count_progress,
    count_seconds,
    fit_number_px,
    group_colors,
    number_area,
    number_glyphs,
    paint_number,
    paint_qualifiers,
    parts_of,
    place_group,
)
from kiosk.slides.layout import (
    LEGIBLE_VMIN,
    TitleBlock,
    block_height,
    fade,
    fit_lines,
    fits_lines,
    lines_needed,
    text_units,
    title_block,
    title_sprite,
)
from kiosk.slides.sprites import Sprite, paint_sprite, sprite_reach
from kiosk.theme import Metrics

#: seconds between one card's start and the next one's
STAGGER_SECONDS = 0.12
#: seconds a card takes to rise and fade in
CARD_IN_SECONDS = 0.5
#: the arrow starts fading in this long before its number lands
DETAIL_LEAD_SECONDS = 0.4
#: a one-line label may be this much smaller than a two-line one and still be preferred
ONE_LINE_SHARE = 0.7
#: a note wraps into this many lines at the most (then it is elided between words)
NOTE_LINES = 3
#: labels longer than this (in hanzi) are too long for four cards side by side
LONG_LABEL_UNITS = 9.0


#: the most cards side by side on a portrait screen, whatever `columns` says
PORTRAIT_MAX_COLUMNS = 2


def grid_shape(
    count: int, portrait: bool, columns: int | None = None, *, long_labels: bool = False
) -> tuple[int, int]:
    """(columns, rows) for `count` cards.

    Landscape: 2 -> 2x1, 3 -> 3x1, 4 -> 4x1 (2x2 when labels are long), 5-6 -> 3x2,
    7-8 -> 4x2. Portrait: one column up to 4 cards, two beyond. `columns` (from the
    playlist) wins, capped at the count, and at two on a portrait screen: a playlist
    written for a wide screen would leave three 300 px cards on a 1080 px one, with
    numbers too small to read across a lobby.
    """
    count = max(1, count)
    if columns:
        cols = max(1, min(columns, count, PORTRAIT_MAX_COLUMNS if portrait else count))
    elif portrait:
        cols = 1 if count <= 4 else 2
    elif count <= 3:
        cols = count
    elif count == 4:
        cols = 2 if long_labels else 4
    elif count <= 6:
        cols = 3
    else:
        cols = 4
    return cols, math.ceil(count / cols)


@dataclass(frozen=True)
class _Grid:
    """What every card shares (sizes in pixels, fonts)."""

    gap: float
    card_w: float
    card_h: float
    pad_x: float
    pad_y: float
    px: float
    cap: float
    core: float
    stack: float
    label_font: QFont
    label_h: float
    label_gap: float
    note_font: QFont
    note_h: float
    note_gap: float
    radius: float


@dataclass(frozen=True)
class Card:
    rect: QRectF
    group: FigureGroup
    colors: GroupColors
    label_box: QRectF
    note_box: QRectF | None
    still: Sprite | None = None  # panel, qualifiers, label and note: painted once per size


@dataclass(frozen=True)
class StatsLayout:
    title: TitleBlock
    shape: tuple[int, int]
    cards: list[Card]
    radius: float
    rise: float
    label_font: QFont
    note_font: QFont
    title_sprite: Sprite | None
    glyphs: NumberGlyphs | None  # one set for all cards: they share the number font


class StatsView(SlideView):
    """A grid of figure cards."""

    model: StatsSlide
    #: counting again after a push (count_from): the cards are in already
    _cards_in: bool = False

    # ------------------------------------------------------------ timing (pure)

    @cached_property
    def parts(self) -> list[FigureParts]:
        """Each card's still texts (widest_text samples the count: worked out once)."""
        return [parts_of(item) for item in self.model.items]

    def count_from(self, old: SlideBase) -> None:
        """New figures pushed while the slide is on air (kiosk/live.py): the cards stay where
        they are and each number counts again, from the one that was on screen."""
        if isinstance(old, StatsSlide) and len(old.items) == len(self.parts):
            self.parts = [p.counting_from(o.value) for p, o in zip(self.parts, old.items, strict=True)]
            self._cards_in = True
            self._layout = None  # the numbers' boxes fit the new counts
            self.enter()

    def card_start(self, index: int) -> float:
        """Seconds into the entry when card `index` starts to rise and count."""
        return index * STAGGER_SECONDS

    def _count(self, index: int) -> float:
        return count_seconds(self.model.items[index].count_up)

    def _detail_start(self, index: int) -> float:
        return self.card_start(index) + max(0.0, self._count(index) - DETAIL_LEAD_SECONDS)

    def entry_duration(self) -> float:
        """Until the last card has landed: the longest count plus its stagger."""
        ends = [
            max(
                self.card_start(i) + max(self._count(i), CARD_IN_SECONDS),
                self._detail_start(i) + DETAIL_FADE_SECONDS,
            )
            for i in range(len(self.model.items))
        ]
        return max(ends, default=0.0)

    def figure_text(self, index: int, t: float) -> FigureText:
        """Card `index`'s figure parts at progress t."""
        elapsed = t * self.entry_duration() - self.card_start(index)
        return self.parts[index].text(count_progress(elapsed, self._count(index)))

    def number_text(self, index: int, t: float) -> str:
        """Card `index`'s whole figure as read at t (e.g. '9400余名' at the end)."""
        return self.figure_text(index, t).full()

    def card_in(self, index: int, t: float) -> float:
        """How far card `index` has risen in, 0..1 (eased), at t."""
        if self._cards_in:
            return 1.0
        return fade(t * self.entry_duration(), self.card_start(index), CARD_IN_SECONDS)

    def detail_opacity(self, index: int, t: float) -> float:
        """Opacity of card `index`'s trend arrow at t: it appears as its number lands."""
        return fade(t * self.entry_duration(), self._detail_start(index), DETAIL_FADE_SECONDS)

    # ------------------------------------------------------------ layout

    def shape(self, metrics: Metrics) -> tuple[int, int]:
        long_labels = any(text_units(item.label) > LONG_LABEL_UNITS for item in self.model.items)
        return grid_shape(
            len(self.model.items), metrics.portrait, self.model.columns, long_labels=long_labels
        )

    def compute_layout(self, metrics: Metrics) -> StatsLayout:
        block = title_block(self.theme, metrics, self.model.title)
        shape = self.shape(metrics)
        grid = self._measure(block.body, shape, metrics.vmin)
        dpr = self.devicePixelRatioF()
        cards = [self._place(index, grid, block.body, shape) for index in range(len(self.model.items))]
        cards = [
            replace(card, still=self._card_sprite(card, index, grid)) for index, card in enumerate(cards)
        ]
        glyphs = number_glyphs(cards[0].group, cards[0].colors.number, dpr) if cards else None
        return StatsLayout(
            block, shape, cards, grid.radius, metrics.vmin * 2.0, grid.label_font, grid.note_font,
            title_sprite(self.theme, block, dpr), glyphs,
        )  # fmt: skip

    def _measure(self, body: QRectF, shape: tuple[int, int], vmin: float) -> _Grid:
        """Sizes every card shares: one number size, one label size, the same heights."""
        cols, rows = shape
        items = self.model.items
        gap = vmin * 2.4
        card_w = (body.width() - gap * (cols - 1)) / cols
        room_h = (body.height() - gap * (rows - 1)) / rows
        pad_x, pad_y = vmin * 2.6, vmin * 2.4
        inner_w = card_w - 2 * pad_x
        label_font, label_h = self._text_block(
            [i.label for i in items], inner_w, vmin * 3.2, vmin * LEGIBLE_VMIN
        )
        # A note keeps the legible size and takes a third line rather than shrink below it
        # (20 px on a 1080 px wide portrait screen was too small to read across a hall).
        notes = [i.note or "" for i in items]
        note_font, note_h = self._text_block(notes, inner_w, vmin * 2.4, vmin * LEGIBLE_VMIN, NOTE_LINES)
        label_gap = vmin * 2.4
        note_gap = vmin * 0.8 if note_h else 0.0

        # The number: the largest size at which every card's figure fits its width and the
        # card's text still fits under it; fewer cards may have bigger numbers.
        max_vmin = 20.0 if len(items) <= 2 else 16.0 if len(items) <= 4 else 13.0
        text_h = label_gap + label_h + note_gap + note_h
        by_height = (room_h - 2 * pad_y - text_h) / (cap_height(self.theme, 100.0) / 100.0)
        max_px = max(vmin * 3, min(vmin * max_vmin, by_height))
        px = min(fit_number_px(self.theme, p, inner_w, max_px, vmin * 3) for p in self.parts)
        cap = cap_height(self.theme, px)
        core = cap + label_gap + label_h  # number and label: centred in the card
        stack = core + note_gap + note_h  # the note hangs below, where there is one
        # Cards hug their content with generous air, rather than stretch into towers.
        card_h = min(room_h, stack + 2 * pad_y + max(vmin * 5, cap * 0.6))
        return _Grid(
            gap, card_w, card_h, pad_x, pad_y, px, cap, core, stack, label_font, label_h, label_gap,
            note_font, note_h, note_gap, vmin * 1.6,
        )  # fmt: skip

    def _place(self, index: int, grid: _Grid, body: QRectF, shape: tuple[int, int]) -> Card:
        """Card `index` in the grid; a short last row is centred."""
        cols, rows = shape
        count = len(self.model.items)
        grid_h = rows * grid.card_h + (rows - 1) * grid.gap
        grid_top = body.top() + max(0.0, body.height() - grid_h) * 0.45
        row, col = divmod(index, cols)
        in_row = min(cols, count - row * cols)
        row_left = body.left() + (body.width() - (in_row * grid.card_w + (in_row - 1) * grid.gap)) / 2
        left, top = row_left + col * (grid.card_w + grid.gap), grid_top + row * (grid.card_h + grid.gap)
        rect = QRectF(left, top, grid.card_w, grid.card_h)
        first = rect.top() + (grid.card_h - grid.core) / 2
        first = max(rect.top() + grid.pad_y, min(first, rect.bottom() - grid.pad_y - grid.stack))
        baseline = first + grid.cap
        parts = self.parts[index]
        group = place_group(self.theme, parts, grid.px, rect.center().x(), baseline)
        inner_w = grid.card_w - 2 * grid.pad_x
        label_box = QRectF(rect.left() + grid.pad_x, baseline + grid.label_gap, inner_w, grid.label_h)
        note_box = None
        if self.model.items[index].note:
            note_top = label_box.bottom() + grid.note_gap
            note_box = QRectF(rect.left() + grid.pad_x, note_top, inner_w, grid.note_h)
        return Card(rect, group, group_colors(self.theme, parts), label_box, note_box)

    def _card_sprite(self, card: Card, index: int, grid: _Grid) -> Sprite:
        """A card's still parts, fitted and elided once: panel, qualifiers, label, note."""
        item: Figure = self.model.items[index]
        panel = self.theme.color("panel")
        text, muted = self.theme.color("text"), self.theme.color("muted")

        def paint_card(painter: QPainter) -> None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(panel)
            painter.drawRoundedRect(card.rect, grid.radius, grid.radius)
            paint_qualifiers(painter, card.group, card.colors)
            # Label and note break between phrases, never leaving a word alone (breaks.py).
            label = tidy_breaks(item.label, grid.label_font, card.label_box.width(), 2)
            paint.draw_text(painter, card.label_box, label, grid.label_font, text, paint.ALIGN_TOP_CENTER)
            if card.note_box is not None and item.note:
                note = tidy_breaks(item.note, grid.note_font, card.note_box.width(), NOTE_LINES)
                paint.draw_text(painter, card.note_box, note, grid.note_font, muted, paint.ALIGN_TOP_CENTER)

        return paint_sprite(card.rect, paint_card, dpr=self.devicePixelRatioF())

    def _text_block(
        self, texts: list[str], width: float, max_px: float, min_px: float, max_lines: int = 2
    ) -> tuple[QFont, float]:
        """One font for all cards' labels (or notes), and the height the longest needs.

        One line is preferred while it costs little size: a label wrapped only to be a
        bit larger ends in a lonely word ('示例一 Sample' / '1').
        """
        two = fit_lines(self.theme.font, texts, width, max_px, min_px, max_lines=max_lines)
        one = fit_lines(self.theme.font, texts, width, max_px, min_px, max_lines=1)
        if one.pixelSize() >= two.pixelSize() * ONE_LINE_SHARE and all(
            fits_lines(text, one, width, 1) for text in texts if text
        ):
            return one, block_height(one, lines_needed(texts, one, width, 1))
        return two, block_height(two, lines_needed(texts, two, width, max_lines))

    # ------------------------------------------------------------ paint

    def animated_area(self, layout: StatsLayout) -> QRectF | None:
        """The cards, and the height they rise from; the title stays still."""
        if not layout.cards:
            return None
        area = QRectF(layout.cards[0].rect)
        for card in layout.cards[1:]:
            area = area.united(card.rect)
        return _rise_reach(area, layout)

    def changed_areas(self, layout: StatsLayout, since: float, t: float) -> list[QRectF]:
        """A card still rising or fading in changes all over; a landed one only where its
        number counts or its arrow fades in; one not in yet, nowhere."""
        areas = []
        for index, card in enumerate(layout.cards):
            if self.card_in(index, t) <= 0:
                continue
            if self.card_in(index, since) < 1.0:
                areas.append(_rise_reach(card.rect, layout))
            elif self.figure_text(index, since) != self.figure_text(index, t) or self.detail_opacity(
                index, since
            ) != self.detail_opacity(index, t):
                areas.append(number_area(card.group))
        return areas

    def paint_content(self, painter: QPainter, layout: StatsLayout, t: float) -> None:
        if layout.title_sprite is not None:
            layout.title_sprite.draw(painter)
        for index, card in enumerate(layout.cards):
            shown = self.card_in(index, t)
            if shown <= 0:
                continue
            painter.save()
            painter.setOpacity(shown)
            # Whole pixels: the card's sprite stays sharp while it rises.
            painter.translate(0, round(layout.rise * (1.0 - shown)))
            if card.still is not None:
                card.still.draw(painter)
            number = self.figure_text(index, t).number
            paint_number(
                painter, card.group, number, card.colors,
                glyphs=layout.glyphs, arrow_opacity=self.detail_opacity(index, t),
            )  # fmt: skip
            painter.restore()


def _rise_reach(area: QRectF, layout: StatsLayout) -> QRectF:
    """What cards in `area` may paint while they rise in: their sprites' reach, and the
    height they rise from."""
    return sprite_reach(area, extra=2).adjusted(0, 0, 0, abs(layout.rise))
