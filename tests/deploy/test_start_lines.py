"""Every start line we ship, from the source install and from the one-folder build, as a
separate process under Xvfb, landscape and portrait, with no window manager and with
openbox: the window covers the screen with the focus, the slides change, nothing raises;
under --lock no key or window manager move ends or hides the show, and Ctrl+Alt+Q quits
with exit 0.

The lines: the README's `kiosk` and `kiosk --lock` (.venv/bin/kiosk in the work tree,
./kiosk in the build folder), `ExecStart` of packaging/kiosk.service (%h: a home of the
test's own, with the build in ~/kiosk as its install notes say) and `Exec` of
packaging/kiosk.desktop (/home/display likewise). They play a playlist of 1 s slides,
except two runs of the shipped files' lines exactly as written, bundled playlist and all.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.xvfb import wait_for, x_tool

from .show import (
    LANDSCAPE,
    PORTRAIT,
    Show,
    assert_bundled_slides_change,
    assert_slides_change,
    running,
    wait_covering,
)

pytestmark = pytest.mark.deploy

LINES = ["readme", "readme-lock", "service", "desktop"]
WMS = {False: "no-wm", True: "openbox"}
SIZES = {LANDSCAPE: "landscape", PORTRAIT: "portrait"}

SOURCE_CASES = [
    pytest.param(line, wm, size, id=f"{line}-{WMS[wm]}-{SIZES[size]}")
    for line in LINES
    for wm in (False, True)
    for size in (LANDSCAPE, PORTRAIT)
]
# The build: each line in both orientations, once with openbox and once without.
FROZEN_CASES = [
    pytest.param(line, wm, size, id=f"{line}-{WMS[wm]}-{SIZES[size]}")
    for index, line in enumerate(LINES)
    for size, wm in ((LANDSCAPE, index % 2 == 0), (PORTRAIT, index % 2 == 1))
]
#: how long each show must at least keep running
ALIVE_S = 5.0
# The shipped files' lines exactly as written (their bundled playlist: 10 s slides and more).
EXACT = {("service", LANDSCAPE), ("desktop", PORTRAIT)}


@pytest.mark.parametrize(("line", "wm", "size"), SOURCE_CASES)
def test_source_install(line: str, wm: bool, size: tuple[int, int], tmp_path: Path) -> None:
    check_start_line(line, "source", wm, size, tmp_path, None)


@pytest.mark.parametrize(("line", "wm", "size"), FROZEN_CASES)
def test_one_folder_build(line: str, wm: bool, size: tuple[int, int], tmp_path: Path, build: Path) -> None:
    check_start_line(line, "frozen", wm, size, tmp_path, build, fast=(line, size) not in EXACT)


def check_start_line(
    line: str, install: str, wm: bool, size: tuple[int, int], tmp: Path, build: Path | None, *, fast: bool = True
) -> None:
    with running(line, install, size, wm, tmp, build, fast=fast) as show:
        show.find_window()
        wait_covering(show, timeout=30)
        if fast:
            assert_slides_change(show)
        else:
            assert_bundled_slides_change(show)
        if line == "service":  # Type=notify: systemd waits for READY=1 (and then pings)
            wait_for(lambda: "READY=1" in show.notes(), timeout=10, message="READY=1 on NOTIFY_SOCKET")
        if show.line.lock:
            assert_lock_holds(show)
        show.alive_after(ALIVE_S)
        xdotool_key(show, "ctrl+alt+q" if show.line.lock else "Escape")
        assert show.process.wait(timeout=20) == 0, show.stop()
        show.assert_no_traceback()


# ---------------------------------------------------------------- the lock


def xdotool_key(show: Show, key: str) -> None:
    subprocess.run(["xdotool", "key", key], env={"DISPLAY": show.display}, check=True, timeout=30)


#: what kiosk/placement.py logs when the lock puts the show back: which event it saw first
#: (the state change, the spontaneous hide, the lost focus) depends on timing, and the
#: others within its 50 ms are folded into that one restore, so any of them counts.
LOCK_LOG = "--lock: "


def assert_lock_holds(show: Show) -> None:
    """Under --lock: Esc, Q, Alt+F4, a minimise, an un-fullscreen and another window taking
    the focus each leave the show full-screen and focused. Each is first seen to reach kiosk
    (its log says so), so a move the window manager did not make cannot pass."""
    display = {"DISPLAY": show.display, "PATH": "/usr/bin:/bin"}
    actions: list[tuple[str, Callable[[], object], str, bool]] = [
        ("Esc", lambda: xdotool_key(show, "Escape"), "quit key ignored", False),
        ("Q", lambda: xdotool_key(show, "q"), "quit key ignored", False),
        ("Alt+F4", lambda: xdotool_key(show, "alt+F4"), "close refused", True),
        (
            "minimise",
            lambda: subprocess.run(["xdotool", "windowminimize", str(show.window)], env=display, check=True),
            LOCK_LOG,
            True,
        ),
        (
            "un-fullscreen",
            lambda: subprocess.run(["wmctrl", "-r", ":ACTIVE:", "-b", "remove,fullscreen"], env=display, check=True),
            LOCK_LOG,
            True,
        ),
        ("another window", lambda: other_window(show), LOCK_LOG, True),
    ]
    for name, act, logged, needs_wm in actions:
        if needs_wm and not show.wm:
            continue  # with no window manager there is nobody to minimise or close the window
        before = settled_count(show, logged)
        act()
        deadline = time.monotonic() + 15
        while show.log().count(logged) <= before:
            assert time.monotonic() < deadline, f"{name}: kiosk never heard of it ({logged!r}): {show.state()}"
            assert show.process.poll() is None, f"{name} ended the show: {show.stop()}"
            time.sleep(0.1)
        wait_covering(show, after=f" after {name}")
        assert show.process.poll() is None, f"{name} ended the show: {show.stop()}"


def settled_count(show: Show, logged: str) -> int:
    """How often the log says `logged`, once the last action's echoes are over (a restore
    can log twice: a hide, then the state change that follows it), so they cannot pass
    for the next action's."""
    count = show.log().count(logged)
    while True:
        time.sleep(0.25)
        again = show.log().count(logged)
        if again == count:
            return count
        count = again


def other_window(show: Show) -> None:
    """Another program's window takes the focus (a dialog, brought to the front the way a
    taskbar or a program asking for attention does: _NET_ACTIVE_WINDOW), and stays open."""
    env = {"DISPLAY": show.display, "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen(["xmessage", "-center", "another program"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    show.others.append(process)
    found: list[str] = []

    def mapped() -> bool:
        found[:] = x_tool(show.display, "xdotool", "search", "--onlyvisible", "--class", "Xmessage",
                          check=False).split()
        return bool(found)

    wait_for(mapped, timeout=15, message="the other window")
    subprocess.run(["xdotool", "windowactivate", found[0]], env=env, check=False, timeout=30)
