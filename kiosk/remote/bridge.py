"""The way from a request thread into the GUI thread and back.

Widgets, the player and the live data belong to the GUI thread. A request thread hands
its work to a QObject living there through a queued signal and waits for the answer on a
concurrent.futures.Future, never longer than its timeout: a show that is busy (a slide
being built, a reload) answers 503, and the work, if it had not started, is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from kiosk.remote.errors import RequestError

T = TypeVar("T")

#: seconds a request waits for the GUI thread before it answers 503
GUI_TIMEOUT = 5.0


class GuiBridge(QObject):
    """Runs callables in the thread it lives in (made in the GUI thread: the GUI thread)."""

    _work = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work.connect(self._run, Qt.ConnectionType.QueuedConnection)
        self.ran = 0  # jobs carried out (tests)

    def call(self, job: Callable[[], T], timeout: float = GUI_TIMEOUT) -> T:
        """job() run in the GUI thread; its result, or its exception raised here."""
        if QThread.currentThread() == self.thread():
            return job()  # already there: a queued call would wait for itself
        future: Future[T] = Future()
        self._work.emit((job, future))
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()  # not started yet: the GUI thread skips it when it gets there
            raise RequestError(
                f"the show did not answer within {timeout:g} s (busy); try again", status=503
            ) from None

    @Slot(object)
    def _run(self, item: tuple[Callable[[], Any], Future[Any]]) -> None:
        job, future = item
        if not future.set_running_or_notify_cancel():
            return  # its request gave up waiting
        self.ran += 1
        try:
            future.set_result(job())
        except BaseException as exc:  # carried to the request thread, which answers it
            future.set_exception(exc)
