"""Screen-sized pictures are reused at slide changes (kiosk/pictures.py): after the
first changes, a slide change makes no new picture, and what the transitions show is
unchanged (the leaving slide's final frame, the coming slide's first)."""

from __future__ import annotations

import textwrap
import weakref

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPixmap

from kiosk.app import ensure_application, slide_context
from kiosk.pictures import POOL, PicturePool
from kiosk.playlist import load_playlist
from kiosk.slides import build_view
from tests.qt.shows import playing_window

SHOW = """
defaults: {duration: 10s, transition: {type: fade, duration: 0.3s}}
slides:
  - {type: title, title: 第一, id: one, background: "#c0392b"}
  - {type: stat, label: 破案率, value: 99.2, unit: "%", id: two}
  - {type: title, title: 第三, id: three, background: "#2980b9"}
"""


def test_the_pool_gives_back_what_it_was_given() -> None:
    ensure_application()
    pool = PicturePool(keep=2)
    first = pool.take(QSize(64, 36))
    assert pool.made == 1
    pool.give(first)
    assert pool.take(QSize(64, 36)) is first
    assert pool.take(QSize(32, 18)) is not first and pool.made == 2
    for _ in range(3):
        pool.give(QPixmap(64, 36))
    assert len(pool) == 2  # no more than it keeps
    pool.give(QPixmap(32, 18))  # the screen changed size: the old size goes
    assert len(pool) == 1


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].astype(np.int16)


def test_a_slides_take_picture_is_what_a_grab_shows(tmp_path) -> None:
    ensure_application()
    path = tmp_path / "show.yaml"
    path.write_text(textwrap.dedent(SHOW), encoding="utf-8")
    playlist = load_playlist(path)
    view = build_view(playlist.slides[1], slide_context(playlist))
    view.resize(640, 360)
    view.set_progress(1.0)
    grabbed = pixels(view.grab().toImage())
    assert (pixels(view.take_picture().toImage()) == grabbed).all()


def test_slide_changes_reuse_their_pictures(qtbot, tmp_path) -> None:
    window = playing_window(qtbot, tmp_path, SHOW)
    player = window.player
    POOL.clear()

    def change() -> None:
        player.next()
        assert window.transition.isVisible()
        window.stage.finish(view_too=True)

    change()
    change()  # warm: the pool now holds what a change needs
    made = POOL.made
    for _ in range(4):
        assert window.stage.view is not None
        leaving = pixels(window.stage.view.grab().toImage())
        player.next()
        old = pixels(window.transition._old.toImage())
        new = pixels(window.transition._new.toImage())
        assert (old == leaving).all()  # the transition starts from what was on screen
        assert np.abs(old - new).mean() > 5  # and goes to another slide
        window.stage.finish(view_too=True)
    assert POOL.made == made, "a slide change made new screen-sized pictures"
    window.quit()


def test_a_slide_that_left_keeps_no_pictures_or_layout(qtbot, tmp_path) -> None:
    """Its Python object may live on in a reference cycle until the garbage collector
    runs; what it held must not (an image slide's layout holds a screen-sized picture)."""
    window = playing_window(qtbot, tmp_path, SHOW)
    player = window.player
    for _ in range(3):
        leaving = window.stage.view
        assert leaving is not None and leaving.layout() is not None
        layout = weakref.ref(leaving.layout())
        player.next()
        window.stage.finish(view_too=True)
        assert leaving._layout is None and leaving._background is None and leaving._first_frame is None
        assert layout() is None, "something the slide kept still holds its layout"
    window.quit()


def warm_window(qtbot, tmp_path):
    """The show playing, after two slide changes have left the pool what a change needs."""
    window = playing_window(qtbot, tmp_path, SHOW)
    for _ in range(2):
        window.player.next()
        window.stage.finish(view_too=True)
    return window


def test_a_slide_takes_over_from_the_transitions_last_frame_without_painting_it_again(qtbot, tmp_path) -> None:
    """When a transition ends, the coming slide's first frame is already on the screen
    (the transition's picture of it, taken at progress 0). The slide's first paint copies
    that picture rather than painting its background and content again (a late frame at
    every hand-over under Xvfb, bench/presented.py); its background follows just after,
    in a picture from the pool, and the pixels are the ones a whole repaint gives."""
    window = warm_window(qtbot, tmp_path)
    player = window.player
    made = POOL.made
    for _ in range(3):
        player.next()
        _hand_over_from_the_transition(qtbot, window)
        window.stage.finish(view_too=True)
    assert POOL.made == made, "the hand-over made new screen-sized pictures"
    window.quit()


def _hand_over_from_the_transition(qtbot, window) -> None:
    view = window.stage.view
    assert view is not None and window.transition.isVisible()
    last_frame = pixels(window.transition._new.toImage())
    painted: list[float] = []
    paint_content = view.paint_content
    view.paint_content = lambda painter, layout, t: (painted.append(t), paint_content(painter, layout, t))
    laid_out = view.layout()
    window.stage.finish()  # the transition ends; the slide's entry starts
    view.stop()  # held at its first frame, to compare it below
    assert view._first_frame is not None and view.progress == 0.0
    assert view.layout() is laid_out, "showing the slide made its layout again"
    qtbot.waitUntil(lambda: view._first_frame is None, timeout=2000)  # the hand-over frame, painted
    assert painted == [], "the first frame was painted again"
    qtbot.waitUntil(lambda: view._background is not None, timeout=2000)
    assert (pixels(view.grab().toImage()) == last_frame).all()  # a whole repaint at 0: the same
    assert painted == [0.0]


def test_a_first_frame_that_no_longer_fits_is_not_shown(qtbot, tmp_path) -> None:
    """The window changed size during the transition: the picture is the old size, so
    the slide paints itself and the picture goes back to the pool."""
    window = playing_window(qtbot, tmp_path, SHOW)
    window.player.next()
    view = window.stage.view
    assert view is not None
    window.resize(window.width() - 40, window.height() - 20)
    window.stage.finish()
    assert view._first_frame is None
    window.quit()


def test_a_slide_left_while_still_on_its_first_frame_gives_that_picture_to_the_transition(qtbot, tmp_path) -> None:
    """Slides that change faster than they paint (a clicker held down): the picture of
    the first frame is the leaving slide's picture; no new one is made for it."""
    window = warm_window(qtbot, tmp_path)
    player = window.player
    made = POOL.made
    for _ in range(4):
        player.next()
        window.stage.finish()  # the transition ends: the slide holds its first frame
        view = window.stage.view
        assert view is not None
        view.stop()
        first = view._first_frame
        assert first is not None
        player.next()  # and it leaves before painting it
        assert window.transition._old is first
    window.stage.finish(view_too=True)
    assert POOL.made == made, "fast changes made new screen-sized pictures"
    window.quit()
