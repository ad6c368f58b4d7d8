"""Screens that come and go while `kiosk` or `kiosk --lock` plays (a display switched off, a second
one plugged in): Xvfb 3840x1080 with RandR, two 1920x1080 monitors side by side (LEFT,
the primary, and SIDE), added and removed with xrandr as Qt sees real ones (screenAdded,
screenRemoved). The show stays alive with no traceback and always covers one screen whole
with the focus; with --screen SIDE it moves to the primary screen when SIDE goes and
returns when SIDE comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.xvfb import add_monitor, remove_monitor, wait_for

from .show import Show, assert_slides_change, running, wait_covering
from .test_start_lines import xdotool_key

pytestmark = pytest.mark.deploy

X_SCREEN = (3840, 1080)
LEFT, SIDE = "1920x1080+0+0", "1920x1080+1920+0"
LEFT_RECT, SIDE_RECT = (0, 0, 1920, 1080), (1920, 0, 1920, 1080)


def screens_changed(show: Show, before: int) -> None:
    """kiosk has seen the change (its log says so) and is still running."""
    try:
        wait_for(lambda: show.log().count("screens changed") > before or show.process.poll() is not None,
                 timeout=15, message="kiosk to see the screens change")
    except AssertionError as error:
        raise AssertionError(f"{error}; its output:\n{show.stop()[-3000:]}") from None
    assert show.process.poll() is None, f"kiosk ended when a screen changed: {show.stop()}"


def quit_cleanly(show: Show) -> None:
    xdotool_key(show, "ctrl+alt+q" if show.line.lock else "Escape")
    assert show.process.wait(timeout=20) == 0, show.stop()
    show.assert_no_traceback()


@pytest.mark.parametrize("wm", [False, True], ids=["no-wm", "openbox"])
@pytest.mark.parametrize("line", ["readme", "readme-lock"])
def test_a_screen_added_and_removed_while_playing(line: str, wm: bool, tmp_path: Path) -> None:
    with running(line, "source", X_SCREEN, wm, tmp_path, None, monitors={"LEFT": LEFT}) as show:
        show.screen_rect = LEFT_RECT
        show.find_window()
        wait_covering(show, timeout=30)
        assert_slides_change(show)
        seen = show.log().count("screens changed")
        add_monitor(show.display, "SIDE", SIDE)
        screens_changed(show, seen)
        wait_covering(show, after=" once a screen was added (it stays on its own)")
        seen = show.log().count("screens changed")
        remove_monitor(show.display, "SIDE")
        screens_changed(show, seen)
        wait_covering(show, after=" once the added screen went")
        assert_slides_change(show)
        quit_cleanly(show)


@pytest.mark.parametrize("wm", [False, True], ids=["no-wm", "openbox"])
def test_the_wanted_screen_goes_and_comes_back(wm: bool, tmp_path: Path) -> None:
    monitors = {"LEFT": LEFT, "SIDE": SIDE}
    with running("readme-lock", "source", X_SCREEN, wm, tmp_path, None, monitors=monitors,
                 extra=("--screen", "SIDE")) as show:
        show.screen_rect = SIDE_RECT
        show.find_window()
        wait_covering(show, timeout=30, after=" on SIDE at start")
        seen = show.log().count("screens changed")
        remove_monitor(show.display, "SIDE")
        screens_changed(show, seen)
        show.screen_rect = LEFT_RECT
        wait_covering(show, after=" on the primary screen once SIDE went")
        seen = show.log().count("screens changed")
        add_monitor(show.display, "SIDE", SIDE)
        screens_changed(show, seen)
        show.screen_rect = SIDE_RECT
        wait_covering(show, after=" back on SIDE once it returned")
        assert_slides_change(show)
        quit_cleanly(show)
