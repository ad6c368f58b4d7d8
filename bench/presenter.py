"""Frame times of the wall with the presenter view open (issue 15).

Run: python -m bench.presenter [--frames N]
The wall (1920x1080) and the presenter view (1920x1080) run in one process and one
thread, so every frame of the wall's animation costs its own paint plus the presenter
view's live pane painting the same frame at its scale. Each frame below is driven by
hand as bench/frames.py does (set the progress, repaint synchronously), timing the wall's
paint and then the live pane's, for every entry animation and transition. The wall's
targets (p99 < 16 ms, p50 < 8 ms) apply to the two together: that is the frame the wall
waits for. (The live show repaints the pane from a 16 ms timer, so never more often than
this.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.frames import ANIMATED_SLIDES, TRANSITIONS, paused_show, percentile


def _stats(prefix: str, times: list[float]) -> dict[str, float]:
    return {f"{prefix}_ms_p50": statistics.median(times), f"{prefix}_ms_p99": percentile(times, 0.99)}


def measure(frames: int = 120, size: tuple[int, int] = (1920, 1080)) -> dict[str, dict[str, float]]:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import ensure_application
    from kiosk.presenter import PresenterWindow

    app = ensure_application()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        show, player = paused_show(Path(folder), size)
        presenter = PresenterWindow(show)
        presenter.resize(*size)
        presenter.show()

        def settle() -> None:
            show.stage.finish(view_too=True)
            deadline = time.monotonic() + 30
            while presenter._pump.isActive() and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.005)

        for slide_id in ANIMATED_SLIDES:
            player.go_to(slide_id)
            settle()
            view = show.view
            assert view is not None and view.model.id == slide_id
            results[slide_id] = _frames(view.set_progress, view, presenter, frames, app)
        player.go_to("title")
        settle()
        first = show.view
        player.go_to("count-up")
        settle()
        second = show.view
        assert first is not None and second is not None
        old, new = show.grab(), second.grab()
        transition = show.stage.transition
        for kind in TRANSITIONS:
            transition.setGeometry(show.rect())
            transition.run(old, new, kind, 1000.0, 1)  # long: frames are driven by hand below
            app.processEvents()
            results[kind] = _frames(transition.set_progress, transition, presenter, frames, app)
            transition.finish()
        presenter.close()
        show.quit()
    QApplication.processEvents()
    return results


def _frames(set_progress: Callable[[float], None], wall, presenter, frames: int, app) -> dict[str, float]:
    walls, panes, both = [], [], []
    for frame in range(frames + 5):
        set_progress(min(1.0, frame / frames))
        started = time.perf_counter()
        wall.repaint()
        painted = time.perf_counter()
        area = presenter.live.changed_area()  # what the presenter view's pump repaints
        if area is None:
            presenter.live.repaint()
        else:
            presenter.live.repaint(area)
        done = time.perf_counter()
        if frame >= 5:  # the first frames warm caches (glyphs, gradients)
            walls.append((painted - started) * 1000)
            panes.append((done - painted) * 1000)
            both.append((done - started) * 1000)
        app.processEvents()
    return {**_stats("wall", walls), **_stats("pane", panes), **_stats("both", both), "frames": float(frames)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=120)
    args = parser.parse_args()
    results = measure(args.frames)
    print(
        f"{'animation':<12} {'wall p50':>9} {'wall p99':>9} {'pane p50':>9} {'pane p99':>9} {'both p50':>9} {'both p99':>9}"
    )
    for kind, f in results.items():
        print(
            f"{kind:<12} {f['wall_ms_p50']:>9.2f} {f['wall_ms_p99']:>9.2f} {f['pane_ms_p50']:>9.2f} "
            f"{f['pane_ms_p99']:>9.2f} {f['both_ms_p50']:>9.2f} {f['both_ms_p99']:>9.2f}"
        )


if __name__ == "__main__":
    main()
