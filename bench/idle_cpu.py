"""CPU used while a still slide is on screen: the show should repaint nothing but the
few progress-bar pixels that change.

Run: python -m bench.idle_cpu [--seconds 30]
kiosk plays a one-slide playlist (a title slide, 10 minutes long) offscreen at 1920x1080;
after its entry animation, the process's CPU time (user+system, /proc) is read over
the window. Measured with the progress bar on and off (a theme file switches it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAYLIST = """
title: idle bench
theme: {theme}
defaults: {{duration: 10m, transition: none}}
slides:
  - {{type: stat, label: 八类案件破案率, value: 99.2, unit: "%", note: 达历史最高}}
"""


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def idle_percent(folder: Path, progress_bar: bool, seconds: float, settle: float = 4.0) -> float:
    from kiosk import resources

    theme = folder / f"theme-{progress_bar}.yaml"
    base = (resources.themes() / "police-blue.yaml").read_text(encoding="utf-8")
    theme.write_text(
        base.replace("progress_bar: true", f"progress_bar: {str(progress_bar).lower()}"), encoding="utf-8"
    )
    playlist = folder / f"idle-{progress_bar}.yaml"
    playlist.write_text(PLAYLIST.format(theme=theme.name), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(folder)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", str(playlist), "--size", "1920x1080"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(settle)  # start-up and the entry animation
        before, started = cpu_seconds(process.pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(process.pid) - before, time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=10)
    return 100.0 * used / elapsed


def measure(seconds: float = 30.0) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        return {
            "idle_cpu_percent_progress_off": idle_percent(Path(folder), False, seconds),
            "idle_cpu_percent_progress_on": idle_percent(Path(folder), True, seconds),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    for name, value in measure(args.seconds).items():
        print(f"{name}: {value:.2f}")


if __name__ == "__main__":
    main()
