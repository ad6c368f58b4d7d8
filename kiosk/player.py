"""The show's state machine: which slide is on air, for how long, and what input does.

No widgets and no Qt: the window calls `tick()` when the current slide's time is up
(`time_left()` says when) and turns keys into commands. Time comes from clocks the
player is given, so tests run a whole show without waiting in real time:
- `clock()`: monotonic seconds, for slide durations (a slide's time runs on the wall
  clock whatever rendering costs, as Impressive learnt);
- `wall()`: local date and time, for `when` schedules.

With `sync: clock` in the playlist the slide on air is a function of the wall clock
(kiosk/clock.py): at every slide change, at the start, after a reload and when a pause or
black screen ends, the player asks where the loop is at `wall()` and puts that slide on
air for what is left of its slot. A manual move holds for `MANUAL_HOLD` seconds (the
show runs on from there as usual), then the screen goes back into step.

The player publishes its state as one immutable `Snapshot`, to every listener after every
change and to anyone who asks (`snapshot()`). The window, the overlays, the presenter
view and the control API read snapshots only, never the player's fields; they change the
show through the player's commands.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kiosk.clock import MANUAL_HOLD, loop_slot
from kiosk.playlist.model import Playlist, SlideBase
from kiosk.playlist.schedule import on_air

log = logging.getLogger(__name__)


class Move(Enum):
    """How the current slide came on air (transitions follow it: next pushes left)."""

    START = "start"
    NEXT = "next"
    PREVIOUS = "previous"
    JUMP = "jump"
    RELOAD = "reload"  # a new playlist or schedule; the slide may be the same
    STATE = "state"  # same slide; pause, black or end changed


@dataclass(frozen=True)
class Snapshot:
    """The show's state at one moment: what listeners hear after every change."""

    move: Move  # how this state came about
    playlist: Playlist  # the playlist on air (a reload replaces it)
    order: tuple[int, ...]  # the rotation now: playlist indexes of the slides on air
    position: int | None  # the slide's position in the rotation (0-based); None: idle
    slide: SlideBase | None  # the slide on air; None: nothing is on air (the idle slide)
    next_slide: SlideBase | None  # what comes next on its own (None at the end or when idle)
    paused: bool
    blacked: bool
    ended: bool  # the last slide of a show without loop has had its time
    duration: float  # the slide's planned seconds
    elapsed: float  # seconds of it used when taken (standing still while held)
    time_left: float | None  # seconds until the next automatic change; None: nothing advances
    loop_left: float | None  # seconds until the rotation starts again (None when held)
    next_schedule_change: datetime | None  # when a `when` window next opens or closes
    problems: tuple[str, ...]  # the playlist's problems (FILE:LINE:COL lines) while a good one plays
    reload_waiting: bool  # a reloaded playlist waits for the next slide change
    taken_at: float  # the player's clock when this was taken

    @property
    def index(self) -> int | None:
        """The slide's index in the playlist."""
        return None if self.position is None else self.order[self.position]

    @property
    def count(self) -> int:
        return len(self.order)

    @property
    def counter(self) -> str:
        """'3 / 30' (empty when idle)."""
        return f"{self.position + 1} / {self.count}" if self.position is not None and self.order else ""

    @property
    def held(self) -> bool:
        """The slide's time stands still (paused, black screen or ended)."""
        return self.paused or self.blacked or self.ended

    def progress(self, now: float) -> float:
        """Fraction of the slide's time used at clock time `now` (for progress bars)."""
        if self.duration <= 0:
            return 1.0
        running = self.time_left is not None
        elapsed = self.elapsed + (max(0.0, now - self.taken_at) if running else 0.0)
        return min(1.0, elapsed / self.duration)

    def slide_at(self, position: int) -> SlideBase:
        return self.playlist.slides[self.order[position]]


#: what listeners heard before the snapshot had its name; the same thing
Change = Snapshot
Listener = Callable[[Snapshot], None]


class Player:
    """Order, current slide, timer, pause, black screen, navigation."""

    def __init__(
        self,
        playlist: Playlist,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = datetime.now,
        loop: bool | None = None,
        auto_advance: bool = True,
    ) -> None:
        self.playlist = playlist
        # False: a rehearsal (kiosk/rehearse.py). No slide moves on by itself; each one's
        # time still counts, and Next on the last slide ends the show (as its time would).
        self.auto_advance = auto_advance
        self.clock = clock
        self.wall = wall
        self._loop_override = loop  # --no-loop wins over what any playlist says
        self.loop = playlist.loop if loop is None else loop
        self.order: list[int] = []
        self.position: int | None = None
        self.paused = False
        self.blacked = False
        self.ended = False
        self._started = 0.0  # clock time the current slide's time began
        self._held_at: float | None = None  # clock time pause/black began
        self._listeners: list[Listener] = []
        self._broken: set[int] = set()  # slides that failed to build this loop
        self._pending: Playlist | None = None  # a reloaded playlist waiting for the next change
        self._problems: tuple[str, ...] = ()
        # sync: clock only
        self._slot_ends: float | None = None  # clock time the slot on air ends
        self._slot: tuple[int, int] | None = None  # (loop since the epoch, slot) on air
        self._free_until: float | None = None  # clock time a manual move's hold ends

    # ------------------------------------------------------------ listening

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, move: Move) -> None:
        snapshot = self.snapshot(move)
        for listener in list(self._listeners):
            listener(snapshot)

    def snapshot(self, move: Move = Move.STATE) -> Snapshot:
        """The state now, as one immutable value."""
        from kiosk.playlist.schedule import next_change

        left = self.time_left()
        slides = self.playlist.slides
        has_schedule = any(slide.when for slide in slides)
        return Snapshot(
            move=move,
            playlist=self.playlist,
            order=tuple(self.order),
            position=self.position,
            slide=self.current,
            next_slide=self._next_slide(),
            paused=self.paused,
            blacked=self.blacked,
            ended=self.ended,
            duration=self.duration(),
            elapsed=self.elapsed(),
            time_left=left,
            loop_left=self._loop_left(left),
            next_schedule_change=next_change(slides, self.wall()) if has_schedule else None,
            problems=self._problems,
            reload_waiting=self._pending is not None,
            taken_at=self.clock(),
        )

    def _next_slide(self) -> SlideBase | None:
        if self.position is None or not self.order:
            return None
        following = self.position + 1
        if following >= len(self.order):
            if not self.loop:
                return None
            following = 0
        return self.playlist.slides[self.order[following]]

    def _loop_left(self, left: float | None) -> float | None:
        if left is None or self.position is None:
            return None
        later = self.order[self.position + 1 :]
        return left + sum(self.playlist.duration_of(self.playlist.slides[i]) for i in later)

    def set_problems(self, problems: list[str] | tuple[str, ...]) -> None:
        """The playlist's problems while the last good one plays (the reloader says so);
        listeners hear it like any other change of state."""
        problems = tuple(problems)
        if problems != self._problems:
            self._problems = problems
            self._emit(Move.STATE)

    # ------------------------------------------------------------ state

    @property
    def current_index(self) -> int | None:
        if self.position is None or not self.order:
            return None
        return self.order[self.position]

    @property
    def current(self) -> SlideBase | None:
        index = self.current_index
        return None if index is None else self.playlist.slides[index]

    def duration(self) -> float:
        slide = self.current
        return 0.0 if slide is None else self.playlist.duration_of(slide)

    def elapsed(self) -> float:
        now = self._held_at if self._held_at is not None else self.clock()
        return max(0.0, now - self._started)

    def time_left(self) -> float | None:
        """Seconds until the next automatic change; None while nothing will advance."""
        if self.current is None or self.paused or self.blacked or self.ended or not self.auto_advance:
            return None
        left = max(0.0, self.duration() - self.elapsed())
        if not self.synced:
            return left
        if self._free_until is not None:  # a manual move: its own time, until the hold ends
            return max(0.0, min(left, self._free_until - self.clock()))
        if self._slot_ends is not None:
            return max(0.0, self._slot_ends - self.clock())
        return left

    @property
    def synced(self) -> bool:
        """`sync: clock` is in force: a looping show that advances on its own."""
        return self.playlist.sync == "clock" and self.loop and self.auto_advance

    @property
    def in_step(self) -> bool:
        """Synced and not held by a manual move (the slide on air is the clock's)."""
        return self.synced and self._free_until is None

    def progress(self) -> float:
        """Fraction of the current slide's time used, 0..1 (for the progress bar)."""
        duration = self.duration()
        return 1.0 if duration <= 0 else min(1.0, self.elapsed() / duration)

    # ------------------------------------------------------------ starting

    def start(self, at: int | str | None = None) -> bool:
        """Put the first slide (or `at`: a number from 1, or an id) on air.

        Returns False when `at` names no slide on air (the first slide plays then).
        With `sync: clock` and no `at`, the clock's slide (a given `at` holds like a
        manual move)."""
        if at is None and self.synced:
            self._align(Move.START, always=True)
            return True
        self.order = self._plan()
        self.position = 0 if self.order else None
        found = at is None
        if at is not None and self.order:
            target = self.find(at)
            if target is not None:
                self.position, found = target, True
                self._hold_manual_move()
        self._restart_timer()
        self._emit(Move.START)
        return found

    def _plan(self) -> list[int]:
        return [i for i in on_air(self.playlist.slides, self.wall()) if i not in self._broken]

    def find(self, target: int | str) -> int | None:
        """Position in the rotation of slide number `target` (from 1) or of an id."""
        text = str(target).strip()
        if text.isdigit():
            number = int(text)
            return number - 1 if 1 <= number <= len(self.order) else None
        for position, index in enumerate(self.order):
            if self.playlist.slides[index].id == text:
                return position
        return None

    # ------------------------------------------------------------ commands

    def next(self) -> None:
        self._hold_manual_move()
        self._step(+1, Move.NEXT)

    def previous(self) -> None:
        self._hold_manual_move()
        self._step(-1, Move.PREVIOUS)

    def first(self) -> None:
        self._hold_manual_move()
        self._adopt_pending()
        self._go(0, Move.PREVIOUS)

    def last(self) -> None:
        self._hold_manual_move()
        self._adopt_pending()
        self._go(len(self.order) - 1, Move.NEXT)

    def go_to(self, target: int | str) -> bool:
        """Jump to a slide by number (from 1) or id; False if there is no such slide."""
        self._adopt_pending()
        position = self.find(target)
        if position is None:
            return False
        self._hold_manual_move()
        self._go(position, Move.JUMP)
        return True

    def toggle_pause(self) -> None:
        self.set_paused(not self.paused)

    def set_paused(self, paused: bool) -> None:
        if paused == self.paused:
            return
        self.paused = paused
        self._hold_changed()
        self._emit_held_state()

    def toggle_black(self) -> None:
        """Black screen; the slide's time stands still until the screen comes back."""
        self.blacked = not self.blacked
        self._hold_changed()
        self._emit_held_state()

    def _emit_held_state(self) -> None:
        """A pause or black screen began or ended. With `sync: clock` its end puts the
        screen back into step at once (whatever a manual move held before it)."""
        if self.synced and not (self.paused or self.blacked):
            self._free_until = None
            self._align(Move.JUMP)
            return
        self._emit(Move.STATE)

    def tick(self) -> None:
        """Advance if the current slide's time is up (the window calls this on its timer)."""
        left = self.time_left()
        if left is None or left > 0:
            return
        if self.synced and (self._free_until is None or self.clock() >= self._free_until):
            self._free_until = None  # a manual move's hold is over: back into step
            self._align(Move.NEXT)
            return
        self._step(+1, Move.NEXT, automatic=True)

    def mark_broken(self, index: int) -> None:
        """A slide that failed to build: leave it out until the next loop, move on."""
        log.warning("skipping slide %d until the next loop", index + 1)
        self._broken.add(index)
        if self.in_step:
            self._align(Move.NEXT)
            return
        self._step(+1, Move.NEXT, automatic=True)

    def replace_playlist(self, playlist: Playlist) -> None:
        """Take in a new playlist now, keeping the current slide by id, else by position."""
        self._pending = None
        self._adopt(playlist)
        if self.in_step:
            self._align(Move.RELOAD, always=True)
            return
        self._emit(Move.RELOAD)

    def stage_playlist(self, playlist: Playlist) -> None:
        """Take in a new playlist at the next slide change (live reload: the slide on
        screen is not pulled away from under the audience)."""
        self._pending = playlist

    @property
    def has_pending(self) -> bool:
        return self._pending is not None

    def _adopt(self, playlist: Playlist) -> None:
        keep_id = self.current.id if self.current is not None else None
        keep_position = self.position or 0
        self.playlist = playlist
        self.loop = playlist.loop if self._loop_override is None else self._loop_override
        self._pending = None
        self._broken.clear()
        self.order = self._plan()
        position = self.find(keep_id) if keep_id else None
        if position is None:
            position = min(keep_position, len(self.order) - 1) if self.order else None
        self.position = position
        self.ended = False

    def _adopt_pending(self) -> None:
        if self._pending is not None:
            self._adopt(self._pending)

    def refresh_schedule(self) -> None:
        """Re-plan the rotation when `when` windows open or close; keeps the current slide."""
        current = self.current_index
        order = self._plan()
        if order == self.order:
            return
        if self.in_step:  # the loop's length changed: every screen finds the same new place
            self._align(Move.NEXT)
            return
        self.order = order
        if current in order:
            self.position = order.index(current)
            self._emit(Move.RELOAD)
            return
        self.position = 0 if order else None
        self._restart_timer()
        self._emit(Move.NEXT)

    # ------------------------------------------------------------ internals

    def _step(self, delta: int, move: Move, *, automatic: bool = False) -> None:
        self._adopt_pending()
        if not self.order or self.position is None:
            self.start()
            return
        target = self.position + delta
        if 0 <= target < len(self.order):
            self._go(target, move)
            return
        if delta > 0 and target >= len(self.order):
            # The end of a loop: schedules may have changed, broken slides get a new try.
            self._broken.clear()
            self.order = self._plan()
            if not self.order:
                self.position = None
                self._emit(move)
                return
            if self.loop:
                self._go(0, move)
            elif automatic or not self.auto_advance:
                self.ended = True
                self._emit(Move.STATE)
            return
        if delta < 0 and self.loop:
            self._go(len(self.order) - 1, move)

    def _go(self, position: int, move: Move) -> None:
        if not self.order:
            return
        self.position = max(0, min(position, len(self.order) - 1))
        self.ended = False
        self._restart_timer()
        self._emit(move)

    def _restart_timer(self) -> None:
        self._started = self.clock()
        if self._held_at is not None:
            self._held_at = self._started

    # ------------------------------------------------------------ sync: clock

    def _hold_manual_move(self) -> None:
        """A manual move with `sync: clock`: the screen leaves the clock's step for a while."""
        if self.synced:
            self._free_until = self.clock() + MANUAL_HOLD

    def _align(self, move: Move, *, always: bool = False) -> None:
        """Put the clock's slide on air for what is left of its slot. The timing counts
        every slide on air by the schedule, broken ones too, so a screen that cannot build
        a slide stays in step with those that can: its next good slide fills the slot.
        Listeners hear `move` for a new slot, a state change when the slot is the same
        (unless `always`)."""
        self._adopt_pending()
        now, wall = self.clock(), self.wall()
        plan = on_air(self.playlist.slides, wall)
        durations = [self.playlist.duration_of(self.playlist.slides[i]) for i in plan]
        found = loop_slot(durations, wall.timestamp())  # a naive wall time is local time
        if found is None:
            self.order, self.position, self._slot = [], None, None
            self._emit(move)
            return
        slot, into, turn = found
        if slot == 0:
            self._broken.clear()  # a new loop: broken slides get a new try
        self.order = [i for i in plan if i not in self._broken]
        from_slot = plan[slot:] + plan[:slot]
        good = next((i for i in from_slot if i not in self._broken), None)
        new_slot = self._slot != (turn, slot)
        self._slot = (turn, slot)
        self.ended = False
        self.position = None if good is None else self.order.index(good)
        self._started = now - (into if good == plan[slot] else 0.0)
        self._slot_ends = now + durations[slot] - into
        if self._held_at is not None:
            self._held_at = now
        self._emit(move if new_slot or always else Move.STATE)

    def _hold_changed(self) -> None:
        """Pause or black began or ended: stop or resume the slide's clock."""
        held = self.paused or self.blacked
        now = self.clock()
        if held and self._held_at is None:
            self._held_at = now
        elif not held and self._held_at is not None:
            self._started += now - self._held_at
            self._held_at = None
