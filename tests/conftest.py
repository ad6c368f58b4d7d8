"""Test-wide set-up: Qt runs offscreen, whatever the developer's shell has; and no test
passes while an exception went by unseen.

PySide6 prints an exception raised in a Python override (an event handler) or a slot that
Qt called, and carries on: the test would pass with a broken window. pytest-qt's exception
capture turns those into failures for every test item (its runtest hooks install a
sys.excepthook around setup, call and teardown, qtbot or not; tests/unit/
test_exception_capture.py checks it). What it does not see: exceptions Python can only
report as "unraisable" (in __del__, in finalizers, some PySide6 callbacks during
destruction) and those that end a thread; pytest only warns about them. The guard below
fails the test instead, and takes over sys.excepthook too where pytest-qt's capture is off
(the qt_no_exception_capture marker).
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Iterator

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR", "1")


@pytest.fixture(autouse=True)
def _fail_on_unseen_exceptions(request: pytest.FixtureRequest) -> Iterator[None]:
    caught: list[str] = []

    def unraisable(report: sys.UnraisableHookArgs) -> None:
        where = f" in {report.object!r}" if report.object is not None else ""
        lines = traceback.format_exception(report.exc_type, report.exc_value, report.exc_traceback)
        caught.append(f"unraisable exception{where}:\n{''.join(lines)}")

    def thread_exception(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "?"
        lines = traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        caught.append(f"exception in thread {name}:\n{''.join(lines)}")

    def uncaught(kind: type[BaseException], value: BaseException, tb: object) -> None:
        caught.append("uncaught exception:\n" + "".join(traceback.format_exception(kind, value, tb)))

    hooks = sys.unraisablehook, threading.excepthook
    sys.unraisablehook = unraisable
    threading.excepthook = thread_exception
    own_excepthook = sys.excepthook is sys.__excepthook__  # pytest-qt's capture is off here
    if own_excepthook:
        sys.excepthook = uncaught
    try:
        yield
    finally:
        sys.unraisablehook, threading.excepthook = hooks
        # sys.excepthook only when it is ours: pytest-qt restores its own when it is done
        # (putting back its hook from here would leave a dead one to the next test).
        if own_excepthook:
            sys.excepthook = sys.__excepthook__
    if caught:
        # Failing here skips the rest of pytest-qt's teardown hook, which would leave its
        # capture hook installed for the tests after this one: end its capture first.
        manager = getattr(request.node, "qt_exception_capture_manager", None)
        if manager is not None:
            caught += ["".join(traceback.format_exception(*exc)) for exc in manager.exceptions]
            manager.finish()
        pytest.fail("\n".join(caught), pytrace=False)
