"""What a kiosk needs from the machine: no screensaver, one show per screen, logs in the
user's log folder, and a watchdog that turns a frozen GUI into a restart.

Each part degrades to a clear log line where the platform cannot do it.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import faulthandler
import json
import logging
import logging.handlers
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
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
    # The XDG spec: a relative XDG_STATE_HOME is invalid and must be ignored (it would put
    # the log wherever the service manager happened to start us).
    state = os.environ.get("XDG_STATE_HOME", "")
    if not os.path.isabs(state):
        state = str(Path.home() / ".local" / "state")
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
        self._xset_before: XsetSettings | None = None

    def inhibit(self) -> str:
        """Try each way this platform has; returns the one that worked ('none' if none)."""
        if sys.platform == "win32":
            self.method = self._windows()
        elif sys.platform.startswith("linux"):
            self.method = self._freedesktop()
            if self.method == "none":
                # Read what the operator had before changing it: quitting puts back exactly
                # that. A show that died without quitting (the watchdog, a power cut) left
                # the screen saver off and its note of the settings before: those are the
                # operator's, not the "off" the server reports now.
                self._xset_before = saved_xset_settings() or xset_settings(self._xset_query())
                if self._xset_before is not None:
                    save_xset_settings(self._xset_before)
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
        elif self.method == "xset" and self._xset_before is not None:
            if self._xset(*self._xset_before.restore_args()) == "xset":
                forget_xset_settings()
        elif self.method == "windows":
            ctypes.windll.kernel32.SetThreadExecutionState(0x80000000)  # type: ignore[attr-defined]  # Windows only
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

    def _xset_query(self) -> str:
        """`xset q`'s report ('' when xset or the display is not there)."""
        xset = shutil.which("xset")
        if not xset or not os.environ.get("DISPLAY"):
            return ""
        try:
            done = subprocess.run([xset, "q"], capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout if done.returncode == 0 else ""

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
        result = ctypes.windll.kernel32.SetThreadExecutionState(  # type: ignore[attr-defined]  # Windows only
            es_continuous | es_system | es_display
        )
        return "windows" if result else "none"


@dataclass(frozen=True)
class XsetSettings:
    """The X server's screen saver and DPMS settings, as `xset q` reports them."""

    timeout: int
    cycle: int
    blanking: bool
    dpms: bool | None  # None: the server has no DPMS extension

    def restore_args(self) -> list[str]:
        """xset arguments that put these settings back."""
        args = ["s", str(self.timeout), str(self.cycle), "s", "blank" if self.blanking else "noblank"]
        if self.dpms is not None:
            args.append("+dpms" if self.dpms else "-dpms")
        return args


def _xset_note() -> Path:
    """Where the settings before are noted while a show has the screen saver off: one
    note per X display (two screens of one PC may play two shows)."""
    from kiosk.state import state_folder

    display = "".join(c if c.isalnum() else "-" for c in x_display_name(os.environ.get("DISPLAY", "")))
    return state_folder() / f"xset-before-{display or 'none'}.json"


def saved_xset_settings() -> XsetSettings | None:
    """The settings a show that did not quit cleanly noted before switching them off."""
    try:
        data = json.loads(_xset_note().read_text(encoding="utf-8"))
        return XsetSettings(int(data["timeout"]), int(data["cycle"]), bool(data["blanking"]), data["dpms"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_xset_settings(settings: XsetSettings) -> None:
    note = _xset_note()
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        temporary = note.with_suffix(".tmp")
        temporary.write_text(json.dumps(dataclasses.asdict(settings)), encoding="utf-8")
        os.replace(temporary, note)
    except OSError as exc:
        log.warning("cannot note the screen saver settings in %s (%s)", note, exc)


def forget_xset_settings() -> None:
    with contextlib.suppress(OSError):
        _xset_note().unlink()


def xset_settings(report: str) -> XsetSettings | None:
    """The settings in an `xset q` report; None when it does not say them all."""
    timeout = re.search(r"timeout:\s*(\d+)\s+cycle:\s*(\d+)", report)
    blanking = re.search(r"prefer blanking:\s*(yes|no)", report)
    if timeout is None or blanking is None:
        return None
    dpms = re.search(r"DPMS is (Enabled|Disabled)", report)
    return XsetSettings(
        int(timeout.group(1)),
        int(timeout.group(2)),
        blanking.group(1) == "yes",
        None if dpms is None else dpms.group(1) == "Enabled",
    )


# ---------------------------------------------------------------- one show per screen


def x_display_name(display: str) -> str:
    """An X display as 'host:number', the same however it is written: ':0', ':0.0' and
    'unix:0' are one X server. The '.screen' part is left out because Qt names the screen
    itself (the lock's name holds Qt's screen name beside this)."""
    host, colon, rest = display.rpartition(":")
    if not colon:
        return display
    number = rest.split(".", 1)[0]
    return f"{'' if host == 'unix' else host}:{number}"


class SingleInstance(QObject):
    """A named local server per screen and user: a second kiosk on the same screen is
    refused, with the first one's details.

    The name holds the X or Wayland display too: two X servers on one machine (a second
    seat, Xvfb) both call their first screen "screen", and they are different screens.
    """

    def __init__(self, screen_name: str) -> None:
        super().__init__()
        display = os.environ.get("WAYLAND_DISPLAY") or x_display_name(os.environ.get("DISPLAY") or "")
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
            # The other show answers from its event loop, which a busy PC may hold up a
            # while; waiting longer costs only this refusal, never a normal start.
            probe.waitForReadyRead(3000)
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

#: seconds without a heartbeat from the GUI thread before kiosk is called frozen
WATCHDOG_TIMEOUT = 30.0
#: overrides WATCHDOG_TIMEOUT (tests use a few seconds)
WATCHDOG_TIMEOUT_ENV = "KIOSK_WATCHDOG_TIMEOUT"


def watchdog_timeout() -> float:
    """The watchdog's timeout: KIOSK_WATCHDOG_TIMEOUT seconds if set (and sane), else 30."""
    try:
        value = float(os.environ.get(WATCHDOG_TIMEOUT_ENV, ""))
    except ValueError:
        return WATCHDOG_TIMEOUT
    return value if 1.0 <= value <= 3600.0 else WATCHDOG_TIMEOUT


class Watchdog(QObject):
    """Turns a frozen GUI into a restart: the GUI thread beats every second, and when the
    event loop has not beaten for `timeout` seconds of the process's running time, every
    thread's stack goes to the log and the process dies (non-zero), so the service manager
    restarts kiosk. Also feeds systemd's watchdog (WATCHDOG=1) when NOTIFY_SOCKET is set.

    Why a watching process and not a thread: a C call that holds the GIL (Qt's SVG reader
    expanding nested <use>, a ctypes call that blocks) stops every Python thread, so a
    watchdog thread never runs. faulthandler's timer runs in C without the GIL, but it
    counts wall time: a process stopped for longer than the timeout (SIGSTOP, a paused VM)
    is killed the moment it resumes, before any handler of ours can re-arm it (measured:
    a SIGCONT handler that re-arms it loses that race every time). Only an observer that
    keeps running while we are stopped can tell "stopped" from "hung": a small child
    process (`python -I -S` running WATCHER: 10 MB RSS, 4.5 MB PSS; a forked copy of the
    show was 21 MB PSS, growing as the show rewrote the pages they shared) reads beats from a
    pipe and does not count the time /proc says we are stopped ('T'), nor time it was
    stopped itself (a paused VM stops both). When the beats stop it sends SIGUSR1, on
    which faulthandler (C, no GIL) writes every thread's stack to the log and then lets
    the signal end the process. A frozen build has no plain Python to start: there the
    child is forked (before Qt starts its threads) and runs the same code.

    Where fork or /proc is missing (Windows, macOS) faulthandler's own timer is used,
    re-armed by each beat: it sees the same hangs but counts stopped time too.
    """

    #: the signal on which the stacks are dumped and the process dies (no core file)
    DUMP_SIGNAL = getattr(signal, "SIGUSR1", None)
    #: the child checks for beats this often (seconds)
    POLL = 0.5

    def __init__(self, timeout: float | None = None, log_file: Path | None = None) -> None:
        super().__init__()
        self.timeout = watchdog_timeout() if timeout is None else timeout
        self.log_file = log_file if log_file is not None else _current_log_file()
        self.last_beat = time.monotonic()
        self._timer: QTimer | None = None
        self._pipe: int | None = None  # write end: one byte per beat
        self._child: subprocess.Popen[bytes] | int | None = None  # int: forked
        self._dump_to: TextIO | None = None  # the file faulthandler writes the stacks to

    # ------------------------------------------------------------ parent side

    def arm(self) -> None:
        """Start watching: from now on the GUI must beat. Needs no QApplication, so it is
        called before Qt starts its threads (where it forks) and covers the first frame."""
        if self._pipe is not None or self._child is not None:
            return
        self._dump_to = self._open_dump_file()
        can_fork = hasattr(os, "fork") and Path(f"/proc/{os.getpid()}/stat").exists()
        if self.DUMP_SIGNAL is not None and can_fork:
            faulthandler.register(self.DUMP_SIGNAL, file=self._dump_to, all_threads=True, chain=True)
            self._start_child()
        else:
            self._arm_faulthandler()

    def start(self) -> None:
        """arm(), and beat every second from the GUI thread's event loop."""
        self.arm()
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.timeout.connect(self.beat)
        self._timer.start(1000)

    def ready(self) -> None:
        """The show is on screen: tell systemd (Type=notify)."""
        _sd_notify("READY=1")

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._pipe is not None:
            os.close(self._pipe)  # the child sees the end of the pipe and leaves
            self._pipe = None
        if self._child is not None:
            if isinstance(self._child, int):
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(self._child, 0)
            else:
                try:
                    self._child.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._child.kill()
                    self._child.wait()
            self._child = None
            if self.DUMP_SIGNAL is not None:
                faulthandler.unregister(self.DUMP_SIGNAL)
        else:
            faulthandler.cancel_dump_traceback_later()

    def beat(self) -> None:
        self.last_beat = time.monotonic()
        if self._pipe is not None:
            try:
                os.write(self._pipe, b".")
            except BlockingIOError:
                pass  # the child is behind on reading: it has beats enough
            except OSError as exc:
                log.error("the watchdog process is gone (%s); a freeze will not be noticed now", exc)
                os.close(self._pipe)
                self._pipe = None
        elif self._child is None:
            self._arm_faulthandler()
        _sd_notify("WATCHDOG=1")

    def _open_dump_file(self) -> TextIO:
        if self.log_file is not None:
            with contextlib.suppress(OSError):
                # Kept open for the process's life: faulthandler writes to it from C.
                return open(self.log_file, "a", encoding="utf-8")
        return sys.stderr

    def _arm_faulthandler(self) -> None:
        faulthandler.dump_traceback_later(self.timeout, exit=True, file=self._dump_to or sys.stderr)

    def _start_child(self) -> None:
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        os.set_inheritable(write_end, False)
        arguments = [str(os.getpid()), str(self.timeout), str(self.POLL), str(self.log_file or ""),
                     str(int(self.DUMP_SIGNAL or signal.SIGKILL))]  # fmt: skip
        if not getattr(sys, "frozen", False) and sys.executable:
            # -I -S: no site-packages, no environment, no current folder: a bare interpreter.
            self._child = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", WATCHER, *arguments], stdin=read_end, close_fds=True
            )
            os.close(read_end)
            self._pipe = write_end
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
            pid = os.fork()
        if pid == 0:  # the child: plain Python, no Qt, no logging (its locks may be held)
            code = 0
            try:
                os.close(write_end)
                os.dup2(read_end, 0)
                signal.set_wakeup_fd(-1)
                sys.argv = ["watcher", *arguments]
                exec(WATCHER, {"__name__": "__main__"})
            except SystemExit:
                pass
            except BaseException:  # whatever happens, the child must never return into the parent's code
                code = 1
            finally:
                os._exit(code)
        os.close(read_end)
        self._pipe, self._child = write_end, pid


#: The watchdog process: argv = parent pid, timeout, poll seconds, log file (or ''),
#: dump signal; stdin = the beats. Standard library only (it runs under `python -I -S`).
WATCHER = r"""
import os, select, signal, sys, time

# Ctrl+C is the show's to handle (it closes the pipe on its way out); SIGTERM to the
# whole service ends this at once.
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_DFL)
parent, timeout, poll = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
log_file, dump = sys.argv[4], int(sys.argv[5])


def stopped(pid):
    try:
        with open("/proc/%d/stat" % pid, "rb") as handle:
            stat = handle.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 : stat.rfind(b")") + 3] in (b"T", b"t")


silent = 0.0
last = time.monotonic()
while True:
    ready, _, _ = select.select([0], [], [], poll)
    now = time.monotonic()
    step, last = now - last, now
    if ready:
        if not os.read(0, 4096):
            sys.exit(0)  # the show closed the pipe (it stopped watching) or is gone
        silent = 0.0
        continue
    if stopped(parent):
        continue  # stopped is not frozen
    # A step much longer than the poll means this process was stopped too (a paused VM
    # stops both): count only what a poll could have taken.
    silent += min(step, 2 * poll)
    if silent >= timeout:
        break
line = (
    "%s CRITICAL kiosk.system: the display has been frozen for %.0f s; exiting so the "
    "service restarts kiosk (each thread's stack follows)\n" % (time.strftime("%Y-%m-%d %H:%M:%S"), silent)
)
try:
    os.write(2, line.encode())
except OSError:
    pass
if log_file:
    try:
        with open(log_file, "a", encoding="utf-8") as handle:
            handle.write(line)
    except OSError:
        pass
try:
    os.kill(parent, dump)
except OSError:
    sys.exit(0)
# faulthandler dumps the stacks and lets the signal end the show; if it does not, kill it.
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    if os.getppid() != parent:
        sys.exit(0)
    time.sleep(0.1)
try:
    os.kill(parent, signal.SIGKILL)
except OSError:
    pass
"""


def _current_log_file() -> Path | None:
    """The file setup_logging() logs to, if any."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


# ---------------------------------------------------------------- quitting on a signal

#: exit codes: Ctrl+C is the shell's 128 + SIGINT; SIGTERM is how a service manager stops
#: us on purpose (systemctl stop, shutdown), so it is a clean exit, not a failure to restart
EXIT_SIGINT, EXIT_SIGTERM = 130, 0


class QuitOnSignals(QObject):
    """SIGINT (Ctrl+C) and SIGTERM end the show the orderly way, so what kiosk changed
    (the screen-blanking settings) is put back.

    Python runs its signal handlers only between bytecodes of the main thread, and Qt's
    event loop is C++: a handler would wait for the next Python slot, and the default
    SIGINT handler raised KeyboardInterrupt inside whatever slot that was (an event
    filter's traceback, and the show went on). Here the C-level handler writes the signal
    number to a socket (signal.set_wakeup_fd); a QSocketNotifier wakes the event loop, and
    our own handler, which raises nothing, asks `quit(code)` from a zero-timer, outside any
    event filter.
    """

    def __init__(self, quit: Callable[[int], None]) -> None:
        super().__init__()
        self._quit = quit
        self.received: int | None = None
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {
            number: signal.signal(number, self._handle) for number in (signal.SIGINT, signal.SIGTERM)
        }
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _handle(self, number: int, frame: object) -> None:
        if self.received is None:
            self.received = number
            log.info("%s received: quitting", signal.Signals(number).name)
            code = EXIT_SIGINT if number == signal.SIGINT else EXIT_SIGTERM
            QTimer.singleShot(0, lambda: self._quit(code))

    def _drain(self) -> None:
        # The bytes only woke the loop; Python has run (or now runs) the handlers.
        with contextlib.suppress(OSError):
            while self._reader.recv(64):
                pass

    def close(self) -> None:
        """Put the previous handlers back."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def _sd_notify(message: str) -> None:
    address = os.environ.get("NOTIFY_SOCKET")
    if not address or not hasattr(socket, "AF_UNIX"):
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            # Never wait: a notify socket nobody reads fills after a few messages, and a
            # blocking send would freeze the GUI thread until the watchdog killed the show.
            sock.setblocking(False)
            sock.sendto(message.encode(), address)
    except OSError:
        pass  # a full or gone socket: systemd's own watchdog will say so, not a frozen show
