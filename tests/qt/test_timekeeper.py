"""The timekeeper wakes the show when a slide's time is up (found by the proof-of-play
tests: a timer that fired a hair early was armed again for the whole slide, so a 2 s
slide stayed 4 s)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from kiosk.app import ensure_application
from kiosk.player import Player
from kiosk.playlist import load_playlist_text
from kiosk.timekeeper import Timekeeper

SHOW = "defaults: {duration: 2s}\nslides:\n  - {type: title, title: 一}\n  - {type: title, title: 二}\n"


class Clock:
    now = 50.0

    def __call__(self) -> float:
        return self.now


def test_a_tick_that_comes_early_is_armed_for_what_is_left(qtbot) -> None:
    ensure_application()
    clock = Clock()
    player = Player(load_playlist_text(SHOW), clock=clock)
    owner = QObject()
    keeper = Timekeeper(player, owner)
    player.subscribe(lambda snapshot: keeper.follow(snapshot, new_slide=True))
    player.start()
    assert 1900 <= keeper._tick_timer.remainingTime() <= 2100  # Qt's coarse timers: 5 %
    clock.now += 1.98  # the timer fires 20 ms early: the slide's time is not quite up
    keeper._tick()
    assert player.snapshot().position == 0, "too early to move on"
    assert keeper._tick_timer.remainingTime() <= 100, "armed for the 20 ms left, not for 2 s"
    clock.now += 0.02
    keeper._tick()
    assert player.snapshot().position == 1
