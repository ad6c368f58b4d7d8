"""Hostile but valid playlists, rendered: long labels, emoji, right-to-left text, huge and
tiny numbers. No slide may fail to paint (a failed slide is skipped by the window, so a
failure here is a slide missing from the show), and text never spills out of its box.

The slides are built through the registry, as the window and export build them, so
every registered slide type is covered.
"""

from __future__ import annotations

import logging
import math
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter

from kiosk.playlist.load import load_playlist_text
from kiosk.playlist.model import SLIDE_TYPES
from kiosk.slides import build_view

from .strategies import CJK, EMOJI, RTL, playlists, texts, to_yaml, write_files

KINDS = tuple(SLIDE_TYPES)
SECONDS_PER_SLIDE = 10.0  # three frames at 640x360, whatever the text; a hang is far longer


@pytest.fixture(scope="module")
def app(qapp: Any) -> Any:
    from kiosk.app import ensure_application

    return ensure_application()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("render"))


class Failures(logging.Handler):
    """Collects what slides log when they fail (SlideView._fail logs the traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def report(self) -> str:
        return "\n".join(self.format(r) for r in self.records)


def render_all(text: str, folder: Path) -> None:
    from kiosk.app import slide_context

    playlist = load_playlist_text(text, "show.yaml", folder)
    context = slide_context(playlist)
    failures = Failures()
    failures.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    root.addHandler(failures)
    try:
        for index, slide in enumerate(playlist.slides):
            view = build_view(slide, context)
            failed: list[bool] = []
            view.failed.connect(lambda failed=failed: failed.append(True))
            started = time.perf_counter()
            try:
                for t in (0.0, 0.5, 1.0):
                    image = view.render_image(640, 360, t)
                    assert not image.isNull()
            finally:
                view.deleteLater()
            elapsed = time.perf_counter() - started
            assert not failed and not failures.records, (
                f"slide {index + 1} ({slide.type}) failed:\n{failures.report()}"
            )
            assert elapsed < SECONDS_PER_SLIDE, f"slide {index + 1} ({slide.type}) took {elapsed:.1f} s"
    finally:
        root.removeHandler(failures)


@settings(max_examples=int(os.environ.get("KIOSK_FUZZ_RENDER_EXAMPLES", "15")))
@given(data=playlists(kinds=KINDS, max_slides=3))
def test_valid_hostile_playlists_render_at_every_stage(app: Any, folder: Path, data: dict[str, Any]) -> None:
    text = to_yaml(data)
    note(text)
    render_all(text, folder)


# The loader takes numbers up to 10^15 (MAX_NUMBER); tiny ones down to the smallest float.
EXTREMES = [0.0, -0.0, 1e-300, -1e-12, 1e15, -1e15, 999_999_999_999_999, -(2**49), 0.1 + 0.2]


@pytest.mark.parametrize("kind", ["stat", "stats", "bar", "line", "pie", "gauge"])
def test_extreme_numbers_render(app: Any, folder: Path, kind: str) -> None:
    """The largest and smallest finite numbers, with long units and 10,000-char labels."""
    long = (CJK + RTL + EMOJI) * 150
    slides: list[dict[str, Any]] = []
    for value in EXTREMES:
        label = f"{long[:10_000]}"
        if kind == "stat":
            slides.append({"type": "stat", "label": label, "value": value, "unit": long[:200], "note": long})
        elif kind == "stats":
            items = [{"label": label, "value": v, "unit": "万亿"} for v in (value, -value, 1)]
            slides.append({"type": "stats", "title": long, "items": items})
        elif kind == "bar":
            bars = [{"label": label, "value": v} for v in (value, -value, 0, 1)]
            slides.append({"type": "bar", "title": long, "bars": bars, "unit": long[:100]})
        elif kind == "line":
            series = [{"name": label, "values": [value, -value, 0]}]
            slides.append({"type": "line", "x": [label, "b", long], "series": series})
        elif kind == "pie":
            slices = [{"label": label, "value": abs(value)}, {"label": "b", "value": 1}]
            slides.append({"type": "pie", "title": long, "slices": slices})
        else:
            top = abs(value) or 1.0
            slides.append({"type": "gauge", "label": label, "value": top, "max": top, "note": long})
    render_all(to_yaml({"slides": slides}), folder)


def test_subnormal_chart_values_render(app: Any, folder: Path) -> None:
    """Floats below the normal range (5e-324) make axis steps underflow to a zero span."""
    series = [{"name": "s", "values": [5e-324, -5e-324, 0]}]
    bars = [{"label": "a", "value": 5e-324}, {"label": "b", "value": -5e-324}]
    slides = [{"type": "line", "x": ["a", "b", "c"], "series": series}, {"type": "bar", "bars": bars}]
    render_all(to_yaml({"slides": slides}), folder)


def test_every_bar_value_the_same_or_zero_renders(app: Any, folder: Path) -> None:
    data = {
        "slides": [
            {"type": "bar", "bars": [{"label": "a", "value": 0}, {"label": "b", "value": 0}]},
            {"type": "bar", "bars": [{"label": "a", "value": 1e15}, {"label": "b", "value": 1e15}]},
            {"type": "bar", "bars": [{"label": "a", "value": -1e15}, {"label": "b", "value": 1e15}]},
            {"type": "pie", "slices": [{"label": "a", "value": 1e15}, {"label": "b", "value": 1e15}]},
            {"type": "pie", "slices": [{"label": "a", "value": 1e-300}]},
            {"type": "line", "x": ["a", "b"], "series": [{"name": "s", "values": [1e15, -1e15]}]},
            {"type": "line", "x": ["a", "b"], "series": [{"name": "s", "values": [1e-300, 0]}]},
            {"type": "gauge", "label": "g", "value": 1e-300, "max": 1e-300},
        ]
    }
    render_all(to_yaml(data), folder)


# ---------------------------------------------------------------- text that does not fit

LONG_TEXT = st.one_of(
    texts(400),
    st.sampled_from(
        [CJK * 400, RTL * 400, EMOJI * 800, "word " * 2000, "x" * 10_000, "\n".join([CJK] * 200)]
    ),
)
BOXES = st.builds(
    QRectF,
    st.just(0.0),
    st.just(0.0),
    st.floats(8, 900),
    st.floats(4, 500),
)


@pytest.fixture(scope="module")
def make_font(app: Any) -> Any:
    from kiosk.theme import load_theme

    theme = load_theme("police-blue")
    return theme.font


@settings(max_examples=60)
@given(text=LONG_TEXT, box=BOXES, px=st.floats(6, 120))
def test_elided_wrapped_text_fits_its_box(make_font: Any, text: str, box: QRectF, px: float) -> None:
    from kiosk.slides.paint import elide_to_box, text_size

    font = make_font(px)
    started = time.perf_counter()
    shown = elide_to_box(text, font, box, True)
    assert time.perf_counter() - started < 2
    assert shown == text or (shown.endswith("…") and text.startswith(shown[:-1]))
    line = QFontMetricsF(font).height()
    _, height = text_size(shown, font, box.width())
    # It fits, unless the box is lower than one line (then only '…' is left).
    assert height <= box.height() + 0.5 or (shown == "…" and box.height() < line * 2), (height, box)


@settings(max_examples=60)
@given(text=LONG_TEXT, box=BOXES, px=st.floats(6, 120))
def test_elided_wrapped_text_is_never_wider_than_its_box(
    make_font: Any, text: str, box: QRectF, px: float
) -> None:
    from kiosk.slides.paint import elide_to_box, text_size

    font = make_font(px)
    shown = elide_to_box(text, font, box, True)
    width, _ = text_size(shown, font, box.width())
    assert width <= box.width() + 0.5 or shown == "…", f"a {width:.0f} px line in a {box.width():.0f} px box"


@settings(max_examples=60)
@given(text=LONG_TEXT, box=BOXES, px=st.floats(6, 120))
def test_elided_single_line_text_fits_its_width(make_font: Any, text: str, box: QRectF, px: float) -> None:
    from kiosk.slides.paint import elide_to_box

    font = make_font(px)
    shown = elide_to_box(text.replace("\n", " "), font, box, False)
    # Qt's elidedText never shortens a single character (draw_text's clip then cuts it).
    assert QFontMetricsF(font).horizontalAdvance(shown) <= box.width() + 0.5 or len(shown) == 1


@settings(max_examples=40)
@given(text=LONG_TEXT, box=BOXES, low=st.floats(4, 40), extra=st.floats(0, 200), wrap=st.booleans())
def test_fit_font_stays_in_range_and_fits_when_anything_can(
    make_font: Any, text: str, box: QRectF, low: float, extra: float, wrap: bool
) -> None:
    from kiosk.slides.paint import fit_font, fits_box

    started = time.perf_counter()
    font = fit_font(make_font, text, box, low + extra, low, wrap=wrap)
    assert time.perf_counter() - started < 3
    px = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF()
    assert math.floor(low) - 1 <= px <= math.ceil(low + extra) + 1
    if fits_box(text, make_font(low), box, wrap):
        assert fits_box(text, font, box, wrap)


@settings(max_examples=25)
@given(text=LONG_TEXT, box=BOXES, px=st.floats(6, 80), wrap=st.booleans())
def test_draw_text_paints_nothing_outside_its_box(
    make_font: Any, text: str, box: QRectF, px: float, wrap: bool
) -> None:
    from kiosk.slides.paint import draw_text

    margin = 40
    image = QImage(int(box.width()) + 2 * margin, int(box.height()) + 2 * margin, QImage.Format.Format_RGB32)
    background = QColor("#102040")
    image.fill(background)
    target = box.translated(margin, margin)
    painter = QPainter(image)
    draw_text(painter, target, text, make_font(px), QColor("white"), wrap=wrap)
    painter.end()
    inside = target.adjusted(-3, -3, 3, 3)  # draw_text clips 2 px around the box
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if not inside.contains(x, y):
                assert image.pixelColor(x, y) == background, (x, y)
