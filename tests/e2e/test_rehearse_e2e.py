"""`kiosk rehearse show.yaml --write` as a separate process on Xvfb, driven by xdotool the
way the presenter's clicker would: nothing moves on by itself, Next on the last slide ends
the rehearsal, the report is printed and the rehearsed seconds are written into the file."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from .xvfb import close_to, screenshot, wait_for, x_env, xdotool, xvfb

pytestmark = pytest.mark.e2e

COLORS = ["#c0392b", "#27ae60", "#2980b9"]
PLAYLIST = """\
# rehearsal e2e: comments and layout must survive --write
title: rehearsal e2e
defaults: {duration: 1s, transition: none}   # would advance within a second if it could
slides:
  - type: title   # the opening
    id: opening
    title: 开场
    background: "#c0392b"
  - {type: title, id: skipped-over, title: 二, background: "#27ae60", duration: 7s}
  - {type: title, id: closing, title: 三, background: "#2980b9"}
"""


def test_rehearse_times_the_slides_and_writes_the_durations(tmp_path) -> None:
    playlist = tmp_path / "show.yaml"
    playlist.write_text(PLAYLIST, encoding="utf-8")
    env = {**x_env(":0"), "XDG_STATE_HOME": str(tmp_path / "state")}
    with xvfb(1280, 720) as display:
        env.update(x_env(display))
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "rehearse", str(playlist), "--write"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:

            def color_now():
                return screenshot(display, tmp_path / "shot.png").pixelColor(40, 360)

            # A first start on a loaded CI machine has taken over 20 s once (the first
            # e2e start after the build tests): wait longer for it, failing early if it ends.
            wait_for(lambda: close_to(color_now(), COLORS[0]), timeout=60, message="the first slide", process=process)
            shown = time.monotonic()
            time.sleep(3.0)  # three times its planned second: a rehearsal does not move on
            assert close_to(color_now(), COLORS[0]), "the first slide moved on by itself"
            xdotool(display, "key", "End")  # straight to the last: the second is never shown
            wait_for(lambda: close_to(color_now(), COLORS[2]), message="the last slide after End", process=process)
            first_seconds = time.monotonic() - shown
            xdotool(display, "key", "Right")  # Next on the last slide: the rehearsal is over
            assert process.wait(timeout=20) == 0
        finally:
            if process.poll() is None:
                process.kill()
            out, err = process.communicate(timeout=10)
    assert "Traceback" not in err, err
    assert "never shown (their duration is left alone): slides 2" in out, out
    assert f"durations written to {playlist}" in out
    lines = playlist.read_text(encoding="utf-8").splitlines()
    original = PLAYLIST.splitlines()
    written = lines[6].strip()  # after type: and id:
    assert written.startswith("duration: ") and written.endswith("s"), lines
    seconds = int(written.removeprefix("duration: ").removesuffix("s"))
    assert 3 <= seconds <= round(first_seconds) + 1  # measured by the show, not by the plan
    assert lines[:6] == original[:6]  # the comments and keys before it, as they were
    assert lines[7:10] == original[6:9]
    assert lines[10].startswith("  - {type: title, id: closing, duration: ")  # at least 1 s
    assert lines[10].endswith('s, title: 三, background: "#2980b9"}')
    assert len(lines) == len(original) + 1
