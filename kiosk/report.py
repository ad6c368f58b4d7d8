"""`kiosk report LOG...`: what the play logs say was shown, how often and how long.

Reads `plays-*.jsonl` files (kiosk/playlog.py), or folders of them (searched to any depth,
so a folder of per-screen return folders works), and prints per day and slide, then per
slide over all days, as an aligned table or (--csv) as CSV. A malformed line (a power cut
halfway through one, a hand edit) is skipped and named on stderr as FILE:LINE; it does
not fail the report. Qt-free and quick: the command line imports it on its own.
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_BAD_INPUT = 0, 2


class ReportError(Exception):
    """Bad input for the whole report (a path that is not there): exit 2."""


@dataclass(frozen=True)
class Play:
    day: str  # YYYY-MM-DD, the local date the slide started
    slide: str  # its id, or its number
    label: str
    seconds: float


@dataclass
class Tally:
    label: str
    shown: int = 0
    seconds: float = 0.0

    def add(self, play: Play) -> None:
        self.shown += 1
        self.seconds += play.seconds


@dataclass
class Reading:
    plays: list[Play]
    malformed: list[str]  # FILE:LINE: why


def log_files(paths: Iterable[Path]) -> list[Path]:
    """The play logs named: files as given, folders searched for plays-*.jsonl."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("plays-*.jsonl")))
        elif path.is_file():
            found.append(path)
        else:
            raise ReportError(f"kiosk report: {path}: no such file or folder")
    return found


def parse_line(text: str) -> Play:
    """One log line as a Play; ValueError saying what is wrong."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    start, slide, seconds = record.get("start"), record.get("slide"), record.get("seconds")
    if not isinstance(start, str):
        raise ValueError("no 'start' time")
    day = date.fromisoformat(start[:10]).isoformat()  # ValueError names the bad date
    if isinstance(slide, bool) or not isinstance(slide, str | int):
        raise ValueError("no 'slide' id or number")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not seconds >= 0:
        raise ValueError("'seconds' is not a number of seconds")
    label = record.get("label")
    return Play(day, str(slide), label if isinstance(label, str) else "", float(seconds))


def read(files: Sequence[Path], since: date | None = None, until: date | None = None) -> Reading:
    """Every play in the files that started between since and until (both included)."""
    reading = Reading([], [])
    first, last = (since or date.min).isoformat(), (until or date.max).isoformat()
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            raise ReportError(f"kiosk report: {file}: {exc.strerror or exc}") from None
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                play = parse_line(text)
            except ValueError as exc:
                reading.malformed.append(f"{file}:{number}: {exc}")
                continue
            if first <= play.day <= last:
                reading.plays.append(play)
    return reading


def per_day(plays: Iterable[Play]) -> dict[tuple[str, str], Tally]:
    """(day, slide) -> how often and how long; days in order, slides as first seen."""
    tallies: dict[tuple[str, str], Tally] = {}
    order: dict[str, int] = {}
    for play in plays:
        order.setdefault(play.slide, len(order))
        tallies.setdefault((play.day, play.slide), Tally(play.label)).add(play)
    return dict(sorted(tallies.items(), key=lambda item: (item[0][0], order[item[0][1]])))


def per_slide(plays: Iterable[Play]) -> dict[str, Tally]:
    """slide -> how often and how long over every day (slides as first seen)."""
    tallies: dict[str, Tally] = {}
    for play in plays:
        tallies.setdefault(play.slide, Tally(play.label)).add(play)
    return tallies


# ---------------------------------------------------------------- output


def width(text: str) -> int:
    """Columns a terminal gives the text (hanzi and full-width forms take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(rows: Sequence[Sequence[str]], numeric: set[int]) -> list[str]:
    """Rows as lines, columns padded to their widest cell (numbers to the right)."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            cells.append(pad + cell if i in numeric else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


def table(plays: Sequence[Play], out: TextIO) -> None:
    days = [
        [day, slide, t.label, str(t.shown), f"{t.seconds:.1f}"] for (day, slide), t in per_day(plays).items()
    ]
    totals = [[slide, t.label, str(t.shown), f"{t.seconds:.1f}"] for slide, t in per_slide(plays).items()]
    print("Per day and slide", file=out)
    for line in aligned([["date", "slide", "label", "shown", "seconds"], *days], {3, 4}):
        print(line, file=out)
    print("\nPer slide, all days", file=out)
    for line in aligned([["slide", "label", "shown", "seconds"], *totals], {2, 3}):
        print(line, file=out)
    seconds = sum(play.seconds for play in plays)
    print(f"\n{len(plays)} plays, {seconds:.1f} s on screen", file=out)


def csv_rows(plays: Sequence[Play], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "slide", "label", "times shown", "seconds shown"])
    for (day, slide), tally in per_day(plays).items():
        writer.writerow([day, slide, tally.label, tally.shown, f"{tally.seconds:.3f}"])


def run(paths: Sequence[Path], *, as_csv: bool, since: date | None, until: date | None) -> int:
    """The subcommand: exit 0 (malformed lines are named on stderr), 2 on bad input."""
    if since and until and since > until:
        print(f"kiosk report: --from {since} is after --until {until}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        reading = read(log_files(paths), since, until)
    except ReportError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    for problem in reading.malformed:
        print(problem, file=sys.stderr)
    if reading.malformed:
        print(f"kiosk report: {len(reading.malformed)} malformed lines skipped", file=sys.stderr)
    (csv_rows if as_csv else table)(reading.plays, sys.stdout)
    return EXIT_OK
