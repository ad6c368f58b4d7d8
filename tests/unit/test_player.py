"""The show's state machine, on an injected clock: no waiting in real time."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.player import Change, Move, Player

from .helpers import load


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.wall = datetime(2024, 1, 10, 12, 0)

    def advance(self, seconds: float, player: Player | None = None) -> None:
        """Let time pass, ticking the player as the window's timer would."""
        step = 0.05
        while seconds > 1e-9:
            delta = min(step, seconds)
            self.now += delta
            seconds -= delta
            if player is not None:
                player.tick()


SHOW = """
defaults: {duration: 10s}
slides:
  - {type: title, title: one, id: one}
  - {type: title, title: two, id: two, duration: 5s}
  - {type: title, title: three, id: three}
  - {type: title, title: skipped, skip: true}
  - {type: title, title: evening, id: evening, when: {hours: "18:00-23:00"}}
"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def player(tmp_path, clock: FakeClock) -> Player:
    show = Player(load(tmp_path, SHOW), clock=lambda: clock.now, wall=lambda: clock.wall)
    show.start()
    return show


def ids(player: Player) -> list[str | None]:
    return [player.playlist.slides[i].id for i in player.order]


def test_start_plans_the_rotation(player: Player) -> None:
    assert ids(player) == ["one", "two", "three"]  # skipped and out-of-window slides left out
    assert player.current.id == "one"
    assert player.time_left() == pytest.approx(10.0)


def test_slides_advance_on_their_durations_and_loop(player: Player, clock: FakeClock) -> None:
    seen = []
    player.subscribe(lambda change: seen.append(change.slide.id))
    clock.advance(9.9, player)
    assert player.current.id == "one"
    clock.advance(0.2, player)
    assert player.current.id == "two"
    clock.advance(5.0, player)
    assert player.current.id == "three"
    clock.advance(10.1, player)
    assert player.current.id == "one"
    assert seen == ["two", "three", "one"]


def test_no_loop_stops_on_the_last_slide(tmp_path, clock: FakeClock) -> None:
    show = Player(load(tmp_path, SHOW), clock=lambda: clock.now, wall=lambda: clock.wall, loop=False)
    show.start()
    clock.advance(60, show)
    assert show.current.id == "three"
    assert show.ended
    assert show.time_left() is None
    show.previous()
    assert show.current.id == "two"
    assert not show.ended


def test_manual_move_restarts_the_slide_time(player: Player, clock: FakeClock) -> None:
    clock.advance(8, player)
    player.next()
    assert player.current.id == "two"
    assert player.time_left() == pytest.approx(5.0)  # the show goes on from here (reveal.js #973)
    player.previous()
    assert player.current.id == "one"
    player.previous()
    assert player.current.id == "three"  # previous from the first wraps when looping
    player.next()
    assert player.current.id == "one"


def test_first_last_and_go_to(player: Player) -> None:
    player.last()
    assert player.current.id == "three"
    player.first()
    assert player.current.id == "one"
    assert player.go_to(2)
    assert player.current.id == "two"
    assert player.go_to("three")
    assert player.current.id == "three"
    assert not player.go_to(9)
    assert not player.go_to("nope")
    assert player.current.id == "three"


def test_pause_holds_the_time_and_navigation_still_works(player: Player, clock: FakeClock) -> None:
    clock.advance(4, player)
    player.toggle_pause()
    clock.advance(100, player)
    assert player.current.id == "one"
    assert player.time_left() is None
    assert player.progress() == pytest.approx(0.4)
    player.next()  # navigating while paused moves, and stays paused (reveal.js #3129)
    assert player.current.id == "two"
    assert player.paused
    clock.advance(100, player)
    assert player.current.id == "two"
    player.toggle_pause()
    assert player.time_left() == pytest.approx(5.0)
    clock.advance(5.1, player)
    assert player.current.id == "three"


def test_black_screen_holds_the_time(player: Player, clock: FakeClock) -> None:
    clock.advance(6, player)
    player.toggle_black()
    assert player.blacked
    clock.advance(30, player)
    assert player.current.id == "one"
    player.toggle_black()
    assert player.time_left() == pytest.approx(4.0)


def test_schedule_window_opens_while_running(player: Player, clock: FakeClock) -> None:
    clock.wall = datetime(2024, 1, 10, 18, 30)
    player.refresh_schedule()
    assert ids(player) == ["one", "two", "three", "evening"]
    assert player.current.id == "one"  # the current slide stays


def test_schedule_window_closes_on_the_current_slide(tmp_path, clock: FakeClock) -> None:
    clock.wall = datetime(2024, 1, 10, 19, 0)
    show = Player(load(tmp_path, SHOW), clock=lambda: clock.now, wall=lambda: clock.wall)
    show.start("evening")
    assert show.current.id == "evening"
    changes: list[Change] = []
    show.subscribe(changes.append)
    clock.wall = datetime(2024, 1, 10, 23, 30)
    show.refresh_schedule()
    assert show.current.id == "one"
    assert changes[-1].move is Move.NEXT


def test_nothing_on_air(tmp_path, clock: FakeClock) -> None:
    text = "slides:\n  - {type: title, title: x, when: {hours: '08:00-09:00'}}\n"
    show = Player(load(tmp_path, text), clock=lambda: clock.now, wall=lambda: clock.wall)
    show.start()
    assert show.current is None
    assert show.time_left() is None
    show.next()  # no crash, still nothing
    assert show.current is None
    clock.wall = datetime(2024, 1, 11, 8, 30)
    show.refresh_schedule()
    assert show.current.title == "x"


def test_start_at_number_or_id(tmp_path, clock: FakeClock) -> None:
    show = Player(load(tmp_path, SHOW), clock=lambda: clock.now, wall=lambda: clock.wall)
    show.start("3")
    assert show.current.id == "three"
    show.start("two")
    assert show.current.id == "two"


def test_replace_playlist_keeps_the_current_slide_by_id(player: Player, tmp_path) -> None:
    player.go_to("three")
    new = load(
        tmp_path, "slides:\n  - {type: title, title: new, id: new}\n  - {type: title, title: 3, id: three}\n"
    )
    player.replace_playlist(new)
    assert player.current.id == "three"
    assert player.position == 1


def test_replace_playlist_keeps_position_without_id(player: Player, tmp_path) -> None:
    player.go_to(3)
    new = load(tmp_path, "slides:\n  - {type: title, title: a}\n  - {type: title, title: b}\n")
    player.replace_playlist(new)
    assert player.current.title == "b"  # position 3 no longer exists: the last one


def test_broken_slide_is_skipped_until_the_next_loop(player: Player, clock: FakeClock) -> None:
    player.next()
    assert player.current.id == "two"
    player.mark_broken(player.current_index)
    assert player.current.id == "three"
    assert ids(player) == ["one", "two", "three"]  # still planned: order unchanged this loop
    clock.advance(10.1, player)
    assert player.current.id == "one"
    assert ids(player) == ["one", "two", "three"]  # retried on the next loop


def test_manual_advance_never_moves_on_but_time_counts_and_next_ends(tmp_path, clock: FakeClock) -> None:
    """`kiosk rehearse`: no slide leaves by itself; Next on the last one ends the show."""
    show = Player(
        load(tmp_path, SHOW),
        clock=lambda: clock.now,
        wall=lambda: clock.wall,
        loop=False,
        auto_advance=False,
    )
    show.start()
    clock.advance(60.0, show)  # six times the slide's 10 s, ticked all along
    assert show.current.id == "one"
    assert show.elapsed() == pytest.approx(60.0)
    assert show.time_left() is None  # nothing advances: the window arms no timer
    show.next()
    show.next()
    assert show.current.id == "three" and not show.ended
    show.next()
    assert show.ended and show.current.id == "three"
    assert show.snapshot().ended
