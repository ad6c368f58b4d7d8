"""Live reload survives deploys (issue 20): the playlist deleted and recreated, its folder
swapped by rename, the USB stick it is on pulled and put back. After each, a valid
playlist is taken in, later edits too, and the badge goes without anyone pressing R.
The audience's badge is short and Chinese; the details go to the help overlay (issue 13).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.app import ensure_application, slide_context
from kiosk.overlays import PROBLEMS_BADGE
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.reload import Reloader
from kiosk.window import ShowWindow

SHOW = """
defaults: {duration: 30s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: title, title: 第二, id: two}
  - {type: bar, title: 数据, id: chart, data: bars.csv}
"""
#: long enough that only the watcher's events, never the poll, can see a change
NO_POLL_MS = 600_000


def write(path: Path, text: str) -> None:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def make_show(folder: Path, title: str = "第一") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "bars.csv", "label,value\n甲,1\n乙,2\n")
    write(folder / "show.yaml", SHOW.replace("第一", title))


def first_title(player: Player) -> str:
    """The first slide's title in the playlist the show will play next."""
    playlist = player._pending or player.playlist  # the staged version
    return playlist.slides[0].title


@pytest.fixture
def deploy(qtbot, tmp_path):
    """A show playing tmp/site/show/show.yaml, watched by events only (no poll)."""
    ensure_application()
    folder = tmp_path / "site" / "show"
    make_show(folder)
    playlist = load_playlist(folder / "show.yaml")
    player = Player(playlist)
    window = ShowWindow(player, slide_context(playlist))
    qtbot.addWidget(window)
    reloader = Reloader(window, player, debounce_ms=60, poll_ms=NO_POLL_MS)
    window.show_on(None, fullscreen=False, size=(640, 360))
    player.start()
    qtbot.waitUntil(lambda: bool(reloader.watcher.files()), timeout=3000)
    yield window, player, reloader, folder
    window.quit()


def test_delete_then_recreate_is_taken_in_and_later_edits_too(qtbot, deploy) -> None:
    window, player, _, folder = deploy
    new = folder.parent / "new.yaml"
    write(new, SHOW.replace("第一", "新版"))
    (folder / "show.yaml").unlink()
    qtbot.waitUntil(lambda: window.overlay.state.badge == PROBLEMS_BADGE, timeout=5000)
    time.sleep(1)  # rm show.yaml; sleep 1; cp new.yaml show.yaml
    shutil.copy(new, folder / "show.yaml")
    qtbot.waitUntil(lambda: first_title(player) == "新版", timeout=5000)
    assert window.overlay.state.badge == ""
    assert window.overlay.state.problems == ()
    write(folder / "show.yaml", SHOW.replace("第一", "再改"))  # the watch is armed again
    qtbot.waitUntil(lambda: first_title(player) == "再改", timeout=5000)


def test_folder_swap_by_rename_is_taken_in_and_later_edits_too(qtbot, deploy) -> None:
    window, player, _, folder = deploy
    make_show(folder.parent / "new", title="部署")
    os.rename(folder, folder.parent / "old")  # mv show old && mv new show
    os.rename(folder.parent / "new", folder)
    qtbot.waitUntil(lambda: first_title(player) == "部署", timeout=5000)
    assert window.overlay.state.badge == ""
    write(folder / "bars.csv", "label,value\n甲,7\n乙,8\n")  # a data file of the new folder
    qtbot.waitUntil(lambda: player.has_pending and player._pending.slides[2].bars[0].value == 7, timeout=5000)
    write(folder / "show.yaml", SHOW.replace("第一", "又改"))
    qtbot.waitUntil(lambda: first_title(player) == "又改", timeout=5000)
    # The old folder is no concern of the show any more.
    write(folder.parent / "old" / "show.yaml", SHOW.replace("第一", "旧的"))
    qtbot.wait(400)
    assert first_title(player) == "又改"


def test_folder_gone_for_a_while_then_back(qtbot, deploy) -> None:
    """The playlist's folder removed (a deploy that deletes first): the nearest existing
    folder is watched, and the folder's return is seen."""
    window, player, _, folder = deploy
    shutil.rmtree(folder)
    qtbot.waitUntil(lambda: window.overlay.state.badge == PROBLEMS_BADGE, timeout=5000)
    make_show(folder, title="回来")
    qtbot.waitUntil(lambda: first_title(player) == "回来", timeout=5000)
    assert window.overlay.state.badge == ""


def test_the_poll_sees_changes_where_no_event_comes(qtbot, tmp_path) -> None:
    """Where the file system sends no events (a remount, network or FUSE file systems)
    the poll's stat finds the change."""
    ensure_application()
    make_show(tmp_path)
    playlist = load_playlist(tmp_path / "show.yaml")
    player = Player(playlist)
    window = ShowWindow(player, slide_context(playlist))
    qtbot.addWidget(window)
    reloader = Reloader(window, player, debounce_ms=30, poll_ms=150)
    qtbot.waitUntil(lambda: bool(reloader.watcher.files()), timeout=3000)
    reloader.watcher.blockSignals(True)  # no event will ever arrive
    write(tmp_path / "show.yaml", SHOW.replace("第一", "轮询"))
    qtbot.waitUntil(lambda: first_title(player) == "轮询", timeout=5000)
    window.quit()


def test_the_badge_is_short_and_the_details_go_to_the_help_overlay(qtbot, deploy) -> None:
    window, _player, reloader, folder = deploy
    emitted: list[list[str]] = []
    reloader.problems_changed.connect(emitted.append)
    write(folder / "show.yaml", SHOW.replace("type: title, title: 第二", "type: titel, title: 第二"))
    qtbot.waitUntil(lambda: bool(window.overlay.state.badge), timeout=5000)
    badge = window.overlay.state.badge
    assert badge == PROBLEMS_BADGE
    assert str(folder) not in badge and "/" not in badge and "unknown" not in badge
    (problem,) = window.overlay.state.problems
    assert "show.yaml:4:" in problem and "unknown slide type 'titel'" in problem
    assert emitted[-1] == [problem]
    # The help overlay lists the problem: it paints more than the keys alone.
    overlay = window.overlay
    overlay.set_state(help=True)
    with_problems = overlay.grab().toImage()
    overlay.set_state(problems=())
    without = overlay.grab().toImage()
    assert _differing_rows(with_problems, without) > 10
    overlay.set_state(problems=(problem,))
    write(folder / "show.yaml", SHOW)  # fixed: badge and list go, without R
    qtbot.waitUntil(lambda: not window.overlay.state.badge, timeout=5000)
    assert window.overlay.state.problems == ()
    assert emitted[-1] == []


def _differing_rows(a: QImage, b: QImage) -> int:
    assert a.size() == b.size()
    return sum(1 for y in range(a.height()) if a.constScanLine(y).tobytes() != b.constScanLine(y).tobytes())


# ---------------------------------------------------------------- a USB stick pulled and put back

STICK_SCRIPT = r"""
import json, os, subprocess, sys, textwrap
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from kiosk.app import ensure_application, slide_context
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.reload import Reloader
from kiosk.window import ShowWindow

stick = Path(sys.argv[1])
show = json.loads(sys.argv[2])
bars = "label,value\n甲,1\n乙,2\n"

def mount(title):
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(stick)], check=True)
    (stick / "bars.csv").write_text(bars, encoding="utf-8")
    (stick / "show.yaml").write_text(show.replace("第一", title), encoding="utf-8")

app = ensure_application()
mount("第一")
playlist = load_playlist(stick / "show.yaml")
player = Player(playlist)
window = ShowWindow(player, slide_context(playlist))
reloader = Reloader(window, player, debounce_ms=60, poll_ms=int(sys.argv[3]))
events = []

def title():
    return (player._pending or player.playlist).slides[0].title

def step(name, action, wait, then):
    def run():
        action()
        events.append([name, title(), window.overlay.state.badge])
        QTimer.singleShot(wait, then)
    return run

def pull():
    subprocess.run(["umount", "-l", str(stick)], check=True)

def report():
    events.append(["end", title(), window.overlay.state.badge])
    print(json.dumps(events, ensure_ascii=False), flush=True)
    app.exit(0)

def edit():
    (stick / "show.yaml").write_text(show.replace("第一", "再改"), encoding="utf-8")

QTimer.singleShot(600, step("pull", pull, 1500, step("back", lambda: mount("换过"), 4000,
    step("edit", edit, 4000, report))))
app.exec()
"""


@pytest.mark.parametrize("poll_ms", [2000])
def test_a_stick_pulled_and_put_back_is_taken_in(tmp_path, poll_ms: int) -> None:
    """`umount -l` then mount again, as a USB stick pulled and put back: in a private
    mount namespace (unshare), so the test needs no real stick and leaves no mount."""
    stick = tmp_path / "stick"
    stick.mkdir()
    script = tmp_path / "stick.py"
    script.write_text(STICK_SCRIPT, encoding="utf-8")
    body = textwrap.dedent(SHOW).lstrip()
    argv = [
        "unshare",
        "--mount",
        "--map-root-user",
        sys.executable,
        str(script),
        str(stick),
        json.dumps(body),
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).parents[2])}
    result = subprocess.run([*argv, str(poll_ms)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    events = json.loads(result.stdout.strip().splitlines()[-1])
    final = {name: (title, badge) for name, title, badge in events}
    assert final["back"][0] == "第一"  # just mounted: not yet seen
    assert final["edit"] == ("换过", "")  # the stick's new playlist was taken in, badge gone
    assert final["end"] == ("再改", "")  # and a later edit on it too
