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


def install() -> None:
    """Route uncaught exceptions (the main thread, Qt's callbacks, threads) to the log."""
    sys.excepthook = log_exception
    threading.excepthook = log_thread_exception
