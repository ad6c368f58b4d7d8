"""The frozen build against the source run: size on disk and start-up time.

Run: python -m bench.frozen [--runs 5] [--dist dist]
Needs a build (`python packaging/build.py [--onefile]`); without one it says so and
measures nothing. Start-up is from just before the process starts to the first painted
frame of the default playlist at 1920x1080, offscreen (the KIOSK_FIRST_FRAME_PROBE that
bench.startup uses), median of N runs, the programs interleaved so the machine's noise hits
them alike. A build made before the probe existed cannot report a first frame; then the
figure is the wall time of `kiosk --quit-after 0.05` (start to exit), and `start_measure`
says which one was taken.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.startup import first_frame_seconds

ROOT = Path(__file__).resolve().parents[1]
WINDOWS = sys.platform == "win32"
PLAYLIST = ROOT / "data" / "police-day-2023.yaml"


def folder_megabytes(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink()) / 1e6


def start_to_exit_seconds(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([*command, "--quit-after", "0.05"], env=env, capture_output=True, timeout=120, check=True)
    return time.perf_counter() - started


def measure(runs: int = 5, dist: str | None = None) -> dict[str, object]:
    dist_dir = Path(dist) if dist else ROOT / "dist"
    # On Windows kiosk.exe is a windowed program with no stderr: time its console twin.
    frozen = dist_dir / "kiosk" / ("kiosk-console.exe" if WINDOWS else "kiosk")
    if not frozen.exists():
        print(f"bench.frozen: no frozen build at {frozen}; run: python packaging/build.py", file=sys.stderr)
        return {}
    onefile = dist_dir / ("kiosk-onefile.exe" if WINDOWS else "kiosk-onefile")
    arguments = ["--size", "1920x1080", str(PLAYLIST)]
    commands = {"frozen": [str(frozen), *arguments], "source": [sys.executable, "-m", "kiosk", *arguments]}
    if onefile.exists() and not WINDOWS:  # the Windows one-file build is windowed (no stderr)
        commands["onefile"] = [str(onefile), *arguments]

    # A user name of its own: kiosk allows one show per screen and user, and another
    # benchmark or test may be playing on the offscreen screen right now.
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_FIRST_FRAME_PROBE": "1",
        "USER": f"kiosk-bench-frozen-{os.getpid()}",
    }
    how = f"first frame (KIOSK_FIRST_FRAME_PROBE), median of {runs}"
    timer = first_frame_seconds
    try:
        for command in commands.values():  # warm the file cache; find out whether the probe answers
            timer(command, env)
    except RuntimeError:
        how = f"start-to-exit with --quit-after 0.05, median of {runs}"
        timer = start_to_exit_seconds
        for command in commands.values():
            timer(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(timer(command, env))

    figures: dict[str, object] = {
        "frozen_size_mb": folder_megabytes(frozen.parent),
        "frozen_start_s": statistics.median(times["frozen"]),
        "source_start_s": statistics.median(times["source"]),
    }
    if "onefile" in times:
        figures["onefile_size_mb"] = folder_megabytes(onefile)
        figures["onefile_start_s"] = statistics.median(times["onefile"])
    figures["start_measure"] = how
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dist", help="PyInstaller's output folder (default: dist/)")
    args = parser.parse_args()
    for name, value in measure(args.runs, args.dist).items():
        print(f"{name}: {value:.3f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
