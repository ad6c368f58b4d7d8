"""What the screen gets: the time between frames the X server receives while kiosk
animates, under Xvfb with Qt's xcb platform (issue 19).

Run: python -m bench.presented [--size WxH ...] [--seconds S]
bench/frames.py times painting offscreen; here each frame also has to be handed to the
X server (a shared-memory put of the changed rectangles), and the X server has to take
it. kiosk plays a loop of every animation (entry animations of each chart and figure
slide, fade, slide and zoom transitions) full-screen on Xvfb, and a separate X client
watches the screen with the DAMAGE extension, stamping each change as it arrives. A
frame is a group of changes less than 4 ms apart; the progress bar's thin strip is left
out; frames less than 150 ms apart belong to one animation, whose intervals are the
figures (a 60 Hz animation presents a frame every 16.7 ms). The CPU of kiosk and of the
X server over the same time is read from /proc.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.frames import BENCH_PLAYLIST, percentile

#: changes closer than this are parts of one frame (one flush puts several rectangles)
SAME_FRAME_S = 0.004
#: frames closer than this belong to one animation
SAME_ANIMATION_S = 0.150
SLIDE_SECONDS = 3.0
TRANSITIONS = ("fade", "slide", "zoom")


def bench_playlist() -> str:
    """bench/frames.py's slides, 3 s each, the transitions taking turns; without the stat
    slide, whose count-up shows 30 frames a second by design (kiosk/slides/stat.py): its
    33 ms between frames is not a late frame."""
    lines = BENCH_PLAYLIST.replace(
        "defaults: {duration: 10s, transition: none}", f"defaults: {{duration: {SLIDE_SECONDS}s}}"
    )
    lines = "\n".join(line for line in lines.splitlines() if "id: count-up" not in line)
    out = []
    count = 0
    for line in lines.splitlines():
        out.append(line)
        if line.startswith("  - "):
            kind = TRANSITIONS[count % len(TRANSITIONS)]
            indent = "    " if not line.rstrip().endswith("}") else None
            if indent is None:  # a flow mapping on one line: add the key inside it
                out[-1] = line.rstrip()[:-1] + f", transition: {kind}}}"
            else:
                out.append(f"    transition: {kind}")
            count += 1
    return "\n".join(out) + "\n"


@dataclass
class Run:
    size: tuple[int, int]
    stamps: list[tuple[float, int]]  # (arrival, height of the changed box)
    kiosk_cpu: float  # percent of one core
    xserver_cpu: float
    seconds: float


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start_xvfb(width: int, height: int) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("Xvfb")
    if binary is None:
        raise RuntimeError("Xvfb is missing: run tools/system-deps.sh test")
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise RuntimeError("Xvfb did not start")
    return process, f":{number}"


def record(size: tuple[int, int], seconds: float) -> Run:
    """Play the bench loop full-screen at `size` and stamp every change of the screen."""
    from Xlib import display as xdisplay
    from Xlib.ext import damage

    xvfb, name = _start_xvfb(*size)
    with tempfile.TemporaryDirectory() as folder:
        playlist = Path(folder) / "presented.yaml"
        playlist.write_text(bench_playlist(), encoding="utf-8")
        screen = xdisplay.Display(name)
        screen.damage_query_version()
        watched = screen.screen().root.damage_create(damage.DamageReportBoundingBox)
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        env.update(DISPLAY=name, QT_QPA_PLATFORM="xcb", XDG_STATE_HOME=folder)
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk", str(playlist)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            stamps: list[tuple[float, int]] = []
            _collect(screen, watched, stamps, until=time.monotonic() + 3.0)  # start-up, first slide
            stamps.clear()
            cpu_kiosk, cpu_x, started = _cpu_seconds(kiosk.pid), _cpu_seconds(xvfb.pid), time.monotonic()
            _collect(screen, watched, stamps, until=started + seconds)
            elapsed = time.monotonic() - started
            kiosk_cpu = (_cpu_seconds(kiosk.pid) - cpu_kiosk) / elapsed * 100
            xserver_cpu = (_cpu_seconds(xvfb.pid) - cpu_x) / elapsed * 100
        finally:
            kiosk.terminate()
            kiosk.wait(timeout=20)
            screen.close()
            xvfb.terminate()
            xvfb.wait(timeout=20)
    return Run(size, stamps, kiosk_cpu, xserver_cpu, elapsed)


def _collect(screen, watched: int, stamps: list[tuple[float, int]], until: float) -> None:
    notify = screen.extension_event.DamageNotify
    while time.monotonic() < until:
        while screen.pending_events():
            event = screen.next_event()
            if event.type == notify:
                stamps.append((time.monotonic(), int(event.area.height)))
                screen.damage_subtract(watched)
        screen.flush()
        time.sleep(0.0005)


def frames_of(run: Run) -> list[float]:
    """Arrival times of whole frames, without the progress bar's thin strip."""
    strip = min(run.size) / 100  # the bar is under 1 % of the shorter side high
    frames: list[float] = []
    for arrival, height in run.stamps:
        if height <= strip:
            continue
        if not frames or arrival - frames[-1] > SAME_FRAME_S:
            frames.append(arrival)
    return frames


def summary(run: Run) -> dict[str, float]:
    frames = frames_of(run)
    intervals = [b - a for a, b in itertools.pairwise(frames) if b - a < SAME_ANIMATION_S]
    animations = 1 + sum(1 for a, b in itertools.pairwise(frames) if b - a >= SAME_ANIMATION_S)
    if not intervals:
        raise RuntimeError(f"no animation frames reached the screen at {run.size}")
    ms = [i * 1000 for i in intervals]
    return {
        "presented_ms_p50": statistics.median(ms),
        "presented_ms_p99": percentile(ms, 0.99),
        "presented_ms_max": max(ms),
        "presented_frames": float(len(frames)),
        "animations": float(animations),
        "kiosk_cpu_percent": run.kiosk_cpu,
        "xserver_cpu_percent": run.xserver_cpu,
    }


def measure(sizes: list[list[int]] | None = None, seconds: float = 24.0) -> dict[str, dict[str, float]]:
    """Presented-frame intervals and CPU per screen size (default 1920x1080 and 3840x2160)."""
    results = {}
    for width, height in sizes or [[1920, 1080], [3840, 2160]]:
        results[f"{width}x{height}"] = summary(record((width, height), seconds))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", action="append", help="WxH (repeatable; default 1920x1080 and 3840x2160)")
    parser.add_argument("--seconds", type=float, default=24.0, help="how long to watch (one loop: 24 s)")
    args = parser.parse_args()
    sizes = [[int(v) for v in size.split("x")] for size in args.size] if args.size else None
    results = measure(sizes, args.seconds)
    print(f"{'screen':<10} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'frames':>7} {'kiosk CPU':>10} {'X CPU':>7}")
    for size, f in results.items():
        print(
            f"{size:<10} {f['presented_ms_p50']:>7.1f} {f['presented_ms_p99']:>7.1f} {f['presented_ms_max']:>7.1f} "
            f"{f['presented_frames']:>7.0f} {f['kiosk_cpu_percent']:>9.1f}% {f['xserver_cpu_percent']:>6.1f}%"
        )


if __name__ == "__main__":
    main()
