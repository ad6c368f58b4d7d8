"""status.json (kiosk/status.py): its content against a snapshot, when it is written (on
changes that matter, at most once a second, every minute), atomic replacement under a
reader, and the show's wiring (kiosk/app.py ShowServices) with real Qt timers."""

from __future__ import annotations

import json
import os
import socket
import textwrap
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.playlog import playlist_version
from kiosk.status import MIN_INTERVAL, REFRESH_INTERVAL, StatusPublisher, StatusWriter, write_atomically

SHOW = """
title: 大厅
defaults: {duration: 10s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: stat, label: 破案率, value: 99.2, unit: "%"}
  - {type: title, title: 晚间, id: evening, when: {hours: "18:00-22:00"}}
"""


class Clocks:
    def __init__(self) -> None:
        self.now = 100.0
        self.start = datetime(2026, 3, 2, 12, 0)

    def clock(self) -> float:
        return self.now

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.now - 100.0)


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def player(tmp_path: Path, clocks: Clocks) -> Player:
    path = tmp_path / "show" / "show.yaml"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(SHOW), encoding="utf-8")
    show = Player(load_playlist(path), clock=clocks.clock, wall=clocks.wall)
    show.start()
    return show


class CountingWriter(StatusWriter):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.writes: list[float] = []

    def write(self, snapshot) -> bool:
        self.writes.append(self.clock())
        return super().write(snapshot)


class Alarm:
    """The single wake-up the publisher asks for, fired by the test."""

    def __init__(self, clocks: Clocks) -> None:
        self.clocks = clocks
        self.due: float | None = None
        self.publisher: StatusPublisher | None = None

    def arm(self, seconds: float) -> None:
        self.due = self.clocks.now + seconds

    def run_until(self, moment: float) -> None:
        """Let time pass to `moment`, firing the alarm whenever it is due."""
        assert self.publisher is not None
        while self.due is not None and self.due <= moment:
            self.clocks.now = max(self.clocks.now, self.due)
            self.due = None
            self.publisher.wake()
        self.clocks.now = moment


def test_content_says_what_the_snapshot_says(tmp_path: Path, player: Player, clocks: Clocks) -> None:
    writer = StatusWriter(
        tmp_path / "state",
        screen="HDMI-1",
        source=Path("/srv/show.yaml"),
        clock=clocks.clock,
        wall=clocks.wall,
    )
    player.subscribe(writer.observe)
    clocks.now += 4.0
    player.next()
    player.set_problems(["show.yaml:3:5: unknown key 'duraton'"])
    assert writer.write(player.snapshot())
    status = json.loads((tmp_path / "state" / "status.json").read_text(encoding="utf-8"))
    disk = status.pop("disk_free_bytes")
    assert isinstance(disk, int) and disk > 0
    assert status == {
        "kiosk": __version__,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "screen": "HDMI-1",
        "started_at": clocks.start.astimezone().isoformat(timespec="milliseconds"),
        "uptime_seconds": 4.0,
        "playlist": {
            "path": str(player.playlist.path),
            "source": "/srv/show.yaml",
            "title": "大厅",
            "version": playlist_version(player.playlist.path),
        },
        "snapshot": {
            "slide": 2,
            "label": "破案率",
            "type": "stat",
            "index": 1,
            "position": 1,
            "count": 2,
            "paused": False,
            "blacked": False,
            "ended": False,
            "time_left": 10.0,
            "next_slide": "one",
            "next_schedule_change": datetime(2026, 3, 2, 18, 0)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "problems": ["show.yaml:3:5: unknown key 'duraton'"],
            "reload_waiting": False,
        },
        "on_air_since": (clocks.start + timedelta(seconds=4)).astimezone().isoformat(timespec="milliseconds"),
        "last_reload": None,
        "written_at": (clocks.start + timedelta(seconds=4)).astimezone().isoformat(timespec="milliseconds"),
    }
    assert len(status["playlist"]["version"]) == 12
    assert (
        status["playlist"]["version"]
        == __import__("hashlib").sha256(player.playlist.path.read_bytes()).hexdigest()[:12]
    )


def publisher_for(
    tmp_path: Path, player: Player, clocks: Clocks
) -> tuple[StatusPublisher, CountingWriter, Alarm]:
    writer = CountingWriter(tmp_path / "state", clock=clocks.clock, wall=clocks.wall)
    alarm = Alarm(clocks)
    publisher = StatusPublisher(writer, arm=alarm.arm, clock=clocks.clock)
    alarm.publisher = publisher
    player.subscribe(publisher)
    publisher(player.snapshot())
    return publisher, writer, alarm


def test_a_burst_of_changes_is_one_write_a_second(tmp_path: Path, player: Player, clocks: Clocks) -> None:
    _, writer, alarm = publisher_for(tmp_path, player, clocks)
    alarm.run_until(clocks.now)
    assert writer.writes == [100.0]  # the first at once
    for step in range(10):  # a presenter hammering the clicker: 10 changes in half a second
        clocks.now = 100.0 + step * 0.05
        player.next()
    assert writer.writes == [100.0]  # never from inside the player's emit
    alarm.run_until(105.0)
    assert writer.writes == [100.0, 100.0 + MIN_INTERVAL]  # the burst, coalesced
    status = json.loads((tmp_path / "state" / "status.json").read_text(encoding="utf-8"))
    assert status["snapshot"]["index"] == player.snapshot().index  # the last state, not a stale one


def test_a_change_after_a_quiet_second_is_written_at_once(
    tmp_path: Path, player: Player, clocks: Clocks
) -> None:
    _, writer, alarm = publisher_for(tmp_path, player, clocks)
    alarm.run_until(103.0)
    player.toggle_black()
    alarm.run_until(103.0)
    player.toggle_black()  # the same second: waits for its turn
    alarm.run_until(110.0)
    assert writer.writes == [100.0, 103.0, 104.0]


def test_a_change_waiting_at_quit_is_written_by_flush(tmp_path: Path, player: Player, clocks: Clocks) -> None:
    publisher, writer, alarm = publisher_for(tmp_path, player, clocks)
    alarm.run_until(100.2)
    player.next()  # its turn would come at 101.0, but kiosk quits first
    publisher.flush()
    assert writer.writes == [100.0, 100.2]
    status = json.loads((tmp_path / "state" / "status.json").read_text(encoding="utf-8"))
    assert status["snapshot"]["slide"] == 2
    publisher.flush()  # nothing waiting: nothing written
    assert writer.writes == [100.0, 100.2]


def test_ticking_seconds_alone_write_once_a_minute(tmp_path: Path, player: Player, clocks: Clocks) -> None:
    _, writer, alarm = publisher_for(tmp_path, player, clocks)
    player.set_paused(True)  # nothing changes on its own while paused
    alarm.run_until(100.0 + 3 * REFRESH_INTERVAL + 1)
    assert writer.writes == [
        100.0,
        100.0 + REFRESH_INTERVAL,
        100.0 + 2 * REFRESH_INTERVAL,
        100.0 + 3 * REFRESH_INTERVAL,
    ]


def test_a_reload_is_noted_when_it_happens(tmp_path: Path, player: Player, clocks: Clocks) -> None:
    _, writer, alarm = publisher_for(tmp_path, player, clocks)
    alarm.run_until(120.0)
    changed = player.playlist.path.with_name("show.yaml")
    changed.write_text(textwrap.dedent(SHOW).replace("大厅", "大堂"), encoding="utf-8")
    player.replace_playlist(load_playlist(changed))
    alarm.run_until(200.0)
    status = json.loads((tmp_path / "state" / "status.json").read_text(encoding="utf-8"))
    assert status["last_reload"] == (clocks.start + timedelta(seconds=20)).astimezone().isoformat(
        timespec="milliseconds"
    )
    assert status["playlist"]["title"] == "大堂"
    assert status["playlist"]["version"] == playlist_version(changed)
    assert writer.writes[:2] == [100.0, 120.0]


def test_a_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    """A reader in a loop while the file is replaced 300 times, short and long."""
    path = tmp_path / "status.json"
    write_atomically(path, json.dumps({"n": -1}))
    stop = threading.Event()
    seen: list[int] = []
    bad: list[str] = []

    def read_loop() -> None:
        while not stop.is_set():
            text = path.read_text(encoding="utf-8")
            try:
                seen.append(json.loads(text)["n"])
            except ValueError:
                bad.append(text[:80])

    reader = threading.Thread(target=read_loop)
    reader.start()
    try:
        for n in range(300):
            write_atomically(path, json.dumps({"n": n, "pad": "x" * (n % 7) * 20000}))
    finally:
        stop.set()
        reader.join()
    assert bad == []
    assert len(seen) > 10 and seen == sorted(seen)  # only whole files, never going back
    assert [p.name for p in tmp_path.iterdir()] == ["status.json"]  # no temporary files left


def test_an_unwritable_state_folder_is_logged_once(
    tmp_path: Path, player: Player, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the folder should be")
    writer = StatusWriter(blocker)
    assert not any(writer.write(player.snapshot()) for _ in range(3))
    assert len([r for r in caplog.records if "cannot write" in r.getMessage()]) == 1


def test_the_show_writes_status_and_plays_with_real_timers(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ShowServices.start_records() as the show calls it after its first frame."""
    from kiosk.app import ShowServices, ensure_application, slide_context
    from kiosk.window import ShowWindow

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    ensure_application()
    path = tmp_path / "show.yaml"
    path.write_text(textwrap.dedent(SHOW), encoding="utf-8")
    playlist = load_playlist(path)
    player = Player(playlist)
    window = ShowWindow(player, slide_context(playlist))
    qtbot.addWidget(window)
    window.show_on(None, fullscreen=False, size=(640, 360))
    player.start()
    services = ShowServices(window, player, source=path)
    services.start_records()
    status_file = tmp_path / "xdg" / "kiosk" / "status.json"
    qtbot.waitUntil(status_file.exists, timeout=3000)
    player.next()
    player.toggle_black()
    qtbot.waitUntil(
        lambda: json.loads(status_file.read_text(encoding="utf-8"))["snapshot"]["blacked"], timeout=3000
    )
    assert json.loads(status_file.read_text(encoding="utf-8"))["snapshot"]["slide"] == 2
    services.stop()
    window.quit()
    plays = list((tmp_path / "xdg" / "kiosk" / "plays").glob("plays-*.jsonl"))
    lines = [json.loads(line) for line in plays[0].read_text(encoding="utf-8").splitlines()]
    assert [(line["slide"], line["end"], line["blacked"]) for line in lines] == [
        ("one", "manual", False),
        (2, "quit", True),
    ]
