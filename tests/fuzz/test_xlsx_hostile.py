"""Hostile .xlsx data files: what a spreadsheet from a stranger must not be able to do.

It must not smuggle formulas (a formula saved without its result, text that a
spreadsheet would run), exhaust memory or time (a zip bomb, a sheet of a million rows,
one row of thousands of columns, a part that declares XML entities), or crash the loader
(a text file named .xlsx, a password-protected file, a damaged zip, a zip that is no
workbook). Each is refused with a clear message at FILE:LINE:COL or FILE:SHEET!CELL,
quickly, never a traceback. SECURITY.md states the rules tested here.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kiosk.playlist.xlsx import MAX_COLUMNS, MAX_ROWS, MAX_UNCOMPRESSED_BYTES, column_letters

from .strategies import refused_file

SECONDS = 2.0


def refused(folder: Path, slide: str, seconds: float = SECONDS) -> list[str]:
    """The problems of a playlist with this one slide, which must be refused quickly."""
    path = folder / "show.yaml"
    path.write_text(f"slides:\n  - {slide}\n", encoding="utf-8")
    return refused_file(path, seconds)


def book_bytes(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes, *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The .xlsx `data` with one part replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info))
        archive.writestr(name, content)
    return out.getvalue()


# ---------------------------------------------------------------- formulas


def test_a_formula_saved_without_its_result_is_refused_at_its_cell(tmp_path: Path) -> None:
    (tmp_path / "d.xlsx").write_bytes(book_bytes([["label", "value"], ["a", 1], ["合计", "=SUM(B2:B2)"]]))
    lines = refused(tmp_path, "{type: bar, data: d.xlsx}")
    assert len(lines) == 1 and lines[0].startswith(
        "d.xlsx:Sheet1!B3: this cell holds a formula saved without its result"
    )


def test_a_formula_alone_in_an_otherwise_empty_row_is_still_found(tmp_path: Path) -> None:
    (tmp_path / "d.xlsx").write_bytes(book_bytes([["label", "value"], ["a", 1], [], [None, "=B2*2"]]))
    assert refused(tmp_path, "{type: bar, data: d.xlsx}")[0].startswith(
        "d.xlsx:Sheet1!B4: this cell holds a formula"
    )


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点我")', "@SUM(1)", "+cmd|' /C calc'!A0", "-2+3"])
def test_text_a_spreadsheet_would_run_is_refused(tmp_path: Path, text: str) -> None:
    """Text cells (a label, a table's cell) that start like a formula: stored as text in
    the file, they would run when someone opens an export of the data in a spreadsheet."""
    data = book_bytes([["label", "value"], ["x", 1]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    sheet = sheet.replace("<t>x</t>", f"<t>{escaped}</t>")
    (tmp_path / "d.xlsx").write_bytes(with_part(data, "xl/worksheets/sheet1.xml", sheet.encode()))
    assert refused(tmp_path, "{type: bar, data: d.xlsx}") == [
        f"d.xlsx:Sheet1!A2: the text '{text}' looks like a spreadsheet formula; write plain text"
    ]
    assert refused(tmp_path, "{type: table, data: d.xlsx}")[0].startswith("d.xlsx:Sheet1!A2: the text")


def test_a_cell_showing_a_spreadsheet_error_is_refused(tmp_path: Path) -> None:
    data = book_bytes([["label", "value"], ["a", 1]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace('<c r="B2" t="n"><v>1</v></c>', '<c r="B2" t="e"><v>#DIV/0!</v></c>')
    assert "#DIV/0!" in sheet
    (tmp_path / "d.xlsx").write_bytes(with_part(data, "xl/worksheets/sheet1.xml", sheet.encode()))
    assert refused(tmp_path, "{type: bar, data: d.xlsx}") == [
        "d.xlsx:Sheet1!B2: this cell shows the spreadsheet error #DIV/0!; fix it in the spreadsheet"
    ]


# ---------------------------------------------------------------- size


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    """A part of 200 MB of zeros compresses to about 200 kB: the zip's directory says
    how large it is, and that is enough to refuse it."""
    data = book_bytes([["label", "value"], ["a", 1]])
    out = io.BytesIO(data)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/bomb.bin", "w", force_zip64=True) as part,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(200):
            part.write(chunk)
    (tmp_path / "d.xlsx").write_bytes(out.getvalue())
    assert (tmp_path / "d.xlsx").stat().st_size < 1_000_000
    lines = refused(tmp_path, "{type: bar, data: d.xlsx}")
    assert lines == [
        f"d.xlsx:1:1: the .xlsx file expands to more than {MAX_UNCOMPRESSED_BYTES / 1e6:.0f} MB "
        "when unpacked; it is not a slide's data (a zip bomb?)"
    ]


def test_a_sheet_of_many_rows_is_refused_quickly(tmp_path: Path) -> None:
    """Rows are streamed and counted: past the limit the reading stops, however many follow."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>' for r in range(2, 60_000)
    )
    data = book_bytes([["label", "value"]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</row></sheetData>", "</row>" + rows + "</sheetData>")
    (tmp_path / "d.xlsx").write_bytes(with_part(data, "xl/worksheets/sheet1.xml", sheet.encode()))
    lines = refused(tmp_path, "{type: line, data: d.xlsx}")
    assert lines == [
        f"d.xlsx:1:1: sheet 'Sheet1' has more than {MAX_ROWS:,} rows of data; a slide shows far fewer: "
        "give range: (like A1:C14) with the cells to read"
    ]


def test_a_row_far_to_the_right_is_refused_at_its_cell(tmp_path: Path) -> None:
    row = [None] * (MAX_COLUMNS + 5) + ["远处的值"]
    (tmp_path / "d.xlsx").write_bytes(book_bytes([["label", "value"], ["a", 1], row]))
    lines = refused(tmp_path, "{type: pie, data: d.xlsx}")
    assert len(lines) == 1 and lines[0].startswith("d.xlsx:Sheet1!BR3: this cell is beyond column BL")


def test_one_row_of_thousands_of_cells_is_refused_quickly(tmp_path: Path) -> None:
    cells = "".join(f'<c r="{column_letters(c)}2"><v>{c}</v></c>' for c in range(1, 16_001))
    data = book_bytes([["label", "value"]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</row></sheetData>", f'</row><row r="2">{cells}</row></sheetData>')
    (tmp_path / "d.xlsx").write_bytes(with_part(data, "xl/worksheets/sheet1.xml", sheet.encode()))
    lines = refused(tmp_path, "{type: pie, data: d.xlsx}")
    assert len(lines) == 1 and lines[0].startswith("d.xlsx:Sheet1!BM2: this cell is beyond column BL")


@pytest.mark.parametrize(("cells", "why"), [("A1:ZZ1000", "rows and"), ("A1:A1048577", "outside any sheet")])
def test_a_range_too_large_is_refused_before_reading(tmp_path: Path, cells: str, why: str) -> None:
    (tmp_path / "d.xlsx").write_bytes(book_bytes([["label", "value"], ["a", 1]]))
    lines = refused(tmp_path, f"{{type: bar, data: d.xlsx, range: '{cells}'}}")
    assert len(lines) == 1 and lines[0].startswith("show.yaml:2:") and why in lines[0]


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    """An .xlsx never declares a DTD; a part that does is where an entity bomb would be."""
    data = book_bytes([["label", "value"], ["a", 1]])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>'
    )
    (tmp_path / "d.xlsx").write_bytes(with_part(data, "xl/sharedStrings.xml", bomb))
    assert refused(tmp_path, "{type: bar, data: d.xlsx}") == [
        "d.xlsx:1:1: the part xl/sharedStrings.xml declares a DTD; an .xlsx file never needs one"
    ]


# ---------------------------------------------------------------- not a workbook


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"label,value\na,1\n", "this is not an .xlsx file (not a zip archive); a CSV or text file renamed?"),
        (b"", "this is not an .xlsx file (not a zip archive); a CSV or text file renamed?"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000,
            "this file is protected with a password, or is an old .xls file; save it in Excel as .xlsx without a password",
        ),
    ],
    ids=["text", "empty", "encrypted-or-xls"],
)
def test_files_that_are_no_workbook_get_a_clear_word(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "d.xlsx").write_bytes(content)
    assert refused(tmp_path, "{type: bar, data: d.xlsx}") == [f"d.xlsx:1:1: {message}"]


def test_a_truncated_workbook_is_damaged_not_a_traceback(tmp_path: Path) -> None:
    data = book_bytes([["label", "value"], ["a", 1]])
    (tmp_path / "d.xlsx").write_bytes(data[: len(data) // 2])
    lines = refused(tmp_path, "{type: bar, data: d.xlsx}")
    assert len(lines) == 1 and lines[0].startswith("d.xlsx:1:1: ") and "damaged" in lines[0]


def test_a_zip_that_is_no_workbook_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "你好")
    (tmp_path / "d.xlsx").write_bytes(out.getvalue())
    lines = refused(tmp_path, "{type: bar, data: d.xlsx}")
    assert len(lines) == 1 and lines[0].startswith("d.xlsx:1:1: cannot read this .xlsx file")


def test_a_damaged_sheet_is_refused(tmp_path: Path) -> None:
    data = book_bytes([["label", "value"], ["a", 1]])
    (tmp_path / "d.xlsx").write_bytes(
        with_part(data, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row")
    )
    lines = refused(tmp_path, "{type: bar, data: d.xlsx}")
    assert len(lines) == 1 and lines[0].startswith("d.xlsx:1:1: ") and "damaged" in lines[0]


def test_a_corrupt_compressed_stream_is_refused(tmp_path: Path) -> None:
    data = bytearray(book_bytes([["label", "value"], ["a", 1]]))
    start = bytes(data).index(b"xl/worksheets/sheet1.xml") + 40  # inside the part's deflated bytes
    for i in range(start, start + 60):
        data[i] ^= 0x5A
    (tmp_path / "d.xlsx").write_bytes(bytes(data))
    lines = refused(tmp_path, "{type: bar, data: d.xlsx}")
    assert (
        len(lines) == 1
        and lines[0].startswith("d.xlsx:")
        and ("damaged" in lines[0] or "cannot read" in lines[0])
    )


def test_a_folder_named_xlsx_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.xlsx").mkdir()
    assert refused(tmp_path, "{type: bar, data: d.xlsx}") == ["show.yaml:2:23: 'd.xlsx' is not a file"]
