"""Memory of `kiosk export` and the overview on 3,000 slides (issue 20).

Run: python -m bench.export_overview [--quick]

- export: peak RSS of the whole `kiosk export --pdf` command (ru_maxrss of the child)
  for a 3,000-slide playlist at 1920x1080, and the growth per slide between a short and
  a long run (--quick: 30 and 120 slides, the growth alone). Before export streamed it
  reached 10 GB after 537 slides.
- overview: a 3,000-slide show at 1920x1080: time to open the overview (the call and
  its first paint), time until the page's thumbnails are all in, and the RSS it adds at
  its peak and after. Before: 18.5 s frozen, 2.4 GB peak, 1.2 GB kept.

Targets, from the screen size (1920x1080: a full-screen picture is 8.3 MB, an overview
page is 24 cells of about 290x160, 4.5 MB):
- export peak RSS < 250 MB: the show's own budget (180 MB, README) plus a few
  full-screen pictures (the frame, the PNG encoder's copy, the PDF page) and margin;
- export growth < 0.08 MB a slide: under a hundredth of a picture, so that 3,000
  slides add less than 250 MB even in the worst case (measured: about zero);
- overview open < 0.1 s (six frames at 60 Hz: the key press answers at once), its page
  filled < 1.5 s, RSS added < 64 MB (the thumbnail cache's 32 MB, one page rendering).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.check_speed import big_playlist

TARGETS = {
    "export_peak_rss_mb": ("<", 250.0),
    "export_rss_growth_mb_per_slide": ("<", 0.08),
    "overview_open_s": ("<", 0.1),
    "overview_page_s": ("<", 1.5),
    "overview_rss_added_mb": ("<", 64.0),
}


def _export_peak_mb(folder: Path, slides: int) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of `kiosk export --pdf` on `slides` slides at 1920x1080."""
    show = folder / f"show{slides}.yaml"
    show.write_text(big_playlist(slides), encoding="utf-8")
    out, pdf = folder / f"out{slides}", folder / f"all{slides}.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    argv = [sys.executable, "-m", "kiosk", "export", str(show), "--out", str(out), "--pdf", str(pdf)]
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert child.stderr is not None
    for _ in child.stderr:  # the progress lines; reading them keeps the pipe from filling
        pass
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"kiosk export exited {child.returncode}")
    return usage.ru_maxrss / 1024, elapsed


def measure_export(quick: bool = False) -> dict[str, float]:
    short, long = (30, 120) if quick else (300, 3000)
    with tempfile.TemporaryDirectory() as folder:
        few, _ = _export_peak_mb(Path(folder), short)
        many, seconds = _export_peak_mb(Path(folder), long)
    return {
        "export_slides": float(long),
        "export_peak_rss_mb": many,
        "export_rss_growth_mb_per_slide": max(0.0, many - few) / (long - short),
        "export_s_per_slide_streamed": seconds / long,
    }


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_overview(slides: int = 3000) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.app import ensure_application, slide_context
    from kiosk.player import Player
    from kiosk.playlist import load_playlist
    from kiosk.window import ShowWindow

    ensure_application()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(big_playlist(slides), encoding="utf-8")
        playlist = load_playlist(path)
    player = Player(playlist)
    window = ShowWindow(player, slide_context(playlist))
    window.show_on(None, fullscreen=False, size=(1920, 1080))
    player.start()
    for _ in range(50):
        QApplication.processEvents()
    before = _rss_mb()
    started = time.perf_counter()
    window.open_overview()
    window.overview.repaint()  # its first paint: what the audience sees at the key press
    opened = time.perf_counter() - started
    peak_during = _rss_mb()  # sampled: ru_maxrss would be the whole process's life
    while window.overview._fill.isActive():
        QApplication.processEvents()
        peak_during = max(peak_during, _rss_mb())
    filled = time.perf_counter() - started
    window.overview.hide()
    QApplication.processEvents()
    after = _rss_mb()
    return {
        "overview_slides": float(len(player.order)),
        "overview_open_s": opened,
        "overview_page_s": filled,
        "overview_rss_added_mb": peak_during - before,
        "overview_rss_kept_mb": after - before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="export 30 and 120 slides, not 300 and 3,000")
    args = parser.parse_args()
    figures = {**measure_overview(), **measure_export(args.quick)}
    for name, value in figures.items():
        target = TARGETS.get(name)
        shown = f"  {target[0]} {target[1]:g}" if target else ""
        print(f"{name}: {value:.3f}{shown}")


if __name__ == "__main__":
    main()
