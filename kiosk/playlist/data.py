"""Chart and table data from files: a `data:` key names a CSV, YAML or XLSX file beside
the playlist.

Rows come back as the same plain mappings an inline list would hold, with marks that
point into the data file, so a bad number is reported at its own line and column (in a
spreadsheet, at its cell: 数据.xlsx:Sheet1!B7). CSV and XLSX are read the same way: a
grid of cells (first row: the header), then shaped for the slide (`_rows`, `_line`,
`_table`). XLSX files are read with openpyxl in read-only mode, cached values only
(formulas are never evaluated), after the zip's directory was checked (kiosk/playlist/xlsx.py).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from kiosk.playlist.errors import Mark, PlaylistError, Problem
from kiosk.playlist.grid import GridCell, GridRow, looks_like_formula
from kiosk.playlist.model import SLIDE_TYPES
from kiosk.playlist.safeyaml import Document, WrittenFloat, load_file, read_text, readable

#: what a line chart's data file fills: x labels and series
SERIES_FILLS = ("x", "series")
#: what a table's data file fills: its columns (the header row) and rows
TABLE_FILLS = ("columns", "rows")
#: the fields that qualify an .xlsx data file (they go next to `data:`)
XLSX_OPTIONS = ("sheet", "range")


def data_fills(slide_type: str) -> tuple[str, ...]:
    """The fields a `data:` file fills for this slide type (the registry's `data_fills`);
    empty when the type takes no data file."""
    model = SLIDE_TYPES.get(slide_type)
    return model.data_fills if model is not None else ()


def load_chart_data(
    slide_type: str, path: Path, *, sheet: str | None = None, cells: str | None = None
) -> Document:
    """The data file as a Document whose data fits the slide: a list of rows for bar/pie,
    {'x': [...], 'series': [...]} for line, {'columns': [...], 'rows': [...]} for table.

    `sheet` and `cells` (the playlist's `range:`) choose what of an .xlsx file is read;
    a problem with them raises xlsx.OptionProblem (the loader marks the playlist's key)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from kiosk.playlist.xlsx import read_grid  # openpyxl is imported only for .xlsx files

        return _from_grid(slide_type, path, read_grid(path, sheet, cells))
    if suffix == ".csv":
        return _from_grid(slide_type, path, _csv_grid(path))
    if suffix in (".yaml", ".yml"):
        return _yaml_document(slide_type, path)
    raise PlaylistError([Problem(Mark(str(path), 1, 1), "a data file must be .csv, .xlsx, .yaml or .yml")])


def _yaml_document(slide_type: str, path: Path) -> Document:
    document = load_file(path)
    data = document.data
    if data_fills(slide_type) == SERIES_FILLS:
        if not isinstance(data, dict):
            raise _fail(path, 1, "a line chart's YAML data is a mapping with 'x:' and 'series:'")
        return document
    if data_fills(slide_type) == TABLE_FILLS:
        if not isinstance(data, dict):
            raise _fail(path, 1, "a table's YAML data is a mapping with 'columns:' and 'rows:'")
        return document
    key = data_fills(slide_type)[0]
    if isinstance(data, dict) and key in data:
        inner = Document(data[key], document.file)
        for mark_path, mark in document.value_marks.items():
            if mark_path[:1] == (key,):
                inner.value_marks[mark_path[1:]] = mark
        for mark_path, mark in document.key_marks.items():
            if mark_path[:1] == (key,):
                inner.key_marks[mark_path[1:]] = mark
        return inner
    if not isinstance(data, list):
        raise _fail(path, 1, "the YAML data must be a list of rows like {label: 立案数, value: 12}")
    return document


def _csv_grid(path: Path) -> list[GridRow]:
    """The CSV's rows that hold something, each cell marked at its line and column."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, list[str]]] = []  # (the line a row starts on: quoted cells span lines)
    try:
        start = 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            message = f"a cell is longer than {csv.field_size_limit():,} characters; this is not chart data"
        else:
            message = f"this is not a valid CSV file: {exc}"
        raise _fail(path, max(1, reader.line_num), message) from None
    return [
        GridRow(
            Mark(str(path), line, 1),
            [GridCell(cell, Mark(str(path), line, _column_of(row, i))) for i, cell in enumerate(row)],
        )
        for line, row in rows
        if any(c.strip() for c in row)
    ]


def _from_grid(slide_type: str, path: Path, grid: list[GridRow]) -> Document:
    if len(grid) < 2:
        raise _fail(path, 1, "the file needs a header row and at least one row of data")
    header, body = grid[0], grid[1:]
    problems = [
        Problem(row.mark, f"this row has {len(row.cells)} columns but the header has {len(header.cells)}")
        for row in body
        if len(row.cells) != len(header.cells)
    ]
    if problems:
        raise PlaylistError(problems)
    fills = data_fills(slide_type)
    if fills == SERIES_FILLS:
        return _line(path, header, body)
    if fills == TABLE_FILLS:
        return _table(path, header, body)
    return _rows(path, header, body)


def _rows(path: Path, header_row: GridRow, body: list[GridRow]) -> Document:
    header = [_text_of(c.value).strip().lower() for c in header_row.cells]
    if "label" not in header or "value" not in header:
        raise PlaylistError(
            [Problem(header_row.mark, "the header row must name the columns 'label' and 'value'")]
        )
    document = Document([], str(path))
    for index, row in enumerate(body):
        record: dict[str, Any] = {}
        for name, cell in zip(header, row.cells, strict=True):
            if _is_empty(cell.value) and name != "value":
                continue  # an empty optional cell (no colour) is as if not written
            record[name] = _value(cell.value, numeric=name == "value")
            document.value_marks[(index, name)] = cell.mark
            document.key_marks[(index, name)] = header_row.mark
        document.value_marks[(index,)] = row.mark
        if "label" in record:
            _refuse_formula(record["label"], document.value_marks[(index, "label")])
        document.data.append(record)
    return document


def _line(path: Path, header_row: GridRow, body: list[GridRow]) -> Document:
    """First column: the x labels; each further column: one series named by its header
    (as written: 'GDP' stays 'GDP')."""
    header = [_text_of(c.value).strip() for c in header_row.cells]
    if len(header) < 2:
        raise PlaylistError(
            [Problem(header_row.mark, "a line chart's data needs an x column and at least one series column")]
        )
    document = Document({"x": [], "series": []}, str(path))
    document.data["series"] = [{"name": name, "values": []} for name in header[1:]]
    for s_index, name in enumerate(header[1:]):
        _refuse_formula(name, header_row.cells[s_index + 1].mark)
    for row in body:
        x_index = len(document.data["x"])
        label = _text_of(row.cells[0].value).strip()
        document.data["x"].append(label)
        document.value_marks[("x", x_index)] = row.cells[0].mark
        _refuse_formula(label, row.cells[0].mark)
        for s_index, cell in enumerate(row.cells[1:]):
            document.data["series"][s_index]["values"].append(_value(cell.value, numeric=True))
            document.value_marks[("series", s_index, "values", x_index)] = cell.mark
    return document


#: a header like 人口（万） or 同比(%): the column's unit in brackets at its end
_HEADER_UNIT = re.compile(r"^(?P<header>.*?\S)\s*[（(]\s*(?P<unit>[^()（）]{1,8}?)\s*[）)]\s*$")


def _table(path: Path, header_row: GridRow, body: list[GridRow]) -> Document:
    """The header row names the columns (a unit in brackets at a header's end, 人口（万）,
    becomes the column's unit); each further row is a row of the table."""
    document = Document({"columns": [], "rows": []}, str(path))
    for index, cell in enumerate(header_row.cells):
        text = _text_of(cell.value).strip()
        _refuse_formula(text, cell.mark, "the heading")
        match = _HEADER_UNIT.match(text)
        column = {"header": match["header"], "unit": match["unit"]} if match else {"header": text}
        document.data["columns"].append(column)
        document.value_marks[("columns", index)] = cell.mark
        for key in column:
            document.value_marks[("columns", index, key)] = cell.mark
    for r_index, row in enumerate(body):
        values = []
        for c_index, cell in enumerate(row.cells):
            value = None if _is_empty(cell.value) else _value(cell.value, numeric=False)
            if isinstance(value, str):
                _refuse_formula(value, cell.mark, "the cell")
            values.append(value)
            document.value_marks[("rows", r_index, c_index)] = cell.mark
        document.value_marks[("rows", r_index)] = row.mark
        document.data["rows"].append(values)
    return document


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text_of(value: Any) -> str:
    """A header or label cell as text (a spreadsheet's year 2023 is the text '2023')."""
    if value is None:
        return ""
    return getattr(value, "written_text", None) or str(value)


def _value(value: Any, *, numeric: bool) -> Any:
    """A cell's value for the model: CSV text as _cell reads it; a spreadsheet's numbers
    (already numbers, their precision from the cell's format) and text as they are."""
    if isinstance(value, str):
        return _cell(value, numeric=numeric)
    return value


def _cell(cell: str, *, numeric: bool) -> Any:
    text = cell.strip()
    if not numeric:
        return text
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return WrittenFloat(float(text), text)
    except ValueError:
        return text  # the model reports "must be a number, got '…'"


def _refuse_formula(label: object, mark: Mark, what: str = "the label") -> None:
    if isinstance(label, str) and looks_like_formula(label):
        message = f"{what} '{label}' looks like a spreadsheet formula; write plain text"
        raise PlaylistError([Problem(mark, readable(message))])


def _column_of(row: list[str], column: int) -> int:
    """1-based character column where a cell starts (commas between cells)."""
    return sum(len(cell) + 1 for cell in row[:column]) + 1


def _fail(path: Path, line: int, message: str) -> PlaylistError:
    return PlaylistError([Problem(Mark(str(path), line, 1), readable(message))])
