"""Uncaught exceptions into the log file, not only onto a terminal nobody watches.

PySide6 hands an exception raised in a Python override (an event handler) or a slot that
Qt called to sys.excepthook, prints it and carries on. Python's default hook writes to
stderr only: on a display PC started by systemd or XDG autostart that is a journal or
nothing, and kiosk.log (what a site sends us) would never say anything went wrong.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

log = logging.getLogger("kiosk.crash")


def log_exception(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    """sys.excepthook: the traceback at CRITICAL, through logging (stderr and the log file)."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)  # Ctrl+C in a terminal: no alarm in the log
        return
    try:
        log.critical("uncaught exception", exc_info=(kind, value, traceback))
    except Exception:  # logging itself broken (a full disk is handled there, but be sure)
        sys.__excepthook__(kind, value, traceback)


def log_thread_exception(args: threading.ExceptHookArgs) -> None:
    """threading.excepthook: the same for a thread of ours (the watchdog's)."""
    if args.exc_value is not None:
        log_exception(args.exc_type, args.exc_value, args.exc_traceback)


#: the hooks that were there before install(): someone else's (pytest-qt's capture, which
#: fails a test on an exception in a Qt callback) is still called; Python's own is not,
#: since it would print the traceback to stderr a second time.
_previous: list[object] = [None, None]


def _hook(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
    log_exception(kind, value, traceback)
    previous = _previous[0]
    if callable(previous) and previous is not sys.__excepthook__:
        previous(kind, value, traceback)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    log_thread_exception(args)
    previous = _previous[1]
    if callable(previous) and previous is not threading.__excepthook__:
        previous(args)


def install() -> None:
    """Route uncaught exceptions (the main thread, Qt's callbacks, threads) to the log."""
    if sys.excepthook is not _hook:
        _previous[0], sys.excepthook = sys.excepthook, _hook
    if threading.excepthook is not _thread_hook:
        _previous[1], threading.excepthook = threading.excepthook, _thread_hook
