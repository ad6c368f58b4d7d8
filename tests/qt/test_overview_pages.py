"""The overview on long playlists (issue 20): it opens at once, renders thumbnails for the
page on screen only, at their cell's size, pages with PageUp/PageDown and arrows, keeps
its cells of positive size on any screen, and its cache within a byte budget. On 3,000
slides it used to freeze the show 18.5 s, peak at 2.4 GB and draw negative cells."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from kiosk.app import ensure_application, slide_context
from kiosk.overlays import OverviewWidget
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.playlist.model import SlideBase
from kiosk.slides import build_view
from kiosk.slides.base import SlideContext, SlideView
from kiosk.theme import load_theme
from kiosk.thumbnails import ThumbnailCache
from kiosk.window import ShowWindow


def long_playlist(folder: Path, slides: int) -> Path:
    lines = ["defaults: {duration: 8s, transition: none}", "slides:"]
    lines += [f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}}}" for n in range(slides)]
    path = folder / "show.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def long_show(qtbot, tmp_path):
    """A 3,000-slide show at 1280x720, counting the slide views it builds."""
    ensure_application()
    playlist = load_playlist(long_playlist(tmp_path, 3000))
    player = Player(playlist)
    built: list[int] = []

    def build(slide: SlideBase, context: SlideContext, parent: QWidget | None) -> SlideView:
        built.append(1)
        return build_view(slide, context, parent)

    window = ShowWindow(player, slide_context(playlist), build=build)
    qtbot.addWidget(window)
    window.show_on(None, fullscreen=False, size=(1280, 720))
    player.start()
    yield window, player, built
    window.quit()


def page_filled(overview: OverviewWidget) -> bool:
    return not overview._fill.isActive()


def test_overview_of_3000_slides_opens_at_once_and_renders_one_page(qtbot, long_show) -> None:
    window, _player, built = long_show
    before = len(built)
    started = time.perf_counter()
    qtbot.keyClick(window, Qt.Key.Key_O)
    opened = time.perf_counter() - started
    overview = window.overview
    assert overview.isVisible()
    assert opened < 0.25, f"opening took {opened:.2f} s"
    assert overview.count() == 3000
    qtbot.waitUntil(lambda: page_filled(overview), timeout=10000)
    assert len(built) - before == overview.per_page() <= 24
    width, height = overview._thumb_size()
    image = window.thumbnails.cached(0, width, height)
    assert image is not None and (image.width(), image.height()) == (width, height)  # cell size
    assert width < 400


def test_pages_turn_with_page_keys_arrows_and_end(qtbot, long_show) -> None:
    window, _player, built = long_show
    qtbot.keyClick(window, Qt.Key.Key_O)
    overview = window.overview
    per_page = overview.per_page()
    qtbot.waitUntil(lambda: page_filled(overview), timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert (overview.page(), overview.selected) == (1, per_page)
    qtbot.waitUntil(lambda: page_filled(overview), timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert (overview.page(), overview.selected) == (0, 0)
    for _ in range(overview.columns() - 1):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    for _ in range(overview.rows() - 1):
        qtbot.keyClick(window, Qt.Key.Key_Down)
    assert overview.selected == per_page - 1 and overview.page() == 0
    qtbot.keyClick(window, Qt.Key.Key_Right)  # past the page's last cell: the next page
    assert overview.page() == 1
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert overview.selected == 2999 and overview.page() == overview.pages() - 1
    qtbot.waitUntil(lambda: page_filled(overview), timeout=10000)
    assert len(built) <= 3 * per_page + 2  # three pages seen, and the slide on screen
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert not overview.isVisible()
    assert window.player.position == 2999


class FakeSlides:
    def __init__(self, count: int) -> None:
        self.n = count

    def count(self) -> int:
        return self.n

    def label(self, position: int) -> str:
        return str(position)

    def cached(self, position: int, width: int, height: int) -> QImage | None:
        return None

    def render(self, position: int, width: int, height: int) -> QImage:
        assert width >= 1 and height >= 1
        return QImage(width, height, QImage.Format.Format_RGB32)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (3840, 2160), (200, 120), (64, 64)])
@pytest.mark.parametrize("count", [1, 7, 30, 3000])
def test_cells_are_never_negative_and_stay_on_screen(qtbot, size: tuple[int, int], count: int) -> None:
    ensure_application()
    overview = OverviewWidget(load_theme("police-blue"))
    qtbot.addWidget(overview)
    overview.resize(*size)
    overview.open(FakeSlides(count), count - 1)
    screen = QRectF(0, 0, *size)
    cells = overview.cell_rects()
    assert 1 <= len(cells) <= min(count, overview.per_page())
    for cell in cells:
        assert cell.width() >= 0 and cell.height() >= 0
        assert screen.adjusted(-0.5, -0.5, 0.5, 0.5).contains(cell), (cell, size)
    overview.grab()  # paints without raising at any size


def test_the_cache_is_bounded_in_bytes_and_keeps_the_recent() -> None:
    ensure_application()
    picture = QImage(300, 170, QImage.Format.Format_RGB32)
    budget = 5 * picture.sizeInBytes()
    cache = ThumbnailCache(budget)
    for n in range(40):
        cache.put(n, QImage(300, 170, QImage.Format.Format_RGB32))
        cache.get(0)  # used all the time: stays
        assert cache.bytes <= budget
    assert len(cache) == 5
    assert cache.get(0) is not None and cache.get(39) is not None and cache.get(1) is None


def test_a_resized_overview_makes_its_page_again_at_the_new_size(qtbot, long_show) -> None:
    window, _player, _built = long_show
    qtbot.keyClick(window, Qt.Key.Key_O)
    overview = window.overview
    qtbot.waitUntil(lambda: page_filled(overview), timeout=10000)
    small = overview._thumb_size()
    overview.resize(1920, 1080)
    qtbot.waitUntil(lambda: page_filled(overview), timeout=10000)
    large = overview._thumb_size()
    assert large[0] > small[0]
    assert all(window.thumbnails.cached(p, *large) is not None for p in overview.page_positions())


def test_paging_through_thousands_keeps_the_cache_within_budget(qtbot, long_show) -> None:
    window, _player, _built = long_show
    window.thumbnails.cache.max_bytes = 2 * 1024 * 1024
    qtbot.keyClick(window, Qt.Key.Key_O)
    overview = window.overview
    for _ in range(6):
        qtbot.waitUntil(lambda: page_filled(overview), timeout=10000)
        assert window.thumbnails.cache.bytes <= 2 * 1024 * 1024
        qtbot.keyClick(window, Qt.Key.Key_PageDown)
