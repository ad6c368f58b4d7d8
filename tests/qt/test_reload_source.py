"""The show reloads from the path it was started with (issue 13 and 20): a deploy that
swaps a symlink is taken in, and a show that booted from the last good copy shows the
badge from the start and goes back to the real playlist once it loads."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from kiosk import lastgood
from kiosk.app import ensure_application, slide_context
from kiosk.overlays import PROBLEMS_BADGE
from kiosk.player import Player
from kiosk.playlist import PlaylistError, load_playlist
from kiosk.reload import Reloader
from kiosk.window import ShowWindow

SHOW = """
defaults: {duration: 30s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: title, title: 第二, id: two}
"""


def release(folder: Path, title: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "show.yaml").write_text(textwrap.dedent(SHOW).replace("第一", title), encoding="utf-8")
    return folder


def staged_title(player: Player) -> str:
    return (player._pending or player.playlist).slides[0].title


def play(qtbot, source: Path, playlist, problems: list[str] | None = None):
    ensure_application()
    player = Player(playlist)
    window = ShowWindow(player, slide_context(playlist))
    qtbot.addWidget(window)
    reloader = Reloader(window, player, debounce_ms=60, poll_ms=300, source=source, problems=problems)
    window.show_on(None, fullscreen=False, size=(640, 360))
    player.start()
    return window, player, reloader


def test_a_swapped_release_link_is_taken_in(qtbot, tmp_path) -> None:
    release(tmp_path / "releases" / "v1", "第一版")
    release(tmp_path / "releases" / "v2", "第二版")
    current = tmp_path / "current"
    current.symlink_to(tmp_path / "releases" / "v1")
    source = current / "show.yaml"
    window, player, _ = play(qtbot, source, load_playlist(source))
    qtbot.wait(400)
    staging = tmp_path / "current.new"
    staging.symlink_to(tmp_path / "releases" / "v2")
    os.replace(staging, current)  # ln -sfn releases/v2 current, atomically
    qtbot.waitUntil(lambda: staged_title(player) == "第二版", timeout=5000)
    window.quit()


def test_a_show_from_the_last_good_copy_says_so_and_goes_back_when_fixed(qtbot, tmp_path) -> None:
    folder = release(tmp_path / "show", "好的")
    source = folder / "show.yaml"
    state = tmp_path / "state"
    lastgood.save(load_playlist(source), state)
    source.write_text("slides: [", encoding="utf-8")  # broken before the next boot
    try:
        load_playlist(source)
    except PlaylistError as error:
        problems = [str(p) for p in error.problems]
    kept = lastgood.load(source, state)
    assert kept is not None
    window, player, _ = play(qtbot, source, kept.playlist, problems)
    qtbot.waitUntil(lambda: window.overlay.state.badge == PROBLEMS_BADGE, timeout=3000)
    assert window.overlay.state.problems == tuple(problems)
    assert player.snapshot().problems == tuple(problems)
    source.write_text(textwrap.dedent(SHOW).replace("第一", "修好了"), encoding="utf-8")
    qtbot.waitUntil(lambda: staged_title(player) == "修好了", timeout=5000)
    assert window.overlay.state.badge == ""
    assert player.snapshot().problems == ()
    window.quit()
