"""The `qr` and `table` slides, rendered offscreen.

QR: the code read back from the pixels is the code segno made (module by module), every
pixel of the tile is exactly light or dark (no blur, no antialiased edge), the quiet
zone is kept, the tile is light on the dark theme too; text too long for a QR code is
refused with the limit. Table: numbers as `stats` sets them, rows one by one, long
tables paged with every row shown once and text never below its minimum size, wide
tables paged by columns, a page that holds costs no repaint.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from kiosk.app import ensure_application, slide_context
from kiosk.playlist import PlaylistError, load_playlist_text
from kiosk.playlist.model import Cell, Column, QrSlide, qr_code
from kiosk.slides import build_view
from kiosk.slides.base import SlideView
from kiosk.slides.qr import DARK, QUIET_ZONE, TILE, QrView, dark_runs, module_size
from kiosk.slides.table import MIN_TEXT_VMIN, TableView, cell_text, pages_of

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


# ---------------------------------------------------------------- table


def rows(count: int) -> str:
    return "\n".join(f"    - [城市{i}, {i * 37 % 1000}, {(i % 19) - 9.5}]" for i in range(1, count + 1))


def table(count: int, extra: str = "") -> str:
    return f"""
- type: table
  title: 各市数据
  columns: [城市, {{header: 立案, unit: 起}}, {{header: 同比, unit: "%"}}]
{extra}  rows:
{rows(count)}
"""


def test_cells_read_as_stats_figures_at_their_columns_precision() -> None:
    assert cell_text(Cell("2.9", 2.9, 1), Column(header="a", unit="亿"), 2) == "2.90亿"
    assert cell_text(Cell("-5.2", -5.2, 1), Column(header="a", unit="%"), 1) == "\u22125.2%"
    assert cell_text(Cell("20", 20, 0), Column(header="a", prefix="近", unit="%"), 0) == "近20%"
    assert cell_text(Cell("80", 80, 0), Column(header="a", unit="%", suffix="以上"), 0) == "80%以上"
    assert cell_text(Cell("—"), Column(header="a", unit="%"), 1) == "—"


def test_a_column_keeps_the_most_decimals_written(app, tmp_path) -> None:
    view = one(tmp_path, "- {type: table, columns: [a, b], rows: [[x, 2.90], [y, 4], [z, 3.5]]}")
    assert isinstance(view, TableView)
    assert [r[1] for r in view.texts] == ["2.90", "4.00", "3.50"]
    assert view.numeric == [False, True]


def test_pages_are_even() -> None:
    assert [len(p) for p in pages_of(13, 10)] == [7, 6]
    assert [len(p) for p in pages_of(40, 12)] == [10, 10, 10, 10]
    assert [len(p) for p in pages_of(3, 10)] == [3]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_thirteen_rows_fit_one_page_at_a_readable_size(app, tmp_path, size) -> None:
    view = one(tmp_path, table(13))
    view.render_image(*size, 1.0)
    layout = view.layout()
    assert len(layout.pages) == 1 and len(layout.pages[0].rows) == 13
    vmin = min(size) / 100
    assert view._fit(layout.title.body, 13, vmin)[0].pixelSize() >= MIN_TEXT_VMIN * vmin - 0.5
    assert layout.table.bottom() <= layout.title.body.bottom() + 0.5  # nothing below the body


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_long_table_pages_and_shows_every_row_once_within_its_duration(app, tmp_path, size) -> None:
    view = one(tmp_path, table(60, "  duration: 30s\n"))
    assert isinstance(view, TableView)
    view.render_image(*size, 1.0)
    layout = view.layout()
    assert len(layout.pages) > 1
    shown = [r for page in layout.pages for r in page.rows]
    assert shown == list(range(60))
    vmin = min(size) / 100
    font, _ = view._fit(layout.title.body, 60, vmin)
    assert font.pixelSize() >= MIN_TEXT_VMIN * vmin - 0.5  # never smaller than the minimum
    assert layout.table.bottom() <= layout.title.body.bottom()
    # Each page comes on in turn, and the last is fully in before the slide's time is up.
    assert view.entry_duration() <= 30
    pages_seen = [view.page_at(step / 200) for step in range(201)]
    assert pages_seen == sorted(pages_seen) and set(pages_seen) == set(range(len(layout.pages)))
    last = len(layout.pages) - 1
    assert all(view.row_in(i, last, 1.0) == 1 for i in range(len(layout.pages[last].rows)))


def test_a_page_that_holds_is_not_repainted(app, tmp_path) -> None:
    view = one(tmp_path, table(60, "  duration: 30s\n"))
    view.resize(1920, 1080)
    view.set_progress(0.0)
    painted: list[float] = []
    original = view.update

    def counting_update(*args) -> None:
        painted.append(view.progress)
        original(*args)

    view.update = counting_update  # type: ignore[method-assign]
    holding = [0.2 + i * 0.001 for i in range(20)]  # well inside the first page's hold
    for t in holding:
        view.set_progress(t)
    assert len(painted) <= 1
    view.update = original  # type: ignore[method-assign]


def test_a_wide_table_pages_by_columns_keeping_the_first(app, tmp_path) -> None:
    columns = ", ".join(f"{{header: 指标{i}, unit: 万}}" for i in range(1, 12))
    body = "\n".join(
        f"    - [城市{r}, " + ", ".join(f"{r * 1000 + c}.5" for c in range(11)) + "]" for r in range(4)
    )
    view = one(tmp_path, f"- type: table\n  columns: [城市, {columns}]\n  rows:\n{body}\n")
    view.render_image(1080, 1920, 1.0)
    layout = view.layout()
    assert len(layout.pages) > 1
    assert all(page.columns[0] == 0 for page in layout.pages)
    assert {c for page in layout.pages for c in page.columns} == set(range(12))
    # No number is elided: each column is as wide as its widest number.
    image = view.render_image(1080, 1920, 1.0)
    assert not image.isNull() and not view.is_broken()


def test_the_highlighted_row_is_picked_out(app, tmp_path) -> None:
    view = one(tmp_path, table(5, "  highlight: 城市3\n"))
    assert view.model.highlighted_row() == 2
    image = view.render_image(1920, 1080, 1.0)
    layout = view.layout()
    chosen, plain = layout.rows[2].box, layout.rows[0].box
    band = image.pixelColor(int(chosen.center().x()), int(chosen.top()) + 3)
    other = image.pixelColor(int(plain.center().x()), int(plain.top()) + 3)
    assert band.lightness() > other.lightness()  # a lighter band under the chosen row
    assert one(tmp_path, table(5, "  highlight: 4\n")).model.highlighted_row() == 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("  highlight: 9\n", "highlight: there is no row 9; the rows are 1 to 5"),
        ("  highlight: 城市99\n", "highlight: no row starts with '城市99'"),
    ],
)
def test_a_highlight_that_names_no_row_is_an_error(tmp_path, extra, message) -> None:
    with pytest.raises(PlaylistError) as info:
        load_playlist_text(
            "slides:\n" + textwrap.indent(textwrap.dedent(table(5, extra)).strip("\n"), "  "), folder=tmp_path
        )
    assert [p.message for p in info.value.problems] == [message]


def test_rows_come_in_one_by_one(app, tmp_path) -> None:
    view = one(tmp_path, table(8))
    view.resize(1920, 1080)
    early = [view.row_in(i, 0, 0.2) for i in range(8)]
    assert early == sorted(early, reverse=True) and early[0] > 0 and early[-1] < early[0]
    assert all(view.row_in(i, 0, 1.0) == 1 for i in range(8))


def test_a_row_longer_than_the_columns_is_an_error_and_a_short_one_is_padded(tmp_path) -> None:
    with pytest.raises(PlaylistError) as info:
        load_playlist_text(
            "slides:\n  - {type: table, columns: [a, b], rows: [[1, 2, 3]]}\n", folder=tmp_path
        )
    assert [p.message for p in info.value.problems] == ["row 1 has 3 cells but there are 2 columns"]
    playlist = load_playlist_text(
        "slides:\n  - {type: table, columns: [a, b], rows: [[x]]}\n", folder=tmp_path
    )
    assert [c.text for c in playlist.slides[0].cells(0)] == ["x", ""]


def test_the_example_table_renders_at_half_and_at_the_end(app) -> None:
    from kiosk.playlist import load_playlist

    root = Path(__file__).resolve().parents[2]
    playlist = load_playlist(root / "data" / "examples" / "every-slide-type.yaml")
    slide = next(s for s in playlist.slides if s.type == "table")
    view = build_view(slide, slide_context(playlist))
    for t in (0.5, 1.0):
        image: QImage = view.render_image(1920, 1080, t)
        assert not image.isNull() and not view.is_broken()
    assert len(view.texts) == 13 and view.model.highlighted_row() == 4


def test_a_table_without_its_own_duration_pages_within_the_playlists_default(app) -> None:
    text = "defaults: {duration: 20s}\nslides:\n  - {type: table, columns: [城市, 立案], rows: [[南京, 1]]}\n"
    playlist = load_playlist_text(text)
    view = build_view(playlist.slides[0], slide_context(playlist))
    assert isinstance(view, TableView)
    assert view.slide_seconds() == 20.0
    own = load_playlist_text(text.replace("rows:", "duration: 5s, rows:"))
    assert build_view(own.slides[0], slide_context(own)).slide_seconds() == 5.0
