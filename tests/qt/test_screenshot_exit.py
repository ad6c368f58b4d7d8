"""`--screenshot` is for smoke tests: a picture that could not be saved is a failure
(exit 1, naming the file), never a silent exit 0 (issue 20)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage


def smoke(screenshot: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(home),
        "XDG_RUNTIME_DIR": str(home),
    }
    argv = [
        sys.executable,
        "-m",
        "kiosk",
        "--quit-after",
        "0.5",
        "--screenshot",
        str(screenshot),
        "--size",
        "320x180",
    ]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


def test_an_unwritable_screenshot_exits_1_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "shot.png"
    result = smoke(target, tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"cannot save the screenshot to {target}: No such file or directory" in result.stderr


def test_a_written_screenshot_exits_0(tmp_path: Path) -> None:
    target = tmp_path / "shot.png"
    result = smoke(target, tmp_path)
    assert result.returncode == 0, result.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (320, 180)
