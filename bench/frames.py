"""Frame times of every animation at 1920x1080: transitions and slide entry animations.

Run: python -m bench.frames [--frames N] [--size WxH]
Each frame is what the live show does on a timer tick: set the progress, then repaint
synchronously what the show repaints (QWidget.repaint: paint + flush to the backing
store): a slide's animated area (the whole slide on its first and last frames), or the
whole of a transition. Prints
the median and 99th percentile per kind; the goal is p99 < 16 ms (60 fps), p50 < 8 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BENCH_PLAYLIST = """
defaults: {duration: 10s, transition: none}
slides:
  - {type: title, id: title, title: 向人民报告, subtitle: 江苏公安2023“平安答卷”, footer: 第四个中国人民警察节}
  - {type: stat, id: count-up, label: 八类案件破案率, value: 99.2, unit: "%", note: 达历史最高, trend: up}
  - type: stats
    id: stats-grid
    title: 保护青少年健康成长
    items:
      - {label: 公安“护苗”行动队, value: 125, unit: 支}
      - {label: 派出所关爱工作站, value: 1668, unit: 个}
      - {label: 接警区设立专席, value: 70, unit: 个}
      - {label: 公安护学岗, value: 1.2, unit: 万余个}
      - {label: 找回失踪人员, value: 9400, unit: 余名}
      - {label: 警企工作站, value: 496, unit: 个}
  - type: bar
    id: bar
    title: 电信网络诈骗犯罪 同比变化
    unit: "%"
    good: down
    bars: [{label: 立案数, value: -18.4}, {label: 损失数, value: -27.2}, {label: 破案数, value: 20.9}, {label: 抓获数, value: 10.9}]
  - type: line
    id: line
    title: 示例折线
    x: ["2019", "2020", "2021", "2022", "2023"]
    series: [{name: 甲, values: [3, 5, 4, 7, 9]}, {name: 乙, values: [2, 3, 6, 5, 8]}]
  - type: pie
    id: pie
    title: 示例饼图
    slices: [{label: 甲, value: 40}, {label: 乙, value: 25}, {label: 丙, value: 20}, {label: 丁, value: 15}]
  - {type: gauge, id: gauge, label: 公共服务事项网上办理, value: 88}
  - type: timeline
    id: timeline
    title: 昆山救援
    steps: [{time: 3分钟, text: 无人机升空}, {time: 5分钟, text: 覆盖回传图像}, {time: 半小时, text: 找到并救出老人}]
"""

ANIMATED_SLIDES = ["count-up", "stats-grid", "bar", "line", "pie", "gauge", "timeline"]
TRANSITIONS = ["fade", "slide", "zoom"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_slides(folder: Path):
    """The bench playlist, written into `folder` and loaded: its slide context and its
    slides by id."""
    from kiosk.app import slide_context
    from kiosk.playlist import load_playlist

    path = folder / "bench.yaml"
    path.write_text(BENCH_PLAYLIST, encoding="utf-8")
    playlist = load_playlist(path)
    return slide_context(playlist), {slide.id: slide for slide in playlist.slides}


def paused_show(folder: Path, size: tuple[int, int]):
    """The bench playlist playing in a window of `size`, paused (frames are driven by hand,
    no slide moves on meanwhile): the show window and its player, for the benches that
    measure the show with something beside it (bench/presenter.py, bench/remote.py)."""
    from kiosk.app import ensure_application, slide_context
    from kiosk.player import Player
    from kiosk.playlist import load_playlist
    from kiosk.window import ShowWindow

    ensure_application()
    path = folder / "bench.yaml"
    path.write_text(BENCH_PLAYLIST, encoding="utf-8")
    playlist = load_playlist(path)
    player = Player(playlist)
    show = ShowWindow(player, slide_context(playlist))
    show.show_on(None, fullscreen=False, size=size)
    player.start()
    player.set_paused(True)
    return show, player


def _summary(times_ms: list[float]) -> dict[str, float]:
    return {
        "frame_ms_p50": statistics.median(times_ms),
        "frame_ms_p99": percentile(times_ms, 0.99),
        "frames": len(times_ms),
    }


def measure(frames: int = 120, size: tuple[int, int] = (1920, 1080)) -> dict[str, dict[str, float]]:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import ensure_application
    from kiosk.slides import build_view
    from kiosk.transitions import TransitionWidget

    app = ensure_application()
    with tempfile.TemporaryDirectory() as folder:
        context, by_id = bench_slides(Path(folder))
        results: dict[str, dict[str, float]] = {}
        for slide_id in ANIMATED_SLIDES:
            view = build_view(by_id[slide_id], context)
            view.resize(*size)
            view.show()
            app.processEvents()
            times = _frames(view, view.set_progress, frames, app)
            results["count-up" if slide_id == "count-up" else slide_id] = _summary(times)
            view.close()
            view.deleteLater()
        first = build_view(by_id["title"], context)
        second = build_view(by_id["count-up"], context)
        for view in (first, second):
            view.resize(*size)
            view.set_progress(1.0)
        old, new = first.grab(), second.grab()
        for kind in TRANSITIONS:
            widget = TransitionWidget()
            widget.resize(*size)
            widget.run(old, new, kind, 1000.0, 1)  # long: frames are driven by hand below
            app.processEvents()
            times = _frames(widget, widget.set_progress, frames, app)
            results[kind] = _summary(times)
            widget.finish()
            widget.deleteLater()
    QApplication.processEvents()
    return results


def _frames(widget, set_progress, frames: int, app) -> list[float]:
    times = []
    shown = 0.0
    for frame in range(frames + 5):
        t = min(1.0, frame / frames)
        started = time.perf_counter()
        set_progress(t)
        # What the show repaints on this tick: what changed on a slide since the last
        # frame (SlideView.repaint_region; the whole slide on its first and last frames),
        # or all of a transition. (Until 2026-11-30 this repainted the whole slide every
        # frame; until 2026-12-01 all of a slide's animated area.)
        region = widget.repaint_region(t, shown) if hasattr(widget, "repaint_region") else None
        shown = t
        if region is None:
            widget.repaint()
        elif not region.isEmpty():
            widget.repaint(region)
        elapsed = (time.perf_counter() - started) * 1000
        if frame >= 5:  # the first frames warm caches (glyphs, gradients)
            times.append(elapsed)
        app.processEvents()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    results = measure(args.frames, size)  # type: ignore[arg-type]
    print(f"{'animation':<12} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, figures in results.items():
        print(f"{kind:<12} {figures['frame_ms_p50']:>8.2f} {figures['frame_ms_p99']:>8.2f}")


if __name__ == "__main__":
    main()
