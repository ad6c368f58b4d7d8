"""The `timeline` slide: steps shown one after another, on a line.

Landscape: a horizontal line across the body, a node (gold dot with a soft halo) per step
in the middle of its column, the time above the node in bold gold, the text below it in
the theme's text colour (wrapped to up to 3 lines). Portrait: the line runs down the
left, each step's time and text to the right of its node, stacked and spread down the
screen, in type as large as its height allows. Texts that wrap break between phrases.

Animation: 0.9 s per step. For each step the line grows on to its node, the node comes
in (grows from 40 % with ease-out, no overshoot), then its time and text fade in; after
the last node the line runs on to its end. The title is still from the first frame.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from kiosk import numbers
from kiosk.playlist.model import TimelineSlide
from kiosk.slides import paint
from kiosk.slides.base import SlideView
from kiosk.slides.breaks import phrase_font, tidy_breaks
from kiosk.slides.layout import (
    TitleBlock,
    block_height,
    body_area,
    fit_lines,
    lines_needed,
    paint_title,
    title_block,
    wrapped_height,
)
from kiosk.slides.sprites import Sprite, text_sprite
from kiosk.theme import Metrics

#: seconds each step takes to come in
STEP_SECONDS = 0.9
#: within a step (fractions of STEP_SECONDS): the line grows, the node pops, the texts fade
LINE_PHASE = (0.0, 0.4)
NODE_PHASE = (0.3, 0.65)
TEXT_PHASE = (0.5, 1.0)
#: a node grows from this fraction of its size
NODE_START_SCALE = 0.4
#: the times' and the texts' largest sizes, in vmin (landscape, up to 4 steps)
TIME_VMIN = 4.4
TEXT_VMIN = 3.4
#: clear space between two columns' texts, in vmin: less, and one-line texts of
#: neighbouring steps read as one line
COLUMN_GUTTER_VMIN = 4.5
#: four steps or fewer have wide columns: their type may grow this much (a lobby reads
#: it from across the room; fit_lines still shrinks it to the column)
FEW_STEPS_SCALE = 1.3
#: ... and, while their group takes less than FEW_STEPS_SHARE of the body's height, up
#: to this much (three steps left two thirds of the height empty at 1.3)
FEW_STEPS_MAX_SCALE = 2.0
FEW_STEPS_SHARE = 0.6
#: on a portrait screen the sizes may grow this much, as far as the height allows ...
PORTRAIT_SCALE = 1.3
#: ... and the rows spread over this share of the body's height, this far apart (in
#: vmin) at the most
SPREAD_SHARE = 0.9
MAX_ROW_GAP_VMIN = 24.0


@dataclass(frozen=True)
class StepState:
    """How far one step has come in at a moment (eased, 0..1)."""

    node: float
    text: float


@dataclass(frozen=True)
class PlacedStep:
    node: QPointF
    time: Sprite
    text: Sprite


@dataclass(frozen=True)
class TimelineLayout:
    vmin: float
    title: TitleBlock
    vertical: bool
    #: the points the line passes, in order: its start, each node, its end
    path: list[QPointF]
    steps: list[PlacedStep]
    node_radius: float
    line_width: float
    time_font: QFont
    text_font: QFont


def phase(local: float, span: tuple[float, float]) -> float:
    """Eased progress of a phase that runs over `span` (fractions of a step) at `local`."""
    start, end = span
    return numbers.ease_out_cubic((local - start) / (end - start))


def point_along(path: list[QPointF], reach: float) -> QPointF:
    """The point `reach` segments along path (2.5 = halfway from path[2] to path[3])."""
    reach = min(max(reach, 0.0), len(path) - 1.0)
    index = min(int(reach), len(path) - 2)
    a, b = path[index], path[index + 1]
    f = reach - index
    return QPointF(a.x() + (b.x() - a.x()) * f, a.y() + (b.y() - a.y()) * f)


class TimelineView(SlideView):
    """Steps on a line, one by one."""

    model: TimelineSlide

    # ------------------------------------------------------------ timing (pure)

    def entry_duration(self) -> float:
        return STEP_SECONDS * len(self.model.steps)

    def _local(self, index: int, t: float) -> float:
        """Progress within step `index` at t, in fractions of a step (may be <0 or >1)."""
        return t * len(self.model.steps) - index

    def step_state(self, index: int, t: float) -> StepState:
        """Node and texts of step `index` at t."""
        local = self._local(index, t)
        return StepState(phase(local, NODE_PHASE), phase(local, TEXT_PHASE))

    def line_reach(self, t: float) -> float:
        """How far the line has grown, in segments of the layout's path: 0 = not started,
        k = reached node k-1 (the path is start, nodes, end), count+1 = whole."""
        count = len(self.model.steps)
        reach = 0.0
        for index in range(count):
            reach += phase(self._local(index, t), LINE_PHASE)
        # The last segment (last node to the end) grows while the last step's texts fade in.
        reach += phase(self._local(count - 1, t), TEXT_PHASE)
        return reach

    # ------------------------------------------------------------ layout

    def compute_layout(self, metrics: Metrics) -> TimelineLayout:
        block = title_block(self.theme, metrics, self.model.title)
        if metrics.portrait:
            return self._vertical(metrics, block)
        return self._horizontal(metrics, block)

    def _fonts(self, width: float, vmin: float, scale: float, text_lines: int) -> tuple[QFont, QFont]:
        """One font for all times and one for all texts, so no step looks louder than another."""
        times = [step.time for step in self.model.steps]
        texts = [step.text for step in self.model.steps]
        time_font = fit_lines(
            lambda px: self.theme.font(px, QFont.Weight.Bold), times, width,
            vmin * TIME_VMIN * scale, min(vmin * 2.4, vmin * TIME_VMIN * scale), max_lines=2,
        )  # fmt: skip
        text_font = fit_lines(
            lambda px: self.theme.font(px), texts, width,
            vmin * TEXT_VMIN * scale, min(vmin * 2.2, vmin * TEXT_VMIN * scale), max_lines=text_lines,
        )  # fmt: skip
        text_font = phrase_font(self.theme.font, texts, width, text_font, text_lines)
        return time_font, text_font

    def _step(
        self,
        index: int,
        boxes: tuple[QRectF, QRectF],
        fonts: tuple[QFont, QFont],
        aligns: tuple[Qt.AlignmentFlag, Qt.AlignmentFlag],
        node: QPointF,
    ) -> PlacedStep:
        """Step `index` placed: its time (accent) and text (text colour) drawn once into
        sprites, broken between phrases where they wrap (breaks.tidy_breaks)."""
        step = self.model.steps[index]
        ratio = self.devicePixelRatioF()
        placed = []
        for text, box, font, align, role, lines in zip(
            (step.time, step.text), boxes, fonts, aligns, ("accent", "text"), (2, 4), strict=True
        ):
            tidy = tidy_breaks(text, font, box.width(), lines)
            placed.append(text_sprite(box, tidy, font, self.theme.color(role), align, dpr=ratio))
        return PlacedStep(node, placed[0], placed[1])

    def _horizontal(self, metrics: Metrics, block: TitleBlock) -> TimelineLayout:
        """Columns side by side: time above the line, text below it."""
        vmin = metrics.vmin
        body = block.body
        count = len(self.model.steps)
        column = body.width() / count
        inner = column - vmin * COLUMN_GUTTER_VMIN  # clear space between neighbours' texts
        # Narrow columns (many steps) get a smaller size and a fourth line before eliding.
        text_lines = 3 if count <= 5 else 4
        scale = FEW_STEPS_SCALE if count <= 4 else 1.0 if count <= 5 else 0.85
        radius = vmin * 1.1
        gap = vmin * 2.4
        times, texts = [s.time for s in self.model.steps], [s.text for s in self.model.steps]

        def measure(scale: float) -> tuple[QFont, QFont, float, float]:
            time_font, text_font = self._fonts(inner, vmin, scale, text_lines)
            time_h = block_height(time_font, max(1, lines_needed(times, time_font, inner, 2)))
            text_h = block_height(text_font, max(1, lines_needed(texts, text_font, inner, text_lines)))
            return time_font, text_font, time_h, text_h

        time_font, text_font, time_h, text_h = measure(scale)
        if count <= 4:  # few steps: as large as keeps the group within FEW_STEPS_SHARE of the body
            for bigger in (FEW_STEPS_MAX_SCALE, 1.8, 1.6, 1.45):
                found = measure(bigger)
                grew = found[1].pixelSize() > text_font.pixelSize() * 1.1  # not the times alone
                if grew and found[2] + found[3] + 2 * gap + 2 * radius <= body.height() * FEW_STEPS_SHARE:
                    time_font, text_font, time_h, text_h = found
                    break
        group = time_h + gap + 2 * radius + gap + text_h
        line_y = body.top() + max(0.0, body.height() - group) * 0.42 + time_h + gap + radius
        steps = []
        for index in range(count):
            x = body.left() + column * (index + 0.5)
            time_box = QRectF(x - inner / 2, line_y - radius - gap - time_h, inner, time_h)
            text_box = QRectF(x - inner / 2, line_y + radius + gap, inner, text_h)
            aligns = (paint.ALIGN_BOTTOM_CENTER, paint.ALIGN_TOP_CENTER)
            steps.append(
                self._step(index, (time_box, text_box), (time_font, text_font), aligns, QPointF(x, line_y))
            )
        path = [QPointF(body.left(), line_y), *[s.node for s in steps], QPointF(body.right(), line_y)]
        return TimelineLayout(
            vmin, block, False, path, steps, radius, max(1.5, vmin * 0.35), time_font, text_font
        )

    def _vertical(self, metrics: Metrics, block: TitleBlock) -> TimelineLayout:
        """Rows down a line on the left: the time, then the text, right of the node.

        A tall screen has height to spare: the fonts are the largest (up to PORTRAIT_SCALE
        times the landscape sizes) at which the rows fit the body with a little air, and
        the rows are spread down the body (gaps up to MAX_ROW_GAP_VMIN), the group
        optically centred.
        """
        vmin = metrics.vmin
        body = block.body
        count = len(self.model.steps)
        radius = vmin * 1.4
        line_x = body.left() + radius * 1.8
        left = line_x + radius + vmin * 4
        width = body.right() - left
        min_gap, time_gap = vmin * 3.0, vmin * 1.0
        scale = PORTRAIT_SCALE
        while True:  # the largest size at which the rows fit the body's height
            time_font, text_font = self._fonts(width, vmin, scale, 3)
            rows = [
                (
                    wrapped_height(step.time, time_font, width, 2),
                    wrapped_height(step.text, text_font, width, 3),
                )
                for step in self.model.steps
            ]
            natural = sum(time_h + time_gap + text_h for time_h, text_h in rows)
            if natural + min_gap * (count - 1) <= body.height() or scale < 0.4:
                break
            scale *= 0.95
        row_gap = min_gap
        if count > 1:  # spread over most of the body, leaving it some air above and below
            spread = (body.height() * SPREAD_SHARE - natural) / (count - 1)
            wanted = max(min_gap, min(spread, vmin * MAX_ROW_GAP_VMIN))
            row_gap = max(0.0, min(wanted, (body.height() - natural) / (count - 1)))
        total = natural + row_gap * (count - 1)
        top = body.top() + max(0.0, body.height() - total) * 0.4
        metrics_time = QFontMetricsF(time_font)
        # The node sits level with the middle of the time's first line.
        node_dy = metrics_time.ascent() - metrics_time.capHeight() / 2 + 1
        steps = []
        for index, (time_h, text_h) in enumerate(rows):
            time_box = QRectF(left, top, width, time_h)
            text_box = QRectF(left, top + time_h + time_gap, width, text_h)
            aligns = (paint.ALIGN_TOP_LEFT, paint.ALIGN_TOP_LEFT)
            node = QPointF(line_x, top + node_dy)
            steps.append(self._step(index, (time_box, text_box), (time_font, text_font), aligns, node))
            top += time_h + time_gap + text_h + row_gap
        first, last = steps[0].node, steps[-1].node
        start = QPointF(line_x, max(body.top(), first.y() - radius * 3))
        end = QPointF(line_x, min(body.bottom(), max(last.y() + radius * 3, steps[-1].text.box.bottom())))
        path = [start, *[s.node for s in steps], end]
        return TimelineLayout(
            vmin, block, True, path, steps, radius, max(1.5, vmin * 0.35), time_font, text_font
        )

    # ------------------------------------------------------------ paint

    def animated_area(self, layout: TimelineLayout) -> QRectF:
        """What comes in comes in under the title; the title and footer stay still."""
        return body_area(layout.title)

    def paint_content(self, painter: QPainter, layout: TimelineLayout, t: float) -> None:
        paint_title(painter, self.theme, layout.title)
        accent = self.theme.color("accent")
        reach = self.line_reach(t)
        if reach > 0:
            pen = QPen(paint.with_alpha(accent, 0.55), layout.line_width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.save()
            painter.setPen(pen)
            whole = int(reach)
            points = [*layout.path[: whole + 1], point_along(layout.path, reach)]
            painter.drawPolyline(QPolygonF(points))
            painter.restore()
        for index, step in enumerate(layout.steps):
            state = self.step_state(index, t)
            if state.node > 0:
                self._paint_node(painter, step.node, layout.node_radius, accent, state.node)
            if state.text > 0:
                step.time.draw(painter, opacity=state.text)
                step.text.draw(painter, opacity=state.text)

    def _paint_node(
        self, painter: QPainter, center: QPointF, radius: float, accent: QColor, shown: float
    ) -> None:
        """A gold dot in a soft halo; grows in from NODE_START_SCALE without overshoot."""
        size = radius * (NODE_START_SCALE + (1 - NODE_START_SCALE) * shown)
        painter.save()
        painter.setOpacity(painter.opacity() * shown)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paint.with_alpha(accent, 0.22))
        painter.drawEllipse(center, size * 1.9, size * 1.9)
        painter.setBrush(accent)
        painter.drawEllipse(center, size, size)
        painter.restore()
