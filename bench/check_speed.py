"""How long `kiosk check` takes on a 3,000-slide playlist (target: under 1 s).

Run: python -m bench.check_speed  [--slides N]
Prints the median of 5 runs of load_playlist (YAML + validation) and of the whole
command in a fresh process (interpreter start included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kiosk.playlist import load_playlist

SLIDES = [
    "  - {{type: stat, id: s{i}, label: 八类案件破案率, value: 99.2, unit: '%', note: 达历史最高, trend: up}}",
    "  - type: stats\n    title: 保护青少年健康成长\n    items:\n"
    "      - {{label: 公安护苗行动队, value: 125, unit: 支}}\n      - {{label: 找回失踪人员, value: 9400, unit: 余名}}",
    "  - type: bar\n    title: 电信网络诈骗犯罪 同比变化\n    unit: '%'\n    good: down\n    bars:\n"
    "      - {{label: 立案数, value: -18.4}}\n      - {{label: 破案数, value: 20.9}}",
    "  - {{type: gauge, label: 网上办理, value: 88, duration: 12s, when: {{hours: '08:00-18:00'}}}}",
    '  - {{type: text, heading: 反诈新格局, body: "- 党委领导\\n- 政府主导"}}',
]


def big_playlist(count: int) -> str:
    lines = ["version: 1", "title: bench", "defaults: {duration: 8s, transition: fade}", "slides:"]
    lines += [SLIDES[i % len(SLIDES)].format(i=i) for i in range(count)]
    return "\n".join(lines) + "\n"


def measure(count: int = 3000, runs: int = 5) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(big_playlist(count), encoding="utf-8")
        load_times = []
        for _ in range(runs):
            started = time.perf_counter()
            playlist = load_playlist(path)
            load_times.append(time.perf_counter() - started)
        assert len(playlist.slides) == count
        cli_times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kiosk", "check", str(path)], check=True, capture_output=True
            )
            cli_times.append(time.perf_counter() - started)
    return {"check_load_s": statistics.median(load_times), "check_s": statistics.median(cli_times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slides", type=int, default=3000)
    args = parser.parse_args()
    figures = measure(args.slides)
    print(f"slides: {args.slides}")
    for name, value in figures.items():
        print(f"{name}: {value:.3f}")


if __name__ == "__main__":
    main()
