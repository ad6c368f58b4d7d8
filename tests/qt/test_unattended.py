"""Running unattended: live reload with real files edited, replaced and broken while a
show runs; schedules on an injected clock; faults injected into slides; logging."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from kiosk.app import ensure_application, slide_context
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.playlist.files import playlist_files as watched_files
from kiosk.reload import Reloader
from kiosk.slides import build_view
from kiosk.slides.idle import IdleView
from kiosk.system import SafeRotatingFileHandler, Watchdog, setup_logging
from kiosk.window import ShowWindow

SHOW = """
defaults: {duration: 30s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: title, title: 第二, id: two}
  - {type: bar, title: 数据, id: chart, data: bars.csv}
"""


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.wall = datetime(2024, 1, 10, 12, 0)


def write(path: Path, text: str) -> None:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def replace_by_rename(path: Path, text: str) -> None:
    """Save as editors like vim and gedit do: a new file renamed over the old one."""
    temporary = path.with_name(path.name + ".tmp~")
    temporary.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def show(qtbot, tmp_path):
    ensure_application()
    write(tmp_path / "bars.csv", "label,value\n甲,1\n乙,2\n")
    write(tmp_path / "show.yaml", SHOW)
    clock = Clock()
    playlist = load_playlist(tmp_path / "show.yaml")
    player = Player(playlist, clock=lambda: clock.now, wall=lambda: clock.wall)
    window = ShowWindow(player, slide_context(playlist))
    qtbot.addWidget(window)
    reloader = Reloader(window, player, debounce_ms=60)
    window.reload_requested.connect(reloader.reload_now)
    window.show_on(None, fullscreen=False, size=(640, 360))
    player.start()
    qtbot.waitUntil(lambda: bool(reloader.watcher.files()), timeout=3000)
    yield window, player, reloader, tmp_path, clock
    window.quit()


def test_watches_the_playlist_and_its_files(qtbot, show) -> None:
    _window, player, reloader, folder, _ = show
    qtbot.waitUntil(lambda: bool(reloader.watcher.files()), timeout=3000)
    assert set(watched_files(player.playlist)) == {
        (folder / "show.yaml").resolve(),
        (folder / "bars.csv").resolve(),
    }
    assert str((folder / "show.yaml").resolve()) in reloader.watcher.files()


def test_valid_edit_is_taken_in_at_the_next_slide_change(qtbot, show) -> None:
    window, player, _, folder, _ = show
    player.go_to("two")
    write(
        folder / "show.yaml", SHOW.replace("第二", "第二(新)") + "  - {type: title, title: 第四, id: four}\n"
    )
    qtbot.waitUntil(lambda: player.has_pending, timeout=5000)
    assert window.view.model.title == "第二"  # the slide on screen is not pulled away
    player.previous()
    player.next()
    assert player.current.id == "two"
    assert window.view.model.title == "第二(新)"
    assert len(player.order) == 4


def test_current_slide_kept_by_id_when_slides_move(qtbot, show) -> None:
    _window, player, _, folder, _ = show
    player.go_to("two")
    write(
        folder / "show.yaml", SHOW.replace("slides:\n", "slides:\n  - {type: title, title: 新的, id: new}\n")
    )
    qtbot.waitUntil(lambda: player.has_pending, timeout=5000)
    player.next()
    assert player.current.id == "chart"  # 'two' was kept (now 3rd), then next
    assert player.position == 3


def test_rename_and_replace_saves_are_seen_every_time(qtbot, show) -> None:
    _, player, _, folder, _ = show
    for round_number in range(3):
        replace_by_rename(folder / "show.yaml", SHOW.replace("第一", f"第一 v{round_number}"))
        qtbot.waitUntil(lambda: player.has_pending, timeout=5000)
        player.next()
        assert player.playlist.slides[0].title == f"第一 v{round_number}"


def test_rapid_saves_are_coalesced(qtbot, show, monkeypatch) -> None:
    _, player, reloader, folder, _ = show
    loads = []
    original = reloader._load
    monkeypatch.setattr(reloader, "_load", lambda: loads.append(1) or original())
    for n in range(8):
        write(folder / "show.yaml", SHOW.replace("第一", f"第一 {n}"))
    qtbot.waitUntil(lambda: player.has_pending, timeout=5000)
    qtbot.wait(200)
    assert len(loads) == 1
    player.next()
    assert player.playlist.slides[0].title == "第一 7"


def test_broken_edit_keeps_the_show_and_shows_a_badge(qtbot, show, caplog) -> None:
    window, player, _reloader, folder, _ = show
    good = player.playlist
    caplog.set_level(logging.ERROR)
    write(folder / "show.yaml", SHOW.replace("type: title, title: 第二", "type: titel, title: 第二"))
    qtbot.waitUntil(lambda: bool(window.overlay.state.badge), timeout=5000)
    assert "仍在播放上一版" in window.overlay.state.badge
    assert f"{folder.resolve() / 'show.yaml'}:4:12: unknown slide type 'titel'" in caplog.text
    player.next()
    assert player.playlist is good
    assert window.view.model.id == "two"
    write(folder / "show.yaml", SHOW)  # fixed: the badge goes
    qtbot.waitUntil(lambda: not window.overlay.state.badge, timeout=5000)


def test_data_file_gone_bad_keeps_the_last_good_data(qtbot, show) -> None:
    window, player, _, folder, _ = show
    write(folder / "bars.csv", "label,value\n甲,1\n乙,二\n")
    qtbot.waitUntil(lambda: bool(window.overlay.state.badge), timeout=5000)
    assert "bars.csv:3:3: value must be a number, got '二'" in "\n".join(window.overlay.state.problems)  # details: help overlay, log
    player.go_to("chart")
    assert [b.value for b in window.view.model.bars] == [1, 2]
    write(folder / "bars.csv", "label,value\n甲,5\n乙,6\n")
    qtbot.waitUntil(lambda: player.has_pending, timeout=5000)
    player.next()
    player.go_to("chart")
    assert [b.value for b in window.view.model.bars] == [5, 6]


def test_deleted_playlist_keeps_the_show(qtbot, show) -> None:
    window, player, _, folder, _ = show
    (folder / "show.yaml").unlink()
    qtbot.waitUntil(lambda: bool(window.overlay.state.badge), timeout=5000)
    assert "cannot read the file" in "\n".join(window.overlay.state.problems)  # details: help overlay, log
    player.next()
    assert window.view.model.id == "two"


def _replace_by_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _replace_by_pipe(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)  # opening it to read would block the show for ever


def _replace_by_dangling_link(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.with_name("gone.csv"))  # unreadable, even for root


@pytest.mark.parametrize(
    ("name", "fault", "message"),
    [
        ("show.yaml", _replace_by_folder, "this is a folder, not a file"),
        ("show.yaml", _replace_by_pipe, "this is not a regular file"),
        ("bars.csv", _replace_by_folder, "'bars.csv' is not a file"),
        ("bars.csv", _replace_by_pipe, "'bars.csv' is not a file"),
        ("bars.csv", _replace_by_dangling_link, "bars.csv"),
    ],
    ids=["playlist-folder", "playlist-pipe", "data-folder", "data-pipe", "data-dangling-link"],
)
def test_files_turned_into_folders_pipes_or_dead_links_keep_the_show(
    qtbot, show, name: str, fault, message: str
) -> None:
    window, player, _, folder, _ = show
    good = player.playlist
    fault(folder / name)
    qtbot.waitUntil(lambda: bool(window.overlay.state.badge), timeout=5000)
    assert message in "\n".join(window.overlay.state.problems)  # details: help overlay, log
    player.go_to("chart")  # the show goes on, with the last good data
    assert player.playlist is good
    assert [b.value for b in window.view.model.bars] == [1, 2]
    assert not window.view.is_broken()


def test_an_image_replaced_by_a_pipe_shows_the_placeholder(qtbot, tmp_path) -> None:
    from PySide6.QtGui import QColor, QImage

    from kiosk.slides.image import ImageView

    ensure_application()
    picture = QImage(64, 36, QImage.Format.Format_RGB32)
    picture.fill(QColor("red"))
    picture.save(str(tmp_path / "photo.png"))
    write(tmp_path / "show.yaml", "slides:\n  - {type: image, src: photo.png, caption: 图}\n")
    playlist = load_playlist(tmp_path / "show.yaml")
    _replace_by_pipe(tmp_path / "photo.png")
    view = build_view(playlist.slides[0], slide_context(playlist))
    assert isinstance(view, ImageView)
    image = view.render_image(320, 180)  # returns: it must not block on the pipe
    assert QColor(image.pixel(160, 90)) != QColor("red")
    assert not view.is_broken()


def test_reload_key_takes_a_change_in_at_once(qtbot, show) -> None:
    window, _player, reloader, folder, _ = show
    reloader.watcher.blockSignals(True)  # only the key, not the watcher
    write(folder / "show.yaml", SHOW.replace("第一", "第一(改)"))
    window.reload_requested.emit()
    assert window.view.model.title == "第一(改)"


# ---------------------------------------------------------------- schedules


SCHEDULED = """
defaults: {duration: 30s, transition: none}
slides:
  - {type: title, title: 白天, id: day, when: {hours: "08:00-18:00"}}
  - {type: title, title: 警察节, id: police-day, when: {from: 2024-01-10T00:00, until: 2024-01-11T00:00}}
"""


def test_slides_join_and_leave_and_idle_slide_when_nothing_is_on(qtbot, tmp_path) -> None:
    ensure_application()
    write(tmp_path / "show.yaml", SCHEDULED)
    clock = Clock()
    playlist = load_playlist(tmp_path / "show.yaml")
    player = Player(playlist, clock=lambda: clock.now, wall=lambda: clock.wall)
    window = ShowWindow(player, slide_context(playlist))
    qtbot.addWidget(window)
    window.show_on(None, fullscreen=False, size=(640, 360))
    player.start()
    assert [player.playlist.slides[i].id for i in player.order] == ["day", "police-day"]
    assert window.timekeeper._schedule_timer.isActive()
    assert window.timekeeper._schedule_timer.remainingTime() <= 61_000
    clock.wall = datetime(2024, 1, 10, 19, 0)
    window.timekeeper._schedule_due()
    assert [player.playlist.slides[i].id for i in player.order] == ["police-day"]
    clock.wall = datetime(2024, 1, 11, 19, 0)
    window.timekeeper._schedule_due()
    assert player.current is None
    assert isinstance(window.view, IdleView)  # calm, not black
    image = window.grab().toImage()
    assert image.pixelColor(320, 180).blue() > 30
    clock.wall = datetime(2024, 1, 12, 9, 0)
    window.timekeeper._schedule_due()
    assert window.view.model.id == "day"
    window.quit()


# ---------------------------------------------------------------- faults


def faulty_builder(fail_on: str, how: str):
    """A slide builder that breaks the slide `fail_on` in the way `how`."""

    def build(model, context, parent: QWidget | None):
        view = build_view(model, context, parent)
        if model.id == fail_on:
            if how == "build":
                raise RuntimeError("injected: building")

            def broken(*_args):
                raise RuntimeError(f"injected: {how}")

            if how == "paint":
                view.paint_content = broken
            elif how == "animate":
                view.repaint_area = broken
        return view

    return build


@pytest.mark.parametrize("how", ["build", "paint", "animate"])
def test_a_failing_slide_is_skipped_and_retried_next_loop(qtbot, tmp_path, caplog, how: str) -> None:
    ensure_application()
    write(tmp_path / "bars.csv", "label,value\n甲,1\n")
    write(tmp_path / "show.yaml", SHOW)
    clock = Clock()
    playlist = load_playlist(tmp_path / "show.yaml")
    player = Player(playlist, clock=lambda: clock.now, wall=lambda: clock.wall)
    window = ShowWindow(player, slide_context(playlist), build=faulty_builder("two", how))
    qtbot.addWidget(window)
    window.show_on(None, fullscreen=False, size=(640, 360))
    player.start()
    caplog.set_level(logging.ERROR)
    player.next()
    qtbot.waitUntil(lambda: player.current.id == "chart", timeout=3000)
    window.repaint()
    assert window.view.model.id == "chart"
    assert "injected" in caplog.text
    assert "Traceback" in caplog.text  # logged with its traceback
    player.next()  # the end of the loop: 'two' gets another try
    assert 1 in player.order
    window.quit()


# ---------------------------------------------------------------- logging and watchdog


def test_log_file_in_the_user_log_folder(tmp_path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = setup_logging("info", tmp_path / "logs")
        logging.getLogger("kiosk.test").info("hello from the test")
        for handler in root.handlers:
            handler.flush()
        assert path == tmp_path / "logs" / "kiosk.log"
        assert "hello from the test" in path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_disk_full_while_logging_says_so_once_and_goes_on(capsys) -> None:
    handler = SafeRotatingFileHandler("/dev/full", maxBytes=0)
    logger = logging.getLogger("kiosk.diskfull")
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        for _ in range(5):
            logger.error("a line that cannot be written")
    finally:
        if handler in root.handlers:
            root.removeHandler(handler)
    err = capsys.readouterr().err
    assert err.count("cannot write the log file /dev/full") == 1
    assert "Traceback" not in err
    assert handler not in root.handlers


def test_watchdog_exits_when_the_gui_freezes(tmp_path) -> None:
    code = textwrap.dedent(
        """
        import os, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        from PySide6.QtCore import QTimer
        from kiosk.system import Watchdog
        app = QApplication([])
        dog = Watchdog(timeout=2)
        dog.start()
        QTimer.singleShot(300, lambda: time.sleep(30))  # the GUI thread hangs
        app.exec()
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    # Ended by the watchdog's signal once every thread's stack is written (tests/qt/test_watchdog.py)
    assert result.returncode == -Watchdog.DUMP_SIGNAL
    assert "frozen" in result.stderr
    assert "Current thread" in result.stderr  # no log file here: the stacks go to stderr


def test_second_instance_on_the_same_screen_is_refused(tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path)}
    first = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--quit-after", "20", "--size", "320x180"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        log_file = tmp_path / "kiosk" / "kiosk.log"
        deadline = 30
        import time

        started = time.monotonic()
        while time.monotonic() - started < deadline:
            if log_file.exists() and "playing" in log_file.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        second = subprocess.run(
            [sys.executable, "-m", "kiosk", "--quit-after", "1", "--size", "320x180"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert f"kiosk pid {first.pid} is already playing on screen" in second.stderr
    finally:
        first.kill()
        first.communicate(timeout=10)


def test_the_same_screen_name_on_two_displays_is_two_screens(qtbot, monkeypatch) -> None:
    """Two X servers both call their first screen "screen": each may have its own kiosk,
    while a second kiosk on the same display and screen is still refused."""
    from kiosk.system import SingleInstance

    monkeypatch.setenv("USER", f"test-{os.getpid()}")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":91")
    first = SingleInstance("screen")
    monkeypatch.setenv("DISPLAY", ":92")
    other_display = SingleInstance("screen")
    same_again = SingleInstance("screen")
    try:
        assert first.claim() is None
        assert other_display.claim() is None
        assert same_again.claim() is not None
    finally:
        first.server.close()
        other_display.server.close()


def test_the_show_services_start_just_after_the_first_frame(tmp_path) -> None:
    """The watcher, the screensaver inhibitor and the watchdog wait for the first frame
    (the audience should not wait for them), and then do start: an edit made while the
    real app runs is taken in."""
    show = tmp_path / "show.yaml"
    show.write_text("slides:\n  - {type: title, title: 第一版, duration: 1s}\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", str(show), "--quit-after", "6", "--size", "320x180"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    import time

    time.sleep(2.5)
    show.write_text("slides:\n  - {type: title, title: 第二版, duration: 1s}\n", encoding="utf-8")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    lines = stderr.splitlines()
    playing = next(i for i, line in enumerate(lines) if "playing" in line)
    screensaver = next(i for i, line in enumerate(lines) if "screensaver" in line.lower())
    assert playing < screensaver
    assert any("playlist changed on disk" in line for line in lines[screensaver:]), stderr


def test_one_display_written_three_ways_is_one_screen(qtbot, monkeypatch) -> None:
    """':0', ':0.0' and 'unix:0' are the same X server: a second kiosk is refused."""
    from kiosk.system import SingleInstance

    monkeypatch.setenv("USER", f"test-{os.getpid()}")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":93")
    first = SingleInstance("screen")
    try:
        assert first.claim() is None
        for same in (":93.0", "unix:93", "unix:93.1"):
            monkeypatch.setenv("DISPLAY", same)
            assert SingleInstance("screen").claim() is not None, same
        monkeypatch.setenv("DISPLAY", "otherhost:93")
        elsewhere = SingleInstance("screen")
        assert elsewhere.claim() is None
        elsewhere.server.close()
    finally:
        first.server.close()


def test_a_relative_xdg_state_home_is_ignored(monkeypatch, tmp_path) -> None:
    from kiosk.system import log_folder

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")
    assert log_folder() == tmp_path / ".local" / "state" / "kiosk"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "abs"))
    assert log_folder() == tmp_path / "abs" / "kiosk"


XSET_Q = """Keyboard Control:
  auto repeat:  on    key click percent:  0    LED mask:  00000000
Screen Saver:
  prefer blanking:  %s    allow exposures:  yes
  timeout:  %d    cycle:  %d
Colors:
  default colormap:  0x20    BlackPixel:  0x0    WhitePixel:  0xffffff
%s"""


def test_xset_settings_are_read_and_put_back_exactly() -> None:
    from kiosk.system import xset_settings

    off = xset_settings(XSET_Q % ("no", 0, 600, "DPMS (Energy Star):\n  Standby: 600\n  DPMS is Disabled\n"))
    assert off is not None
    assert off.restore_args() == ["s", "0", "600", "s", "noblank", "-dpms"]
    on = xset_settings(XSET_Q % ("yes", 321, 123, "DPMS (Energy Star):\n  DPMS is Enabled\n  Monitor is On\n"))
    assert on is not None
    assert on.restore_args() == ["s", "321", "123", "s", "blank", "+dpms"]
    bare = xset_settings(XSET_Q % ("yes", 600, 600, "Server does not have the DPMS Extension\n"))
    assert bare is not None
    assert bare.restore_args() == ["s", "600", "600", "s", "blank"]  # DPMS left alone
    assert xset_settings("xset:  unable to open display") is None
