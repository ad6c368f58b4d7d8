"""A real X display for end-to-end tests: Xvfb with no window manager, as on a bare kiosk
PC, or with openbox; and what the audience would see there (where a window is, which one
has the focus, screenshots), read with the X tools a display PC has."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QColor, QImage


@contextmanager
def xvfb(width: int = 1280, height: int = 720, *, randr: bool = False) -> Iterator[str]:
    """Start Xvfb on a free display number; yields ':N'. With randr, screens can be added
    and removed while it runs (`xrandr --setmonitor` / `--delmonitor`, see add_monitor)."""
    binary = shutil.which("Xvfb")
    assert binary, "Xvfb is missing: run tools/system-deps.sh test (make test does)"
    extra = ["+extension", "RANDR", "-noreset"] if randr else []
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp", *extra],
        pass_fds=(write_fd,), stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def x_env(display: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    return env


def x_tool(display: str, *command: str, check: bool = True) -> str:
    """Run an X client (xdotool, wmctrl, xrandr, xwininfo, xprop) on the display; its stdout."""
    result = subprocess.run(list(command), env=x_env(display), capture_output=True, text=True, timeout=30)
    assert not check or result.returncode == 0, f"{' '.join(command)}: {result.stderr}"
    return result.stdout


def xdotool(display: str, *args: str) -> str:
    return x_tool(display, "xdotool", *args)


@contextmanager
def openbox(display: str, home: Path) -> Iterator[subprocess.Popen]:
    """openbox on the display (its default configuration: `home` keeps the user's own out),
    up once it answers as the EWMH window manager."""
    assert shutil.which("openbox") and shutil.which("wmctrl"), "run tools/system-deps.sh test"
    env = {**x_env(display), "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    process = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: "Openbox" in x_tool(display, "wmctrl", "-m", check=False), timeout=20,
                 message="openbox to manage the display")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Window:
    id: int
    x: int
    y: int
    width: int
    height: int
    viewable: bool  # mapped and every ancestor mapped: not minimised, not hidden

    @property
    def rect(self) -> tuple[int, int, int, int]:
        return self.x, self.y, self.width, self.height


def window_info(display: str, window: int) -> Window | None:
    """Where a window is on the screen (absolute), from xwininfo; None once it is gone."""
    text = x_tool(display, "xwininfo", "-id", str(window), check=False)
    if "Absolute upper-left X" not in text:
        return None

    def field(name: str) -> str:
        match = re.search(rf"{name}:\s+(\S+)", text)
        assert match, f"no {name} in xwininfo: {text}"
        return match.group(1)

    return Window(
        window,
        int(field("Absolute upper-left X")),
        int(field("Absolute upper-left Y")),
        int(field("Width")),
        int(field("Height")),
        field("Map State") == "IsViewable",
    )


def windows_of(display: str, pid: int) -> list[int]:
    """The process's top-level windows that have a title (Qt's helper windows have none)."""
    found = x_tool(display, "xdotool", "search", "--pid", str(pid), check=False).split()
    return [int(w) for w in found if x_tool(display, "xdotool", "getwindowname", w, check=False).strip()]


def focused_window(display: str) -> int | None:
    """The window with the keyboard focus (works with and without a window manager)."""
    text = x_tool(display, "xdotool", "getwindowfocus", "-f", check=False).strip()
    return int(text) if text.isdigit() else None


def active_window(display: str) -> int | None:
    """The window manager's active window (_NET_ACTIVE_WINDOW); None with no window manager."""
    text = x_tool(display, "xdotool", "getactivewindow", check=False).strip()
    return int(text) if text.isdigit() else None


def wm_state(display: str, window: int) -> str:
    """The window's _NET_WM_STATE as the window manager set it (FULLSCREEN, HIDDEN, ...)."""
    return x_tool(display, "xprop", "-id", str(window), "_NET_WM_STATE", check=False)


def screen_size(display: str) -> tuple[int, int]:
    text = x_tool(display, "xwininfo", "-root")
    width = int(re.search(r"Width:\s+(\d+)", text).group(1))
    height = int(re.search(r"Height:\s+(\d+)", text).group(1))
    return width, height


def add_monitor(display: str, name: str, geometry: str, output: str = "none") -> None:
    """A screen more, as Qt sees it (screenAdded): geometry 'WxH+X+Y' in pixels. With
    output "screen" it takes the place of Xvfb's own monitor (which covers the whole
    X screen), so two monitors side by side do not overlap."""
    size, x, y = re.fullmatch(r"(\d+x\d+)\+(\d+)\+(\d+)", geometry).groups()
    width, height = (int(v) for v in size.split("x"))
    # xrandr wants a physical size too: 96 dpi.
    spec = f"{width}/{round(width * 25.4 / 96)}x{height}/{round(height * 25.4 / 96)}+{x}+{y}"
    x_tool(display, "xrandr", "--setmonitor", name, spec, output)


def remove_monitor(display: str, name: str) -> None:
    x_tool(display, "xrandr", "--delmonitor", name)


def screenshot(display: str, target: Path) -> QImage:
    """The whole X screen as the audience sees it (ImageMagick's import)."""
    subprocess.run(["import", "-window", "root", str(target)], env=x_env(display), check=True, timeout=30)
    image = QImage(str(target))
    assert not image.isNull(), f"no screenshot at {target}"
    return image


def wait_for(
    condition: Callable[[], object],
    timeout: float = 20.0,
    interval: float = 0.2,
    message: str = "condition",
    process: subprocess.Popen | None = None,
) -> None:
    """Poll condition until it holds. With the process under test: fail at once, with its
    exit code and what it printed, if it ends first, and say whether it still ran."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"kiosk ended ({process.returncode}) before {message}: {_printed(process)}")
        time.sleep(interval)
    state = "" if process is None else f" (kiosk still running: {process.poll() is None})"
    raise AssertionError(f"timed out after {timeout:g} s waiting for {message}{state}")


def _printed(process: subprocess.Popen) -> str:
    try:
        out, err = process.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError):
        return "(its output could not be read)"
    return f"stdout: {str(out)[-2000:]!r} stderr: {str(err)[-4000:]!r}"


def close_to(color: QColor, expected: str, tolerance: int = 24) -> bool:
    want = QColor(expected)
    return all(abs(a - b) <= tolerance for a, b in ((color.red(), want.red()), (color.green(), want.green()),
                                                      (color.blue(), want.blue())))
