"""Start kiosk the way a display PC does, from the lines we ship, and watch it like its
audience: where the window is, whether it has the focus, whether the slides change,
what it wrote to stderr and to its log file.

The start lines are read from the files that ship them (the README, packaging/kiosk.service,
packaging/kiosk.desktop) at test time, so a change there is what gets tested. Each runs
in a home folder of its own laid out as the install instructions say: the one-folder build
(or, for the source install, links to .venv/bin/kiosk and data/) in ~/kiosk.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from tests.e2e.xvfb import (
    Window,
    active_window,
    add_monitor,
    close_to,
    focused_window,
    openbox,
    screenshot,
    wait_for,
    window_info,
    windows_of,
    x_tool,
    xvfb,
)

REPO = Path(__file__).parents[2]
SOURCE_KIOSK = Path(sys.executable).parent / "kiosk"  # the source install: .venv/bin/kiosk
LANDSCAPE, PORTRAIT = (1920, 1080), (1080, 1920)

# Every slide its own background colour, so one pixel says which slide is on air; 1 s each.
COLORS = ["#c0392b", "#27ae60", "#2980b9", "#8e44ad"]
FAST_PLAYLIST = "title: deploy show\ndefaults: {duration: 1s, transition: none}\nslides:\n" + "".join(
    f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}, background: '{color}'}}\n"
    for n, color in enumerate(COLORS)
)


# ---------------------------------------------------------------- the start lines


@dataclass(frozen=True)
class StartLine:
    """One way the show is started: its words, where they come from, and how."""

    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    log_file: Path
    lock: bool
    playlist: Path | None  # the playlist the line plays


def line_from(path: Path, key: str) -> str:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith(f"{key}=")]
    assert len(lines) == 1, f"{path.name}: expected one {key}= line, found {lines}"
    return lines[0][len(key) + 1 :]


def install_home(home: Path, install: str, build: Path | None) -> Path:
    """A home folder with kiosk where the install instructions put it (~/kiosk): the
    one-folder build, or for the source install its program and data at the same places."""
    target = home / "kiosk"
    home.mkdir(parents=True, exist_ok=True)
    if install == "frozen":
        assert build is not None
        target.symlink_to(build, target_is_directory=True)
    else:
        (target / "_internal").mkdir(parents=True)
        (target / "kiosk").symlink_to(SOURCE_KIOSK)
        (target / "_internal" / "data").symlink_to(REPO / "data", target_is_directory=True)
    return target


def session_env(home: Path, display: str) -> dict[str, str]:
    """What a desktop session or a systemd user manager gives its programs: no Qt, kiosk or
    test settings of ours; a PATH, a home, a user, the display."""
    env = {
        "HOME": str(home),
        "USER": f"deploy{os.getpid()}",
        "LOGNAME": f"deploy{os.getpid()}",
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "DISPLAY": display,
    }
    for name in ("LANG", "LC_ALL", "TMPDIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def start_line(
    name: str, install: str, tmp: Path, display: str, build: Path | None, *, fast: bool = True
) -> StartLine:
    """The start line `name` (readme, readme-lock, service, desktop) for the source or the
    frozen install. fast: a playlist of 1 s slides instead of the line's own (the README's
    lines take one as an argument; the shipped files name the bundled one, whose slides
    last 10 s and more)."""
    home = tmp / "home"
    folder = install_home(home, install, build)
    env = session_env(home, display)
    playlist = tmp / "show.yaml"
    playlist.write_text(FAST_PLAYLIST, encoding="utf-8")
    state = home / ".local" / "state"
    if name in ("readme", "readme-lock"):
        # The README: `.venv/bin/kiosk` in the work tree; the one-folder build: "copy it and
        # run kiosk inside". Both take the playlist as their argument.
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        assert ".venv/bin/kiosk " in readme and "--lock" in readme and "run `kiosk` inside" in readme
        program, cwd = (".venv/bin/kiosk", REPO) if install == "source" else ("./kiosk", folder)
        argv = [program, *(["--lock"] if name == "readme-lock" else []), str(playlist)]
        state = tmp / "state"  # a user's shell: set XDG_STATE_HOME to keep the log here
        env["XDG_STATE_HOME"] = str(state)
        return StartLine(name, argv, cwd, env, state / "kiosk" / "kiosk.log", name == "readme-lock", playlist)
    if name == "service":
        text = line_from(REPO / "packaging" / "kiosk.service", "ExecStart")
        argv = shlex.split(text.replace("%h", str(home)))
        assert not any("%" in word for word in argv), f"a systemd specifier the test does not know: {argv}"
        cwd = home  # a user service's working directory
    elif name == "desktop":
        text = line_from(REPO / "packaging" / "kiosk.desktop", "Exec")
        argv = shlex.split(text.replace("/home/display", str(home)))
        assert not any(re.fullmatch(r"%[a-zA-Z]", word) for word in argv), argv  # no field codes
        cwd = home
    else:
        raise ValueError(name)
    shipped = next(Path(word) for word in argv if word.endswith(".yaml"))
    assert shipped.is_file(), f"the line's playlist is not where the line says: {shipped}"
    if fast:
        argv = [str(playlist) if word.endswith(".yaml") else word for word in argv]
    else:
        playlist = shipped
    return StartLine(name, argv, cwd, env, state / "kiosk" / "kiosk.log", "--lock" in argv, playlist)


# ---------------------------------------------------------------- a running show


@dataclass
class Show:
    display: str
    size: tuple[int, int]
    line: StartLine
    process: subprocess.Popen
    wm: bool
    folder: Path
    window: int = 0
    output: dict[str, str] = field(default_factory=dict)
    notify: socket.socket | None = None  # NOTIFY_SOCKET, as systemd gives a Type=notify service
    others: list[subprocess.Popen] = field(default_factory=list)  # other programs' windows
    notified: str = ""
    started: float = field(default_factory=time.monotonic)
    #: the screen the window must cover (x, y, width, height): the whole X screen unless set
    screen_rect: tuple[int, int, int, int] | None = None

    # -------------------------------------------------- what the audience sees

    def find_window(self, timeout: float = 60.0) -> int:
        def found() -> bool:
            assert self.process.poll() is None, f"kiosk exited with {self.process.returncode}: {self.stop()}"
            ids = windows_of(self.display, self.process.pid)
            if ids:
                self.window = ids[0]
            return bool(ids)

        wait_for(found, timeout=timeout, message=f"the kiosk window ({self.line.name})")
        return self.window

    def info(self) -> Window | None:
        return window_info(self.display, self.window)

    def focused(self) -> bool:
        if self.wm:  # the window manager's active window: what it gives keys to
            return active_window(self.display) == self.window
        return focused_window(self.display) == self.window

    def covers_and_focused(self) -> bool:
        info = self.info()
        return (
            info is not None
            and info.viewable
            and info.rect == (self.screen_rect or (0, 0, *self.size))
            and self.focused()
        )

    def state(self) -> str:
        """For failure messages: where the window is and what the window manager says."""
        wm_state = x_tool(self.display, "xprop", "-id", str(self.window), "_NET_WM_STATE", check=False)
        return (
            f"window {self.info()}, focus {focused_window(self.display)}, "
            f"active {active_window(self.display)}, {wm_state.strip()}"
        )

    def pixel(self, x: int, y: int) -> str:
        """The colour of one screen pixel, '#rrggbb' (a 1x1 grab: quick enough to poll)."""
        out = subprocess.run(
            ["import", "-window", "root", "-crop", f"1x1+{x}+{y}", "txt:-"],
            env={"DISPLAY": self.display, "PATH": os.environ["PATH"]},
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
        # '# ImageMagick pixel enumeration: 1,1,65535,srgb' then '0,0: (r,g,b[,a])  ...'
        top = int(re.search(r"enumeration: \d+,\d+,(\d+),", out).group(1))
        values = re.search(r"0,0: \(([\d.,]+)\)", out).group(1).split(",")
        red, green, blue = (round(float(v) * 255 / top) for v in values[:3])
        return f"#{red:02x}{green:02x}{blue:02x}"

    def shot(self, name: str) -> QImage:
        return screenshot(self.display, self.folder / f"{name}.png")

    # -------------------------------------------------- ending

    def alive_after(self, seconds: float) -> None:
        """Still running `seconds` after it was started (a crash a moment after the first
        frame, a watchdog that fires, an exception that ends the event loop)."""
        time.sleep(max(0.0, self.started + seconds - time.monotonic()))
        assert self.process.poll() is None, f"{self.line.name} ended: {self.stop()}"

    def notes(self) -> str:
        """What kiosk told systemd so far (READY=1, WATCHDOG=1, ...)."""
        return self.notified

    def _read_notes(self) -> None:
        """Drain NOTIFY_SOCKET as systemd does, all the time: a datagram socket whose queue
        is full (10 messages) blocks the sender, and kiosk sends WATCHDOG=1 every second."""
        assert self.notify is not None
        self.notify.settimeout(0.2)
        while self.process.poll() is None:
            try:
                self.notified += self.notify.recv(4096).decode() + "\n"
            except TimeoutError:
                continue
            except OSError:
                return  # closed at the end of the test

    def stop(self) -> str:
        """End the process if it still runs; its stdout and stderr."""
        for other in self.others:
            other.terminate()
            other.wait(timeout=10)
        self.others.clear()
        if not self.output:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
            out, err = self.process.communicate(timeout=10)
            self.output = {"stdout": out, "stderr": err}
        return self.output["stdout"] + self.output["stderr"]

    def log(self) -> str:
        path = self.line.log_file
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def assert_no_traceback(self) -> None:
        self.stop()
        for where, text in (*self.output.items(), ("log file", self.log())):
            for bad in ("Traceback", "Error calling Python override"):
                assert bad not in text, f"{bad} in the {where} of {self.line.name}:\n{text[-4000:]}"


@contextmanager
def running(
    line_name: str,
    install: str,
    size: tuple[int, int],
    wm: bool,
    tmp: Path,
    build: Path | None,
    *,
    fast: bool = True,
    randr: bool = False,
    monitors: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
) -> Iterator[Show]:
    """Xvfb at `size` (with openbox when wm; with RandR monitors {name: 'WxH+X+Y'} set
    before kiosk starts), and kiosk started by the line, as a user would, with `extra`
    arguments after the line's own; stopped and its Xvfb ended afterwards."""
    with ExitStack() as stack:
        display = stack.enter_context(xvfb(*size, randr=randr or bool(monitors)))
        for name, geometry in (monitors or {}).items():
            add_monitor(display, name, geometry, output="screen" if geometry.endswith("+0+0") else "none")
        if wm:
            stack.enter_context(openbox(display, tmp / "wm-home"))
        line = start_line(line_name, install, tmp, display, build, fast=fast)
        if extra:
            line = replace(line, argv=[*line.argv, *extra])
        env, notify = dict(line.env), None
        if line_name == "service":
            # A short path: a socket's name has room for about 100 bytes.
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sd")))
            notify = stack.enter_context(socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM))
            notify.bind(str(folder / "notify"))
            env["NOTIFY_SOCKET"] = str(folder / "notify")
        process = subprocess.Popen(
            line.argv, cwd=line.cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        show = Show(display, size, line, process, wm, tmp, notify=notify)
        if notify is not None:
            threading.Thread(target=show._read_notes, daemon=True).start()
        try:
            yield show
        finally:
            show.stop()


def wait_covering(show: Show, timeout: float = 15.0, after: str = "") -> None:
    try:
        wait_for(show.covers_and_focused, timeout=timeout, interval=0.1)
    except AssertionError:
        raise AssertionError(
            f"{show.line.name}: the show does not cover the screen with the focus{after}: {show.state()}"
        ) from None


def slide_colour(show: Show) -> str | None:
    """Which of the fast playlist's slides is on screen (its colour), by a pixel on the
    left edge (the title is centred); None for anything else."""


    x, y, _, height = show.screen_rect or (0, 0, *show.size)
    colour = QColor(show.pixel(x + 40, y + height // 2))
    return next((c for c in COLORS if close_to(colour, c)), None)


def assert_slides_change(show: Show, timeout: float = 10.0) -> None:
    """The fast playlist's slides follow each other: two different slides seen in turn."""
    seen: list[str] = []

    def two_slides() -> bool:
        colour = slide_colour(show)
        if colour is not None and (not seen or seen[-1] != colour):
            seen.append(colour)
        return len(seen) >= 2

    wait_for(two_slides, timeout=timeout, interval=0.15, message=f"the slides to change ({show.line.name})")


def changed_fraction(a: QImage, b: QImage) -> float:
    """The share of pixels that differ between two screenshots, sampled on a grid, above
    the bottom 5 % of the screen (where the progress bar moves all the time)."""
    assert a.size() == b.size()
    step = 4
    total = changed = 0
    for y in range(0, round(a.height() * 0.95), step):
        for x in range(0, a.width(), step):
            total += 1
            if a.pixel(x, y) != b.pixel(x, y):
                changed += 1
    return changed / total


def assert_bundled_slides_change(show: Show, timeout: float = 40.0) -> None:
    """The bundled playlist's first slide (a title: nothing moves on it once it is in but
    the progress bar) gives way to the next: the picture above the bar changes."""
    time.sleep(3.0)  # the first slide's count-up and fade are over
    first = show.shot("first")
    deadline = time.monotonic() + timeout
    largest = 0.0
    while time.monotonic() < deadline:
        time.sleep(1.0)
        # Another slide: new words, the counter's "2 / 30"; the same slide: nothing at all.
        largest = max(largest, changed_fraction(first, show.shot("later")))
        if largest > 0.005:
            return
    raise AssertionError(
        f"{show.line.name}: the bundled playlist's first slide never changed ({largest:.2%} of the picture)"
    )
