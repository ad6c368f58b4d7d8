"""The presenter view (issue 15), driven by commands and keys, checked through the show's
state snapshot, what the presenter view says it shows, and its pixels (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.app import ensure_application
from kiosk.cli import play_parser
from kiosk.commands import Command
from kiosk.presenter import (
    ONE_SCREEN_NOTE,
    PresenterWindow,
    choose_presenter_screen,
    clock_text,
    open_presenter,
)
from kiosk.presenter.layout import presenter_layout
from kiosk.window import ShowWindow
from tests.qt.shows import playing_window

NOTES = "先讲全年破案总数，再请大家看右边的同比变化：近1700个派出所设立了派驻式调解室。"
SHOW = f"""
title: 演讲者视图测试
defaults: {{duration: 20s, transition: {{type: fade, duration: 0.4s}}}}
slides:
  - {{type: title, title: 第一张, id: one, notes: "{NOTES}"}}
  - {{type: stat, label: 破案率, value: 99.2, unit: "%", id: two}}
  - type: bar
    title: 同比变化
    id: three
    unit: "%"
    bars: [{{label: 立案数, value: -18.4}}, {{label: 破案数, value: 20.9}}]
  - {{type: title, title: 第四张, id: four}}
"""


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_show(qtbot, tmp_path, clock: FakeClock, *, lock: bool = False) -> ShowWindow:
    return playing_window(
        qtbot, tmp_path, SHOW, size=(960, 540), clock=clock, wall=lambda: datetime(2027, 1, 10, 9, 30), lock=lock
    )


@pytest.fixture
def show(qtbot, tmp_path, clock) -> Iterator[ShowWindow]:
    shown = make_show(qtbot, tmp_path, clock)
    yield shown
    shown.quit()


@pytest.fixture
def presenter(qtbot, show) -> Iterator[PresenterWindow]:
    view = PresenterWindow(show, now=lambda: datetime(2027, 1, 10, 9, 30, 5))
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.setFocus()
    yield view
    view.close()


def settle(qtbot, show: ShowWindow, presenter: PresenterWindow) -> None:
    """Finish the wall's transition and entry animation, then let the presenter catch up."""
    show.stage.finish(view_too=True)
    qtbot.waitUntil(lambda: not presenter._pump.isActive(), timeout=10000)


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].astype(np.int16)


def differing_share(a: QImage, b: QImage) -> float:
    """Share of pixels where a channel differs by more than antialiasing would."""
    return float((np.abs(pixels(a) - pixels(b)) > 40).any(axis=2).mean())


# ---------------------------------------------------------------- what it shows


def test_it_shows_the_slide_on_air_its_notes_and_what_comes_next(qtbot, show, presenter):
    state = presenter.state()
    assert (state.counter, state.slide_id, state.label) == ("1 / 4", "one", "第一张")
    assert state.notes == NOTES
    assert state.next_label == "破案率"
    assert state.badges == ("播放中 ON AIR",)
    assert state.clock == "09:30:05"
    assert state.goto is None


def test_the_times_run_on_the_players_clock(qtbot, show, presenter, clock):
    assert presenter.state().time_left == "0:20"
    clock.now += 7.4
    state = presenter.state()
    assert state.time_left == "0:13"
    assert state.elapsed == "0:07"
    assert state.loop_left == "本轮还剩 1:13"  # 12.6 s of this slide and three more of 20 s
    assert 0.36 < state.slide_progress < 0.38
    assert clock_text(3725) == "1:02:05"


def test_pause_and_black_show_as_the_state_and_stop_the_slides_time(qtbot, show, presenter, clock):
    presenter.run(Command.PAUSE)
    clock.now += 5
    state = presenter.state()
    assert show.player.snapshot().paused
    assert "已暂停 PAUSED" in state.badges
    assert state.time_left == "0:20 停"
    presenter.run(Command.PAUSE)
    presenter.run(Command.BLACK)
    assert "大屏黑屏 WALL BLACK" in presenter.state().badges


def test_notes_are_set_large_and_broken_into_lines_that_fit(qtbot, show, presenter):
    layout = presenter.layout_now()
    font = presenter.notes_font(NOTES, layout.notes)
    assert font.pixelSize() >= round(7.2 * 2.6)  # the minimum: 2.6 % of 720
    from kiosk.slides.breaks import wrapped_lines

    lines = wrapped_lines(NOTES, font, layout.notes.width())
    assert len(lines) >= 2 and "".join(lines) == NOTES.replace(" ", "")


# ---------------------------------------------------------------- commands from here


def test_keys_on_the_presenter_view_move_the_wall(qtbot, show, presenter):
    QTest.keyClick(presenter, Qt.Key.Key_PageDown)
    snapshot = show.player.snapshot()
    assert snapshot.position == 1
    settle(qtbot, show, presenter)
    assert show.view is not None and show.view.model.id == "two"  # the wall shows it
    assert presenter.state().slide_id == "two"
    QTest.keyClick(presenter, Qt.Key.Key_PageUp)
    assert show.player.snapshot().position == 0
    QTest.keyClick(presenter, Qt.Key.Key_End)
    assert show.player.snapshot().slide.id == "four"
    assert presenter.state().next_label == "第一张"  # the loop starts again


def test_black_blacks_the_wall_not_the_presenter_view(qtbot, show, presenter):
    settle(qtbot, show, presenter)
    QTest.keyClick(presenter, Qt.Key.Key_B)
    assert show.player.snapshot().blacked
    assert show.black.isVisible()
    wall = pixels(show.grab().toImage())
    assert wall.max() < 8  # the audience sees black
    copies = presenter.live.copies
    live = pixels(presenter.live.grab().toImage())
    assert live.mean() > 20  # the presenter still sees the slide (painted: the wall's picture is black)
    assert presenter.live.copies == copies
    QTest.keyClick(presenter, Qt.Key.Key_B)
    assert not show.black.isVisible()


def test_go_to_typed_here_is_shown_here_not_on_the_wall(qtbot, show, presenter):
    QTest.keyClick(presenter, Qt.Key.Key_3)
    assert presenter.state().goto == "3"
    assert show.overlay.state.goto_text is None
    QTest.keyClick(presenter, Qt.Key.Key_Return)
    assert show.player.snapshot().slide.id == "three"
    assert presenter.state().goto is None
    QTest.keyClick(presenter, Qt.Key.Key_H)
    assert presenter.overlay.state.help
    assert not show.overlay.state.help


def test_the_overview_opens_here_and_picks_for_the_wall(qtbot, show, presenter):
    QTest.keyClick(presenter, Qt.Key.Key_O)
    assert presenter.overview.isVisible()
    assert not show.overview.isVisible()
    QTest.keyClick(presenter.overview, Qt.Key.Key_Right)
    QTest.keyClick(presenter.overview, Qt.Key.Key_Return)
    assert show.player.snapshot().position == 1
    assert not presenter.overview.isVisible()


def test_a_jump_while_the_wall_is_black_keeps_it_black(qtbot, show, presenter):
    presenter.run(Command.BLACK)
    presenter.run(Command.GOTO, "four")
    snapshot = show.player.snapshot()
    assert snapshot.slide.id == "four" and snapshot.blacked


def test_the_strip_marks_the_slide_on_air_and_a_click_jumps(qtbot, show, presenter):
    settle(qtbot, show, presenter)
    strip = presenter.strip
    assert strip.current == 0
    assert strip.missing() is None  # every thumbnail in view was made while the wall was still
    cell = strip.cell_rect(2).center().toPoint()
    QTest.mouseClick(strip, Qt.MouseButton.LeftButton, pos=cell)
    assert show.player.snapshot().position == 2
    assert strip.current == 2


def test_a_tap_on_the_strip_jumps_and_a_drag_scrolls_it(qtbot, show, presenter):
    settle(qtbot, show, presenter)
    strip = presenter.strip
    device = QTest.createTouchDevice()
    # QTest's touch points are in the window's coordinates
    cell = strip.mapTo(presenter, strip.cell_rect(3).center().toPoint())
    QTest.touchEvent(strip, device).press(0, cell).commit()
    QTest.touchEvent(strip, device).release(0, cell).commit()
    assert show.player.snapshot().position == 3
    strip.resize(strip.cell_size()[0] * 2, strip.height())  # room for two cells: now it scrolls
    strip.first = 0
    start, end = strip.mapTo(presenter, QPoint(strip.width() - 5, 5)), strip.mapTo(presenter, QPoint(5, 5))
    QTest.touchEvent(strip, device).press(0, start).commit()
    QTest.touchEvent(strip, device).move(0, end).commit()
    QTest.touchEvent(strip, device).release(0, end).commit()
    assert strip.first == 1
    assert show.player.snapshot().position == 3  # a drag is not a tap


def test_a_click_on_the_slide_advances_like_a_click_on_the_wall(qtbot, show, presenter):
    live = presenter.live.geometry().center()
    QTest.mouseClick(presenter, Qt.MouseButton.LeftButton, pos=QPoint(live.x(), live.y()))
    assert show.player.snapshot().position == 1


def test_quit_from_here_respects_the_lock(qtbot, tmp_path, clock):
    show = make_show(qtbot, tmp_path, clock, lock=True)
    view = PresenterWindow(show)
    qtbot.addWidget(view)
    view.show()
    view.run(Command.QUIT)
    assert show.isVisible() and view.isVisible()
    view.run(Command.QUIT, "forced")  # Ctrl+Alt+Q
    assert not show.isVisible()
    assert not view.isVisible()  # the presenter view ends with the show


# ---------------------------------------------------------------- the same pixels


def test_the_live_pane_shows_the_walls_pixels(qtbot, show, presenter):
    QTest.keyClick(presenter, Qt.Key.Key_PageDown)
    QTest.keyClick(presenter, Qt.Key.Key_PageDown)  # the bar chart
    settle(qtbot, show, presenter)
    copies = presenter.live.copies
    live = presenter.live.grab().toImage()
    assert presenter.live.copies > copies  # copied from the wall's own picture, not painted again
    wall = show.view.grab().toImage().scaled(
        live.size(), Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    other = presenter.pictures.render(show.player.snapshot().slide_at(0), live.width(), live.height())
    same, different = differing_share(live, wall), differing_share(live, other)
    assert same < 0.01, same
    assert different > 0.03, different  # the comparison can tell two slides apart


def test_the_live_pane_follows_the_walls_animation(qtbot, show, presenter):
    QTest.keyClick(presenter, Qt.Key.Key_PageDown)  # a fade, then the count-up
    assert presenter._pump.isActive()
    frames = []
    qtbot.waitUntil(lambda: frames.append(presenter.live.grab().toImage()) or len(frames) >= 4, timeout=5000)
    settle(qtbot, show, presenter)
    last = presenter.live.grab().toImage()
    assert any(np.abs(pixels(frame) - pixels(last)).mean() > 1 for frame in frames)


def test_pictures_are_made_only_while_the_wall_is_still(qtbot, show, presenter, monkeypatch):
    settle(qtbot, show, presenter)
    made: list[bool] = []
    render = presenter.pictures.render
    monkeypatch.setattr(
        presenter.pictures, "render", lambda *args: made.append(presenter.wall_moving()) or render(*args)
    )
    QTest.keyClick(presenter, Qt.Key.Key_PageDown)
    settle(qtbot, show, presenter)
    assert made and not any(made)
    width, height = presenter._next_size()
    assert presenter.pictures.cached(show.player.snapshot().next_slide, width, height) is not None


# ---------------------------------------------------------------- screens and the command line


def test_with_one_screen_it_opens_in_a_window_and_says_so(qtbot, show):
    app = ensure_application()
    screen, problem = choose_presenter_screen(app, app.primaryScreen(), "")
    assert (screen, problem) == (None, None)
    view = open_presenter(show, None)
    qtbot.addWidget(view)
    assert view.isVisible() and not view.isFullScreen()
    assert view.note == ONE_SCREEN_NOTE
    assert view in show.placement.allies
    view.close()


def test_a_named_screen_must_exist_and_not_be_the_shows(qtbot):
    app = ensure_application()
    _, problem = choose_presenter_screen(app, app.primaryScreen(), "0")
    assert problem is not None and "show's own screen" in problem
    _, problem = choose_presenter_screen(app, app.primaryScreen(), "7")
    assert problem is not None and "no screen '7'" in problem


def test_the_command_line_takes_presenter_with_or_without_a_screen():
    from kiosk.cli import _run_play  # noqa: F401  (the parsing below is what it does first)

    parser = play_parser()
    assert parser.parse_args(["show.yaml", "--presenter"]).presenter == ""
    assert parser.parse_args(["show.yaml", "--presenter", "HDMI-2"]).presenter == "HDMI-2"
    assert parser.parse_args(["show.yaml"]).presenter is None


def test_layouts_keep_every_part_inside_and_apart():
    for width, height in ((1920, 1080), (1280, 720), (1080, 1920), (1024, 768)):
        layout = presenter_layout(width, height, 16 / 9)
        parts = [layout.header, layout.live, layout.timing, layout.next, layout.notes, layout.strip]
        for part in parts:
            assert part.width() > 0 and part.height() > 0
            assert part.left() >= 0 and part.top() >= 0
            assert part.right() <= width and part.bottom() <= height
        for i, a in enumerate(parts):
            for b in parts[i + 1 :]:
                assert not a.intersects(b), (width, height, a, b)
        assert abs(layout.live.width() / layout.live.height() - 16 / 9) < 0.01
