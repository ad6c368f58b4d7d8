"""When the show wakes up on its own: at the end of a slide's time, when a `when` window
opens or closes, and once a slide has settled (to hand freed memory back, and to load the
code of the playlist's slide types while nothing moves).

The player owns time (its injected clocks); the timekeeper only arms Qt timers from each
snapshot, so an idle show wakes for nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

from kiosk import memory
from kiosk.player import Player, Snapshot
from kiosk.slides import import_views

#: after a slide change, when its transition and count-up are over (Timekeeper._settled)
SETTLE_MS = 3000
#: schedules are looked at again at least this often, so a wall-clock jump is noticed
SCHEDULE_CHECK_S = 60.0


class Timekeeper(QObject):
    def __init__(self, player: Player, parent: QObject) -> None:
        super().__init__(parent)
        self.player = player
        self.snapshot = player.snapshot()
        self._tick_timer = self._single_shot(self._tick)
        # A coarse timer may fire 5% of its interval late (400 ms on an 8 s slide); screens
        # in step by the clock (`sync: clock`) must change within a few ms of each other.
        # One precise wake-up per slide costs nothing.
        self._tick_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._schedule_timer = self._single_shot(self._schedule_due)
        self._settle_timer = self._single_shot(self._settled)

    def _single_shot(self, slot: Callable[[], object]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    def _settled(self) -> None:
        """The slide is still: import the modules of the playlist's other slide types now
        (the first chart's pyqtgraph takes 0.1 s, a stutter in that slide's transition
        in when it is imported then), and hand freed memory back."""
        import_views({type(slide) for slide in self.snapshot.playlist.slides})
        memory.release_free_memory()

    def follow(self, snapshot: Snapshot, *, new_slide: bool) -> None:
        """Arm the timers for this state of the show."""
        self.snapshot = snapshot
        if new_slide:
            self._settle_timer.start(SETTLE_MS)
        self._tick_timer.stop()
        if snapshot.time_left is not None:
            self._tick_timer.start(max(0, round(snapshot.time_left * 1000)))
        self._plan_schedule_check()

    def _plan_schedule_check(self) -> None:
        """Wake when a `when` window opens or closes (at the latest every minute, so a
        wall-clock jump is noticed too); not at all when the playlist has no schedule."""
        if not any(slide.when for slide in self.snapshot.playlist.slides):
            self._schedule_timer.stop()
            return
        change = self.snapshot.next_schedule_change
        seconds = SCHEDULE_CHECK_S
        if change is not None:
            seconds = min(SCHEDULE_CHECK_S, max(0.5, (change - self.player.wall()).total_seconds()))
        self._schedule_timer.start(round(seconds * 1000))

    def _schedule_due(self) -> None:
        self.player.refresh_schedule()
        self._plan_schedule_check()

    def _tick(self) -> None:
        before = (self.snapshot.index, self.snapshot.position)
        self.player.tick()
        if (self.snapshot.index, self.snapshot.position) == before:
            # Fired a hair early (Qt's timers are coarse): arm it again for what is left
            # now, not for the whole slide the old snapshot still counts.
            self.follow(self.player.snapshot(), new_slide=False)
