"""A real X display for end-to-end tests: Xvfb with no window manager, as on a bare kiosk PC."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtGui import QColor, QImage


@contextmanager
def xvfb(width: int = 1280, height: int = 720) -> Iterator[str]:
    """Start Xvfb on a free display number; yields ':N'."""
    binary = shutil.which("Xvfb")
    assert binary, "Xvfb is missing: run tools/system-deps.sh test (make test does)"
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
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


def xdotool(display: str, *args: str) -> str:
    result = subprocess.run(["xdotool", *args], env=x_env(display), capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def screenshot(display: str, target: Path) -> QImage:
    """The whole X screen as the audience sees it (ImageMagick's import)."""
    subprocess.run(["import", "-window", "root", str(target)], env=x_env(display), check=True, timeout=30)
    image = QImage(str(target))
    assert not image.isNull(), f"no screenshot at {target}"
    return image


def wait_for(condition, timeout: float = 20.0, interval: float = 0.2, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


def close_to(color: QColor, expected: str, tolerance: int = 24) -> bool:
    want = QColor(expected)
    return all(abs(a - b) <= tolerance for a, b in ((color.red(), want.red()), (color.green(), want.green()),
                                                      (color.blue(), want.blue())))
