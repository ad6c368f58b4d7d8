"""kiosk as a separate process on a real X display (Xvfb, no window manager), driven by
xdotool the way a presenter's clicker would, checked by screenshots."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from .xvfb import close_to, screenshot, wait_for, x_env, xdotool, xvfb

pytestmark = pytest.mark.e2e

# Each slide has its own background colour, so a screenshot says which one is on air.
COLORS = ["#c0392b", "#27ae60", "#2980b9", "#8e44ad"]
PLAYLIST = "title: e2e show\ndefaults: {duration: 60s, transition: none}\nslides:\n" + "".join(
    f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}, background: '{color}'}}\n" for n, color in enumerate(COLORS)
)


def test_keys_on_a_real_display(tmp_path) -> None:
    playlist = tmp_path / "show.yaml"
    playlist.write_text(textwrap.dedent(PLAYLIST), encoding="utf-8")
    with xvfb(1280, 720) as display:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", str(playlist)], env=x_env(display),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            wait_for(lambda: xdotool_search(display), timeout=60, message="the kiosk window", process=process)
            window = xdotool_search(display)
            geometry = xdotool(display, "getwindowgeometry", window)
            assert "Geometry: 1280x720" in geometry, geometry  # covers the screen without a WM
            xdotool(display, "mousemove", "640", "360")
            center = (40, 360)  # left edge: background only, clear of the centred title

            def color_now():
                return screenshot(display, tmp_path / "shot.png").pixelColor(*center)

            wait_for(lambda: close_to(color_now(), COLORS[0]), message="the first slide")
            xdotool(display, "key", "Right")
            xdotool(display, "key", "Right")
            wait_for(lambda: close_to(color_now(), COLORS[2]), message="the third slide after two Right keys")
            xdotool(display, "key", "b")
            wait_for(lambda: close_to(color_now(), "#000000", 2), message="a black screen after B")
            xdotool(display, "key", "period")
            wait_for(lambda: close_to(color_now(), COLORS[2]), message="the picture back after '.'")
            xdotool(display, "key", "Next")  # a clicker's PageDown
            wait_for(lambda: close_to(color_now(), COLORS[3]), message="the fourth slide after PageDown")
            xdotool(display, "key", "Escape")
            assert process.wait(timeout=15) == 0
        finally:
            if process.poll() is None:
                process.kill()
            _, err = process.communicate(timeout=10)
        assert "Traceback" not in err, err


def xdotool_search(display: str) -> str:
    result = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "e2e show"], env=x_env(display),
                            capture_output=True, text=True, timeout=10)
    return result.stdout.split()[0] if result.stdout.split() else ""


def test_no_display_gives_one_line_of_advice(tmp_path) -> None:
    env = {k: v for k, v in x_env(":0").items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "--quit-after", "1"], env=env, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no display found" in lines[0]
    assert "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "kiosk export" in lines[0]


def test_quit_after_with_screenshot_on_xvfb(tmp_path) -> None:
    playlist = tmp_path / "show.yaml"
    playlist.write_text(textwrap.dedent(PLAYLIST), encoding="utf-8")
    shot = tmp_path / "window.png"
    with xvfb(1280, 720) as display:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", str(playlist), "--start", "s2", "--quit-after", "2", "--screenshot", str(shot)],
            env=x_env(display), capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 720)
    assert close_to(image.pixelColor(40, 360), COLORS[1])
