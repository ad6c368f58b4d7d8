"""The `table` slide: a ranking or comparison table whose rows come in one by one.

Numbers are set as `stats` sets them: the written precision kept (96.0 stays 96.0), the
column's prefix, unit and suffix around them (近 20%, 9400余名), right-aligned in their
column so the digits line up; text columns are left-aligned. An optional row is picked
out (a band of the accent colour, bold). Every row keeps one size and one height.

Nothing is cut off: each page shows as many rows as fit at a readable size, and a longer
table turns its pages by itself within the slide's duration. The text never gets
smaller than MIN_TEXT_VMIN (2.6 % of the screen's shorter side: 28 px on a 1080 px
screen, about what a lobby screen's smallest readable line is), in landscape and
portrait; a row's words are elided with '…' only when a single cell could not fit even
alone. The entry spans the pages: each page's rows come in one after another, then it
holds; t = 1 is the last page, fully shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

from kiosk import numbers
from kiosk.playlist.model import Cell, Column, TableSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.figure import shown_number
from kiosk.slides.layout import TitleBlock, fade, title_block, title_sprite
from kiosk.slides.sprites import Sprite, paint_sprite, sprite_reach, text_sprite
from kiosk.theme import Metrics

#: the smallest and largest row text, in vmin (1/100 of the screen's shorter side)
MIN_TEXT_VMIN = 2.6
MAX_TEXT_VMIN = 4.2
#: a row's height, and the header's, for its text size
ROW_HEIGHT = 1.75
#: space between columns, and at the row's ends, in text heights (px of the row font)
COLUMN_GAP = 1.4
ROW_PADDING = 0.7
#: seconds between one row's start and the next one's, and how long a row takes to come in
ROW_STAGGER = 0.07
ROW_IN_SECONDS = 0.45
#: the part of the slide's duration the pages share (the rest is the transition out)
PAGING_SHARE = 0.9
#: a page never turns sooner than this after it came in (seconds)
MIN_PAGE_SECONDS = 3.0


def cell_text(cell: Cell, column: Column, decimals: int) -> str:
    """What a cell shows: a number at its column's precision with the column's prefix,
    unit and suffix (as `stats` composes them), or its text as written."""
    if cell.value is None:
        return cell.text
    figure = numbers.compose(
        cell.value, decimals, prefix=column.prefix, unit=column.unit, suffix=column.suffix
    )
    return figure.prefix + shown_number(figure.number) + figure.unit + figure.suffix


def pages_of(count: int, per_page: int) -> list[range]:
    """Rows split into pages of at most per_page, as even as can be (13 rows, 10 a page:
    7 and 6, not 10 and 3)."""
    per_page = max(1, per_page)
    pages = max(1, math.ceil(count / per_page))
    size = math.ceil(count / pages)
    return [range(start, min(count, start + size)) for start in range(0, count, size)] or [range(0)]


@dataclass(frozen=True)
class Page:
    """What one page shows: some rows, and some columns (all of them unless the table is
    too wide for the screen; then the first column and as many others as fit)."""

    rows: range
    columns: tuple[int, ...]


@dataclass(frozen=True)
class TableLayout:
    title: TitleBlock
    title_sprite: Sprite | None
    table: QRectF  # header and rows of the tallest page
    row_h: float
    pages: list[Page]
    headers: list[Sprite]  # one per page
    rows: list[Sprite]  # one per row of each page, in page order
    page_label: list[Sprite | None]  # '1 / 3' on each page; None with one page
    rise: float


class TableView(SlideView):
    """A table: header, rows that come in one by one, pages for long tables."""

    model: TableSlide
    _shown_key: tuple[int, tuple[float, ...]] | None = None

    # ------------------------------------------------------------ content (pure)

    @cached_property
    def columns(self) -> list[Column]:
        return list(self.model.columns or [])

    @cached_property
    def texts(self) -> list[list[str]]:
        """Every cell's final text, row by row (each column at its own precision)."""
        places = [self.model.decimals(c) for c in range(len(self.columns))]
        return [
            [cell_text(cell, self.columns[c], places[c]) for c, cell in enumerate(self.model.cells(r))]
            for r in range(len(self.model.rows or []))
        ]

    @cached_property
    def numeric(self) -> list[bool]:
        """Columns that hold numbers (right-aligned): most of their filled cells are."""
        out = []
        for c in range(len(self.columns)):
            cells = [self.model.cells(r)[c] for r in range(len(self.model.rows or []))]
            filled = [cell for cell in cells if cell.text]
            out.append(bool(filled) and sum(cell.is_number for cell in filled) * 2 > len(filled))
        return out

    # ------------------------------------------------------------ timing (pure)

    def slide_seconds(self) -> float:
        """The slide's time on screen: its `duration`, else the playlist's default."""
        return self.model.duration if self.model.duration is not None else self.context.default_duration

    def page_count(self) -> int:
        layout = self.layout() if self.width() > 0 and self.height() > 0 else None
        return len(layout.pages) if layout is not None else 1

    def rows_in_seconds(self, count: int) -> float:
        return ROW_IN_SECONDS + ROW_STAGGER * max(0, count - 1)

    def entry_duration(self) -> float:
        """One page: until its last row is in. More: the pages share the slide's time
        (each at least MIN_PAGE_SECONDS), the last one's rows in at the end of its share."""
        pages = self.page_count()
        if pages <= 1:
            return self.rows_in_seconds(len(self.model.rows or []))
        per_page = max(MIN_PAGE_SECONDS, self.slide_seconds() * PAGING_SHARE / pages)
        last = self.layout().pages[-1]
        return per_page * (pages - 1) + self.rows_in_seconds(len(last.rows))

    def page_at(self, t: float) -> int:
        """The index of the page on screen at t."""
        pages = self.page_count()
        if pages <= 1:
            return 0
        per_page = max(MIN_PAGE_SECONDS, self.slide_seconds() * PAGING_SHARE / pages)
        return min(pages - 1, int(t * self.entry_duration() / per_page))

    def row_in(self, page_row: int, page: int, t: float) -> float:
        """How far the page's row `page_row` has come in at t (0..1, eased)."""
        pages = self.page_count()
        start = 0.0
        if pages > 1:
            start = page * max(MIN_PAGE_SECONDS, self.slide_seconds() * PAGING_SHARE / pages)
        return fade(t * self.entry_duration(), start + page_row * ROW_STAGGER, ROW_IN_SECONDS)

    # ------------------------------------------------------------ layout

    def compute_layout(self, metrics: Metrics) -> TableLayout:
        vmin, dpr = metrics.vmin, self.devicePixelRatioF()
        block = title_block(self.theme, metrics, self.model.title)
        body = block.body
        count = len(self.texts)
        font, natural = self._fit(body, count, vmin)
        px = font.pixelSize()
        row_h = round(px * ROW_HEIGHT)
        per_page = max(1, int((body.height() - row_h) // row_h))
        label_h = vmin * 4.0
        groups = self._column_groups(natural, px, body.width())
        if per_page < count or len(groups) > 1:  # pages: room under the rows for the page's number
            per_page = max(1, int((body.height() - row_h - label_h) // row_h))
        row_pages = pages_of(count, per_page)
        # Row pages first, then column groups within each: a row's figures stay close in time.
        pages = [Page(rows, tuple(columns)) for rows in row_pages for columns in groups]
        tallest = max(len(p.rows) for p in pages)
        table_w = min(body.width(), vmin * 80)  # a narrow table still reads as a table
        table_w = max(table_w, max(self._span(natural, g, px) for g in groups))
        left = round(body.center().x() - table_w / 2)
        top = round(body.top())
        table = QRectF(left, top, table_w, row_h * (tallest + 1))
        header_font = self.theme.font(px * 0.86, QFont.Weight.Bold)
        bold = self.theme.font(px, QFont.Weight.Bold)
        highlight = self.model.highlighted_row()
        headers, rows = [], []
        for page in pages:
            lefts, widths = self._columns_at(natural, page.columns, px, left, table_w)
            headers.append(
                self._row_sprite(
                    QRectF(left, top, table_w, row_h), [self.columns[c].header for c in page.columns],
                    page.columns, lefts, widths, header_font, self.theme.color("muted"), header=True, dpr=dpr,
                )
            )  # fmt: skip
            for slot, r in enumerate(page.rows):
                rect = QRectF(left, top + row_h * (slot + 1), table_w, row_h)
                chosen = r == highlight
                rows.append(
                    self._row_sprite(
                        rect, [self.texts[r][c] for c in page.columns], page.columns, lefts, widths,
                        bold if chosen else font, self.theme.color("text"),
                        stripe=slot % 2 == 1, chosen=chosen, dpr=dpr,
                    )
                )  # fmt: skip
        labels: list[Sprite | None] = [None] * len(pages)
        if len(pages) > 1:  # '1 / 2' under the rows: the audience knows more is coming
            box = QRectF(left, table.bottom() + vmin * 0.6, table_w, label_h - vmin * 0.6)
            labels = [
                text_sprite(
                    box, f"{index + 1} / {len(pages)}", self.theme.font(vmin * 2.4),
                    self.theme.color("muted"), paint.ALIGN_CENTER, wrap=False, dpr=dpr,
                )
                for index in range(len(pages))
            ]  # fmt: skip
        return TableLayout(
            block, title_sprite(self.theme, block, dpr), table, row_h, pages, headers, rows,
            labels, vmin * 1.6,
        )  # fmt: skip

    def _span(self, natural: list[float], columns: list[int], px: float) -> float:
        """The width a group of columns takes at their natural widths, padding included."""
        return sum(natural[c] for c in columns) + px * (COLUMN_GAP * (len(columns) - 1) + 2 * ROW_PADDING)

    def _column_groups(self, natural: list[float], px: float, width: float) -> list[list[int]]:
        """The columns shown together: all of them when they fit the width; else the first
        column (what each row is) on every page, with as many of the others as fit beside it.
        A text column too wide for any page is narrowed (its words elided) to fit."""
        every = list(range(len(natural)))
        if self._span(natural, every, px) <= width or len(every) == 1:
            return [every]
        groups: list[list[int]] = []
        current = [0]
        for column in every[1:]:
            if len(current) > 1 and self._span(natural, [*current, column], px) > width:
                groups.append(current)
                current = [0]
            current.append(column)
        groups.append(current)
        return groups

    def _columns_at(
        self, natural: list[float], columns: tuple[int, ...], px: float, left: float, table_w: float
    ) -> tuple[list[float], list[float]]:
        """Each column's left edge and width in a table `table_w` wide: natural widths, the
        room left over shared out evenly; too little room narrows the text columns first."""
        room = table_w - px * (COLUMN_GAP * (len(columns) - 1) + 2 * ROW_PADDING)
        widths = [natural[c] for c in columns]
        if sum(widths) > room:
            widths = self._squeeze(widths, [self.numeric[c] for c in columns], room)
        else:
            widths = [w + (room - sum(widths)) / len(widths) for w in widths]
        lefts, x = [], left + px * ROW_PADDING
        for w in widths:
            lefts.append(x)
            x += w + px * COLUMN_GAP
        return lefts, widths

    def _fit(self, body: QRectF, count: int, vmin: float) -> tuple[QFont, list[float]]:
        """The row font: the largest between MIN_TEXT_VMIN and MAX_TEXT_VMIN at which the
        columns fit the width and every row fits one page; when none does, the smallest
        (each page then holds as many rows and columns as it can). And the columns'
        natural widths at that size (each its widest cell, bold, or its heading)."""
        low, high = vmin * MIN_TEXT_VMIN, vmin * MAX_TEXT_VMIN

        def widths_at(px: float) -> list[float]:
            bold = QFontMetricsF(self.theme.font(px, QFont.Weight.Bold))
            header = QFontMetricsF(self.theme.font(px * 0.86, QFont.Weight.Bold))
            out = []
            for c, column in enumerate(self.columns):
                widest = max((bold.horizontalAdvance(row[c]) for row in self.texts), default=0.0)
                out.append(max(widest, header.horizontalAdvance(column.header), px))
            return out

        def fits(px: int) -> bool:
            if (count + 1) * round(px * ROW_HEIGHT) > body.height():
                return False
            return self._span(widths_at(px), list(range(len(self.columns))), px) <= body.width()

        # Whole pixels: the font is set at a whole size, and the rows' height follows it.
        sizes = range(math.ceil(low), max(math.ceil(low), math.floor(high)) + 1)
        fitting = [px for px in sizes if fits(px)]
        px = fitting[-1] if fitting else sizes[0]
        return self.theme.font(px), widths_at(px)

    def _squeeze(self, widths: list[float], numeric: list[bool], room: float) -> list[float]:
        """Narrow the text columns (their words are elided) so the numbers stay whole."""
        fixed = sum(w for w, n in zip(widths, numeric, strict=True) if n)
        flexible = sum(w for w, n in zip(widths, numeric, strict=True) if not n)
        if not flexible or fixed >= room:
            scale = room / max(1.0, sum(widths))
            return [w * scale for w in widths]
        scale = (room - fixed) / flexible
        return [w if n else w * scale for w, n in zip(widths, numeric, strict=True)]

    def _row_sprite(
        self,
        rect: QRectF,
        texts: list[str],
        columns: tuple[int, ...],
        lefts: list[float],
        widths: list[float],
        font: QFont,
        pen: object,
        *,
        header: bool = False,
        stripe: bool = False,
        chosen: bool = False,
        dpr: float = 1.0,
    ) -> Sprite:
        """A row (or the header) drawn once: its band, then each cell in its column."""
        theme = self.theme

        def paint_row(painter: QPainter) -> None:
            radius = rect.height() * 0.18
            painter.setPen(Qt.PenStyle.NoPen)
            if chosen:
                painter.setBrush(paint.with_alpha(theme.color("text"), 0.13))
                painter.drawRoundedRect(rect, radius, radius)
                painter.setBrush(theme.color("accent"))
                painter.drawRoundedRect(
                    QRectF(rect.left(), rect.top(), rect.height() * 0.12, rect.height()), 2, 2
                )
            elif stripe:
                painter.setBrush(theme.color("panel"))
                painter.drawRoundedRect(rect, radius, radius)
            if header:  # a thin rule under the headings, the accent's colour
                thickness = max(1.0, round(rect.height() * 0.05))
                line = QRectF(rect.left(), rect.bottom() - thickness, rect.width(), thickness)
                painter.fillRect(line, paint.with_alpha(theme.color("accent"), 0.8))
            for i, (c, text) in enumerate(zip(columns, texts, strict=True)):
                align = Qt.AlignmentFlag.AlignVCenter | (
                    Qt.AlignmentFlag.AlignRight if self.numeric[c] else Qt.AlignmentFlag.AlignLeft
                )
                box = QRectF(lefts[i], rect.top(), widths[i], rect.height())
                color = theme.color("accent") if chosen and c == 0 else pen
                paint.draw_text(painter, box, text, font, color, align, wrap=False)  # type: ignore[arg-type]  # flags or-ed are an int to the stubs

        return paint_sprite(rect, paint_row, dpr=dpr)

    # ------------------------------------------------------------ paint

    def animated_area(self, layout: TableLayout) -> QRectF | None:
        area = QRectF(layout.table)
        for header in layout.headers:
            area = area.united(header.box)
        for label in layout.page_label:
            if label is not None:
                area = area.united(label.box)
        return sprite_reach(area, extra=abs(layout.rise) + 2)

    def set_progress(self, t: float) -> None:
        """As every slide, except that a frame that would look like the one on screen is
        not painted: while a page holds, a long table costs no more than a still slide."""
        key = None
        if 0.0 < t < 1.0 and self.width() > 0 and self.height() > 0:
            try:
                key = self._frame_key(t)
            except Exception:
                key = None  # painting meets the same problem, and reports it
        if key is not None and key == self._shown_key and not self.is_broken():
            self._progress = min(1.0, max(0.0, float(t)))
            return
        self._shown_key = key
        super().set_progress(t)

    def _frame_key(self, t: float) -> tuple[int, tuple[float, ...]]:
        layout: TableLayout = self.layout()
        page = self.page_at(t)
        rows = len(layout.pages[page].rows)
        return page, tuple(round(self.row_in(i, page, t), 3) for i in range(rows))

    def paint_content(self, painter: QPainter, layout: TableLayout, t: float) -> None:
        if layout.title_sprite is not None:
            layout.title_sprite.draw(painter)
        page = self.page_at(t)
        first = sum(len(p.rows) for p in layout.pages[:page])
        layout.headers[page].draw(painter)
        label = layout.page_label[page]
        if label is not None:
            label.draw(painter)
        for slot in range(len(layout.pages[page].rows)):
            shown = self.row_in(slot, page, t)
            if shown > 0:
                layout.rows[first + slot].draw(painter, dy=layout.rise * (1.0 - shown), opacity=shown)
