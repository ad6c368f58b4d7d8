"""Start-up to first frame: kiosk on the default playlist against the floor (a bare
PySide6 label), median of N runs each, interleaved in one run so the machine's noise
hits both alike.

Run: python -m bench.startup [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def first_frame_seconds(command: list[str], env: dict[str, str]) -> float:
    """Seconds from just before the process starts to its first painted frame."""
    started = time.time()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    for line in result.stderr.splitlines():
        if line.startswith("kiosk-first-frame "):
            return float(line.split()[1]) - started
    raise RuntimeError(f"no first frame reported by {command}: {result.stderr[-500:]}")


def measure(runs: int = 5, kiosk_command: list[str] | None = None) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_FIRST_FRAME_PROBE": "1"}
    # An installed kiosk starts from cached bytecode (pip and PyInstaller compile it): a
    # shell with PYTHONDONTWRITEBYTECODE would recompile ~40 modules each start (~50 ms).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    kiosk = kiosk_command or [sys.executable, "-m", "kiosk", "--size", "1920x1080"]
    floor = [sys.executable, "-m", "bench.floor_app"]
    first_frame_seconds(kiosk, env)  # warm the OS file cache for both
    first_frame_seconds(floor, env)
    kiosk_times, floor_times = [], []
    for _ in range(runs):
        kiosk_times.append(first_frame_seconds(kiosk, env))
        floor_times.append(first_frame_seconds(floor, env))
    kiosk_median, floor_median = statistics.median(kiosk_times), statistics.median(floor_times)
    return {
        "first_frame_s": kiosk_median,
        "floor_first_frame_s": floor_median,
        "first_frame_ratio": kiosk_median / floor_median,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, value in measure(args.runs).items():
        print(f"{name}: {value:.3f}")


if __name__ == "__main__":
    main()
