"""`sync: clock` end to end: two kiosk processes on two X displays, started seconds apart,
show the same slide at the same moment, and again after one was moved by hand and its
hold ran out. What each shows is read from its status.json (`snapshot.slide`, and
`on_air_since`: when the player put the slide on air, to the millisecond)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.clock import MANUAL_HOLD

from .xvfb import wait_for, x_env, xdotool, xvfb

pytestmark = pytest.mark.e2e

#: a 6 s loop of 1.5 s slides: a minute is ten loops and forty changes
SHOW = """title: sync e2e
sync: clock
defaults: {duration: 1.5s, transition: none}
slides:
  - {type: title, title: 一, id: one, background: '#c0392b'}
  - {type: title, title: 二, id: two, background: '#27ae60'}
  - {type: title, title: 三, id: three, background: '#2980b9'}
  - {type: title, title: 四, id: four, background: '#8e44ad'}
"""
#: the contract: screens in step change within this of each other
TOLERANCE = 0.100
#: time between the two starts
STAGGER = 3.3


@dataclass(frozen=True)
class Change:
    slide: str
    at: float  # seconds since the epoch


class Screen:
    """One kiosk process on its own display, with its own state folder."""

    def __init__(self, name: str, display: str, playlist: Path, state: Path) -> None:
        self.name, self.display = name, display
        self.status = state / "kiosk" / "status.json"
        env = {**x_env(display), "XDG_STATE_HOME": str(state), "USER": f"sync-{name}-{os.getpid()}"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", str(playlist)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self.changes: list[Change] = []
        self.err = ""

    def sample(self) -> None:
        """Note the slide on air and when it came on, if that is new."""
        try:
            status = json.loads(self.status.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        slide, since = status["snapshot"]["slide"], status.get("on_air_since")
        if slide is None or since is None:
            return
        change = Change(slide, datetime.fromisoformat(since).timestamp())
        if not self.changes or self.changes[-1] != change:
            self.changes.append(change)

    def on_air_at(self, moment: float) -> str | None:
        before = [c for c in self.changes if c.at <= moment]
        return before[-1].slide if before else None

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate(timeout=10)
        self.err = err
        return err


def sample_for(seconds: float, *screens: Screen) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for screen in screens:
            screen.sample()
        time.sleep(0.05)


def assert_in_step(a: Screen, b: Screen, since: float, until: float) -> int:
    """Every change either screen made in [since, until] has its twin on the other, the
    same slide within TOLERANCE; returns how many were compared (and prints the worst gap)."""
    compared, worst = 0, 0.0
    for one, other in ((a, b), (b, a)):
        for change in (c for c in one.changes if since <= c.at <= until):
            twins = [c for c in other.changes if c.slide == change.slide and abs(c.at - change.at) <= TOLERANCE]
            assert twins, (
                f"{one.name} put {change.slide} on air at {change.at:.3f}; {other.name} did not within "
                f"{TOLERANCE * 1000:.0f} ms: {[(c.slide, round(c.at - change.at, 3)) for c in other.changes]}"
            )
            compared += 1
            worst = max(worst, min(abs(c.at - change.at) for c in twins))
    print(f"sync e2e: {compared} changes compared, worst gap {worst * 1000:.1f} ms")
    return compared


def test_two_screens_started_apart_show_the_same_slide(tmp_path: Path) -> None:
    playlist = tmp_path / "show.yaml"
    playlist.write_text(SHOW, encoding="utf-8")
    with ExitStack() as stack:
        displays = [stack.enter_context(xvfb(640, 360)) for _ in range(2)]
        a = Screen("a", displays[0], playlist, tmp_path / "state-a")
        stack.callback(a.stop)
        wait_for(a.status.exists, timeout=60, message="status.json of the first screen")
        time.sleep(STAGGER)  # the second screen starts seconds later, at another point of a slide
        b = Screen("b", displays[1], playlist, tmp_path / "state-b")
        stack.callback(b.stop)
        wait_for(b.status.exists, timeout=60, message="status.json of the second screen")

        start = time.time()
        sample_for(62.0, a, b)
        compared = assert_in_step(a, b, start, time.time() - 1.0)
        assert compared >= 2 * 35, f"only {compared} changes in a minute of 1.5 s slides"

        # A hand on the second screen's keyboard: it leaves the clock's step ...
        sample_for(0.5, a, b)
        moved_at = time.time()
        xdotool(b.display, "key", "Right")
        sample_for(2.0, a, b)
        apart = [t / 10 for t in range(round(moved_at * 10) + 3, round(moved_at * 10) + 15)]
        assert any(a.on_air_at(t) != b.on_air_at(t) for t in apart), "the key moved nothing"
        # ... holds MANUAL_HOLD seconds, then goes back into step
        sample_for(MANUAL_HOLD - 2.0 + 1.0, a, b)
        released = moved_at + MANUAL_HOLD + 0.5
        sample_for(20.0, a, b)
        compared = assert_in_step(a, b, released, time.time() - 1.0)
        assert compared >= 2 * 10
        for moment in (released + k * 0.25 for k in range(60)):  # the same slide at each moment
            if min(abs(moment - c.at) for c in a.changes) > TOLERANCE:
                assert a.on_air_at(moment) == b.on_air_at(moment), moment

    for screen in (a, b):
        assert screen.process.returncode is not None
        assert "Traceback" not in screen.err, screen.err
