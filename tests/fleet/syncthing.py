"""Syncthing instances for the fleet tests: each with its own home, its own ports on
127.0.0.1 and its own HOME (nothing of the user's is read or written), stopped on exit."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def syncthing_env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(home),
        "STNOUPGRADE": "1",  # never fetches a new version
        "STNODEFAULTFOLDER": "1",
        "STGUIADDRESS": "",
    }


@dataclass(frozen=True)
class Device:
    name: str
    home: Path  # Syncthing's home: config.xml, keys, database
    id: str
    port: int  # the sync protocol's
    gui_port: int  # its REST API's (not used by kiosk; Syncthing always listens)

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"


def generate(name: str, folder: Path) -> Device:
    """`syncthing generate`: keys and a first config.xml, as an operator makes them."""
    binary = shutil.which("syncthing")
    assert binary, "syncthing is missing: run tools/system-deps.sh test"
    home = folder / "syncthing"
    env = syncthing_env(folder)
    subprocess.run([binary, "generate", "--home", str(home), "--no-default-folder", "--skip-port-probing"],
                   env=env, check=True, capture_output=True, timeout=60)
    found = subprocess.run([binary, "serve", "--home", str(home), "--device-id"], env=env, check=True,
                           capture_output=True, text=True, timeout=60)
    return Device(name, home, found.stdout.strip(), free_port(), free_port())


def configure(fleet: Path, device: Device) -> str:
    """The helper under test, as an operator runs it: `kiosk fleet configure`."""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "fleet", "configure", str(fleet), "--as", device.name, "--home", str(device.home)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextmanager
def running(device: Device, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`syncthing serve` for the device until the block ends (terminated, then killed)."""
    binary = shutil.which("syncthing")
    assert binary
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--home", str(device.home), "--no-browser", "--no-restart",
             f"--gui-address=127.0.0.1:{device.gui_port}", "--logflags=0"],
            env=syncthing_env(device.home.parent), stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
