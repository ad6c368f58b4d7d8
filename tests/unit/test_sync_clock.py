"""`sync: clock`: the slide on air is a function of the wall clock (kiosk/clock.py,
kiosk/player.py), on injected clocks: no waiting in real time."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.clock import MANUAL_HOLD, clock_synchronised, loop_slot, warn_if_unsynchronised
from kiosk.player import Move, Player, Snapshot

from .helpers import load

#: a loop of 10 + 5 + 10 = 25 s; the evening slide joins it from 18:00
SHOW = """
sync: clock
defaults: {duration: 10s}
slides:
  - {type: title, title: one, id: one}
  - {type: title, title: two, id: two, duration: 5s}
  - {type: title, title: three, id: three}
  - {type: title, title: evening, id: evening, when: {hours: "18:00-23:00"}}
"""

#: 2024-01-10 12:00:00 UTC is 1704888000 s after the epoch: 68195520 loops of 25 s exactly
NOON_UTC = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)


class Clocks:
    """A monotonic clock and a wall clock that move together (a screen's two clocks)."""

    def __init__(self, wall: datetime, monotonic: float = 1000.0) -> None:
        self.now = monotonic
        self.wall_start, self.start = wall, monotonic

    def wall(self) -> datetime:
        return self.wall_start + timedelta(seconds=self.now - self.start)

    def advance(self, seconds: float, *players: Player) -> None:
        """Let time pass in steps of 10 ms, ticking each player as its window's timer would."""
        steps = round(seconds * 100)
        for _ in range(steps):
            self.now += 0.01
            for player in players:
                player.tick()


def make_player(tmp_path, clocks: Clocks, text: str = SHOW, **options: object) -> Player:
    player = Player(load(tmp_path, text), clock=lambda: clocks.now, wall=clocks.wall, **options)  # type: ignore[arg-type]
    player.start()
    return player


def on_air(player: Player) -> str | None:
    slide = player.current
    return None if slide is None else slide.id


def test_loop_slot_is_the_time_since_the_epoch_modulo_the_loop() -> None:
    assert loop_slot([10, 5, 10], 0.0) == (0, 0.0, 0)
    assert loop_slot([10, 5, 10], 12.5) == (1, 2.5, 0)
    assert loop_slot([10, 5, 10], 25.0 * 7 + 24.0) == (2, 9.0, 7)
    assert loop_slot([], 100.0) is None
    assert loop_slot([0.0], 100.0) is None


def test_the_slide_on_air_follows_the_clock_from_the_start(tmp_path) -> None:
    clocks = Clocks(NOON_UTC + timedelta(seconds=12.5))  # 12.5 s into a loop
    player = make_player(tmp_path, clocks)
    assert on_air(player) == "two"
    assert player.time_left() == pytest.approx(2.5)
    assert player.elapsed() == pytest.approx(2.5)  # the progress bar shows the slot's time used
    clocks.advance(2.6, player)
    assert on_air(player) == "three"
    clocks.advance(10.0, player)
    assert on_air(player) == "one"  # 25 s: the loop comes round by the clock


def test_screens_started_at_different_times_show_the_same_slide(tmp_path) -> None:
    clocks = Clocks(NOON_UTC + timedelta(seconds=3.0))
    early = make_player(tmp_path, clocks)
    clocks.advance(17.37, early)  # the second screen starts 17.37 s later
    late = make_player(tmp_path, clocks)
    heard: list[tuple[str, float]] = []
    early.subscribe(lambda s: heard.append(("early", clocks.now)) if s.move is Move.NEXT else None)
    late.subscribe(lambda s: heard.append(("late", clocks.now)) if s.move is Move.NEXT else None)
    for _ in range(100 * 60):  # a minute, compared every 10 ms
        clocks.advance(0.01, early, late)
        assert on_air(early) == on_air(late)
    changes = [t for who, t in heard if who == "early"]
    assert changes == [t for who, t in heard if who == "late"]  # they change together
    assert len(changes) >= 6


def test_a_manual_move_holds_then_the_screen_comes_back_into_step(tmp_path) -> None:
    clocks = Clocks(NOON_UTC)
    screen, neighbour = make_player(tmp_path, clocks), make_player(tmp_path, clocks)
    screen.go_to("three")
    assert on_air(screen) == "three" and on_air(neighbour) == "one"
    assert not screen.in_step
    clocks.advance(MANUAL_HOLD - 0.5, screen, neighbour)
    assert not screen.in_step  # still held: the show ran on from the manual move
    clocks.advance(0.6, screen, neighbour)
    assert screen.in_step
    assert on_air(screen) == on_air(neighbour)
    assert screen.time_left() == pytest.approx(neighbour.time_left(), abs=1e-6)


def test_every_further_move_restarts_the_hold(tmp_path) -> None:
    clocks = Clocks(NOON_UTC)
    screen = make_player(tmp_path, clocks)
    screen.next()
    clocks.advance(MANUAL_HOLD - 5, screen)
    screen.previous()
    clocks.advance(10, screen)
    assert not screen.in_step
    clocks.advance(MANUAL_HOLD - 9, screen)
    assert screen.in_step


def test_the_end_of_a_pause_returns_to_step(tmp_path) -> None:
    clocks = Clocks(NOON_UTC)
    screen, neighbour = make_player(tmp_path, clocks), make_player(tmp_path, clocks)
    screen.set_paused(True)
    clocks.advance(36.0, screen, neighbour)
    assert on_air(screen) == "one" and screen.time_left() is None  # held while paused
    heard: list[Snapshot] = []
    screen.subscribe(heard.append)
    screen.set_paused(False)
    assert on_air(screen) == on_air(neighbour) == "two"  # 36 s = 11 s into the loop
    assert heard[-1].move is Move.JUMP
    assert screen.time_left() == pytest.approx(neighbour.time_left(), abs=1e-6)


def test_the_black_screen_ending_returns_to_step_too(tmp_path) -> None:
    clocks = Clocks(NOON_UTC)
    screen, neighbour = make_player(tmp_path, clocks), make_player(tmp_path, clocks)
    screen.toggle_black()
    clocks.advance(22.0, screen, neighbour)
    screen.toggle_black()
    assert on_air(screen) == on_air(neighbour) == "three"


def test_schedules_change_the_loop_the_same_on_every_screen(tmp_path) -> None:
    # naive wall times: `when` windows are local times
    clocks = Clocks(datetime(2024, 1, 10, 17, 59, 30))
    early = make_player(tmp_path, clocks)
    clocks.advance(7.0, early)
    late = make_player(tmp_path, clocks)
    assert "evening" not in [early.playlist.slides[i].id for i in early.order]
    clocks.advance(30.0, early, late)  # 18:00 passed: the evening slide is in the loop
    early.refresh_schedule()  # the timekeeper's wake-up at the window's opening
    late.refresh_schedule()
    assert "evening" in [early.playlist.slides[i].id for i in early.order]
    seen = set()
    for _ in range(100 * 40):
        clocks.advance(0.01, early, late)
        assert on_air(early) == on_air(late)
        seen.add(on_air(early))
    assert seen == {"one", "two", "three", "evening"}
    # and where the loop is comes from the clock alone: a screen started now agrees
    fresh = make_player(tmp_path, clocks)
    assert on_air(fresh) == on_air(early)


def test_a_reload_takes_the_clocks_place_in_the_new_loop(tmp_path) -> None:
    clocks = Clocks(NOON_UTC + timedelta(seconds=11.0))
    screen = make_player(tmp_path, clocks)
    assert on_air(screen) == "two"
    (tmp_path / "new").mkdir()
    shorter = SHOW.replace("duration: 5s", "duration: 1s")  # a 21 s loop
    screen.stage_playlist(load(tmp_path / "new", shorter))
    clocks.advance(4.1, screen)  # the next slide change takes the new playlist in
    fresh = make_player(tmp_path / "new", clocks, shorter)
    assert [fresh.playlist.duration_of(fresh.playlist.slides[i]) for i in fresh.order] == [10, 1, 10]
    assert on_air(screen) == on_air(fresh)
    assert screen.time_left() == pytest.approx(fresh.time_left(), abs=1e-6)


def test_a_broken_slide_leaves_the_timing_of_the_loop_alone(tmp_path) -> None:
    clocks = Clocks(NOON_UTC + timedelta(seconds=10.0))
    screen, neighbour = make_player(tmp_path, clocks), make_player(tmp_path, clocks)
    assert on_air(screen) == "two"
    screen.mark_broken(1)  # slide two cannot be built here
    assert on_air(screen) == "three"  # its slot is filled by the next good slide
    assert screen.time_left() == pytest.approx(5.0)  # until slide two's slot ends
    clocks.advance(5.05, screen, neighbour)
    assert on_air(screen) == on_air(neighbour) == "three"
    clocks.advance(10.0, screen, neighbour)
    assert on_air(screen) == on_air(neighbour) == "one"
    clocks.advance(10.0, screen, neighbour)
    assert on_air(screen) == on_air(neighbour) == "two"  # a new loop gives it a new try


def test_without_a_loop_or_in_a_rehearsal_the_clock_does_not_lead(tmp_path) -> None:
    clocks = Clocks(NOON_UTC + timedelta(seconds=12.5))
    assert on_air(make_player(tmp_path, clocks, loop=False)) == "one"
    assert on_air(make_player(tmp_path, clocks, auto_advance=False)) == "one"
    assert on_air(make_player(tmp_path, clocks, SHOW.replace("sync: clock\n", ""))) == "one"


def test_the_playlist_accepts_sync_clock_and_nothing_else(tmp_path) -> None:
    from .helpers import problems

    assert load(tmp_path, SHOW).sync == "clock"
    (message,) = problems(tmp_path, SHOW.replace("sync: clock", "sync: ntp"))
    assert message.startswith("show.yaml:1:7:")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("yes\n", True), ("no\n", False), (None, None), ("", None), ("maybe\n", None)],
)
def test_clock_synchronised_reads_timedatectl(answer: str | None, expected: bool | None) -> None:
    asked: list[list[str]] = []

    def run(command: list[str]) -> str | None:
        asked.append(command)
        return answer

    assert clock_synchronised(run) is expected
    assert asked == [["timedatectl", "show", "-p", "NTPSynchronized", "--value"]]


def test_an_unsynchronised_clock_is_a_warning_and_an_unknown_one_is_silent(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.clock"):
        warn_if_unsynchronised(lambda _command: "no\n")
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "not synchronised" in caplog.records[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kiosk.clock"):
        warn_if_unsynchronised(lambda _command: None)
        warn_if_unsynchronised(lambda _command: "yes\n")
    assert caplog.records == []


def test_status_json_says_when_the_slide_came_on_air_not_when_it_was_written(tmp_path) -> None:
    from kiosk.status import StatusWriter

    clocks = Clocks(NOON_UTC + timedelta(seconds=9.0))
    player = make_player(tmp_path, clocks)
    writer = StatusWriter(tmp_path / "state", clock=lambda: clocks.now, wall=clocks.wall)
    writer.observe(player.snapshot(Move.START))
    player.subscribe(writer.observe)
    clocks.advance(1.0, player)  # slide two comes on at 10.00 s into the loop
    clocks.advance(0.7, player)  # ... and the write happens later (coalesced)
    player.set_paused(True)  # a state change keeps the time the slide came on
    content = writer.content(player.snapshot())
    assert content["snapshot"]["slide"] == "two"
    since = datetime.fromisoformat(content["on_air_since"])
    # the fake clock ticks every 10 ms: the change is seen on the first tick at or after 10 s
    assert timedelta(0) <= since - (NOON_UTC + timedelta(seconds=10.0)) <= timedelta(milliseconds=10)
    # a reload that keeps the slide on screen keeps the time too, though its index moved
    # (a slide put in before it, left out for now: the loop is the same)
    (tmp_path / "edit").mkdir()
    edited = SHOW.replace("slides:\n", "slides:\n  - {type: title, title: 备用, skip: true}\n")
    player.set_paused(False)
    clocks.advance(0.5, player)
    player.replace_playlist(load(tmp_path / "edit", edited))
    after = writer.content(player.snapshot())
    assert (after["snapshot"]["slide"], after["snapshot"]["index"]) == ("two", 2)
    assert after["on_air_since"] == content["on_air_since"]


def test_the_readme_lists_sync_among_the_playlist_keys() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "| `sync` | clock |  | clock: the slide on air follows the wall clock" in readme


@pytest.mark.parametrize("jump", [+100.0, -100.0])
def test_a_wall_clock_jump_is_followed_at_the_next_slide_change(tmp_path, jump: float) -> None:
    """NTP steps the clock of a screen that was wrong: the slide on air keeps its time
    (slide times run on the monotonic clock), and the next change finds the new place."""
    clocks = Clocks(NOON_UTC + timedelta(seconds=1.0))
    screen = make_player(tmp_path, clocks)
    assert on_air(screen) == "one"
    clocks.wall_start += timedelta(seconds=jump)  # the wall clock steps; the monotonic one does not
    clocks.advance(5.0, screen)
    assert on_air(screen) == "one" and screen.time_left() == pytest.approx(4.0, abs=0.02)
    clocks.advance(4.05, screen)
    fresh = make_player(tmp_path, clocks)  # a screen that always had the right time
    assert on_air(screen) == on_air(fresh)
    assert screen.time_left() == pytest.approx(fresh.time_left(), abs=0.02)
