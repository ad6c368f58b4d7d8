"""The watchdog sees every hang, and only hangs.

Each case runs in its own process (the watchdog kills the process it guards), with a
watchdog timeout of a few seconds instead of 30.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

TIMEOUT = 3.0

#: a GUI with a watchdog; argv: log folder, seconds of a GIL-holding hang (0: none), seconds to run
GUI = textwrap.dedent(
    """
    import ctypes, os, sys, time
    from pathlib import Path
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from kiosk.system import Watchdog, setup_logging

    if os.environ.get("AS_FROZEN"):
        sys.frozen = True  # a frozen build: the watching process is forked, not started
    setup_logging("info", Path(sys.argv[1]))
    app = QApplication([])
    dog = Watchdog(timeout=%(timeout)s)
    dog.start()

    def hang_holding_the_gil():
        # libc's sleep called through PyDLL keeps the GIL: no Python thread can run.
        ctypes.PyDLL(None).sleep(int(sys.argv[2]))

    def busy():
        # A playing show is busy in Python (layouts, painting) between beats.
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            pass

    if int(sys.argv[2]):
        QTimer.singleShot(500, hang_holding_the_gil)
    work = QTimer()
    work.timeout.connect(busy)
    work.start(400)
    QTimer.singleShot(int(float(sys.argv[3]) * 1000), app.quit)
    print("started", flush=True)
    app.exec()
    dog.stop()
    """
) % {"timeout": TIMEOUT}


def _start(tmp_path: Path, hang: int, run: float, frozen: bool = False) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", GUI, str(tmp_path), str(hang), str(run)],
        env={**os.environ, "AS_FROZEN": "1" if frozen else ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "started"
    return process


@pytest.mark.parametrize("frozen", [False, True], ids=["python", "frozen"])
def test_a_c_call_holding_the_gil_is_caught_and_its_stack_logged(tmp_path: Path, frozen: bool) -> None:
    started = time.monotonic()
    process = _start(tmp_path, hang=30, run=40, frozen=frozen)
    try:
        _, stderr = process.communicate(timeout=TIMEOUT + 15)
    finally:
        process.kill()
    elapsed = time.monotonic() - started
    assert process.returncode != 0
    assert elapsed < TIMEOUT + 8, f"caught after {elapsed:.1f} s, the hang lasts 30 s"
    log = (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    assert "frozen" in log
    # every thread's stack, the hung call's frame included
    assert "in hang_holding_the_gil" in log, log
    assert "frozen" in stderr


@pytest.mark.parametrize("frozen", [False, True], ids=["python", "frozen"])
def test_a_process_stopped_for_three_timeouts_is_not_called_frozen(tmp_path: Path, frozen: bool) -> None:
    """SIGSTOP (a paused VM, a debugger) is not a hang: after SIGCONT the show goes on."""
    process = _start(tmp_path, hang=0, run=4 * TIMEOUT + 4, frozen=frozen)
    try:
        time.sleep(1.0)
        process.send_signal(signal.SIGSTOP)
        time.sleep(3 * TIMEOUT)
        process.send_signal(signal.SIGCONT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "frozen" not in (tmp_path / "kiosk.log").read_text(encoding="utf-8")


def test_the_watchdog_process_leaves_with_the_show(tmp_path: Path) -> None:
    """A show that quits leaves no watching process behind."""
    process = _start(tmp_path, hang=0, run=1.5)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    time.sleep(0.5)
    watcher = [int(pid) for pid in children.read_text().split()]
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert len(watcher) == 1
    time.sleep(0.2)
    assert not Path(f"/proc/{watcher[0]}").exists() or _zombie(watcher[0])


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rfind(")") + 2] == "Z"


def test_the_timeout_can_be_set_in_the_environment(monkeypatch) -> None:
    from kiosk.system import WATCHDOG_TIMEOUT, watchdog_timeout

    monkeypatch.setenv("KIOSK_WATCHDOG_TIMEOUT", "5")
    assert watchdog_timeout() == 5.0
    for wrong in ("0", "-3", "soon", "nan"):
        monkeypatch.setenv("KIOSK_WATCHDOG_TIMEOUT", wrong)
        assert watchdog_timeout() == WATCHDOG_TIMEOUT
    monkeypatch.delenv("KIOSK_WATCHDOG_TIMEOUT")
    assert watchdog_timeout() == WATCHDOG_TIMEOUT == 30.0
