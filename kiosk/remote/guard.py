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
