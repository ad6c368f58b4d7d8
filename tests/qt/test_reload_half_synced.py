"""A half-synced folder never reaches the wall (issue 17): a sync tool brings the playlist
before the pictures it names, and writes each file as `.syncthing.NAME.tmp` renamed into
place when complete. The last good show plays on with no badge and no placeholder until
the set is complete and valid; then the new show is taken in. A file that never comes is
reported after the grace period, and any other mistake at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage

from kiosk.app import ensure_application, slide_context
from kiosk.overlays import PROBLEMS_BADGE
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.reload import Reloader, sync_temporaries
from kiosk.window import ShowWindow
from tests.e2e.xvfb import close_to

SHOW = """
defaults: {duration: 30s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: image, src: old.png, id: old}
"""
NEW = SHOW + "  - {type: image, src: new.png, id: new}\n"
NO_POLL_MS = 600_000


def write(path: Path, text: str) -> None:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def picture_bytes(folder: Path, colour: str) -> bytes:
    image = QImage(64, 36, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    target = folder / ".picture-source.png"
    assert image.save(str(target))
    data = target.read_bytes()
    target.unlink()
    return data


class Wall:
    """The show's window, and everything its badge showed while the test ran."""

    def __init__(self, qtbot, folder: Path, **reload_options: float) -> None:
        ensure_application()
        playlist = load_playlist(folder / "show.yaml")
        self.player = Player(playlist)
        self.window = ShowWindow(self.player, slide_context(playlist))
        qtbot.addWidget(self.window)
        self.reloader = Reloader(self.window, self.player, debounce_ms=50, poll_ms=NO_POLL_MS, **reload_options)
        self.window.show_on(None, fullscreen=False, size=(640, 360))
        self.player.start()
        qtbot.waitUntil(lambda: bool(self.reloader.watcher.files()), timeout=3000)
        self.badges: set[str] = set()
        self.problems: list[list[str]] = []
        self.reloader.problems_changed.connect(self.problems.append)
        self._look = QTimer(self.window)
        self._look.timeout.connect(lambda: self.badges.add(self.window.overlay.state.badge))
        self._look.start(20)

    def reported(self) -> list[list[str]]:
        """Problems the reloader reported (an empty list is its all-clear)."""
        return [problems for problems in self.problems if problems]

    def next_ids(self) -> list[str | None]:
        """The slides of the playlist the show will play next (staged or on air)."""
        playlist = self.player._pending or self.player.playlist
        return [slide.id for slide in playlist.slides]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    show = tmp_path / "show"
    show.mkdir()
    write(show / "show.yaml", SHOW)
    (show / "old.png").write_bytes(picture_bytes(tmp_path, "#c0392b"))
    return show


def test_a_playlist_before_its_picture_waits_without_a_badge(qtbot, folder: Path) -> None:
    wall = Wall(qtbot, folder)
    write(folder / "show.yaml", NEW)  # the playlist arrives; new.png is still on its way
    qtbot.wait(2500)  # many debounces and retries
    assert wall.next_ids() == ["one", "old"]  # the last good show plays on, nothing staged
    assert wall.badges == {""} and wall.reported() == []
    (folder / "new.png").write_bytes(picture_bytes(folder, "#27ae60"))  # the picture arrives
    qtbot.waitUntil(lambda: wall.next_ids() == ["one", "old", "new"], timeout=5000)
    assert wall.badges == {""} and wall.reported() == []
    # The new slide plays its picture, not a placeholder: the set was complete when taken in.
    wall.player.go_to("new")
    qtbot.waitUntil(lambda: wall.window.view.model.id == "new", timeout=3000)
    picture = wall.window.view.render_image(320, 180)
    assert close_to(QColor(picture.pixel(160, 90)), "#27ae60")
    assert wall.window.overlay.state.badge == ""


def test_syncthing_temporaries_hold_the_reload_until_renamed_into_place(qtbot, folder: Path) -> None:
    wall = Wall(qtbot, folder)
    data = picture_bytes(folder, "#27ae60")
    temporary = folder / ".syncthing.new.png.tmp"
    temporary.write_bytes(data[: len(data) // 2])  # half of it so far
    (folder / "old.png").write_bytes(picture_bytes(folder, "#2980b9"))  # a changed picture came first
    write(folder / "show.yaml", NEW)
    assert sync_temporaries(folder) == [temporary]
    qtbot.wait(2500)
    assert wall.next_ids() == ["one", "old"]
    assert wall.badges == {""} and wall.reported() == []
    temporary.write_bytes(data)
    temporary.rename(folder / "new.png")  # Syncthing's last step
    qtbot.waitUntil(lambda: wall.next_ids() == ["one", "old", "new"], timeout=5000)
    assert wall.badges == {""} and wall.reported() == []


def test_temporaries_in_a_subfolder_count_and_syncthing_folders_do_not(tmp_path: Path) -> None:
    (tmp_path / "pictures").mkdir()
    (tmp_path / ".stversions").mkdir()
    (tmp_path / ".stversions" / ".syncthing.x.png.tmp").write_bytes(b"")
    (tmp_path / "pictures" / "~syncthing~y.png.tmp").write_bytes(b"")
    (tmp_path / "pictures" / "y.png").write_bytes(b"")
    assert sync_temporaries(tmp_path) == [tmp_path / "pictures" / "~syncthing~y.png.tmp"]


def test_a_picture_that_never_comes_is_reported_after_the_grace(qtbot, folder: Path) -> None:
    wall = Wall(qtbot, folder, transit_grace_s=1.0)
    write(folder / "show.yaml", NEW)
    qtbot.wait(500)
    assert wall.badges == {""}
    qtbot.waitUntil(lambda: wall.window.overlay.state.badge == PROBLEMS_BADGE, timeout=5000)
    (problem,) = wall.problems[-1]
    assert "file not found: 'new.png'" in problem
    assert wall.next_ids() == ["one", "old"]


def test_any_other_mistake_is_reported_at_once(qtbot, folder: Path) -> None:
    wall = Wall(qtbot, folder)
    write(folder / "show.yaml", NEW.replace("type: title", "type: titel"))
    qtbot.waitUntil(lambda: wall.window.overlay.state.badge == PROBLEMS_BADGE, timeout=2000)
    assert any("unknown slide type 'titel'" in p for p in wall.problems[-1])
