"""Chart data from files: a `data:` key names a CSV or YAML file beside the playlist.

Rows come back as the same plain mappings an inline list would hold, with marks that
point into the data file, so a bad number is reported at its own line and column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from kiosk.playlist.errors import Mark, PlaylistError, Problem
from kiosk.playlist.model import SLIDE_TYPES
from kiosk.playlist.safeyaml import Document, WrittenFloat, load_file, read_text, readable

#: what a line chart's data file fills: x labels and series (any other type: one list of rows)
SERIES_FILLS = ("x", "series")


def data_fills(slide_type: str) -> tuple[str, ...]:
    """The fields a `data:` file fills for this slide type (the registry's `data_fills`);
    empty when the type takes no data file."""
    model = SLIDE_TYPES.get(slide_type)
    return model.data_fills if model is not None else ()


# A cell that a spreadsheet would run as a formula (CSV injection, OWASP): '=' or '@' first,
# or '+'/'-' first unless a plain signed number follows ('-18.4%' and '+5.2万' are labels;
# '-2+3' and '+cmd|...' are not). Tabs and CRs in front are stripped before the check. The
# app never evaluates a cell; this catches formulas exported as text instead of values,
# and keeps such text off the screen and out of any file it ends up in.
FORMULA_PREFIXES = ("=", "@")
_SIGNED_NUMBER = re.compile(r"^[+-]\s*[\d.][^=+\-*/^&|!();@\"']*$")


def load_chart_data(slide_type: str, path: Path) -> Document:
    """The data file as a Document whose data fits the slide: a list of rows for bar/pie,
    {'x': [...], 'series': [...]} for line."""
    if path.suffix.lower() == ".csv":
        return _csv_document(slide_type, path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml_document(slide_type, path)
    raise PlaylistError([Problem(Mark(str(path), 1, 1), "a data file must be .csv, .yaml or .yml")])


def _yaml_document(slide_type: str, path: Path) -> Document:
    document = load_file(path)
    data = document.data
    if data_fills(slide_type) == SERIES_FILLS:
        if not isinstance(data, dict):
            raise _fail(path, 1, "a line chart's YAML data is a mapping with 'x:' and 'series:'")
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


def _csv_document(slide_type: str, path: Path) -> Document:
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
    numbered = [(n, row) for n, row in rows if any(c.strip() for c in row)]
    if len(numbered) < 2:
        raise _fail(path, 1, "the CSV needs a header row and at least one row of data")
    (header_line, written_header), body = numbered[0], numbered[1:]
    header = [h.strip().lower() for h in written_header]
    problems: list[Problem] = []
    for line, row in body:
        if len(row) != len(header):
            problems.append(
                Problem(
                    Mark(str(path), line, 1),
                    f"this row has {len(row)} columns but the header has {len(header)}",
                )
            )
    if problems:
        raise PlaylistError(problems)
    if data_fills(slide_type) == SERIES_FILLS:
        return _csv_line(path, [h.strip() for h in written_header], header_line, body)
    return _csv_rows(path, header, header_line, body)


def _csv_rows(path: Path, header: list[str], header_line: int, body: list[tuple[int, list[str]]]) -> Document:
    if "label" not in header or "value" not in header:
        raise _fail(path, header_line, "the header row must name the columns 'label' and 'value'")
    document = Document([], str(path))
    for index, (line, row) in enumerate(body):
        record: dict[str, Any] = {}
        for column, (name, cell) in enumerate(zip(header, row, strict=True)):
            if not cell.strip() and name != "value":
                continue  # an empty optional cell (no colour) is as if not written
            record[name] = _cell(cell, numeric=name == "value")
            document.value_marks[(index, name)] = Mark(str(path), line, _column_of(row, column))
            document.key_marks[(index, name)] = Mark(str(path), header_line, 1)
        document.value_marks[(index,)] = Mark(str(path), line, 1)
        if "label" in record:
            _refuse_formula(record["label"], document.value_marks[(index, "label")])
        document.data.append(record)
    return document


def _csv_line(path: Path, header: list[str], header_line: int, body: list[tuple[int, list[str]]]) -> Document:
    """First column: the x labels; each further column: one series named by its header
    (as written: 'GDP' stays 'GDP')."""
    if len(header) < 2:
        raise _fail(path, 1, "a line chart's CSV needs an x column and at least one series column")
    document = Document({"x": [], "series": []}, str(path))
    document.data["series"] = [{"name": name, "values": []} for name in header[1:]]
    for s_index, name in enumerate(header[1:]):
        _refuse_formula(name, Mark(str(path), header_line, _column_of(header, s_index + 1)))
    for line, row in body:
        x_index = len(document.data["x"])
        document.data["x"].append(row[0].strip())
        document.value_marks[("x", x_index)] = Mark(str(path), line, 1)
        _refuse_formula(row[0].strip(), Mark(str(path), line, 1))
        for s_index, cell in enumerate(row[1:]):
            document.data["series"][s_index]["values"].append(_cell(cell, numeric=True))
            document.value_marks[("series", s_index, "values", x_index)] = Mark(
                str(path), line, _column_of(row, s_index + 1)
            )
    return document


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


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet would run as a formula (see FORMULA_PREFIXES)."""
    text = text.lstrip("\t\r\n ")
    if text.startswith(FORMULA_PREFIXES):
        return True
    return len(text) > 1 and text[0] in "+-" and not _SIGNED_NUMBER.match(text)


def _refuse_formula(label: object, mark: Mark) -> None:
    if isinstance(label, str) and looks_like_formula(label):
        message = f"the label '{label}' looks like a spreadsheet formula; write plain text"
        raise PlaylistError([Problem(mark, readable(message))])


def _column_of(row: list[str], column: int) -> int:
    """1-based character column where a cell starts (commas between cells)."""
    return sum(len(cell) + 1 for cell in row[:column]) + 1


def _fail(path: Path, line: int, message: str) -> PlaylistError:
    return PlaylistError([Problem(Mark(str(path), line, 1), readable(message))])
