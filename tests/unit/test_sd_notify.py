"""Notifying systemd never blocks the show (found by the deploy tests: a NOTIFY_SOCKET that
nobody reads filled up, the GUI thread waited in send(), and the watchdog killed it)."""

from __future__ import annotations

import socket
import threading

from kiosk.system import _sd_notify


def test_a_notify_socket_nobody_reads_never_blocks(tmp_path, monkeypatch) -> None:
    path = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    done = threading.Event()

    def flood() -> None:
        for _ in range(2000):  # far more than the socket's queue holds
            _sd_notify("WATCHDOG=1")
        done.set()

    threading.Thread(target=flood, daemon=True).start()
    try:
        assert done.wait(10), "_sd_notify blocked on a full socket"
    finally:
        server.close()


def test_messages_arrive_when_someone_reads(tmp_path, monkeypatch) -> None:
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        _sd_notify("READY=1")
        server.settimeout(2)
        assert server.recv(64) == b"READY=1"
