"""The `qr` slide, rendered offscreen.

QR: the code read back from the pixels is the code segno made (module by module), every
pixel of the tile is exactly light or dark (no blur, no antialiased edge), the quiet
zone is kept, the tile is light on the dark theme too; text too long for a QR code is
refused with the limit.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from kiosk.app import ensure_application, slide_context
from kiosk.playlist import PlaylistError, load_playlist_text
from kiosk.playlist.model import QrSlide, qr_code
from kiosk.slides import build_view
from kiosk.slides.base import SlideView
from kiosk.slides.qr import DARK, QUIET_ZONE, TILE, QrView, dark_runs, module_size

SIZES = [(1920, 1080), (1080, 1920), (1280, 720), (3840, 2160)]


@pytest.fixture
def app(qapp) -> QApplication:
    return ensure_application()


def one(tmp_path: Path, slide: str, theme: str = "police-blue") -> SlideView:
    text = f"theme: {theme}\nslides:\n" + textwrap.indent(textwrap.dedent(slide).strip("\n"), "  ") + "\n"
    playlist = load_playlist_text(text, folder=tmp_path)
    return build_view(playlist.slides[0], slide_context(playlist))


# ---------------------------------------------------------------- qr


QR = """
- type: qr
  title: 向人民报告
  text: https://example.org/report-2023
  caption: 扫码阅读报告全文
"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", ["police-blue", "light"])
def test_the_code_on_screen_is_the_code_module_for_module_and_sharp(app, tmp_path, size, theme) -> None:
    view = one(tmp_path, QR, theme)
    assert isinstance(view, QrView)
    image = view.render_image(*size, 1.0)
    layout = view.layout()
    matrix = view.matrix
    modules = len(matrix)
    tile = layout.tile
    assert layout.module == int(layout.module) and layout.module >= 1, "whole pixels per module"
    assert tile.left() == int(tile.left()) and tile.top() == int(tile.top())
    assert tile.width() == layout.module * (modules + 2 * QUIET_ZONE)
    # Every pixel of the tile is exactly the light or the dark colour: no blur anywhere.
    light, dark = TILE.rgb(), DARK.rgb()
    left, top, side = int(tile.left()), int(tile.top()), int(tile.width())
    inner = {
        image.pixel(x, y) for y in range(top + 1, top + side - 1) for x in range(left + 1, left + side - 1)
    }
    assert inner <= {light, dark}
    # Read the code back from each module's pixels: it is segno's, with a light quiet zone.
    m = int(layout.module)
    read = [
        [
            image.pixel(left + (QUIET_ZONE + x) * m + m // 2, top + (QUIET_ZONE + y) * m + m // 2) == dark
            for x in range(modules)
        ]
        for y in range(modules)
    ]
    assert read == matrix
    for y in range(top + 1, top + QUIET_ZONE * m):
        assert all(image.pixel(x, y) == light for x in range(left + 1, left + side - 1))
    # Each module's edges are hard: its first and last pixel row are the module's colour.
    y0, x0 = top + QUIET_ZONE * m, left + QUIET_ZONE * m
    assert image.pixel(x0, y0) == dark and image.pixel(x0 + m - 1, y0 + m - 1) == dark  # the finder's corner


def test_the_code_is_as_big_as_the_slide_allows(app, tmp_path) -> None:
    view = one(tmp_path, QR)
    view.render_image(1920, 1080, 1.0)
    body = view.layout().title.body
    assert view.layout().tile.height() >= body.height() * 0.85
    view.render_image(1080, 1920, 1.0)
    layout = view.layout()
    assert layout.tile.width() >= layout.title.body.width() * 0.7
    assert layout.caption is not None and layout.caption.box.top() >= layout.tile.bottom()  # under it


def test_caption_and_address_sit_beside_the_code_on_a_landscape_screen(app, tmp_path) -> None:
    view = one(tmp_path, QR)
    view.render_image(1920, 1080, 1.0)
    layout = view.layout()
    assert layout.caption is not None and layout.address is not None
    assert layout.caption.box.left() > layout.tile.right()
    assert layout.address.box.top() >= layout.caption.box.bottom()
    assert view.address_text() == "example.org/report-2023"


def test_the_tile_fades_in_without_moving_and_the_caption_follows(app, tmp_path) -> None:
    view = one(tmp_path, QR)
    assert 0 < view.tile_opacity(0.3) < 1 and view.caption_opacity(0.1) == 0
    assert view.tile_opacity(1.0) == 1 and view.caption_opacity(1.0) == 1
    early = view.render_image(1920, 1080, 0.2)
    tile = view.layout().tile
    assert early.pixelColor(int(tile.left()) + 2, int(tile.top()) + 2) != QColor(TILE)  # not yet opaque


def test_text_too_long_for_a_qr_code_is_refused_with_the_limit(tmp_path) -> None:
    with pytest.raises(PlaylistError) as info:
        load_playlist_text(
            "slides:\n  - type: qr\n    error: H\n    text: " + "网" * 500 + "\n", folder=tmp_path
        )
    (problem,) = info.value.problems
    assert (problem.mark.line, problem.mark.column) == (4, 11)
    assert "too long for a QR code: 1,500 bytes" in problem.message
    assert "at error level H the largest QR code (version 40) holds 1,273 bytes" in problem.message
    # The same text fits at level L (2,953 bytes).
    assert QrSlide.model_validate({"type": "qr", "text": "网" * 500, "error": "L"})


def test_a_qr_slide_is_named_by_its_caption_or_title() -> None:
    assert QrSlide.model_validate({"type": "qr", "text": "x", "caption": "扫码"}).label_for_humans() == "扫码"
    assert QrSlide.model_validate({"type": "qr", "text": "x", "title": "报告"}).label_for_humans() == "报告"
    assert QrSlide.model_validate({"type": "qr", "text": "x"}).label_for_humans() == "qr"


def test_module_size_and_runs() -> None:
    assert module_size(500, 25, 1.0) == 15  # 33 modules with the quiet zone: 15 px each
    assert module_size(500, 25, 2.0) == 15  # 30 device pixels at a ratio of 2
    assert module_size(10, 177) == 1  # never less than one pixel
    assert dark_runs([[True, True, False, True], [False, False, False, False]]) == [(0, 0, 2), (0, 3, 1)]
    first_row = qr_code("https://example.org").matrix[0]
    assert [bool(v) for v in first_row[:7]] == [True] * 7  # the finder pattern's top edge
