"""A slide that repaints only its animated area between the first and last frames of its
entry (SlideView.animated_area) must look exactly as if it had repainted everything.

Each frame is painted the way the show paints it (only `repaint_region(t, since)` of the
slide, what changed since the previous frame, over that frame) and compared, pixel for
pixel, with a whole repaint at the same moment; and the same with the area the whole
animation moves (`repaint_area(t)`, what the presenter view and the benchmarks use).
Every slide of both bundled playlists, landscape and portrait.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QRegion
from PySide6.QtWidgets import QApplication

from kiosk import resources
from kiosk.app import ensure_application, slide_context
from kiosk.playlist import load_playlist
from kiosk.slides import build_view
from kiosk.slides.base import SlideView

SIZES = [(1920, 1080), (1080, 1920)]
STEPS = 30  # frames compared across the entry (the show paints ~60 a second)


@pytest.fixture(scope="module")
def app() -> QApplication:
    return ensure_application()


def _slides() -> list[tuple[str, int]]:
    playlists = [resources.default_playlist(), resources.data() / "examples" / "every-slide-type.yaml"]
    return [(str(path), index) for path in playlists for index in range(len(load_playlist(path).slides))]


def _whole(view: SlideView, width: int, height: int) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    view.render(image)
    return image


def _difference(a: QImage, b: QImage) -> str:
    """Where two frames differ, for the failure message."""
    xs, ys = [], []
    for y in range(0, a.height(), 2):
        for x in range(0, a.width(), 2):
            if a.pixel(x, y) != b.pixel(x, y):
                xs.append(x)
                ys.append(y)
    if not xs:
        return "only on odd pixels"
    return f"{len(xs)} sampled pixels differ, within x {min(xs)}-{max(xs)}, y {min(ys)}-{max(ys)}"


@pytest.mark.parametrize("since_last_frame", [True, False], ids=["changed", "animated"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(("path", "index"), _slides(), ids=lambda v: str(v).rsplit("/", 1)[-1])
def test_partial_frames_equal_whole_repaints(
    app: QApplication, path: str, index: int, size, since_last_frame: bool
) -> None:
    playlist = load_playlist(path)
    view = build_view(playlist.slides[index], slide_context(playlist))
    width, height = size
    view.resize(width, height)
    view.set_progress(0.0)
    shown = _whole(view, width, height)  # the first frame is always whole
    partial_frames = 0
    for step in range(1, STEPS):
        t, before = step / STEPS, (step - 1) / STEPS
        view.set_progress(t)
        if since_last_frame:
            region = view.repaint_region(t, before)
        else:
            whole_area = view.repaint_area(t)
            region = None if whole_area is None else QRegion(whole_area)
        if region is None:
            shown = _whole(view, width, height)
            continue
        partial_frames += 1
        if region.isEmpty():  # nothing changed (QWidget.render takes an empty region as all)
            assert _whole(view, width, height) == shown, f"t={t:.2f}: said unchanged, but changed"
            continue
        area = region.boundingRect()
        assert view.rect().contains(area)
        view.render(shown, area.topLeft(), region)
        whole = _whole(view, width, height)
        assert shown == whole, f"t={t:.2f}, repainting {area}: {_difference(shown, whole)}"
    assert not view.is_broken()
    if type(view).animated_area is not SlideView.animated_area:
        assert partial_frames == STEPS - 1  # the slide's own area was used between the ends


def test_count_up_slides_repaint_a_small_part_of_the_screen(app: QApplication) -> None:
    """The point of it: a counting number repaints well under half the screen."""
    playlist = load_playlist(resources.default_playlist())
    stat = next(s for s in playlist.slides if s.type == "stat" and getattr(s, "note", None))
    view = build_view(stat, slide_context(playlist))
    view.resize(1920, 1080)
    view.set_progress(0.0)
    view.set_progress(0.5)
    area = view.repaint_area(0.5)
    assert area is not None
    assert area.width() * area.height() < 0.5 * 1920 * 1080
    assert view.repaint_area(0.0) is None and view.repaint_area(1.0) is None


def test_a_stats_grid_repaints_only_its_counting_numbers_once_its_cards_have_landed(app: QApplication) -> None:
    """The point of changed_area: at 4K a frame of the six-card grid blended every card
    each frame (8.6 ms p50, over the 8 ms target); once they have landed, only the numbers
    still counting are repainted."""
    playlist = load_playlist(resources.default_playlist())
    stats = next(s for s in playlist.slides if s.type == "stats" and len(s.items) >= 4)
    view = build_view(stats, slide_context(playlist))
    view.resize(3840, 2160)
    view.set_progress(0.0)
    landed = next(t / 100 for t in range(1, 100) if all(
        view.card_in(i, t / 100) >= 1.0 for i in range(len(stats.items))))
    whole_animation = view.repaint_area(landed + 0.02)
    changed = view.repaint_region(landed + 0.02, landed + 0.01)
    assert whole_animation is not None and changed is not None and not changed.isEmpty()
    assert _pixels(changed) < 0.6 * _pixels(QRegion(whole_animation)), (changed, whole_animation)
    # and while a card still rises, its whole card is repainted
    rising = view.repaint_region(0.02, 0.01)
    assert rising is not None and rising.boundingRect().height() > view.layout().cards[0].rect.height()


def _pixels(region: QRegion) -> int:
    return sum(rect.width() * rect.height() for rect in region)


@pytest.mark.parametrize("kind", ["pie", "bar", "line", "gauge"])
def test_a_chart_repaints_only_what_moved_since_the_last_frame(app: QApplication, kind: str) -> None:
    """A pie repaints the ring it swept (from the slice it was in), a bar chart the ends
    of its growing bars and their values, a line chart the band its lead crossed, a gauge
    its arc's growing end and the counting number: well under the area they used to."""
    playlist = load_playlist(resources.data() / "examples" / "every-slide-type.yaml")
    slide = next(s for s in playlist.slides if s.type == kind)
    view = build_view(slide, slide_context(playlist))
    view.resize(3840, 2160)
    view.set_progress(0.0)
    whole_animation = view.repaint_area(0.5)
    changed = view.repaint_region(0.5, 0.49)
    assert whole_animation is not None and changed is not None and not changed.isEmpty()
    assert _pixels(changed) < 0.4 * _pixels(QRegion(whole_animation)), (changed, whole_animation)
