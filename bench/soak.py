"""Soak: the default playlist with very short durations for thousands of slide changes.

Run: python -m bench.soak [--changes 5000] [--warmup 300] [--size 1920x1080]
The real window, player, transitions and slides run on Qt's event loop (offscreen), on
the wall clock. Reports RSS after warm-up and at the end, the growth, and the number of
errors logged. Goal: growth under 10 MB after warm-up, no errors.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def run(
    changes: int = 5000,
    warmup: int = 300,
    size: tuple[int, int] = (1920, 1080),
    slide_seconds: float = 0.02,
    transition_seconds: float = 0.03,
) -> dict[str, float]:
    from PySide6.QtCore import QTimer

    from kiosk import resources
    from kiosk.app import ensure_application, slide_context
    from kiosk.player import Player
    from kiosk.playlist import load_playlist
    from kiosk.window import ShowWindow

    app = ensure_application()
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    playlist = load_playlist(resources.default_playlist())
    for slide in playlist.slides:  # very short durations; transitions still run
        slide.duration = slide_seconds
        if slide.transition is not None:
            slide.transition.duration = transition_seconds
    playlist.defaults.transition.duration = transition_seconds
    player = Player(playlist)
    window = ShowWindow(player, slide_context(playlist))
    window.show_on(None, fullscreen=False, size=size)
    seen = {"changes": 0, "rss_warm": 0.0, "started": 0.0}

    def counted(change: object) -> None:
        seen["changes"] += 1
        if seen["changes"] == warmup:
            gc.collect()
            seen["rss_warm"] = rss_mb()
            seen["started"] = time.perf_counter()
        if seen["changes"] >= warmup + changes:
            QTimer.singleShot(0, app.quit)

    player.subscribe(counted)
    rss_start = rss_mb()
    player.start()
    app.exec()
    gc.collect()
    app.processEvents()
    rss_end = rss_mb()
    elapsed = time.perf_counter() - seen["started"]
    window.quit()
    return {
        "soak_changes": float(seen["changes"] - warmup),
        "rss_start_mb": rss_start,
        "rss_after_warmup_mb": seen["rss_warm"],
        "rss_end_mb": rss_end,
        "rss_growth_mb": rss_end - seen["rss_warm"],
        "soak_errors": float(errors.count),
        "soak_seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    for name, value in run(args.changes, args.warmup, size).items():  # type: ignore[arg-type]
        print(f"{name}: {value:.1f}")


if __name__ == "__main__":
    main()
