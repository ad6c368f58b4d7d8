"""Excel (.xlsx) data files as a grid of marked cells, read with care (SECURITY.md).

An .xlsx file is a zip of XML parts. Before openpyxl opens it, the zip's directory is
checked: the file's size, the number of parts, each part's and all parts' uncompressed
sizes (a zip bomb expands a few kilobytes into gigabytes), and no XML part may hold a
DTD (an .xlsx never needs one; entities are how XML bombs are made). Python's zip reader
stops each part at the size its directory declares, so the check bounds what is read.

openpyxl reads in read-only mode (streaming, never the whole sheet in memory) with
data_only=True: a formula cell gives the value Excel saved with it, and nothing is ever
evaluated. A formula cell saved without a value (a file written by a program, never
opened in Excel) is refused by name, as is text that a spreadsheet would run as a
formula. Rows and columns read are bounded; a sheet with more is refused at once.

Each cell is marked FILE:SHEET!CELL (数据.xlsx:Sheet1!B7) in its problems.
"""

from __future__ import annotations

import math
import re
import stat
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from kiosk.numbers import format_number
from kiosk.playlist.errors import Mark, PlaylistError, Problem
from kiosk.playlist.grid import GridCell, GridRow, looks_like_formula
from kiosk.playlist.safeyaml import WrittenFloat, readable

#: the largest .xlsx file read (the same as any playlist or data file)
MAX_XLSX_BYTES = 8 * 1024 * 1024
#: the most its parts may expand to, together: a table's sheet is a few hundred kB
MAX_UNCOMPRESSED_BYTES = 16 * 1024 * 1024
#: the most parts (files inside the zip) an .xlsx file may hold
MAX_PARTS = 500
#: rows and columns read from a sheet, and cells in a `range:`
MAX_ROWS = 1000
MAX_COLUMNS = 64
MAX_CELLS = 20_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx files and old .xls files
_RANGE = re.compile(r"^\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})\s*:\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})\s*$")
_PLAIN_SHEET_NAME = re.compile(r"^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*$")
_NUMBER_FORMAT_DECIMALS = re.compile(r"0\.(0+)")


class OptionProblem(ValueError):
    """A problem with the playlist's `sheet:` or `range:` (marked at that key there)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def column_number(letters: str) -> int:
    """1 for A, 27 for AA."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """A for 1, AA for 27."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def parse_range(text: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column) of 'A1:C14', or OptionProblem."""
    match = _RANGE.match(text)
    if not match:
        raise OptionProblem("range", f"range must look like A1:C14 (two corners of the cells), got '{text}'")
    col1, row1, col2, row2 = column_number(match[1]), int(match[2]), column_number(match[3]), int(match[4])
    top, bottom, left, right = min(row1, row2), max(row1, row2), min(col1, col2), max(col1, col2)
    if top < 1 or left < 1 or right > 16384 or bottom > 1048576:
        raise OptionProblem("range", f"range '{text}' is outside any sheet (A1 to XFD1048576)")
    rows, columns = bottom - top + 1, right - left + 1
    if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise OptionProblem(
            "range",
            f"range '{text}' has {rows:,} rows and {columns:,} columns; a slide's data may have at "
            f"most {MAX_ROWS:,} rows, {MAX_COLUMNS} columns and {MAX_CELLS:,} cells",
        )
    return top, left, bottom, right


def read_grid(path: Path, sheet: str | None = None, cells: str | None = None) -> list[GridRow]:
    """The rows of a sheet (or of `cells`, like 'A1:C14') that hold something."""
    bounds = parse_range(cells) if cells is not None else None
    check_container(path)
    import openpyxl  # imported on first use: most playlists have no spreadsheet

    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except PlaylistError:
        raise
    except Exception as exc:  # a damaged file makes openpyxl raise anything from KeyError to XML errors
        raise _fail(path, f"cannot read this .xlsx file; it may be damaged ({_reason(exc)})") from None
    try:
        names = list(values.sheetnames)
        name = _sheet_name(names, sheet)
        try:
            sheets = values[name], formulas[name]
            for each in sheets:
                # The file's own <dimension> may lie (or be stale): read what is there, bounded below.
                each.reset_dimensions()
            return _grid(path, name, *sheets, bounds)
        except (PlaylistError, OptionProblem):
            raise
        except Exception as exc:
            raise _fail(
                path, f"cannot read sheet '{name}'; the file may be damaged ({_reason(exc)})"
            ) from None
    finally:
        values.close()
        formulas.close()


def check_container(path: Path) -> None:
    """Refuse what is not a reasonable .xlsx before any XML is parsed (see the module's note)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _fail(path, "this is not a regular file")
        if info.st_size > MAX_XLSX_BYTES:
            raise _fail(
                path,
                f"the file is {info.st_size / 1e6:.1f} MB; an .xlsx data file may be at most "
                f"{MAX_XLSX_BYTES / 1e6:.0f} MB",
            )
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _fail(path, f"cannot read the file: {exc.strerror or exc}") from None
    if head.startswith(_OLE_MAGIC):
        raise _fail(
            path,
            "this file is protected with a password, or is an old .xls file; "
            "save it in Excel as .xlsx without a password",
        )
    if not head.startswith(b"PK"):
        raise _fail(path, "this is not an .xlsx file (not a zip archive); a CSV or text file renamed?")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise _fail(path, f"the .xlsx file holds {len(parts):,} parts; at most {MAX_PARTS} are read")
            total = 0
            for part in parts:
                total += part.file_size
                if total > MAX_UNCOMPRESSED_BYTES:
                    raise _fail(
                        path,
                        f"the .xlsx file expands to more than {MAX_UNCOMPRESSED_BYTES / 1e6:.0f} MB "
                        "when unpacked; it is not a slide's data (a zip bomb?)",
                    )
            for part in parts:
                if part.filename.endswith((".xml", ".rels", ".vml")):
                    data = archive.read(part)
                    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                        raise _fail(
                            path, f"the part {part.filename} declares a DTD; an .xlsx file never needs one"
                        )
    except PlaylistError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        # RuntimeError: a part encrypted with a zip password; others: a damaged archive
        raise _fail(path, f"this .xlsx file is damaged ({_reason(exc)})") from None
    except Exception as exc:  # zlib errors and such from a corrupt stream
        raise _fail(path, f"this .xlsx file is damaged ({_reason(exc)})") from None


def _sheet_name(names: list[str], wanted: str | None) -> str:
    if not names:
        raise OptionProblem("sheet", "the .xlsx file has no sheets")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    same = [n for n in names if n.strip().lower() == wanted.strip().lower()]
    if same:
        return same[0]
    listed = ", ".join(f"'{n}'" for n in names[:10]) + (", ..." if len(names) > 10 else "")
    raise OptionProblem("sheet", f"the .xlsx file has no sheet '{wanted}'; its sheets: {listed}")


def _grid(
    path: Path, name: str, sheet: Any, formula_sheet: Any, bounds: tuple[int, int, int, int] | None
) -> list[GridRow]:
    if bounds is not None:
        top, left, bottom, right = bounds
    else:
        top, left, bottom, right = 1, 1, MAX_ROWS + 1, 0  # 0: every column (checked below)
    reference = name if _PLAIN_SHEET_NAME.match(name) else "'" + name.replace("'", "''") + "'"

    def mark(row: int, column: int) -> Mark:
        return Mark(str(path), row, column, f"{reference}!{column_letters(column)}{row}")

    rows: list[GridRow] = []
    for row_cells in sheet.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right or None):
        cells = [c for c in row_cells if getattr(c, "row", None) is not None and not _blank(c.value)]
        if not cells:
            continue
        row_number = cells[0].row
        if bounds is None and row_number > MAX_ROWS:
            raise _fail(
                path,
                f"sheet '{name}' has more than {MAX_ROWS:,} rows of data; a slide shows far fewer: "
                "give range: (like A1:C14) with the cells to read",
            )
        wide = [c for c in cells if c.column > MAX_COLUMNS]
        if bounds is None and wide:
            raise PlaylistError(
                [
                    Problem(
                        mark(wide[0].row, wide[0].column),
                        f"this cell is beyond column {column_letters(MAX_COLUMNS)}; "
                        "give range: (like A1:C14) with the cells to read",
                    )
                ]
            )
        marked = [GridCell(_shown_value(c), mark(c.row, c.column)) for c in cells]
        rows.append(GridRow(mark(row_number, cells[0].column), marked))
    if not rows:
        where = f" in {cells_text(bounds)}" if bounds else ""
        raise _fail(path, f"sheet '{name}' has no values{where}")
    # The table's columns: from the leftmost to the rightmost cell with a value.
    first = bounds[1] if bounds else min(r.cells[0].mark.column for r in rows)
    last = max(r.cells[-1].mark.column for r in rows)
    formula_cells = _formula_cells(formula_sheet, top, left, bottom, right)
    read = {(c.mark.line, c.mark.column) for r in rows for c in r.cells}
    problems = [
        Problem(mark(row, column), readable(_cell_value(None, is_formula=True)[1] or ""))
        for row, column in sorted(formula_cells - read)
    ]
    grid = []
    for row in rows:
        row_number = row.mark.line
        by_column = {c.mark.column: c for c in row.cells}
        out = []
        for column in range(first, last + 1):
            cell = by_column.get(column)
            if cell is None:
                out.append(GridCell(None, mark(row_number, column)))
                continue
            value, problem = _cell_value(cell.value, is_formula=(row_number, column) in formula_cells)
            if problem:
                problems.append(Problem(cell.mark, readable(problem)))
            out.append(GridCell(value, cell.mark))
        grid.append(GridRow(mark(row_number, first), out))
    if problems:
        raise PlaylistError(problems)
    return grid


def cells_text(bounds: tuple[int, int, int, int]) -> str:
    top, left, bottom, right = bounds
    return f"{column_letters(left)}{top}:{column_letters(right)}{bottom}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _formula_cells(sheet: Any, top: int, left: int, bottom: int, right: int) -> set[tuple[int, int]]:
    """The (row, column) of the cells that hold formulas in the area read. A formula
    saved without its result reads as an empty cell when values are read: this finds it."""
    found = set()
    for row_cells in sheet.iter_rows(min_row=top, max_row=bottom, min_col=left, max_col=right or None):
        for cell in row_cells:
            if getattr(cell, "data_type", None) == "f":
                found.add((cell.row, cell.column))
    return found


def _shown_value(cell: Any) -> Any:
    """A number as the sheet shows it: the decimals of its number format ('0.00' keeps
    two), a percentage format's value in percent (0.052 as '0.0%' is 5.2)."""
    value = cell.value
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    number_format = str(getattr(cell, "number_format", "") or "").split(";")[0]
    match = _NUMBER_FORMAT_DECIMALS.search(number_format)
    decimals = len(match[1]) if match else None
    if "%" in number_format:
        value = value * 100
        decimals = decimals or 0
    if decimals is None:
        return value
    return WrittenFloat(value, format_number(value, decimals))


def _cell_value(value: Any, is_formula: bool) -> tuple[Any, str | None]:
    """The cell's value for the data (numbers keep the decimals Excel shows), or a problem."""
    if is_formula and value is None:
        return None, (
            "this cell holds a formula saved without its result (the file was written by a "
            "program, not saved in Excel); open it in Excel or WPS and save it, or paste the values"
        )
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "this cell's number is not finite"
        return value, None
    if isinstance(value, datetime):
        text = (
            value.date().isoformat()
            if value.time() == time(0)
            else value.isoformat(sep=" ", timespec="minutes")
        )
        return text, None
    if isinstance(value, date | time):
        return value.isoformat(), None
    if isinstance(value, str):
        if value.strip() in _EXCEL_ERRORS:
            return None, f"this cell shows the spreadsheet error {value.strip()}; fix it in the spreadsheet"
        if looks_like_formula(value):
            return None, f"the text '{value}' looks like a spreadsheet formula; write plain text"
        return value, None
    return str(value), None


_EXCEL_ERRORS = frozenset(
    ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"]
)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _fail(path: Path, message: str) -> PlaylistError:
    return PlaylistError([Problem(Mark(str(path), 1, 1), readable(message))])
