"""Slowing down a client that keeps sending wrong tokens. Qt-free and thread-safe: the
server's request threads ask it how long to wait before answering 401 and wait there
(never in the GUI thread)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

#: failures answered at once (a phone with an old token, a typo)
FREE_FAILURES = 3
FIRST_DELAY = 0.25
MAX_DELAY = 8.0
#: a client quiet this long starts again from nothing
FORGET_AFTER = 600.0
#: clients remembered at most (the oldest is forgotten first)
MAX_CLIENTS = 4096


class FailureGuard:
    """Per client address: failures in a row, and the delay the next refusal waits."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def failed(self, client: str) -> float:
        """Count a failure; the seconds to wait before answering it."""
        now = self.clock()
        with self._lock:
            count, last = self._failures.pop(client, (0, now))
            if now - last > FORGET_AFTER:
                count = 0
            count += 1
            self._failures[client] = (count, now)
            while len(self._failures) > MAX_CLIENTS:
                self._failures.popitem(last=False)
        return delay_for(count)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    def failures(self, client: str) -> int:
        with self._lock:
            return self._failures.get(client, (0, 0.0))[0]


def delay_for(failures: int) -> float:
    """0 for the first few, then doubling from FIRST_DELAY up to MAX_DELAY."""
    if failures <= FREE_FAILURES:
        return 0.0
    return float(min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_FAILURES - 1)))


#: requests a second the server carries out at most, over bursts of BURST: a busy event is
#: some 20 (ten phones polling, a desk's buttons); beyond, requests wait their turn, so that
#: a flood of them cannot take Python's lock from the show's frames (bench/remote.py)
RATE = 50.0
BURST = 20


class Pace:
    """A token bucket shared by the request threads. A request beyond the rate is not
    refused: its thread sleeps until its turn (holding nothing the show needs), so a
    client that floods the server waits, and the show's share of the lock stays."""

    def __init__(
        self,
        rate: float = RATE,
        burst: int = BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate, self.burst = rate, burst
        self.clock, self.sleep = clock, sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._last = clock()

    def wait(self) -> float:
        """Take a turn, sleeping until it comes; the seconds slept."""
        with self._lock:
            now = self.clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0  # may go below zero: the turns already promised
            delay = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if delay:
            self.sleep(delay)
        return delay
