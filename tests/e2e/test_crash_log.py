"""An exception in a Qt slot while a show plays lands in the log file, not only on
stderr: PySide6 prints such exceptions and carries on, and on a display PC started by
systemd or XDG autostart nobody reads stderr (kiosk/crash.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

# The real `kiosk` command (kiosk.cli.main, the play path), with one slot of the window
# broken: the slide timer's (kiosk/timekeeper.py), which Qt calls when the first 1 s
# slide is over.
RUN_WITH_A_BROKEN_SLOT = """
import sys
from kiosk.timekeeper import Timekeeper

def broken_tick(self):
    raise RuntimeError("a slot that raises (test)")

Timekeeper._tick = broken_tick
from kiosk.cli import main

sys.exit(main(sys.argv[1:]))
"""


def test_an_exception_in_a_slot_is_logged_to_the_log_file(tmp_path: Path) -> None:
    playlist = tmp_path / "show.yaml"
    playlist.write_text(
        "defaults: {duration: 1s, transition: none}\nslides:\n  - {type: title, title: a}\n"
        "  - {type: title, title: b}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "USER": f"crash-{os.getpid()}",
    }
    result = subprocess.run(
        [sys.executable, "-c", RUN_WITH_A_BROKEN_SLOT, str(playlist), "--size", "320x180", "--quit-after", "2.5"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr  # PySide6 carries on; so does the show
    log = (tmp_path / "state" / "kiosk" / "kiosk.log").read_text(encoding="utf-8")
    assert "CRITICAL kiosk.crash: uncaught exception" in log, log
    assert "Traceback" in log and "RuntimeError: a slot that raises (test)" in log, log
    # Once on stderr (through logging), not twice (logging and Python's own hook).
    assert result.stderr.count("RuntimeError: a slot that raises (test)") == 1, result.stderr
