"""The real command, end to end: `python -m kiosk show.yaml --windowed --quit-after 4`
leaves status.json and a play log with the slides it showed in its state folder, and
`kiosk report` reads that log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

# 1.5 s slides, so at least two come up within the 4 s even when a slide overstays: the
# window's slide timer may fire a little early, and is then re-armed for a full duration
# (kiosk/timekeeper.py re-arms from the snapshot it already had), so a 2 s first slide
# sometimes stays ~4 s.
SHOW = """title: 短片
defaults: {duration: 1.5s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: stat, label: 破案率, value: 99.2, unit: "%", count_up: false}
  - {type: title, title: 第三, id: three}
"""


def test_a_show_leaves_its_status_and_play_log(tmp_path: Path) -> None:
    playlist = tmp_path / "show.yaml"
    playlist.write_text(SHOW, encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "USER": f"plays-{os.getpid()}",  # its own single-instance lock, whatever else runs
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            str(playlist),
            "--windowed",
            "--size",
            "320x180",
            "--quit-after",
            "4",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    state = tmp_path / "state" / "kiosk"

    status = json.loads((state / "status.json").read_text(encoding="utf-8"))
    assert status["playlist"]["path"] == str(playlist)
    assert status["playlist"]["title"] == "短片"
    assert isinstance(status["screen"], str)  # the offscreen platform names its screen ""
    assert status["snapshot"]["count"] == 3
    assert status["disk_free_bytes"] > 0

    logs = list((state / "plays").glob("plays-*.jsonl"))
    assert [log.name for log in logs] == [f"plays-{datetime.now():%Y-%m-%d}.jsonl"]
    lines = [json.loads(line) for line in logs[0].read_text(encoding="utf-8").splitlines()]
    slides = [line["slide"] for line in lines]
    assert len(slides) >= 2  # the first slide's time ran out within the 4 s
    assert slides == ["one", 2, "three", "one"][: len(slides)]  # in order, none left out
    assert [line["end"] for line in lines] == ["auto"] * (len(lines) - 1) + ["quit"]
    for line in lines[:-1]:
        assert line["seconds"] >= 1.499  # a slide's whole time (by the player's clock), never cut short
    # Every second of the run is on some line: the first slide's line starts with the show
    # (the logger starts after the first frame and counts from when the slide came up).
    assert sum(line["seconds"] for line in lines) == pytest.approx(4.0, abs=0.6)
    assert {line["playlist"] for line in lines} == {status["playlist"]["version"]}
    assert status["snapshot"]["slide"] == slides[-1]  # status.json's last word, at quit

    report = subprocess.run(
        [sys.executable, "-m", "kiosk", "report", str(state / "plays"), "--csv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[0] == "date,slide,label,times shown,seconds shown"
    assert len(report.stdout.splitlines()) == 1 + len(set(slides))
