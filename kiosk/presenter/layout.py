"""Where each part of the presenter view goes, for any window size: pure geometry.

Landscape (the usual lectern monitor or laptop): a header row (slide, state, clock), the
slide on air large on the left with the timing under it, the next slide and the notes on
the right, the strip of all slides along the bottom. Portrait: the same parts stacked.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF


@dataclass(frozen=True)
class PresenterLayout:
    vmin: float  # one percent of the shorter side: every size is in these
    header: QRectF
    live: QRectF  # the slide on air, at the wall's aspect
    timing: QRectF
    next: QRectF  # the next slide's final frame, at the wall's aspect
    notes: QRectF
    strip: QRectF

    @property
    def label_height(self) -> float:
        return self.vmin * 3.2


def fit_aspect(box: QRectF, aspect: float) -> QRectF:
    """The largest rectangle of width/height `aspect` in box, at its top, centred across."""
    width = min(box.width(), box.height() * aspect)
    height = width / aspect
    return QRectF(box.left() + (box.width() - width) / 2, box.top(), width, height)


def presenter_layout(width: float, height: float, wall_aspect: float) -> PresenterLayout:
    vmin = min(width, height) / 100
    margin = vmin * 2.2
    gap = vmin * 2.2
    label = vmin * 3.2
    inner = QRectF(margin, margin, width - 2 * margin, height - 2 * margin)
    header = QRectF(inner.left(), inner.top(), inner.width(), vmin * 6)
    strip_height = vmin * 13
    strip = QRectF(inner.left(), inner.bottom() - strip_height, inner.width(), strip_height)
    middle = QRectF(
        inner.left(), header.bottom() + gap, inner.width(), strip.top() - gap - header.bottom() - gap
    )
    if width >= height:
        return _landscape(vmin, header, middle, strip, gap, label, wall_aspect)
    return _portrait(vmin, header, middle, strip, gap, label, wall_aspect)


def _landscape(
    vmin: float, header: QRectF, middle: QRectF, strip: QRectF, gap: float, label: float, aspect: float
) -> PresenterLayout:
    left_width = middle.width() * 0.6
    timing_height = vmin * 15
    live_box = QRectF(
        middle.left(), middle.top() + label, left_width, middle.height() - label - gap - timing_height
    )
    live = fit_aspect(live_box, aspect)
    live.moveLeft(middle.left())
    timing = QRectF(middle.left(), live.bottom() + gap, live.width(), middle.bottom() - live.bottom() - gap)
    # The right column takes what the slide on air leaves (a narrow wall leaves more).
    right = QRectF(
        live.right() + gap * 1.5, middle.top(), middle.right() - live.right() - gap * 1.5, middle.height()
    )
    # The next slide as wide as the column when that leaves the notes a third of it.
    next_box = QRectF(right.left(), right.top() + label, right.width(), right.height() * 0.58)
    next_rect = fit_aspect(next_box, aspect)
    next_rect.moveLeft(right.left())
    notes_top = next_rect.bottom() + gap + label
    notes = QRectF(right.left(), notes_top, right.width(), right.bottom() - notes_top)
    return PresenterLayout(vmin, header, live, timing, next_rect, notes, strip)


def _portrait(
    vmin: float, header: QRectF, middle: QRectF, strip: QRectF, gap: float, label: float, aspect: float
) -> PresenterLayout:
    live_box = QRectF(middle.left(), middle.top() + label, middle.width(), middle.height() * 0.4)
    live = fit_aspect(live_box, aspect)
    timing = QRectF(middle.left(), live.bottom() + gap, middle.width(), vmin * 15)
    row_top = timing.bottom() + gap
    half = (middle.width() - gap) / 2
    next_box = QRectF(middle.left(), row_top + label, half, middle.bottom() - row_top - label)
    next_rect = fit_aspect(next_box, aspect)
    next_rect.moveLeft(middle.left())
    notes = QRectF(middle.left() + half + gap, row_top + label, half, middle.bottom() - row_top - label)
    return PresenterLayout(vmin, header, live, timing, next_rect, notes, strip)
