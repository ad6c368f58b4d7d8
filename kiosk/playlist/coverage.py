"""Which characters of a playlist the bundled font cannot draw, for `kiosk check`.

A display PC may have no CJK font at all, so whatever the bundled Kiosk Sans SC lacks
shows as an empty box, and a box in an officer's name on a tribute slide is the worst
place for one. The fonts themselves are not opened here: `kiosk check` must stay fast
and Qt-free, so tools/subset_fonts.py writes the code points every bundled font maps to
assets/fonts/coverage.txt (one hexadecimal range a line) and this module reads that.

Each warning names the place the character is written, FILE:LINE:COL, in the playlist
or in a chart data file (CSV or YAML) a slide names.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kiosk.playlist.data import load_chart_data
from kiosk.playlist.errors import Mark, PlaylistError, Problem, file_mark
from kiosk.playlist.model import Playlist
from kiosk.playlist.safeyaml import Document, Path_, load_file, read_text

COVERAGE_FILE = "coverage.txt"

#: Keys whose values never reach the screen (names, files, colours, schedules, enums):
#: a character there cannot turn into a box, so it is not reported.
NOT_SHOWN = frozenset(
    {
        "type", "id", "duration", "transition", "when", "background", "skip", "notes",
        "logo", "data", "src", "fit", "theme", "version", "loop", "defaults", "color",
        "trend", "good", "decimals",
    }
)  # fmt: skip
#: Top-level keys not drawn by kiosk: the playlist's title only names the window (the
#: window manager draws it, in the system's fonts, and a full-screen show hides it).
NOT_SHOWN_AT_TOP = frozenset({"title"})


@dataclass(frozen=True)
class Coverage:
    """Sorted, disjoint code point ranges (first and last included)."""

    firsts: tuple[int, ...]
    lasts: tuple[int, ...]

    def __contains__(self, code_point: object) -> bool:
        if not isinstance(code_point, int):
            return False
        index = bisect_right(self.firsts, code_point) - 1
        return index >= 0 and code_point <= self.lasts[index]

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last in zip(self.firsts, self.lasts, strict=True))


def parse_coverage(text: str) -> Coverage:
    """Read coverage.txt: lines 'XXXX' or 'XXXX-YYYY' (hex), '#' starts a comment."""
    ranges: list[tuple[int, int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        first_text, _, last_text = line.partition("-")
        try:
            first = int(first_text, 16)
            last = int(last_text, 16) if last_text else first
        except ValueError:
            raise ValueError(f"line {number}: {raw!r} is not a hexadecimal code point range") from None
        if last < first:
            raise ValueError(f"line {number}: {raw!r} ends before it starts")
        ranges.append((first, last))
    ranges.sort()
    merged: list[list[int]] = []
    for first, last in ranges:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return Coverage(tuple(r[0] for r in merged), tuple(r[1] for r in merged))


def format_coverage(code_points: set[int] | frozenset[int]) -> str:
    """The lines of coverage.txt for a set of code points (without the header)."""
    lines: list[str] = []
    ordered = sorted(code_points)
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[start], ordered[end]
        lines.append(f"{first:04X}" if first == last else f"{first:04X}-{last:04X}")
        start = end + 1
    return "\n".join(lines) + "\n"


def coverage_path() -> Path:
    """assets/fonts/coverage.txt wherever kiosk's assets are (source tree, wheel, frozen)."""
    from kiosk import resources

    return resources.fonts() / COVERAGE_FILE


@cache
def bundled_coverage() -> Coverage:
    """What every bundled font covers (read once per process)."""
    return parse_coverage(coverage_path().read_text(encoding="utf-8"))


def is_invisible(char: str) -> bool:
    """Characters that are never drawn, so never a box: spaces and line breaks, format
    controls (zero-width joiner, soft hyphen, BOM) and variation selectors."""
    code_point = ord(char)
    return (
        char.isspace()
        or unicodedata.category(char) == "Cf"
        or 0xFE00 <= code_point <= 0xFE0F
        or 0xE0100 <= code_point <= 0xE01EF
    )


def uncovered_characters(playlist: Playlist, coverage: Coverage | None = None) -> list[str]:
    """Warnings, as 'FILE:LINE:COL: warning: …' lines, for each shown text of the playlist
    (and of the chart data files it names) that holds a character no bundled font has.

    One warning per character per value, at the place the character is written.
    """
    return [str(problem) for problem in uncovered_problems(playlist, coverage)]


def uncovered_problems(playlist: Playlist, coverage: Coverage | None = None) -> list[Problem]:
    """The same as `uncovered_characters`, as Problems sorted by place."""
    if playlist.path is None:
        return []  # built in memory: no file to point into
    if coverage is None:
        try:
            coverage = bundled_coverage()
        except (OSError, ValueError) as exc:
            return [
                Problem(
                    file_mark(playlist.path),
                    f"warning: cannot tell which characters the bundled font covers ({exc}); "
                    "characters were not checked",
                )
            ]
    files = _files(playlist)
    # The usual case, every character of every file covered, costs one pass over the
    # texts: the YAML is parsed again (for the marks) only when a file holds a suspect.
    if not any(_suspects(_text(path), coverage) for path, _ in files):
        return []
    problems: list[Problem] = []
    for path, kind in files:
        document = _document(path, kind)
        if document is not None:
            problems += _document_problems(document, coverage)
    return sorted(problems, key=lambda problem: problem.mark)


def _files(playlist: Playlist) -> list[tuple[Path, str | None]]:
    """The playlist's file and each chart data file its slides name (with the slide type
    that reads it), once each."""
    assert playlist.path is not None
    files: list[tuple[Path, str | None]] = [(Path(playlist.path), None)]
    for slide in playlist.slides:
        relative = getattr(slide, "data", None)
        if not slide.data_fills or not isinstance(relative, str):
            continue
        try:
            path = playlist.resolve(relative)
        except (OSError, ValueError):
            continue  # the loader accepted the playlist, so this does not happen; be safe
        if (path, slide.type) not in files:
            files.append((path, slide.type))
    return files


def _text(path: Path) -> str:
    try:
        return read_text(path)
    except PlaylistError:
        return ""  # changed since the playlist was loaded: the show will say so


def _suspects(text: str, coverage: Coverage) -> set[str]:
    """The characters of `text` no bundled font has (comments and keys included)."""
    return {ch for ch in set(text) if ord(ch) not in coverage and not is_invisible(ch)}


def _document(path: Path, kind: str | None) -> Document | None:
    """The playlist (kind None) or a chart data file as a Document with marks."""
    try:
        return load_file(path) if kind is None else load_chart_data(kind, path)
    except PlaylistError:
        return None  # changed since the playlist was loaded: the show will say so


def _shown_strings(data: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """(path, text) of every string that may be drawn, in document order."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_SHOWN and not (not path and key in NOT_SHOWN_AT_TOP):
                yield from _shown_strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _shown_strings(value, (*path, index))


def _document_problems(document: Document, coverage: Coverage) -> list[Problem]:
    strings = list(_shown_strings(document.data, ()))
    # Most playlists are fully covered: decide on each distinct character once.
    distinct = set().union(*(set(text) for _, text in strings)) if strings else set()
    missing = {ch for ch in distinct if ord(ch) not in coverage and not is_invisible(ch)}
    if not missing:
        return []
    locator = _Locator(document.file)
    problems = []
    for path, text in strings:
        reported: set[str] = set()
        for char in text:
            if char in missing and char not in reported:
                reported.add(char)
                mark = locator.find(char, document.mark_of(path))
                problems.append(
                    Problem(
                        mark,
                        f"warning: '{char}' (U+{ord(char):04X}) is not in the bundled font; "
                        "it will show as an empty box",
                    )
                )
    return problems


class _Locator:
    """Turns a value's mark (where the value starts) into the mark of one of its
    characters, by finding that character in the file's text from the value on."""

    def __init__(self, file: str) -> None:
        self.file = file
        try:
            self.text: str | None = read_text(Path(file))
        except PlaylistError:
            self.text = None
        self.line_starts = [0]
        if self.text is not None:
            self.line_starts += [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]

    def find(self, char: str, start: Mark) -> Mark:
        if self.text is None or start.file != self.file or start.line > len(self.line_starts):
            return start
        offset = self.line_starts[start.line - 1] + start.column - 1
        found = self.text.find(char, offset)
        if found == -1:
            return start  # written as an escape ("\u71ca"): the value's own place will do
        line = bisect_right(self.line_starts, found)
        return Mark(self.file, line, found - self.line_starts[line - 1] + 1)
