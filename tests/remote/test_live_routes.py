"""POST/DELETE /api/alert and PUT /api/slides/<id>/values over real HTTP, into the real
LiveData (kiosk/live.py) of a real show: what the wall shows, and every refusal as JSON."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.live import LiveData

from .helpers import COLORS, Remote, start_show

LIVE_SHOW = "title: 实时\ndefaults: {duration: 60s, transition: none}\nslides:\n" + "".join(
    f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}, background: '{color}'}}\n"
    for n, color in enumerate(COLORS[:2])
) + (
    "  - {type: stat, id: rate, label: 破案率, value: 99.2, unit: '%'}\n"
    "  - {type: gauge, id: dial, label: 满意度, value: 90, max: 100, unit: '%'}\n"
)


@pytest.fixture
def live_remote(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Remote]:
    monkeypatch.delenv("KIOSK_REMOTE_TOKEN", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    state = tmp_path / "state"

    def make(window, player) -> LiveData:
        return LiveData(window, player, state=state)

    show = start_show(qtbot, tmp_path, live=make, text=LIVE_SHOW)
    yield show
    show.service.stop()
    show.pool.shutdown(wait=True)


def live_of(remote: Remote) -> LiveData:
    live = remote.service.live
    assert isinstance(live, LiveData)
    return live


def test_an_alert_goes_up_and_comes_down(live_remote: Remote, caplog) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.remote")
    answer = live_remote.call("POST", "/api/alert", body={"message": "寻找走失儿童: 红衣男孩, 5岁",
                                                            "title": "紧急寻人", "priority": "urgent",
                                                            "seconds": 600})
    assert answer.status == 200, answer.data
    assert answer.json["on_screen"] is True
    live = live_of(live_remote)
    assert live.layer.isVisible()
    status = live_remote.call("GET", "/api/status").json
    assert status["live"] is True
    assert status["alert"]["alert"]["message"] == "寻找走失儿童: 红衣男孩, 5岁"
    assert status["alert"]["source"] == "api"
    assert any("alert shown" in line for line in caplog.messages)
    cleared = live_remote.call("DELETE", "/api/alert")
    assert cleared.status == 200 and cleared.json["cleared"] is True
    live_remote.qtbot.waitUntil(lambda: not live.layer.isVisible(), timeout=5000)
    assert live_remote.call("GET", "/api/status").json["alert"] is None
    again = live_remote.call("DELETE", "/api/alert")
    assert again.status == 404
    assert "no alert" in again.json["error"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"message": ""}, "message"),
        ({"message": ["寻人"]}, "message"),
        ({"message": {"text": "寻人"}}, "message"),
        ({"message": "x" * 5000}, "message"),
        ({"message": "x", "priority": "apocalypse"}, "priority"),
        ({"message": "x", "seconds": -5}, "seconds"),
        ({"message": "x", "seconds": "soon"}, "seconds"),
        ({"message": "x", "until": 1800}, "until"),
        ({"message": "x", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_alert_is_refused_with_its_field(live_remote: Remote, body, field) -> None:
    answer = live_remote.call("POST", "/api/alert", body=body)
    assert answer.status == 400, answer.data
    assert answer.json["field"] == field
    assert not live_of(live_remote).layer.isVisible()


def test_pushed_values_reach_the_slide(live_remote: Remote) -> None:
    answer = live_remote.call("PUT", "/api/slides/rate/values", body={"value": 97.5})
    assert answer.status == 200, answer.data
    slide = next(s for s in live_remote.player.snapshot().playlist.slides if s.id == "rate")
    assert slide.value == 97.5
    assert live_remote.call("POST", "/api/command", body={"command": "goto", "argument": "rate"}).status == 200
    assert live_remote.window.view.model.value == 97.5  # the wall's own slide


def test_the_slides_picture_follows_pushed_values(live_remote: Remote) -> None:
    before = live_remote.call("GET", "/api/slides/dial/image?size=320x180").data
    assert live_remote.call("PUT", "/api/slides/dial/values", body={"value": 12}).status == 200
    after = live_remote.call("GET", "/api/slides/dial/image?size=320x180").data
    assert after != before  # not the cached picture of the old figure


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/api/slides/nope/values", {"value": 1}, 404, None),
        ("/api/slides/rate/values", {"value": "many"}, 400, "value"),
        ("/api/slides/rate/values", {"value": [1, 2]}, 400, "value"),
        ("/api/slides/rate/values", {"label": "改了"}, 400, "label"),
        ("/api/slides/rate/values", {"bogus": 1}, 400, "bogus"),
        ("/api/slides/dial/values", {"value": 250}, 400, "value"),  # beyond the gauge's max
        ("/api/slides/s1/values", {"value": 1}, 400, None),  # a title slide has no figures
    ],
)
def test_bad_pushes_are_refused(live_remote: Remote, path, body, status, field) -> None:
    answer = live_remote.call("PUT", path, body=body)
    assert answer.status == status, answer.data
    if field is not None:
        assert answer.json["field"] == field
    assert "error" in answer.json
    slide = next(s for s in live_remote.player.snapshot().playlist.slides if s.id == "rate")
    assert slide.value == 99.2
