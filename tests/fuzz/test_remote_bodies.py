"""Hostile request bodies for the control API (kiosk/remote): whatever bytes or JSON a
client sends to any endpoint that takes a body, the answer is one of the statuses the API
documents, always JSON with an `error` (and a `field` that is text when there is one),
never a 500; and the show keeps playing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.live import LiveData
from tests.remote.helpers import COLORS, Remote, http_call, start_show

from .strategies import CJK, EMOJI, texts

SHOW = "title: fuzz\ndefaults: {duration: 60s, transition: none}\nslides:\n" + "".join(
    f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}, background: '{color}'}}\n"
    for n, color in enumerate(COLORS[:2])
) + (
    "  - {type: stat, id: rate, label: 破案率, value: 99.2, unit: '%'}\n"
    "  - {type: bar, id: bars, title: 警情, bars: [{label: 一月, value: 3}, {label: 二月, value: 5}]}\n"
)
#: what an endpoint may answer to a body (200: it was taken)
DOCUMENTED = {200, 400, 403, 404, 411, 413, 415, 501, 503}
#: and a request line longer than http.server reads (64 KiB): 414
KEYS = ["command", "argument", "message", "title", "priority", "seconds", "until", "value", "trend",
        "decimals", "bars", "label", "items"]
ENDPOINTS = [("POST", "/api/command"), ("POST", "/api/alert"), ("PUT", "/api/slides/rate/values"),
             ("PUT", "/api/slides/bars/values"), ("PUT", "/api/slides/s1/values")]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), texts(), st.sampled_from(["next", "goto", "urgent", "quit",
                                                                                 "99.5", "10m", CJK, EMOJI]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.sampled_from(KEYS) | texts(8), inner, max_size=6),
    max_leaves=20,
)
objects = st.dictionaries(st.sampled_from(KEYS) | texts(12), json_values, max_size=6)
bodies = st.one_of(
    objects.map(lambda value: json.dumps(value).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=300),
    objects.map(lambda value: json.dumps(value).encode()[: len(json.dumps(value)) // 2]),  # cut short
)


@pytest.fixture
def show(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Remote:
    monkeypatch.delenv("KIOSK_REMOTE_TOKEN", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    remote = start_show(qtbot, tmp_path, text=SHOW,
                        live=lambda window, player: LiveData(window, player, state=tmp_path / "state"))
    yield remote
    remote.service.stop()
    remote.pool.shutdown(wait=True)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(endpoint=st.sampled_from(ENDPOINTS), body=bodies,
       content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain"]))
def test_any_body_gets_a_documented_json_answer(show: Remote, endpoint, body: bytes, content_type: str) -> None:
    method, path = endpoint
    answer = show.call(method, path, raw=body, headers={"Content-Type": content_type})
    check_answer(answer.status, answer.headers, answer.data)
    assert show.window.isVisible()
    assert show.player.snapshot().count == 4


def check_answer(status: int, headers: dict[str, str], data: bytes, *, long_line: bool = False) -> None:
    assert status in DOCUMENTED | ({414} if long_line else set()), (status, data[:300])
    assert headers["content-type"].startswith("application/json")
    payload: Any = json.loads(data)
    if status >= 400:
        assert isinstance(payload["error"], str) and payload["error"]
        assert "Traceback" not in payload["error"]
        assert isinstance(payload.get("field", ""), str)
        assert set(payload) <= {"error", "field"}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=30)
@given(slide=texts(30), size=st.one_of(st.none(), texts(12), st.sampled_from(["0x0", "1920x1080", "16x16",
                                                                                "-5x10", "１２x３４"])))
def test_any_slide_name_and_size_in_a_picture_request(show: Remote, slide: str, size: str | None) -> None:
    from urllib.parse import quote

    path = f"/api/slides/{quote(slide, safe='')}/image" + ("" if size is None else f"?size={quote(size)}")
    future = show.pool.submit(http_call, show.port, "GET", path, token=show.token)
    show.qtbot.waitUntil(future.done, timeout=40_000)
    answer = future.result()
    if answer.status == 200:
        assert answer.headers["content-type"] == "image/png"
    else:
        check_answer(answer.status, answer.headers, answer.data, long_line=len(path) > 65_000)
