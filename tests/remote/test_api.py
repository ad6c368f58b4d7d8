"""The control API over real HTTP to a real show on 127.0.0.1: every endpoint, tokens,
hostile bodies, unknown slides and fields, and many requests at once."""

from __future__ import annotations

import itertools
import logging
import time

import pytest
from PySide6.QtGui import QImage

from kiosk import __version__
from kiosk.remote.guard import FREE_FAILURES
from kiosk.remote.server import MAX_BODY

from .helpers import Remote


def position(remote: Remote) -> int | None:
    return remote.player.snapshot().position


# ---------------------------------------------------------------- status


def test_status_says_what_is_on_air(remote: Remote) -> None:
    answer = remote.call("GET", "/api/status")
    assert answer.status == 200
    assert answer.headers["cache-control"] == "no-store"
    status = answer.json
    assert status["kiosk"] == __version__
    assert status["uptime_seconds"] >= 0
    assert status["playlist"]["path"] == str(remote.path)
    assert status["playlist"]["title"] == "遥控测试"
    snapshot = status["snapshot"]
    assert (snapshot["slide"], snapshot["position"], snapshot["count"]) == ("s1", 0, 5)
    assert snapshot["next_slide"] == "s2"
    assert snapshot["problems"] == []
    assert 55 < snapshot["time_left"] <= 60  # counted down to the moment of the request


def test_status_counts_time_left_down_between_snapshots(remote: Remote) -> None:
    first = remote.call("GET", "/api/status").json["snapshot"]["time_left"]
    remote.qtbot.wait(600)
    second = remote.call("GET", "/api/status").json["snapshot"]["time_left"]
    assert 0.4 < first - second < 3


def test_status_lists_the_playlists_problems(remote: Remote) -> None:
    remote.player.set_problems(["show.yaml:3:5: unknown key 'titel'"])
    assert remote.call("GET", "/api/status").json["snapshot"]["problems"] == ["show.yaml:3:5: unknown key 'titel'"]


# ---------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "bearer  "},
    ],
    ids=["none", "wrong", "empty", "basic", "blank"],
)
def test_no_or_wrong_token_is_401_and_logged(remote: Remote, headers, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk.remote")
    before = position(remote)
    for method, path, body in [("GET", "/api/status", None), ("POST", "/api/command", {"command": "next"})]:
        answer = remote.call(method, path, body=body, token=None, headers=headers)
        assert answer.status == 401
        assert "token" in answer.json["error"]
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert position(remote) == before
    refusals = [r.getMessage() for r in caplog.records if "token from 127.0.0.1" in r.getMessage()]
    assert len(refusals) == 2
    assert all(remote.token not in line for line in caplog.messages)


def test_the_right_token_with_its_scheme_in_any_case_is_taken(remote: Remote) -> None:
    answer = remote.call("GET", "/api/status", token=None, headers={"Authorization": f"bearer {remote.token}"})
    assert answer.status == 200


def test_a_token_in_the_query_string_is_not_taken(remote: Remote) -> None:
    answer = remote.call("GET", f"/api/status?token={remote.token}", token=None)
    assert answer.status == 401


def test_an_unknown_endpoint_without_a_token_says_401_not_404(remote: Remote) -> None:
    assert remote.call("GET", "/api/secret", token=None).status == 401
    assert remote.call("GET", "/api/secret").status == 404


def test_repeated_failures_are_slowed_and_a_success_forgives(remote: Remote) -> None:
    timings = []
    for _ in range(FREE_FAILURES + 2):
        start = time.monotonic()
        assert remote.call("GET", "/api/status", token="wrong-token-wrong-token").status == 401
        timings.append(time.monotonic() - start)
    assert max(timings[:FREE_FAILURES]) < 0.2  # a phone with an old token is answered at once
    assert timings[FREE_FAILURES] >= 0.25
    assert timings[FREE_FAILURES + 1] >= 0.5  # doubling
    assert remote.call("GET", "/api/status").status == 200
    start = time.monotonic()
    assert remote.call("GET", "/api/status", token="wrong-token-wrong-token").status == 401
    assert time.monotonic() - start < 0.2


def test_the_gui_runs_while_a_refusal_waits(remote: Remote) -> None:
    for _ in range(FREE_FAILURES + 3):  # the next refusal waits a second
        remote.call("GET", "/api/status", token="wrong-token-wrong-token")
    slow = remote.submit("GET", "/api/status", token="wrong-token-wrong-token")
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    remote.qtbot.waitUntil(slow.done, timeout=20_000)
    timer.stop()
    assert slow.result().status == 401
    assert len(ticks) >= 20  # the event loop kept turning through the delay
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.25


# ---------------------------------------------------------------- commands


def command(remote: Remote, name: str, argument=None, **options):
    body = {"command": name} if argument is None else {"command": name, "argument": argument}
    return remote.call("POST", "/api/command", body=body, **options)


def test_navigation_commands_move_the_show(remote: Remote) -> None:
    answer = command(remote, "next")
    assert answer.status == 200
    assert answer.json["snapshot"]["position"] == 1 == position(remote)
    assert command(remote, "last").json["snapshot"]["position"] == 4
    assert command(remote, "previous").json["snapshot"]["position"] == 3
    assert command(remote, "first").json["snapshot"]["position"] == 0
    assert command(remote, "goto", "3").json["snapshot"]["position"] == 2
    assert command(remote, "goto", 2).json["snapshot"]["position"] == 1
    assert command(remote, "goto", "s4").json["snapshot"]["slide"] == "s4"
    assert remote.window.view.model.id == "s4"  # the wall shows it, not only the player


def test_goto_an_unknown_slide_is_404_with_the_field(remote: Remote) -> None:
    for target in ["99", "nope", "0"]:
        answer = command(remote, "goto", target)
        assert answer.status == 404
        assert answer.json["field"] == "argument"
        assert "1 to 5" in answer.json["error"]
    assert position(remote) == 0
    assert remote.window.input.goto_text is None  # no "go to" prompt left on the wall


def test_pause_pauses_and_resume_resumes(remote: Remote) -> None:
    assert command(remote, "pause").json["snapshot"]["paused"] is True
    assert command(remote, "pause").json["snapshot"]["paused"] is True  # not a toggle
    assert remote.window.overlay.state.paused
    assert command(remote, "resume").json["snapshot"]["paused"] is False
    assert command(remote, "resume").json["snapshot"]["paused"] is False


def test_black_toggles_the_black_screen(remote: Remote) -> None:
    assert command(remote, "black").json["snapshot"]["blacked"] is True
    assert remote.window.black.isVisible()
    assert command(remote, "black").json["snapshot"]["blacked"] is False
    assert not remote.window.black.isVisible()


def test_reload_asks_the_show_to_reload(remote: Remote) -> None:
    with remote.qtbot.waitSignal(remote.window.reload_requested, timeout=10_000):
        future = remote.submit("POST", "/api/command", body={"command": "reload"})
    remote.qtbot.waitUntil(future.done, timeout=10_000)
    assert future.result().status == 200


@pytest.mark.parametrize("name", ["quit", "help", "overview", "fullscreen"])
def test_commands_for_someone_at_the_screen_are_refused_with_a_reason(remote: Remote, name: str) -> None:
    answer = command(remote, name)
    assert answer.status == 403
    assert answer.json["field"] == "command"
    assert "remote" in answer.json["error"]
    assert remote.window.isVisible()
    assert not remote.window.overlay.state.help
    assert not remote.window.overview.isVisible()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"command": "jump"}, "command", "unknown command 'jump'"),
        ({"command": 3}, "command", "must be one of"),
        ({"command": None}, "command", "must be one of"),
        ({}, "command", "must be one of"),
        ({"command": "NEXT"}, "command", "unknown command"),
        ({"command": "next", "argument": "2"}, "argument", "takes no argument"),
        ({"command": "goto"}, "argument", "goto needs"),
        ({"command": "goto", "argument": True}, "argument", "goto needs"),
        ({"command": "goto", "argument": [1]}, "argument", "goto needs"),
        ({"command": "goto", "argument": 2.5}, "argument", "goto needs"),
        ({"command": "goto", "argument": "x" * 201}, "argument", "1 to 200"),
        ({"command": "next", "force": True}, "force", "unknown field 'force'"),
    ],
)
def test_bad_commands_name_the_field(remote: Remote, body, field, words) -> None:
    answer = remote.call("POST", "/api/command", body=body)
    assert answer.status == 400
    assert answer.json["field"] == field
    assert words in answer.json["error"]
    assert position(remote) == 0


# ---------------------------------------------------------------- pictures


def test_a_slides_picture_is_a_png_of_its_final_frame(remote: Remote) -> None:
    answer = remote.call("GET", "/api/slides/s2/image?size=320x180")
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/png"
    image = QImage.fromData(answer.data, "PNG")
    assert (image.width(), image.height()) == (320, 180)
    assert image.pixelColor(8, 90).name() == "#27ae60"  # s2's own background
    default = QImage.fromData(remote.call("GET", "/api/slides/s1/image").data, "PNG")
    assert (default.width(), default.height()) == (640, 360)
    by_number = remote.call("GET", "/api/slides/5/image?size=160x90")  # no id: its number
    assert by_number.status == 200


def test_pictures_are_cached_until_the_playlist_changes(remote: Remote) -> None:
    first = remote.call("GET", "/api/slides/s3/image?size=160x90")
    ran = remote.service.bridge.ran
    again = remote.call("GET", "/api/slides/s3/image?size=160x90")
    assert again.data == first.data
    assert remote.service.bridge.ran == ran  # not rendered again


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/api/slides/nope/image", 404, "slide"),
        ("/api/slides/9/image", 404, "slide"),
        ("/api/slides/1/image", 404, "slide"),  # slide 1 has an id: it is named by it
        ("/api/slides/s1/image?size=big", 400, "size"),
        ("/api/slides/s1/image?size=8x8", 400, "size"),
        ("/api/slides/s1/image?size=4000x4000", 400, "size"),
        ("/api/slides/s1/image?size=99999999x2", 400, "size"),
    ],
)
def test_unknown_slides_and_bad_sizes(remote: Remote, path: str, status: int, field: str) -> None:
    answer = remote.call("GET", path)
    assert answer.status == status
    assert answer.json["field"] == field


# ---------------------------------------------------------------- bodies


def raw_post(remote: Remote, raw: bytes, headers: dict[str, str], path: str = "/api/command"):
    return remote.call("POST", path, raw=raw, headers=headers)


JSON = {"Content-Type": "application/json"}


def test_an_oversized_body_is_413_unread(remote: Remote) -> None:
    big = b'{"command": "next", "pad": "' + b"x" * MAX_BODY + b'"}'
    answer = raw_post(remote, big, JSON)
    assert answer.status == 413
    assert str(MAX_BODY) in answer.json["error"]
    assert answer.headers.get("connection") == "close"
    assert position(remote) == 0


@pytest.mark.parametrize(("path", "token", "status"), [("/api/command", True, 413), ("/api/nowhere", True, 404),
                                                       ("/api/command", False, 401)])
def test_a_refused_body_of_megabytes_still_gets_its_answer(remote: Remote, path: str, token: bool,
                                                           status: int) -> None:
    """The server answers before reading the body; had it then closed with the body
    still arriving, the kernel would reset the connection and the client, still
    sending, would see a broken pipe instead of the answer (as CI once did)."""
    big = b'{"command": "next", "pad": "' + b"x" * (4 * 1024 * 1024) + b'"}'
    for _ in range(3):
        options = {} if token else {"token": None}
        answer = remote.call("POST", path, raw=big, headers=JSON, **options)
        assert answer.status == status
        assert answer.headers.get("connection") == "close"
    assert position(remote) == 0


def test_a_content_length_that_lies_is_refused_without_waiting_for_it(remote: Remote) -> None:
    answer = raw_post(remote, b"{}", {**JSON, "Content-Length": str(10 * 1024 * 1024)})
    assert answer.status == 413


@pytest.mark.parametrize(
    ("raw", "headers", "status", "words"),
    [
        (b'{"command": "next"', JSON, 400, "not JSON"),
        (b"next", JSON, 400, "not JSON"),
        (b"", JSON, 400, "not JSON"),
        (b'["next"]', JSON, 400, "JSON object"),
        (b'"next"', JSON, 400, "JSON object"),
        (b'{"command": NaN}', JSON, 400, "NaN"),
        (b'{"command": "\xff\xfe"}', JSON, 400, "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, JSON, 413, "at most"),
        (b'{"a":' * 20_000 + b"1" + b"}" * 20_000, JSON, 413, "at most"),
        (b"[" * 30_000 + b"]" * 30_000, JSON, 400, "nests too deep"),
        (b'{"command": "next"}', {"Content-Type": "text/plain"}, 415, "JSON"),
        (b'{"command": "next"}', {"Content-Type": "application/x-www-form-urlencoded"}, 415, "JSON"),
        (b'{"command": "next"}', {}, 415, "JSON"),
        (b'{"command": "next"}', {**JSON, "Content-Length": "abc"}, 400, "Content-Length"),
    ],
    ids=["cut", "bare", "empty", "list", "string", "nan", "latin", "deep-list-big", "deep-object-big",
         "deep-list", "text", "form", "no-type", "length-word"],
)
def test_malformed_bodies_are_clear_json_errors(remote: Remote, raw, headers, status, words) -> None:
    answer = raw_post(remote, raw, headers)
    assert answer.status == status, answer.data[:200]
    assert words in answer.json["error"]
    assert position(remote) == 0


def read_all(sock) -> bytes:
    """The whole answer: these requests end with the server closing the connection."""
    parts = []
    while chunk := sock.recv(65536):
        parts.append(chunk)
    return b"".join(parts)


def test_a_body_without_content_length_or_chunked_is_411(remote: Remote) -> None:
    import socket

    for head in (
        b"POST /api/command HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
        b"POST /api/command HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
    ):
        request = head + f"Authorization: Bearer {remote.token}\r\n\r\n".encode()

        def send(request=request) -> bytes:
            with socket.create_connection(("127.0.0.1", remote.port), timeout=20) as sock:
                sock.sendall(request + b"13\r\n{\"command\":\"next\"}\r\n0\r\n\r\n")
                return read_all(sock)

        future = remote.pool.submit(send)
        remote.qtbot.waitUntil(future.done, timeout=20_000)
        reply = future.result()
        assert reply.startswith(b"HTTP/1.1 411"), reply[:100]
        assert b'"error"' in reply
    assert position(remote) == 0


def test_a_charset_on_the_json_type_is_fine(remote: Remote) -> None:
    answer = raw_post(remote, b'{"command": "next"}', {"Content-Type": "application/json; charset=utf-8"})
    assert answer.status == 200


def test_malformed_requests_get_json_errors_from_http_server_too(remote: Remote) -> None:
    import socket

    def send(data: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", remote.port), timeout=20) as sock:
            sock.sendall(data)
            return read_all(sock)

    cases = [
        b"GARBAGE\r\n\r\n",
        b"GET /api/status HTTP/9.9\r\n\r\n",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
        b"PATCH /api/status HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    for data in cases:
        future = remote.pool.submit(send, data)
        remote.qtbot.waitUntil(future.done, timeout=20_000)
        reply = future.result()
        head, _, body = reply.partition(b"\r\n\r\n")
        assert b"application/json" in head, reply[:300]
        assert body.startswith(b'{"error"'), reply[:300]
        assert b"Traceback" not in reply


def test_a_known_path_with_another_method_is_405(remote: Remote) -> None:
    answer = remote.call("DELETE", "/api/status")
    assert answer.status == 405
    assert "GET" in answer.json["error"]


def test_an_error_inside_is_500_json_and_logged_never_a_traceback(remote: Remote, monkeypatch, caplog) -> None:
    def broken() -> dict:
        raise ZeroDivisionError("deep inside")

    monkeypatch.setattr(remote.service.server.api, "status", broken)
    answer = remote.call("GET", "/api/status")
    assert answer.status == 500
    assert answer.json == {"error": "internal error; the kiosk log has it"}
    assert b"ZeroDivision" not in answer.data
    assert any("ZeroDivisionError" in (r.exc_text or "") for r in caplog.records)
    caplog.clear()  # the logged error was the point


# ---------------------------------------------------------------- alerts and values without live data


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("POST", "/api/alert", {"message": "x"}), ("DELETE", "/api/alert", None),
     ("PUT", "/api/slides/s5/values", {"value": 1})],
)
def test_live_routes_say_501_when_the_show_has_no_live_data(remote: Remote, method, path, body) -> None:
    answer = remote.call(method, path, body=body)
    assert answer.status == 501
    assert "not available" in answer.json["error"]


# ---------------------------------------------------------------- the phone page


def test_the_phone_page_is_served_without_a_token_with_a_strict_policy(remote: Remote) -> None:
    page = remote.call("GET", "/", token=None)
    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert b"remote.js" in page.data
    script = remote.call("GET", "/remote.js", token=None)
    assert script.headers["content-type"].startswith("text/javascript")
    assert b"Authorization" in script.data
    assert remote.call("GET", "/favicon.ico", token=None).status == 401  # nothing else is public


# ---------------------------------------------------------------- many at once


def test_200_concurrent_requests_are_all_answered(remote: Remote) -> None:
    nexts = 60
    futures = []
    for n in range(200):
        if n % 10 < 3 and len([f for f in futures if getattr(f, "is_next", False)]) < nexts:
            future = remote.submit("POST", "/api/command", body={"command": "next"})
            future.is_next = True
        elif n % 10 == 3:
            future = remote.submit("GET", "/api/slides/s2/image?size=160x90")
        else:
            future = remote.submit("GET", "/api/status")
        futures.append(future)
    answers = remote.wait(futures)
    assert [a.status for a in answers] == [200] * 200
    sent = sum(1 for f in futures if getattr(f, "is_next", False))
    assert position(remote) == sent % 5  # every next carried out once, none lost
    assert remote.window.view.model is remote.player.snapshot().slide


def test_commands_during_a_reload(remote: Remote) -> None:
    from kiosk.reload import Reloader

    reloader = Reloader(remote.window, remote.player, debounce_ms=50, poll_ms=100, source=remote.path)
    remote.window.reload_requested.connect(reloader.reload_now)
    text = remote.path.read_text(encoding="utf-8")
    futures = []
    for round_ in range(5):
        remote.path.write_text(text.replace("遥控测试", f"第{round_}版"), encoding="utf-8")
        futures.append(remote.submit("POST", "/api/command", body={"command": "reload"}))
        futures += [remote.submit("POST", "/api/command", body={"command": "next"}) for _ in range(4)]
        futures.append(remote.submit("GET", "/api/status"))
    answers = remote.wait(futures)
    assert {a.status for a in answers} == {200}
    remote.qtbot.waitUntil(lambda: remote.player.snapshot().playlist.title == "第4版", timeout=10_000)
    status = remote.call("GET", "/api/status").json
    assert status["playlist"]["title"] == "第4版"
    assert status["snapshot"]["problems"] == []
    assert remote.window.view.model is remote.player.snapshot().slide


def test_connections_beyond_the_limit_wait_for_a_free_thread(remote: Remote, monkeypatch) -> None:
    import socket
    import threading

    from kiosk.remote import server as server_module

    server = remote.service.server
    monkeypatch.setattr(server, "_slots", threading.BoundedSemaphore(3))
    monkeypatch.setattr(server_module.Handler, "timeout", 1.5)  # silent clients are let go sooner
    silent = [socket.create_connection(("127.0.0.1", remote.port)) for _ in range(3)]
    try:
        start = time.monotonic()
        answer = remote.call("GET", "/api/status")  # waits until a silent one is let go
        waited = time.monotonic() - start
    finally:
        for sock in silent:
            sock.close()
    assert answer.status == 200
    assert 1.0 < waited < 8


def test_a_flood_is_paced_at_the_servers_rate(remote: Remote) -> None:
    from kiosk.remote.guard import BURST, RATE

    count = 80
    start = time.monotonic()
    answers = remote.wait([remote.submit("GET", "/api/status") for _ in range(count)])
    took = time.monotonic() - start
    assert {a.status for a in answers} == {200}
    assert took >= (count - BURST) / RATE * 0.9  # beyond the burst, 50 a second


def test_changes_are_logged_with_the_client(remote: Remote, caplog) -> None:
    caplog.set_level(logging.INFO, logger="kiosk.remote")
    command(remote, "next")
    command(remote, "quit")
    remote.call("GET", "/api/status")
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("remote: POST")]
    assert lines[0] == "remote: POST /api/command from 127.0.0.1: 200"
    assert lines[1].startswith("remote: POST /api/command from 127.0.0.1: 403 (quit is not taken remotely")
    assert "command next carried out" in caplog.text
    assert not any("GET /api/status" in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


def test_the_phone_page_fetches_nothing_from_elsewhere() -> None:
    import re as regex

    from kiosk.remote.server import static_files

    for name, (data, _) in static_files().items():
        text = data.decode("utf-8")
        assert not regex.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, regex.IGNORECASE), name
        assert "@import" not in text and "<iframe" not in text, name


def test_status_notes_a_reload(remote: Remote) -> None:
    from kiosk.playlist import load_playlist

    assert remote.call("GET", "/api/status").json["last_reload"] is None
    remote.player.replace_playlist(load_playlist(remote.path))
    assert remote.call("GET", "/api/status").json["last_reload"] is not None
