"""Alerts and pushed figures through the API of kiosk running as its own process under
Xvfb: the wall (a screenshot) shows the pushed figure and the alert, and a SIGTERM and
restart keep the pushed figure and an alert that has not expired, but not one that has."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.e2e.xvfb import screenshot, wait_for, xvfb

from .helpers import write_show
from .process import KioskProcess, kiosk_with_remote, stop

pytestmark = pytest.mark.e2e

SHOW = """title: e2e live
defaults: {duration: 120s, transition: none}
slides:
  - {type: stat, id: rate, label: 现行命案破案率, value: 99.2, unit: "%"}
  - {type: title, id: end, title: 谢谢}
"""
SIZE = (1280, 720)


def difference(a: QImage, b: QImage, step: int = 6) -> float:
    """Mean difference of the two pictures' channels (0-255), sampled on a grid."""
    total, count = 0, 0
    for y in range(0, min(a.height(), b.height()), step):
        for x in range(0, min(a.width(), b.width()), step):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            total += abs(p.red() - q.red()) + abs(p.green() - q.green()) + abs(p.blue() - q.blue())
            count += 3
    return total / count


def settled_wall(display: str, tmp_path: Path, name: str) -> QImage:
    """The screen once two shots half a second apart agree (a count-up has finished)."""
    shots: list[QImage] = []

    def still() -> bool:
        shots.append(screenshot(display, tmp_path / f"{name}.png"))
        time.sleep(0.5)
        return len(shots) > 1 and difference(shots[-1], shots[-2]) < 0.05

    wait_for(still, timeout=30, message=f"the wall to settle ({name})")
    return shots[-1]


def picture(kiosk: KioskProcess) -> QImage:
    answer = kiosk.call("GET", f"/api/slides/rate/image?size={SIZE[0]}x{SIZE[1]}")
    assert answer.status == 200
    return QImage.fromData(answer.data, "PNG")


def test_pushed_figures_and_alerts_on_the_wall_across_a_restart(tmp_path: Path) -> None:
    playlist = write_show(tmp_path / "show", SHOW)
    state = tmp_path / "state"
    with xvfb(*SIZE) as display:
        with kiosk_with_remote(display, playlist, state) as kiosk:
            before = settled_wall(display, tmp_path, "before")
            old_picture = picture(kiosk)
            answer = kiosk.call("PUT", "/api/slides/rate/values", body={"value": 87.5})
            assert answer.status == 200, answer.data
            pushed = settled_wall(display, tmp_path, "pushed")
            new_picture = picture(kiosk)
            assert difference(pushed, before) > 0.3  # the figure changed on the wall
            # ... to the pushed one: the wall is far closer to the slide drawn with 87.5 than with 99.2
            assert difference(pushed, new_picture) * 3 < difference(pushed, old_picture)
            assert kiosk.call("POST", "/api/alert", body={"message": "紧急: 请从东门有序疏散", "priority": "urgent",
                                                          "seconds": 3600}).status == 200
            alerted = settled_wall(display, tmp_path, "alerted")
            assert difference(alerted, pushed) > 5  # a band across the wall
            assert stop(kiosk)[0] == 0
        with kiosk_with_remote(display, playlist, state) as again:
            restarted = settled_wall(display, tmp_path, "restarted")
            assert difference(restarted, alerted) < 1.5  # the alert and the pushed figure are back
            assert difference(picture(again), new_picture) < 0.5
            assert again.call("GET", "/api/status").json["alert"]["alert"]["message"] == "紧急: 请从东门有序疏散"
            assert again.call("DELETE", "/api/alert").status == 200
            assert again.call("POST", "/api/alert", body={"message": "即将过期", "seconds": 2}).status == 200
            assert stop(again)[0] == 0
        time.sleep(2.5)  # the short alert expires while kiosk is down
        with kiosk_with_remote(display, playlist, state):
            after = settled_wall(display, tmp_path, "expired")
            assert difference(after, pushed) < 1.5  # no alert; the pushed figure stays
