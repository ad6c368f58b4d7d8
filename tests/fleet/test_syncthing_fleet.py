"""A fleet by Syncthing, end to end (issue 17): headquarters and one screen, two real
Syncthing instances on 127.0.0.1 set up by `kiosk fleet configure`, and kiosk playing the
screen's copy of the show under Xvfb. An edit at headquarters (the playlist and a
picture) is on the screen's wall within 30 s; the screen's status.json and play log come
back to headquarters, and nothing else of its state folder does."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.e2e.xvfb import close_to, screenshot, wait_for, x_env, xvfb

from .syncthing import Device, configure, generate, running

pytestmark = pytest.mark.e2e

SHOW = """title: 舰队
defaults: {duration: 2s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: image, src: picture.png, fit: cover, id: picture}
"""
NEWS = SHOW + "  - {type: title, title: 新消息, id: news}\n"
#: the contract: an edit at headquarters is on the wall within this
DEADLINE_S = 30.0


def fleet_file(folder: Path, hq: Device, screen: Device, tmp: Path) -> Path:
    path = folder / "fleet.yaml"
    path.write_text(
        f"""headquarters:
  name: {hq.name}
  id: {hq.id}
  address: {hq.address}
  listen: {hq.address}
  show: {tmp / "hq" / "show"}
  returns: {tmp / "hq" / "returns"}
screens:
  - name: {screen.name}
    id: {screen.id}
    address: {screen.address}
    listen: {screen.address}
    show: {tmp / "screen" / "show"}
    state: {tmp / "screen" / "state" / "kiosk"}
""",
        encoding="utf-8",
    )
    return path


def picture(path: Path, colour: str) -> None:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))


def status_of(state: Path) -> dict:
    try:
        return json.loads((state / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def test_an_edit_at_headquarters_reaches_the_wall_and_the_status_comes_back(tmp_path: Path) -> None:
    hq = generate("hq", tmp_path / "hq")
    screen = generate("hall-1", tmp_path / "screen")
    fleet = fleet_file(tmp_path, hq, screen, tmp_path)
    assert "wrote" in configure(fleet, hq)
    assert "wrote" in configure(fleet, screen)
    show_hq, show_screen = tmp_path / "hq" / "show", tmp_path / "screen" / "show"
    state = tmp_path / "screen" / "state" / "kiosk"
    returned = tmp_path / "hq" / "returns" / screen.name
    (show_hq / "show.yaml").write_text(SHOW, encoding="utf-8")
    picture(show_hq / "picture.png", "#c0392b")

    with running(hq, tmp_path / "hq.log"), running(screen, tmp_path / "screen.log"):
        wait_for(lambda: (show_screen / "picture.png").exists() and (show_screen / "show.yaml").exists(),
                 timeout=90, interval=0.5, message="the show at the screen")
        with xvfb(640, 360) as display:
            env = {**x_env(display), "XDG_STATE_HOME": str(state.parent), "USER": f"fleet-{os.getpid()}"}
            kiosk = subprocess.Popen([sys.executable, "-m", "kiosk", str(show_screen / "show.yaml")], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            try:
                wait_for(lambda: status_of(state).get("snapshot", {}).get("count") == 2, timeout=60,
                         message="kiosk playing the synced show")
                # The edit at headquarters: a new slide, and the picture changed.
                picture(show_hq / "picture.png", "#27ae60")
                (show_hq / "show.yaml").write_text(NEWS, encoding="utf-8")
                edited = time.monotonic()
                wait_for(lambda: status_of(state).get("snapshot", {}).get("slide") == "news",
                         timeout=DEADLINE_S, interval=0.1, message=f"the new slide on the wall within {DEADLINE_S} s")
                print(f"fleet: the new slide was on the wall {time.monotonic() - edited:.1f} s after the edit")
                version = hashlib.sha256(NEWS.encode()).hexdigest()[:12]
                assert status_of(state)["playlist"]["version"] == version

                def new_picture_on_air() -> bool:
                    status = status_of(state).get("snapshot", {})
                    if status.get("slide") != "picture":
                        return False
                    time.sleep(0.4)  # painted by now (transition none)
                    colour = screenshot(display, tmp_path / "wall.png").pixelColor(320, 180)
                    return close_to(colour, "#27ae60")

                wait_for(new_picture_on_air, timeout=20, interval=0.2, message="the new picture on the wall")

                # The screen's status and play log arrive at headquarters.
                wait_for(lambda: status_of(returned).get("playlist", {}).get("version") == version,
                         timeout=90, interval=0.5, message="the screen's status.json at headquarters")
                wait_for(lambda: any((returned / "plays").glob("plays-*.jsonl")), timeout=60, interval=0.5,
                         message="the screen's play log at headquarters")
                print(f"fleet: the screen's status and play log were back {time.monotonic() - edited:.1f} s after the edit")
            finally:
                kiosk.terminate()
                _, err = kiosk.communicate(timeout=30)
        assert "Traceback" not in err, err
    # Only status.json and the play log went back: the log, the last good copy, any token stay.
    kept = {p.name for p in state.iterdir()} - {".stfolder", ".stignore"}
    assert {"status.json", "plays"} < kept  # the screen had more in its state folder
    arrived = {p.name for p in returned.iterdir()} - {".stfolder", ".stversions"}
    assert arrived == {"status.json", "plays"}, arrived
