"""`kiosk PLAYLIST --presenter` on a real X server with two screens (issue 15): Xvfb
3840x1080 with two RandR monitors side by side, LEFT (the primary: the wall) and SIDE
(the presenter's), with no window manager and with openbox. The show covers LEFT, the
presenter view covers SIDE; keys sent to the presenter view move the wall; B blacks the
wall only; unplugging SIDE leaves the show playing and the presenter view comes back
when SIDE returns. Screenshots of both screens are kept in the test's folder."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from kiosk.presenter.layout import presenter_layout
from tests.e2e.xvfb import add_monitor, remove_monitor, wait_for, window_info, windows_of, x_tool

from .show import COLORS, Show, assert_slides_change, running, slide_colour

pytestmark = pytest.mark.deploy

X_SCREEN = (3840, 1080)
LEFT, SIDE = "1920x1080+0+0", "1920x1080+1920+0"
LEFT_RECT, SIDE_RECT = (0, 0, 1920, 1080), (1920, 0, 1920, 1080)
PRESENTER_TITLE = "演讲者视图"


def named_windows(show: Show) -> dict[str, int]:
    """The show's windows by role: 'wall' and 'presenter' (told apart by their titles)."""
    found = {}
    for window in windows_of(show.display, show.process.pid):
        title = x_tool(show.display, "xdotool", "getwindowname", str(window), check=False)
        found["presenter" if PRESENTER_TITLE in title else "wall"] = window
    return found


def covers(show: Show, window: int, rect: tuple[int, int, int, int]) -> bool:
    info = window_info(show.display, window)
    return info is not None and info.viewable and info.rect == rect


def send_key(show: Show, window: int, key: str) -> None:
    """A key typed while `window` has the keyboard, as a person would: focus it, then type."""
    verb = "windowactivate" if show.wm else "windowfocus"
    x_tool(show.display, "xdotool", verb, "--sync", str(window))
    x_tool(show.display, "xdotool", "key", key)


def presenter_pixel(show: Show) -> QColor:
    """A pixel inside the presenter view's live pane, near its left edge (the slide's
    background there: the title is centred)."""
    live = presenter_layout(1920, 1080, 16 / 9).live
    return QColor(show.pixel(1920 + round(live.left()) + 30, round(live.center().y())))


def logged(show: Show, text: str, before: int) -> None:
    wait_for(lambda: show.log().count(text) > before, timeout=15, message=f"kiosk to log {text!r}")
    assert show.process.poll() is None, show.stop()


#: (start line, install, window manager): the source install with and without openbox, and
#: the one-folder build under --lock with openbox (the lock takes the focus back from any
#: window but the presenter view's)
CASES = [("readme", "source", False), ("readme", "source", True), ("readme-lock", "frozen", True)]


@pytest.mark.parametrize(("line", "install", "wm"), CASES, ids=["source-no-wm", "source-openbox", "frozen-lock-openbox"])
def test_the_presenter_view_on_a_second_screen(
    line: str, install: str, wm: bool, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    monitors = {"LEFT": LEFT, "SIDE": SIDE}
    build = request.getfixturevalue("build") if install == "frozen" else None
    with running(line, install, X_SCREEN, wm, tmp_path, build, monitors=monitors,
                 extra=("--presenter",)) as show:
        show.screen_rect = LEFT_RECT
        wait_for(lambda: len(named_windows(show)) == 2 or show.process.poll() is not None, timeout=60,
                 message="the wall and the presenter view")
        windows = named_windows(show)
        assert set(windows) == {"wall", "presenter"}, show.stop()
        show.window = windows["wall"]
        wait_for(lambda: covers(show, windows["wall"], LEFT_RECT), message="the show to cover LEFT")
        wait_for(lambda: covers(show, windows["presenter"], SIDE_RECT), message="the presenter view to cover SIDE")
        assert_slides_change(show)

        # Paused from the presenter view, the wall stands still; Next there moves it one on.
        send_key(show, windows["presenter"], "a")
        time.sleep(0.5)
        paused_on = slide_colour(show)
        time.sleep(2.0)  # two slides' time
        assert paused_on is not None and slide_colour(show) == paused_on
        send_key(show, windows["presenter"], "Next")
        following = COLORS[(COLORS.index(paused_on) + 1) % len(COLORS)]
        wait_for(lambda: slide_colour(show) == following, timeout=10, message="PageDown to move the wall")

        # B blacks the wall, not the presenter view.
        send_key(show, windows["presenter"], "b")
        wait_for(lambda: show.pixel(960, 540) == "#000000", timeout=10, message="the wall to go black")
        time.sleep(0.5)
        assert sum(presenter_pixel(show).getRgb()[:3]) > 120, "the presenter view went black too"
        shot = show.shot("two-screens-wall-black")
        shot.copy(0, 0, 1920, 1080).save(str(tmp_path / "wall.png"))
        shot.copy(1920, 0, 1920, 1080).save(str(tmp_path / "presenter.png"))
        send_key(show, windows["presenter"], "b")
        send_key(show, windows["presenter"], "a")  # playing again
        assert_slides_change(show)

        # The presenter's screen unplugged: the show plays on, untouched; back when it returns.
        before = show.log().count("presenter view")
        remove_monitor(show.display, "SIDE")
        logged(show, "presenter view", before)
        wait_for(lambda: not covers(show, windows["presenter"], SIDE_RECT), message="the presenter view to hide")
        assert covers(show, windows["wall"], LEFT_RECT)
        assert_slides_change(show)
        info = window_info(show.display, windows["presenter"])
        assert info is None or not info.viewable, f"the presenter view is still shown: {info}"
        add_monitor(show.display, "SIDE", SIDE)
        wait_for(lambda: covers(show, windows["presenter"], SIDE_RECT), timeout=20,
                 message="the presenter view to come back on SIDE")
        assert covers(show, windows["wall"], LEFT_RECT)
        assert_slides_change(show)

        send_key(show, windows["wall"], "ctrl+alt+q" if show.line.lock else "Escape")
        assert show.process.wait(timeout=20) == 0, show.stop()
        show.assert_no_traceback()


def test_one_screen_opens_the_presenter_view_in_a_window(tmp_path: Path) -> None:
    with running("readme", "source", (1920, 1080), True, tmp_path, None, extra=("--presenter",)) as show:
        wait_for(lambda: len(named_windows(show)) == 2 or show.process.poll() is not None, timeout=60,
                 message="the wall and the presenter view")
        windows = named_windows(show)
        show.window = windows["wall"]
        wait_for(lambda: covers(show, windows["wall"], (0, 0, 1920, 1080)), message="the show to cover the screen")
        info = window_info(show.display, windows["presenter"])
        assert info is not None and info.viewable and info.width < 1920, info
        wait_for(lambda: "opens in a window" in show.log(), message="kiosk to say why it is a window")
        send_key(show, windows["wall"], "Escape")
        assert show.process.wait(timeout=20) == 0, show.stop()
        show.assert_no_traceback()


def test_a_presenter_screen_that_is_the_shows_is_refused(tmp_path: Path) -> None:
    with running("readme", "source", X_SCREEN, False, tmp_path, None, monitors={"LEFT": LEFT, "SIDE": SIDE},
                 extra=("--presenter", "LEFT")) as show:
        assert show.process.wait(timeout=60) == 2
        assert "is the show's own screen (LEFT)" in show.stop()
