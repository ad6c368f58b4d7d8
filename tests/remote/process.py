"""kiosk as a separate process under Xvfb (tests/e2e/xvfb.py) with its control server on
127.0.0.1: started, waited for until its API answers, and stopped with SIGTERM as a
service manager stops it."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.remote.token import TOKEN_FILE
from tests.e2e.xvfb import wait_for, x_env

from .helpers import Response, http_call


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class KioskProcess:
    process: subprocess.Popen[str]
    port: int
    state: Path  # $XDG_STATE_HOME

    @property
    def token_file(self) -> Path:
        return self.state / "kiosk" / TOKEN_FILE

    @property
    def token(self) -> str:
        return self.token_file.read_text().strip()

    def call(self, method: str, path: str, **options) -> Response:
        options.setdefault("token", self.token)
        return http_call(self.port, method, path, **options)

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"kiosk ended ({self.process.returncode}): {self.process.communicate()[1]}")
        if not self.token_file.exists():
            return False
        try:
            return self.call("GET", "/api/status", timeout=5).status == 200
        except OSError:
            return False


@contextmanager
def kiosk_with_remote(display: str, playlist: Path, state: Path, port: int | None = None,
                      *extra: str) -> Iterator[KioskProcess]:
    """`kiosk PLAYLIST --remote 127.0.0.1:PORT --windowed` on the display, its state in `state`."""
    port = port or free_port()
    env = {**x_env(display), "XDG_STATE_HOME": str(state)}
    env.pop("KIOSK_REMOTE_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", str(playlist), "--remote", f"127.0.0.1:{port}", *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    kiosk = KioskProcess(process, port, state)
    try:
        wait_for(kiosk.answers, timeout=60, message="kiosk's control server")
        yield kiosk
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        process.communicate(timeout=10)


def stop(kiosk: KioskProcess) -> tuple[int, str]:
    """SIGTERM, as systemd stops it: the exit code and what it wrote to stderr."""
    kiosk.process.send_signal(signal.SIGTERM)
    code = kiosk.process.wait(timeout=20)
    return code, kiosk.process.communicate(timeout=10)[1]
