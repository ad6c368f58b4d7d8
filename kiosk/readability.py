"""Readability warnings for `kiosk check --size WxH`: what a viewer across the hall could
not read on that screen, each at the FILE:LINE:COL of the text or slide it is about.

Each slide's final frame is drawn offscreen at the size (as export draws it), and every
text it draws is looked at as drawn (paint.draw_text records it):

- too small: letters smaller than a viewer at the assumed distance reads. Signage guides
  ask about 1 inch of letter height per 10 feet of distance (1:120). kiosk assumes the
  farthest viewer at VIEWING_DISTANCE times the screen's shorter side (about 1.7 m from a
  55-inch screen, 2.5 m from an 80-inch one), so a letter needs 1/48 of the shorter side
  in pixels (22.5 px at 1080, 45 px at 2160). The source line and footer are left out:
  citations are for the reader who steps up to the screen.
- cut: text elided with '…' because it does not fit even at its smallest size.
- contrast: text below WCAG's 3:1 for large text against what is drawn behind it.
- too long to read: more characters than a viewer reads in the slide's duration, at
  READING_CHARS_PER_SECOND for Chinese (adults read Chinese silently at about 300 to 500
  characters a minute; kiosk takes the middle, 360, 6 a second, a Latin word or a
  number counting as one character), plus a second to find where to start.
- too many items: more bars or slices than a chart can show readably (MAX_BARS, MAX_SLICES).

Warnings, never errors (the show plays them all); `kiosk check --strict` makes them fail.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk import words
from kiosk.playlist.errors import Problem
from kiosk.playlist.model import Playlist, SlideBase
from kiosk.playlist.safeyaml import Document

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QFont, QImage

#: the farthest viewer, in shorter sides of the screen
VIEWING_DISTANCE = 2.5
#: letter height per distance (1 inch per 10 feet)
LETTER_PER_DISTANCE = 1 / 120
#: Chinese characters a viewer reads in a second on a slide
READING_CHARS_PER_SECOND = 6.0
#: a slide's first this many seconds go to finding where to start (the entry animation)
READING_START_SECONDS = 1.0
#: WCAG 2 contrast for large text (AA)
MIN_CONTRAST = 3.0
#: bars and slices a chart shows readably at the most
MAX_BARS = 12
MAX_SLICES = 8


@dataclass(frozen=True)
class Drawn:
    """One text a slide drew: as given, its font, box, colour and whether it wrapped."""

    text: str
    font: QFont
    box: QRectF
    pen: QColor
    wrap: bool


def min_letter_px(size: tuple[int, int]) -> float:
    """The smallest legible letter on a screen of this size, in pixels (the module's doc)."""
    return min(size) * VIEWING_DISTANCE * LETTER_PER_DISTANCE


def readability_warnings(playlist: Playlist, document: Document, size: tuple[int, int]) -> list[Problem]:
    """Every readability warning of the playlist's playable slides on a screen of size."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app import ensure_application, slide_context

    ensure_application()
    words.prepare(words.drawn_texts(playlist))  # as the show breaks them (kiosk/words.py)
    context = slide_context(playlist)
    footer = context.theme.spec.footer
    problems: list[Problem] = []
    for index, slide in enumerate(playlist.slides):
        if slide.skip:
            continue
        where = SlidePlace(document, index, slide)
        problems += item_warnings(where, slide, size)
        problems += reading_time_warnings(where, playlist.duration_of(slide))
        drawn, image = draw_slide(slide, context, size)
        for text in drawn:
            if text.text.startswith("来源:") or text.text == footer:
                continue  # captions, for who steps up to the screen
            if len(text.text) == 1 and not where.holds(text.text):
                continue  # one glyph of a counting figure's atlas: the figure is one text
            problems += text_warnings(where, text, image, size)
    return sorted(dict.fromkeys(problems), key=lambda problem: problem.mark)


def draw_slide(slide: SlideBase, context: object, size: tuple[int, int]) -> tuple[list[Drawn], QImage]:
    """The texts the slide's final frame draws at size, and the frame."""
    from kiosk.slides import build_view

    with recording_texts() as drawn:
        view = build_view(slide, context)  # type: ignore[arg-type]  # a SlideContext
        image = view.render_image(*size, 1.0)
        view.setParent(None)
    return drawn, image


@contextlib.contextmanager
def recording_texts() -> Iterator[list[Drawn]]:
    """Every paint.draw_text call while inside, recorded (and drawn as usual)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QFont

    from kiosk.slides import paint

    original = paint.draw_text
    drawn: list[Drawn] = []

    def recording(painter, box, text, font, pen, align=paint.ALIGN_LEFT, *, wrap=True, opacity=1.0):  # type: ignore[no-untyped-def]
        if opacity > 0 and text:
            drawn.append(Drawn(text, QFont(font), QRectF(box), QColor(pen), wrap))
        original(painter, box, text, font, pen, align, wrap=wrap, opacity=opacity)

    paint.draw_text = recording
    try:
        yield drawn
    finally:
        paint.draw_text = original


class SlidePlace:
    """Where a slide's texts are in the playlist file: the mark of the field that holds a
    text, else the slide's own."""

    def __init__(self, document: Document, index: int, slide: SlideBase) -> None:
        self.document, self.index = document, index
        self.name = slide.id or slide.type
        self.fields = list(_fields(slide.model_dump(by_alias=True, exclude_none=True), ()))

    def holds(self, text: str) -> bool:
        """Whether text is one of the slide's fields, whole."""
        return any(value == text for _, value in self.fields)

    def of_slide(self, message: str) -> Problem:
        mark = self.document.mark_of(("slides", self.index), key=True)
        return Problem(mark, f"warning: slide {self.index + 1} ({self.name}): {message}")

    def of_text(self, text: str, message: str) -> Problem:
        wanted = _plain(text)
        path: tuple[str | int, ...] = ()
        for field, value in self.fields:
            if _plain(value) == wanted:
                path = field
                break
            if wanted and wanted in _plain(value) and not path:
                path = field
        mark = self.document.mark_of(("slides", self.index, *path))
        return Problem(mark, f"warning: slide {self.index + 1} ({self.name}): {message}")


def _fields(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _fields(item, (*path, key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _fields(item, (*path, number))


def _plain(text: str) -> str:
    return "".join(words.unglue(text).split()).rstrip("…")


def text_warnings(where: SlidePlace, drawn: Drawn, image: QImage, size: tuple[int, int]) -> list[Problem]:
    """Too small, cut, or too faint: what one drawn text may be."""
    from kiosk import drawing

    problems = []
    shown = words.unglue(drawing.elide_to_box(drawn.text, drawn.font, drawn.box, drawn.wrap))
    quoted = _short(drawn.text)
    letter = drawn.font.pixelSize()
    smallest = min_letter_px(size)
    if letter < smallest - 0.5:
        problems.append(
            where.of_text(
                drawn.text,
                f"'{quoted}' is set at {letter} px, below the {smallest:.0f} px a viewer "
                f"{VIEWING_DISTANCE:g} times the shorter side away reads on a {size[0]}x{size[1]} screen "
                "(1 inch per 10 feet): shorten it or give it a slide of its own",
            )
        )
    if shown.endswith("…") and not words.unglue(drawn.text).endswith("…"):
        problems.append(
            where.of_text(
                drawn.text, f"'{quoted}' does not fit and is cut to '{_short(shown)}' on {size[0]}x{size[1]}"
            )
        )
    ratio = contrast_behind(drawn, image)
    if ratio < MIN_CONTRAST:
        problems.append(
            where.of_text(
                drawn.text,
                f"'{quoted}' has a contrast of {ratio:.1f}:1 with what is behind it; "
                f"large text needs {MIN_CONTRAST:g}:1 (WCAG)",
            )
        )
    return problems


def contrast_behind(drawn: Drawn, image: QImage) -> float:
    """WCAG contrast of the text's colour (its alpha laid over the ground) with the ground:
    the median colour of the frame inside the text's box (strokes are the minority)."""
    import numpy as np
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage

    from kiosk.drawing import contrast

    box = drawn.box.toAlignedRect().intersected(QRect(0, 0, image.width(), image.height()))
    if box.isEmpty():
        return 21.0
    part = image.copy(box).convertToFormat(QImage.Format.Format_RGB32)
    array = np.frombuffer(part.constBits(), dtype=np.uint8).reshape(part.height(), part.bytesPerLine())
    pixels = array[:, : part.width() * 4].reshape(-1, 4)
    blue, green, red = (int(np.median(pixels[:, channel])) for channel in range(3))
    ground = QColor(red, green, blue)
    pen = drawn.pen
    alpha = pen.alphaF()
    seen = QColor.fromRgbF(
        pen.redF() * alpha + ground.redF() * (1 - alpha),
        pen.greenF() * alpha + ground.greenF() * (1 - alpha),
        pen.blueF() * alpha + ground.blueF() * (1 - alpha),
    )
    return contrast(seen, ground)


def reading_time_warnings(where: SlidePlace, duration: float) -> list[Problem]:
    """A slide with more to read than its duration allows (captions left out)."""
    texts = [value for path, value in where.fields if path and path[-1] not in NOT_READ]
    count = sum(reading_units(text) for text in texts)
    needed = READING_START_SECONDS + count / READING_CHARS_PER_SECOND
    if needed <= duration:
        return []
    return [
        where.of_slide(
            f"{count:.0f} characters to read take about {needed:.0f} s at {READING_CHARS_PER_SECOND:g} "
            f"a second; the slide is on for {duration:g} s: cut the words or give it more time"
        )
    ]


#: fields that are not read on the slide: captions, speaker's notes, names of things
NOT_READ = {
    "source",
    "notes",
    "id",
    "type",
    "background",
    "color",
    "data",
    "sheet",
    "range",
    "image",
    "src",
    "url",
    "logo",
    "theme",
    "transition",
    "good",
    "orientation",
    "fit",
    "align",
    "when",
}


def reading_units(text: str) -> float:
    """Characters a viewer reads: each hanzi one, a Latin word or a number one."""
    hanzi = sum(1 for ch in text if words.is_wide(ch))
    others = "".join(" " if words.is_wide(ch) else ch for ch in text).split()
    return hanzi + len(others)


def item_warnings(where: SlidePlace, slide: SlideBase, size: tuple[int, int]) -> list[Problem]:
    """Charts with more bars or slices than read well."""
    bars = getattr(slide, "bars", None) or []
    slices = getattr(slide, "slices", None) or []
    problems = []
    if len(bars) > MAX_BARS:
        problems.append(
            where.of_slide(
                f"{len(bars)} bars are too many to read on {size[0]}x{size[1]} (at most {MAX_BARS}): "
                "show the largest and group the rest, or split the chart"
            )
        )
    if len(slices) > MAX_SLICES:
        problems.append(
            where.of_slide(
                f"{len(slices)} slices are too many to tell apart (at most {MAX_SLICES}): "
                "group the small ones as 其他"
            )
        )
    return problems


def _short(text: str, limit: int = 24) -> str:
    plain = " ".join(words.unglue(text).split())
    return plain if len(plain) <= limit else plain[: limit - 1] + "…"
