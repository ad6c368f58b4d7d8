"""Problems in a playlist, each tied to a place a person can find: FILE:LINE:COL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Mark:
    """A place in a file; line and column count from 1, as editors show them.

    A spreadsheet's place is a cell, not a line: `cell` ('Sheet1!B7') is then shown
    instead (数据.xlsx:Sheet1!B7), while line and column hold the cell's row and column
    number so that problems still sort in reading order beside the playlist's own."""

    file: str
    line: int
    column: int
    cell: str = ""

    def __str__(self) -> str:
        if self.cell:
            return f"{self.file}:{self.cell}"
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    mark: Mark
    message: str

    def __str__(self) -> str:
        return f"{self.mark}: {self.message}"


class PlaylistError(Exception):
    """A playlist (or a file it names) that cannot be played; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.mark)
        super().__init__("\n".join(str(p) for p in self.problems))


def file_mark(path: Path | str, line: int = 1, column: int = 1) -> Mark:
    return Mark(str(path), line, column)
