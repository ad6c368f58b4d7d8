"""The `stat` slide: one headline figure, huge, counting up to the number as it was written.

The label is the slide's title (top-left, like every slide's title, so the eye finds it in
the same place on every slide); the figure is the hero, centred below it: the number as
large as the width allows (up to vmin*26), its qualifiers (近, %, 余名, 以上) smaller on the
same baseline, a green/red trend arrow beside it and the note under it in muted type.

Animation (seconds; t maps onto the whole entry): the number counts up with ease-out over
`count_up` (1.8 s by default; none with `count_up: false`), keeping its written precision
(99.2 shows 0.0 … 49.6 … 99.2); as it lands, the arrow and the note fade in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from kiosk.numbers import FigureText
from kiosk.playlist.model import SlideBase, StatSlide
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
    parts_of,
    place_group,
    qualifiers_sprite,
)
from kiosk.slides.layout import (
    TitleBlock,
    fade,
    fit_lines,
    title_block,
    title_sprite,
    wrapped_height,
)
from kiosk.slides.sprites import Sprite, draw_all, sprite_reach, text_sprite
from kiosk.theme import Metrics

#: the number's largest size, in vmin
MAX_NUMBER_VMIN = 26.0
#: the detail (arrow, note) starts fading in this long before the count lands
DETAIL_LEAD_SECONDS = 0.4


@dataclass(frozen=True)
class StatLayout:
    title: TitleBlock
    group: FigureGroup
    colors: GroupColors
    note_box: QRectF | None
    still: tuple[Sprite | None, ...]  # title, rule, prefix and unit: painted once per size
    note: Sprite | None  # fades in as the count lands
    glyphs: NumberGlyphs | None


class StatView(SlideView):
    """One figure, as big as the screen allows."""

    model: StatSlide
    #: 30 frames a second: its animation is a number counting (and a note fading in),
    #: nothing that moves; the eye reads no digit changing faster, and a screen of stat
    #: slides (the peers' deck) spent most of its CPU on their frames
    frame_seconds = 1 / 30

    # ------------------------------------------------------------ timing (pure)

    @cached_property
    def parts(self) -> FigureParts:
        """The figure's still texts (widest_text samples the count: worked out once)."""
        return parts_of(self.model)

    def count_seconds(self) -> float:
        return count_seconds(self.model.count_up)

    def count_from(self, old: SlideBase) -> None:
        """A new figure pushed while the slide is on air (kiosk/live.py): count again, from
        the number that was on screen."""
        if isinstance(old, StatSlide):
            self.parts = self.parts.counting_from(old.value)
            self._layout = None  # the number's box fits the new count
            self.enter()

    def detail_start(self) -> float:
        """When the arrow and the note begin to fade in (seconds into the entry)."""
        return max(0.0, self.count_seconds() - DETAIL_LEAD_SECONDS)

    def entry_duration(self) -> float:
        return max(self.count_seconds(), self.detail_start() + DETAIL_FADE_SECONDS)

    def figure_text(self, t: float) -> FigureText:
        """The figure's parts shown at progress t."""
        elapsed = t * self.entry_duration()
        return self.parts.text(count_progress(elapsed, self.count_seconds()))

    def number_text(self, t: float) -> str:
        """The whole figure as read at t, e.g. '近12%' mid-count, '近20%' at the end."""
        return self.figure_text(t).full()

    def detail_opacity(self, t: float) -> float:
        """Opacity of the trend arrow and the note at t."""
        return fade(t * self.entry_duration(), self.detail_start(), DETAIL_FADE_SECONDS)

    # ------------------------------------------------------------ layout and paint

    def compute_layout(self, metrics: Metrics) -> StatLayout:
        vmin = metrics.vmin
        block = title_block(self.theme, metrics, self.model.label)
        body = block.body
        parts = self.parts
        px = fit_number_px(self.theme, parts, body.width(), vmin * MAX_NUMBER_VMIN, vmin * 4)
        cap = cap_height(self.theme, px)
        # Keep the number well inside the body's height too (short, wide screens).
        while cap > body.height() * 0.55 and px > vmin * 4:
            px *= 0.95
            cap = cap_height(self.theme, px)

        note = self.model.note or ""
        note_font = None
        note_height = gap = 0.0
        note_width = body.width() * (0.8 if not metrics.portrait else 1.0)
        if note:
            note_font = fit_lines(self.theme.font, [note], note_width, vmin * 3.8, vmin * 2.4)
            note_height = wrapped_height(note, note_font, note_width, 2)
            gap = vmin * 5
        stack = cap + gap + note_height
        # Optically centred: a little above the body's middle (more so on a tall screen).
        top = body.top() + max(0.0, body.height() - stack) * (0.4 if metrics.portrait else 0.46)
        baseline = top + cap
        group = place_group(self.theme, parts, px, body.center().x(), baseline)
        colors = group_colors(self.theme, parts)
        dpr = self.devicePixelRatioF()

        still = (title_sprite(self.theme, block, dpr), qualifiers_sprite(group, colors, dpr))
        note_box = note_sprite = None
        if note and note_font is not None:
            note_box = QRectF(body.center().x() - note_width / 2, baseline + gap, note_width, note_height)
            note = tidy_breaks(note, note_font, note_width, 2)  # between phrases, no lonely word
            note_sprite = text_sprite(
                note_box, note, note_font, self.theme.color("muted"), paint.ALIGN_TOP_CENTER, dpr=dpr
            )
        glyphs = number_glyphs(group, colors.number, dpr)
        return StatLayout(block, group, colors, note_box, still, note_sprite, glyphs)

    def animated_area(self, layout: StatLayout) -> QRectF:
        """The counting digits, the arrow and the note."""
        area = number_area(layout.group)
        if layout.note_box is not None:
            area = area.united(sprite_reach(layout.note_box))
        return area

    def paint_content(self, painter: QPainter, layout: StatLayout, t: float) -> None:
        draw_all(painter, layout.still)
        detail = self.detail_opacity(t)
        paint_number(
            painter, layout.group, self.figure_text(t).number, layout.colors,
            glyphs=layout.glyphs, arrow_opacity=detail,
        )  # fmt: skip
        if layout.note is not None:
            layout.note.draw(painter, opacity=detail)
