"""The player's state as one immutable snapshot (issue 14): what the window, overlays,
presenter view and control API read, on an injected clock."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from kiosk.player import Move, Player, Snapshot

from .helpers import load
from .test_player import SHOW, FakeClock


@pytest.fixture
def show(tmp_path) -> tuple[Player, FakeClock, list[Snapshot]]:
    clock = FakeClock()
    player = Player(load(tmp_path, SHOW), clock=lambda: clock.now, wall=lambda: clock.wall)
    heard: list[Snapshot] = []
    player.subscribe(heard.append)
    player.start()
    return player, clock, heard


def test_a_snapshot_is_immutable_and_says_what_is_on_air(show) -> None:
    player, clock, heard = show
    first = heard[-1]
    assert first.move is Move.START
    assert (first.slide.id, first.next_slide.id) == ("one", "two")
    assert (first.position, first.index, first.count, first.counter) == (0, 0, 3, "1 / 3")
    assert first.time_left == pytest.approx(10) and first.duration == 10
    assert first.loop_left == pytest.approx(25)  # 10 + 5 + 10: the evening slide is not on air
    assert first.next_schedule_change == datetime(2024, 1, 10, 18, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.paused = True  # type: ignore[misc]
    clock.advance(4)
    assert player.snapshot().time_left == pytest.approx(6)
    assert first.time_left == pytest.approx(10), "a snapshot does not change afterwards"


def test_listeners_hear_a_snapshot_after_every_change(show) -> None:
    player, clock, heard = show
    player.next()
    assert heard[-1].move is Move.NEXT and heard[-1].slide.id == "two"
    player.toggle_pause()
    assert heard[-1].paused and heard[-1].held and heard[-1].time_left is None
    assert heard[-1].loop_left is None
    player.toggle_pause()
    player.toggle_black()
    assert heard[-1].blacked and heard[-1].time_left is None
    player.toggle_black()
    clock.advance(5.1, player)
    assert heard[-1].slide.id == "three"
    assert heard[-1].next_slide.id == "one", "the rotation loops"


def test_the_last_slide_of_a_show_without_loop_has_no_next(tmp_path) -> None:
    clock = FakeClock()
    player = Player(load(tmp_path, SHOW), clock=lambda: clock.now, wall=lambda: clock.wall, loop=False)
    player.start("three")
    snapshot = player.snapshot()
    assert snapshot.next_slide is None
    clock.advance(10.1, player)
    assert player.snapshot().ended and player.snapshot().held


def test_problems_are_part_of_the_state(show) -> None:
    player, _, heard = show
    before = len(heard)
    player.set_problems(["show.yaml:3:5: unknown key 'duraton'"])
    assert heard[-1].problems == ("show.yaml:3:5: unknown key 'duraton'",)
    assert heard[-1].move is Move.STATE
    player.set_problems(["show.yaml:3:5: unknown key 'duraton'"])
    assert len(heard) == before + 1, "the same problems again are no change"
    player.set_problems([])
    assert heard[-1].problems == ()


def test_an_empty_rotation_is_idle(tmp_path) -> None:
    clock = FakeClock()
    clock.wall = datetime(2024, 1, 10, 12, 0)
    text = "slides:\n  - {type: title, title: evening, when: {hours: '18:00-23:00'}}\n"
    player = Player(load(tmp_path, text), clock=lambda: clock.now, wall=lambda: clock.wall)
    player.start()
    snapshot = player.snapshot()
    assert snapshot.slide is None and snapshot.position is None and snapshot.index is None
    assert snapshot.counter == "" and snapshot.next_slide is None
    assert snapshot.next_schedule_change == datetime(2024, 1, 10, 18, 0)
