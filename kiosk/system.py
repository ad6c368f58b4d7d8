"""What a kiosk needs from the machine: no screensaver, one show per screen, logs in the
user's log folder, and a watchdog that turns a frozen GUI into a restart.

Each part degrades to a clear log line where the platform cannot do it.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import logging.handlers
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- logging


def log_folder() -> Path:
    """The platform's per-user log folder for kiosk."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "kiosk" / "Logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "kiosk"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "kiosk"


class SafeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that, when the disk is full or the file goes away, says so once
    on stderr and stops writing, instead of printing a traceback for every record."""

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        print(
            f"kiosk: cannot write the log file {self.baseFilename} ({error}); logging to stderr only",
            file=sys.stderr,
        )
        logging.getLogger().removeHandler(self)
        with contextlib.suppress(OSError):
            self.close()


def setup_logging(level: str = "info", folder: Path | None = None) -> Path | None:
    """Log to stderr and to a rotating file (1 MB x 5); returns the file, or None."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not any(
        isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler) for h in root.handlers
    ):
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        root.addHandler(stream)
    folder = folder or log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = SafeRotatingFileHandler(
            folder / "kiosk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("no log file in %s (%s); logging to stderr only", folder, exc.strerror or exc)
        return None
    handler.setFormatter(formatter)
    root.addHandler(handler)
    return Path(handler.baseFilename)


# ---------------------------------------------------------------- screensaver


class ScreenSaverInhibitor:
    """Keeps the screensaver and display power-off away while the show plays."""

    def __init__(self) -> None:
        self.method = "none"
        self._cookie: int | None = None

    def inhibit(self) -> str:
        """Try each way this platform has; returns the one that worked ('none' if none)."""
        if sys.platform == "win32":
            self.method = self._windows()
        elif sys.platform.startswith("linux"):
            self.method = self._freedesktop()
            if self.method == "none":
                self.method = self._xset("s", "off", "s", "noblank", "-dpms")
        if self.method == "none":
            log.warning(
                "cannot keep the screensaver and display power-off away on this system "
                "(no freedesktop ScreenSaver D-Bus service, no xset, not Windows); set the display PC's "
                "power settings to never blank the screen"
            )
        else:
            log.info("screensaver inhibited via %s", self.method)
        return self.method

    def release(self) -> None:
        if self.method == "freedesktop" and self._cookie is not None:
            from PySide6.QtDBus import QDBusConnection, QDBusInterface

            interface = QDBusInterface(
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver",
                QDBusConnection.sessionBus(),
            )
            interface.call("UnInhibit", self._cookie)
        elif self.method == "xset":
            self._xset("s", "on", "+dpms")
        elif self.method == "windows":
            ctypes.windll.kernel32.SetThreadExecutionState(0x80000000)  # type: ignore[attr-defined]
        self.method = "none"

    def _freedesktop(self) -> str:
        from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return "none"
        interface = QDBusInterface(
            "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", bus
        )
        if not interface.isValid():
            return "none"
        reply = interface.call("Inhibit", "kiosk", "playing a slideshow")
        if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
            return "none"
        self._cookie = int(reply.arguments()[0])
        return "freedesktop"

    def _xset(self, *args: str) -> str:
        """Plain X without a desktop session: switch blanking and DPMS off with xset."""
        xset = shutil.which("xset")
        if not xset or not os.environ.get("DISPLAY"):
            return "none"
        try:
            done = subprocess.run([xset, *args], capture_output=True, timeout=5, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return "none"
        return "xset" if done.returncode == 0 else "none"

    def _windows(self) -> str:
        es_continuous, es_system, es_display = 0x80000000, 0x00000001, 0x00000002
        result = ctypes.windll.kernel32.SetThreadExecutionState(  # type: ignore[attr-defined]
            es_continuous | es_system | es_display
        )
        return "windows" if result else "none"


# ---------------------------------------------------------------- one show per screen


class SingleInstance(QObject):
    """A named local server per screen and user: a second kiosk on the same screen is
    refused, with the first one's details.

    The name holds the X or Wayland display too: two X servers on one machine (a second
    seat, Xvfb) both call their first screen "screen", and they are different screens.
    """

    def __init__(self, screen_name: str) -> None:
        super().__init__()
        display = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or ""
        where = f"{display}-{screen_name}"
        safe = "".join(ch if ch.isalnum() else "-" for ch in where).strip("-") or "screen"
        user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
        self.name = f"kiosk-{user}-{safe}"
        self.server = QLocalServer(self)
        self.server.newConnection.connect(self._answer)

    def claim(self) -> str | None:
        """None when this process now owns the screen; otherwise who does."""
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(300):
            probe.waitForReadyRead(500)
            other = bytes(probe.readAll().data()).decode("utf-8", "replace").strip() or "another kiosk"
            probe.disconnectFromServer()
            return other
        QLocalServer.removeServer(self.name)  # a stale name left by a crash
        if not self.server.listen(self.name):
            return f"unknown ({self.server.errorString()})"
        return None

    def _answer(self) -> None:
        connection = self.server.nextPendingConnection()
        if connection is not None:
            connection.write(f"kiosk pid {os.getpid()}".encode())
            connection.flush()
            connection.disconnectFromServer()


# ---------------------------------------------------------------- watchdog


class Watchdog(QObject):
    """The GUI thread beats every second; a helper thread checks the beat. When the event
    loop has not beaten for `timeout` seconds the app is frozen, which is worse than a
    crash on a kiosk: log it and exit non-zero so the service manager restarts us. Also
    feeds systemd's watchdog (WATCHDOG=1) when NOTIFY_SOCKET is set."""

    EXIT_FROZEN = 3

    def __init__(self, timeout: float = 30.0) -> None:
        super().__init__()
        self.timeout = timeout
        self.last_beat = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.beat)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="kiosk-watchdog", daemon=True)

    def start(self) -> None:
        self._timer.start(1000)
        self._thread.start()
        _sd_notify("READY=1")

    def stop(self) -> None:
        self._stop.set()
        self._timer.stop()

    def beat(self) -> None:
        self.last_beat = time.monotonic()
        _sd_notify("WATCHDOG=1")

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            silent = time.monotonic() - self.last_beat
            if silent > self.timeout:
                log.critical(
                    "the display has been frozen for %.0f s; exiting so the service restarts kiosk", silent
                )
                logging.shutdown()
                os._exit(self.EXIT_FROZEN)


def _sd_notify(message: str) -> None:
    address = os.environ.get("NOTIFY_SOCKET")
    if not address or not hasattr(socket, "AF_UNIX"):
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.sendto(message.encode(), address)
    except OSError:
        pass
