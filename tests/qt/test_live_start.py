"""The show as a program (offscreen) starts its live data with no control server:
alert.yaml beside the playlist goes on the wall, and an API alert kept by an earlier run
comes back until it expires."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtGui import QImage

from kiosk import alerts
from kiosk.alert_layer import URGENT_RED, WARNING_AMBER

SHOW = "defaults: {transition: none}\nslides:\n  - {type: title, id: hello, title: 向人民报告}\n"


def play(folder: Path, screenshot: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(folder / "state"),
        "XDG_RUNTIME_DIR": str(folder),
    }
    argv = [sys.executable, "-m", "kiosk", str(folder / "show" / "show.yaml"), "--size", "480x270",
            "--quit-after", "1.5", "--screenshot", str(screenshot), "--log-level", "info"]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


def centre(screenshot: Path) -> str:
    image = QImage(str(screenshot))
    return image.pixelColor(image.width() // 2, image.height() * 9 // 10).name()


def test_alert_yaml_goes_on_the_wall_without_a_server(tmp_path: Path) -> None:
    (tmp_path / "show").mkdir()
    (tmp_path / "show" / "show.yaml").write_text(SHOW, encoding="utf-8")
    (tmp_path / "show" / "alert.yaml").write_text("message: 紧急疏散\npriority: urgent\n", encoding="utf-8")
    result = play(tmp_path, tmp_path / "shot.png")
    assert result.returncode == 0, result.stderr
    assert "alert on the wall: [urgent] 紧急疏散 (from file, until cleared)" in result.stderr
    assert centre(tmp_path / "shot.png") == URGENT_RED.name()


def test_a_kept_api_alert_comes_back_until_it_expires(tmp_path: Path) -> None:
    (tmp_path / "show").mkdir()
    (tmp_path / "show" / "show.yaml").write_text(SHOW, encoding="utf-8")
    state = tmp_path / "state" / "kiosk"
    alert = alerts.parse_alert({"message": "寻人启事", "seconds": 3600})
    alerts.save_api_alert(state, alerts.activate(alert, "api", datetime.now()))
    result = play(tmp_path, tmp_path / "kept.png")
    assert result.returncode == 0, result.stderr
    assert "alert kept from the last run: [warning] 寻人启事" in result.stderr
    image = QImage(str(tmp_path / "kept.png"))
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == WARNING_AMBER.name()
    # an hour and more later: gone, and gone from the state folder
    set_at = datetime.now() - timedelta(hours=2)
    alerts.save_api_alert(state, alerts.ActiveAlert(alert, "api", set_at, set_at + timedelta(hours=1)))
    result = play(tmp_path, tmp_path / "later.png")
    assert result.returncode == 0, result.stderr
    assert "alert: the kept alert expired while kiosk was not running" in result.stderr
    assert not (state / alerts.STATE_FILE).exists()
    later = QImage(str(tmp_path / "later.png"))
    assert later.pixelColor(later.width() // 2, later.height() // 2).name() != WARNING_AMBER.name()
