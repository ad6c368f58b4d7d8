"""A real show (ShowWindow + Player, pytest-qt) with its control server on 127.0.0.1, and
a client that makes real HTTP requests from another thread while the test's thread runs
Qt's event loop (the server hands work to the GUI thread, which must be free to do it)."""

from __future__ import annotations

import http.client
import json
import textwrap
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.app import slide_context
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.remote.address import Address
from kiosk.remote.service import RemoteService
from kiosk.theme import register_fonts
from kiosk.window import ShowWindow

COLORS = ["#c0392b", "#27ae60", "#2980b9", "#8e44ad"]
SHOW = "title: 遥控测试\ndefaults: {duration: 60s, transition: none}\nslides:\n" + "".join(
    f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}, background: '{color}'}}\n"
    for n, color in enumerate(COLORS)
) + "  - {type: stat, label: 破案率, value: 99.2, unit: '%'}\n"


def write_show(folder: Path, text: str = SHOW) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "show.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    data: bytes

    @property
    def json(self) -> Any:
        assert self.headers.get("content-type", "").startswith("application/json"), self.headers
        return json.loads(self.data)


def http_call(port: int, method: str, path: str, *, body: Any = None, raw: bytes | None = None,
              token: str | None = None, headers: dict[str, str] | None = None, timeout: float = 30) -> Response:
    """One request on its own connection (blocking: call it off the GUI thread)."""
    sent = dict(headers or {})
    if token is not None:
        sent.setdefault("Authorization", f"Bearer {token}")
    payload = raw
    if body is not None:
        payload = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=sent)
        answer = connection.getresponse()
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
    finally:
        connection.close()


@dataclass
class Remote:
    """The show and its server; `call` makes a request and spins the event loop meanwhile."""

    qtbot: Any
    window: ShowWindow
    player: Player
    service: RemoteService
    path: Path
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=64))

    @property
    def port(self) -> int:
        return self.service.port

    @property
    def token(self) -> str:
        return self.service.token

    def submit(self, method: str, path: str, **options: Any) -> Future[Response]:
        options.setdefault("token", self.token)
        return self.pool.submit(http_call, self.port, method, path, **options)

    def call(self, method: str, path: str, **options: Any) -> Response:
        future = self.submit(method, path, **options)
        self.qtbot.waitUntil(future.done, timeout=40_000)
        return future.result()

    def wait(self, futures: list[Future[Response]], timeout_ms: int = 120_000) -> list[Response]:
        self.qtbot.waitUntil(lambda: all(f.done() for f in futures), timeout=timeout_ms)
        return [f.result() for f in futures]


def start_show(qtbot: Any, tmp_path: Path, *, live: Any = None, text: str = SHOW) -> Remote:
    register_fonts()  # the bundled CJK fonts, as the show has them
    path = write_show(tmp_path / "show", text)
    player = Player(load_playlist(path))
    window = ShowWindow(player, slide_context(player.playlist))
    qtbot.addWidget(window)
    assert player.start()
    window.resize(640, 360)
    window.show()
    service = RemoteService(window, player, Address("127.0.0.1", 0), state=tmp_path / "state", source=path,
                            live=live(window, player) if callable(live) else live)
    assert service.start()
    return Remote(qtbot, window, player, service, path)
