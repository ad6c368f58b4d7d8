"""Proof of play (kiosk/playlog.py): a simulated week of a scheduled playlist on an injected
clock, then `kiosk report` on its logs; rotation by day, the size and file-count bounds,
a real full disk, and what one line costs."""

from __future__ import annotations

import csv
import io
import json
import shlex
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.player import Player
from kiosk.playlog import DayFiles, PlayLogger, playlist_version

from .helpers import load

WEEK_SHOW = """
title: 一周
defaults: {duration: 60s}
slides:
  - {type: title, title: 欢迎, id: welcome, duration: 10s}
  - {type: stat, label: 破案率, value: 99.2, unit: "%"}
  - {type: title, title: 办公时间, id: office, duration: 30s, when: {days: [mon, tue, wed, thu, fri], hours: "08:00-18:00"}}
  - {type: text, heading: 晚间, body: 晚上好, id: evening, duration: 45s, when: {hours: "18:00-22:00"}}
"""
DURATIONS = {"welcome": 10.0, "2": 60.0, "office": 30.0, "evening": 45.0}
MONDAY = datetime(2024, 1, 8, 0, 0)  # a Monday
WEEK = 7 * 24 * 3600.0


class WeekClock:
    """Monotonic seconds and local wall time that move together, only when told."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.now)


def run_show(player: Player, clock: WeekClock, end: float, events: dict[float, Callable[[], None]]) -> None:
    """Let the show run until `end` as the window's timers would drive it: wake at the end
    of each slide's time, at each schedule change, and for each scripted key press."""
    pending = sorted(events)
    while clock.now < end:
        snapshot = player.snapshot()
        wakes = [end]
        if snapshot.time_left is not None:
            wakes.append(clock.now + snapshot.time_left)
        if snapshot.next_schedule_change is not None:
            wakes.append(clock.now + (snapshot.next_schedule_change - clock.wall()).total_seconds())
        if pending:
            wakes.append(pending[0])
        clock.now = min(wakes)
        if pending and pending[0] <= clock.now:
            events[pending.pop(0)]()
        player.refresh_schedule()
        player.tick()


def read_lines(folder: Path) -> dict[str, list[dict[str, object]]]:
    return {
        path.name: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for path in sorted(folder.glob("plays-*.jsonl"))
    }


@pytest.fixture(scope="module")
def week(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, list[dict[str, object]]], float, str]:
    """A week and a bit of the show, with a pause, a black screen and key presses."""
    folder = tmp_path_factory.mktemp("week")
    playlist = load(folder, WEEK_SHOW)
    clock = WeekClock(MONDAY)
    player = Player(playlist, clock=clock.clock, wall=clock.wall)
    logger = PlayLogger(DayFiles(folder / "plays"), screen="HDMI-1", clock=clock.clock, wall=clock.wall)
    player.subscribe(logger)
    player.start()
    logger.join(player.snapshot())
    day = 24 * 3600.0
    events = {
        day + 10 * 3600 + 5: lambda: player.set_paused(True),  # Tuesday 10:00:05, for 90 s
        day + 10 * 3600 + 95: lambda: player.set_paused(False),
        2 * day + 12 * 3600 + 3: player.toggle_black,  # Wednesday 12:00:03, for 20 s
        2 * day + 12 * 3600 + 23: player.toggle_black,
        3 * day + 9 * 3600 + 2: player.next,  # Thursday: three people at the keys
        3 * day + 9 * 3600 + 4: player.previous,
        3 * day + 9 * 3600 + 7: lambda: player.go_to("welcome"),
    }
    end = WEEK + 3600
    run_show(player, clock, end, events)
    logger.close()
    return folder, read_lines(folder / "plays"), end, playlist_version(playlist.path)


def all_lines(logs: dict[str, list[dict[str, object]]]) -> list[dict[str, object]]:
    return [line for lines in logs.values() for line in lines]


def test_a_week_is_logged_without_gaps_or_overlaps(week) -> None:
    _, logs, end, version = week
    lines = all_lines(logs)
    assert len(lines) > 5000
    # every second of the week was on some slide's line, once
    assert sum(line["seconds"] for line in lines) == pytest.approx(end, abs=1e-6)
    starts = [datetime.fromisoformat(str(line["start"])) for line in lines]
    assert starts == sorted(starts)
    assert {line["screen"] for line in lines} == {"HDMI-1"}
    assert {line["playlist"] for line in lines} == {version}
    assert len(version) == 12
    assert lines[-1]["end"] == "quit"
    assert {line["slide"] for line in lines} == {"welcome", 2, "office", "evening"}


def test_one_file_per_day_by_the_day_the_slide_started(week) -> None:
    _, logs, _, _ = week
    days = [(MONDAY + timedelta(days=n)).date().isoformat() for n in range(8)]
    assert list(logs) == [f"plays-{day}.jsonl" for day in days]
    for name, lines in logs.items():
        assert {str(line["start"])[:10] for line in lines} == {name[6:16]}


def test_slides_last_their_durations_and_schedules_hold(week) -> None:
    _, logs, _, _ = week
    for line in all_lines(logs):
        shown = float(line["seconds"]) - float(line["paused_seconds"])
        duration = DURATIONS[str(line["slide"])]
        start = datetime.fromisoformat(str(line["start"])).replace(tzinfo=None)
        if line["slide"] == "office":
            assert start.weekday() < 5 and 8 <= start.hour < 18
        if line["slide"] == "evening":
            assert 18 <= start.hour < 22
        if line["end"] != "auto" or line["blacked"]:
            continue
        if line["slide"] in ("welcome", 2):
            assert shown == duration  # exactly, to the millisecond
        else:  # a scheduled slide may be cut short when its window closes, at the hour
            ended = start + timedelta(seconds=shown)
            assert shown == duration or (ended.minute, ended.second) == (0, 0)


def test_pause_black_and_keys_are_recorded(week) -> None:
    _, logs, _, _ = week
    lines = all_lines(logs)
    paused = [line for line in lines if line["paused_seconds"]]
    assert [line["paused_seconds"] for line in paused] == [90.0]
    assert paused[0]["seconds"] == DURATIONS[str(paused[0]["slide"])] + 90
    blacked = [line for line in lines if line["blacked"]]
    assert len(blacked) == 1
    assert blacked[0]["seconds"] == DURATIONS[str(blacked[0]["slide"])] + 20  # black holds the time
    manual = [line for line in lines if line["end"] == "manual"]
    assert len(manual) == 3
    ends = [
        datetime.fromisoformat(str(line["start"])) + timedelta(seconds=float(line["seconds"]))
        for line in manual
    ]
    assert [end.strftime("%a %H:%M:%S") for end in ends] == ["Thu 09:00:02", "Thu 09:00:04", "Thu 09:00:07"]


def test_report_totals_match_the_log_to_the_second(week, capsys: pytest.CaptureFixture[str]) -> None:
    folder, logs, _, _ = week
    expected: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for line in all_lines(logs):
        tally = expected[(str(line["start"])[:10], str(line["slide"]))]
        tally[0] += 1
        tally[1] += float(line["seconds"])
    assert cli.main(["report", str(folder / "plays"), "--csv"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["date", "slide", "label", "times shown", "seconds shown"]
    got = {(row[0], row[1]): [int(row[3]), float(row[4])] for row in rows[1:]}
    assert got.keys() == expected.keys()
    for key, (shown, seconds) in expected.items():
        assert got[key][0] == shown
        assert got[key][1] == pytest.approx(seconds, abs=0.001)
    # and from the playlist: on Monday nobody touched the show, so 10 s x times shown
    monday = {slide: values for (day, slide), values in got.items() if day == "2024-01-08"}
    assert monday["welcome"][1] == 10 * monday["welcome"][0]
    assert monday["2"][1] == 60 * monday["2"][0]
    labels = {row[1]: row[2] for row in rows[1:]}
    assert labels == {"welcome": "欢迎", "2": "破案率", "office": "办公时间", "evening": "晚间"}


def test_report_from_until_keeps_those_days(week, capsys: pytest.CaptureFixture[str]) -> None:
    folder, _, _, _ = week
    code = cli.main(
        ["report", str(folder / "plays"), "--csv", "--from", "2024-01-09", "--until", "2024-01-10"]
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert {row[0] for row in rows} == {"2024-01-09", "2024-01-10"}


# ---------------------------------------------------------------- the files' bounds

RECORD = {"start": "x", "slide": "s", "seconds": 1.0}


def test_the_oldest_day_files_go_beyond_the_bound(tmp_path: Path) -> None:
    files = DayFiles(tmp_path, max_day_files=5)
    first = date(2026, 1, 1)
    for n in range(8):
        assert files.append(first + timedelta(days=n), RECORD)
    (tmp_path / "notes.txt").write_text("not a day file")
    assert [p.name for p in files.day_files()] == [f"plays-2026-01-0{n}.jsonl" for n in range(4, 9)]
    assert (tmp_path / "notes.txt").exists()  # only its own files are deleted


def test_a_full_day_drops_lines_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    files = DayFiles(tmp_path, max_day_bytes=1000)
    day = date(2026, 3, 1)
    written = [files.append(day, {**RECORD, "n": n}) for n in range(100)]
    assert written.count(True) == 1000 // len(json.dumps({**RECORD, "n": 10}, separators=(",", ":")))
    assert not any(written[written.index(False) :])  # once full, full for the day
    assert files.path(day).stat().st_size <= 1000
    warnings = [r for r in caplog.records if "reached 1000 bytes" in r.getMessage()]
    assert len(warnings) == 1
    assert files.append(day + timedelta(days=1), RECORD)  # the next day starts a new file


def test_an_unwritable_folder_is_logged_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "plays"
    blocker.write_text("a file where the folder should be")
    files = DayFiles(blocker)
    assert not any(files.append(date(2026, 3, 1), RECORD) for _ in range(5))
    assert len([r for r in caplog.records if "cannot write" in r.getMessage()]) == 1


FULL_DISK_SCRIPT = """
import json, logging, os, sys
from datetime import date
from pathlib import Path
from kiosk.playlog import DayFiles
warnings = []
class Keep(logging.Handler):
    def emit(self, record): warnings.append(record.getMessage())
logging.getLogger("kiosk.playlog").addHandler(Keep())
disk = Path(sys.argv[1])
(disk / "filler").write_bytes(b"x" * 40000)
files = DayFiles(disk / "plays")
record = {"start": "2026-03-01T10:00:00.000+00:00", "slide": "s", "label": "一" * 60, "seconds": 10.0}
results = [files.append(date(2026, 3, 1), {**record, "n": n}) for n in range(300)]
(disk / "filler").unlink()  # someone makes room
after = files.append(date(2026, 3, 1), {**record, "n": "after"})
print(json.dumps({"results": results, "after": after, "warnings": warnings,
                  "text": files.path(date(2026, 3, 1)).read_text(encoding="utf-8")}))
"""


def test_a_full_disk_loses_lines_whole_and_never_raises(tmp_path: Path) -> None:
    """On a real 64 KB tmpfs (a private mount: unshare, no root needed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "fill.py"
    script.write_text(FULL_DISK_SCRIPT)
    command = f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(disk))} && {shlex.quote(sys.executable)} {shlex.quote(str(script))} {shlex.quote(str(disk))}"
    result = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    results = report["results"]
    assert True in results and False in results  # it filled up partway
    assert not any(results[results.index(False) :])
    assert len([w for w in report["warnings"] if "cannot write" in w]) == 1
    lines = report["text"].splitlines()
    assert report["text"].endswith("\n")
    numbers = [json.loads(line)["n"] for line in lines]  # every line whole: no half line glued on
    assert numbers == [*range(results.count(True)), "after"]
    assert report["after"] is True


def test_a_line_costs_well_under_a_frame(tmp_path: Path) -> None:
    """One open/append/close per slide change: measured, printed, and bounded loosely
    (the machine may be busy); a frame at 60 Hz is 16.7 ms."""
    files = DayFiles(tmp_path)
    record = {
        "start": "2026-03-01T10:00:00.000+08:00",
        "slide": "clearance-rate",
        "number": 12,
        "type": "stat",
        "label": "八类案件破案率",
        "seconds": 8.0,
        "paused_seconds": 0.0,
        "blacked": False,
        "screen": "HDMI-1",
        "playlist": "0123456789ab",
        "end": "auto",
    }
    costs = []
    for _ in range(2000):
        began = time.perf_counter()
        files.append(date(2026, 3, 1), record)
        costs.append(time.perf_counter() - began)
    costs.sort()
    median, p99 = costs[len(costs) // 2], costs[int(len(costs) * 0.99)]
    print(f"play log line: median {median * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us")
    assert median < 0.002
    assert p99 < 0.016


def test_a_listener_logs_a_slide_when_it_leaves(tmp_path: Path) -> None:
    playlist = load(tmp_path, WEEK_SHOW)
    clock = WeekClock(datetime(2026, 3, 2, 9, 0))
    player = Player(playlist, clock=clock.clock, wall=clock.wall)
    logger = PlayLogger(DayFiles(tmp_path / "plays"), screen="DP-1", clock=clock.clock, wall=clock.wall)
    player.subscribe(logger)
    player.start()
    clock.now = 4.0
    assert not (tmp_path / "plays").exists()  # nothing until the slide leaves
    player.next()
    logs = read_lines(tmp_path / "plays")
    assert logs == {
        "plays-2026-03-02.jsonl": [
            {
                "start": datetime(2026, 3, 2, 9, 0).astimezone().isoformat(timespec="milliseconds"),
                "slide": "welcome",
                "number": 1,
                "type": "title",
                "label": "欢迎",
                "seconds": 4.0,
                "paused_seconds": 0.0,
                "blacked": False,
                "screen": "DP-1",
                "playlist": playlist_version(playlist.path),
                "end": "manual",
            }
        ]
    }


def test_a_reload_that_keeps_the_slide_keeps_its_line(tmp_path: Path) -> None:
    playlist = load(tmp_path, WEEK_SHOW)
    clock = WeekClock(datetime(2026, 3, 2, 9, 0))
    player = Player(playlist, clock=clock.clock, wall=clock.wall)
    logger = PlayLogger(DayFiles(tmp_path / "plays"), clock=clock.clock, wall=clock.wall)
    player.subscribe(logger)
    player.start()
    clock.now = 3.0
    player.replace_playlist(load(tmp_path, WEEK_SHOW.replace("晚上好", "晚安")))
    clock.now = 10.0
    player.tick()
    logger.close()
    lines = all_lines(read_lines(tmp_path / "plays"))
    assert [(line["slide"], line["seconds"], line["end"]) for line in lines] == [
        ("welcome", 10.0, "auto"),
        (2, 0.0, "quit"),
    ]
    assert lines[0]["playlist"] != lines[1]["playlist"]  # the edition that was on air


def test_play_log_status_and_report_import_no_qt() -> None:
    """They run beside the show and in the command line: Qt only where a timer is needed
    (the show's glue in kiosk/app.py)."""
    code = "import sys, kiosk.playlog, kiosk.status, kiosk.report; assert 'PySide6' not in sys.modules, sorted(sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
