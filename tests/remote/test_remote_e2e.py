"""`kiosk PLAYLIST --remote 127.0.0.1:PORT` as its own process on a real X display: the
API moves the wall (a screenshot says which slide is on air), the token is made 0600 and
survives a restart, and neither stderr nor the log file ever holds it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.e2e.xvfb import close_to, screenshot, wait_for, xvfb

from .helpers import COLORS, write_show
from .process import kiosk_with_remote, stop

pytestmark = pytest.mark.e2e

SHOW = "title: e2e remote\ndefaults: {duration: 60s, transition: none}\nslides:\n" + "".join(
    f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}, background: '{color}'}}\n" for n, color in enumerate(COLORS)
)


def test_the_api_drives_the_wall_and_the_token_survives_a_restart(tmp_path: Path) -> None:
    playlist = write_show(tmp_path / "show", SHOW)
    state = tmp_path / "state"
    with xvfb(1280, 720) as display:

        def wall_is(color: str) -> bool:
            return close_to(screenshot(display, tmp_path / "wall.png").pixelColor(40, 360), color)

        with kiosk_with_remote(display, playlist, state) as kiosk:
            token = kiosk.token
            assert stat.S_IMODE(kiosk.token_file.stat().st_mode) == 0o600
            wait_for(lambda: wall_is(COLORS[0]), message="the first slide")
            assert kiosk.call("GET", "/api/status", token=None).status == 401
            answer = kiosk.call("POST", "/api/command", body={"command": "next"})
            assert answer.status == 200 and answer.json["snapshot"]["position"] == 1
            wait_for(lambda: wall_is(COLORS[1]), message="the second slide after POST next")
            assert kiosk.call("POST", "/api/command", body={"command": "goto", "argument": "s4"}).status == 200
            wait_for(lambda: wall_is(COLORS[3]), message="slide s4 after goto")
            assert kiosk.call("POST", "/api/command", body={"command": "quit"}).status == 403
            assert kiosk.process.poll() is None  # still playing
            code, err = stop(kiosk)
            assert code == 0, err
        assert "Traceback" not in err
        assert token not in err
        with kiosk_with_remote(display, playlist, state) as again:
            assert again.token == token  # the same token after a restart
            assert again.call("GET", "/api/status").json["snapshot"]["position"] == 0
            code, err = stop(again)
            assert code == 0, err
    log = (state / "kiosk" / "kiosk.log").read_text(encoding="utf-8")
    assert "remote: control server on http://127.0.0.1:" in log
    assert "remote: no token from 127.0.0.1 for GET /api/status" in log
    leaks = [p for p in state.rglob("*") if p.is_file() and p.name != "remote-token"
             and token in p.read_text(encoding="utf-8", errors="replace")]
    assert leaks == []  # the log, status.json, the play log: none holds the token
