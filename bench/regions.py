"""Frame time of each animated slide repainting all its animated area against only what
changed since the last frame (SlideView.repaint_region), interleaved in one run.

Run: python -m bench.regions [--size 3840x2160] [--frames 60] [--rounds 5]
Offscreen, bench/frames.py's slides. Before 2026-12-01 the show repainted a slide's
whole animated area (`repaint_area`) every frame; the show and bench/frames.py now
repaint the changed region. Prints p50 / p99 per slide and way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.frames import ANIMATED_SLIDES, bench_slides, percentile

WAYS = ("area", "region")


def _frames(view: Any, way: str, frames: int, app: Any) -> list[float]:
    from PySide6.QtGui import QRegion

    times, shown = [], 0.0
    for frame in range(frames + 5):
        t = min(1.0, frame / frames)
        started = time.perf_counter()
        view.set_progress(t)
        if way == "area":
            area = view.repaint_area(t)
            region = None if area is None else QRegion(area)
        else:
            region = view.repaint_region(t, shown)
        shown = t
        if region is None:
            view.repaint()
        elif not region.isEmpty():
            view.repaint(region)
        if frame >= 5:  # the first frames warm caches (glyphs, gradients)
            times.append((time.perf_counter() - started) * 1000)
        app.processEvents()
    return times


def measure(size: tuple[int, int], frames: int, rounds: int) -> dict[str, dict[str, list[float]]]:
    from kiosk.app import ensure_application
    from kiosk.slides import build_view

    app = ensure_application()
    with tempfile.TemporaryDirectory() as folder:
        context, by_id = bench_slides(Path(folder))
    results: dict[str, dict[str, list[float]]] = {}
    for slide_id in ANIMATED_SLIDES:
        view = build_view(by_id[slide_id], context)
        view.resize(*size)
        view.show()
        app.processEvents()
        times: dict[str, list[float]] = {way: [] for way in WAYS}
        for _ in range(rounds):  # interleaved: the machine's load falls on both ways alike
            for way in WAYS:
                times[way] += _frames(view, way, frames, app)
        results[slide_id] = times
        view.close()
        view.deleteLater()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="3840x2160")
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    results = measure((width, height), args.frames, args.rounds)
    print(f"{'slide':<12} {'area p50':>9} {'p99':>7} {'region p50':>11} {'p99':>7}  ms at {args.size}")
    for slide_id, times in results.items():
        area, region = times["area"], times["region"]
        print(
            f"{slide_id:<12} {statistics.median(area):9.2f} {percentile(area, 0.99):7.2f}"
            f" {statistics.median(region):11.2f} {percentile(region, 0.99):7.2f}"
        )


if __name__ == "__main__":
    main()
