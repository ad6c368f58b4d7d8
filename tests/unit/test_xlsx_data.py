"""Excel (.xlsx) data files named by `data:`, with `sheet:` and `range:` beside it: bar,
line, pie and table slides, errors at FILE:SHEET!CELL. The files are made here with
openpyxl (as Excel would save them: values, formats, a formula's saved result)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kiosk.playlist.errors import Mark, PlaylistError, Problem
from kiosk.playlist.model import BarSlide, LineSlide, PieSlide, TableSlide

from .helpers import load, problems


def workbook(
    folder: Path, name: str, sheets: dict[str, list[list[Any]]], formats: dict[str, str] | None = None
) -> Path:
    """An .xlsx file with the given sheets (rows of values, first sheet first)."""
    book = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
        for cell, number_format in (formats or {}).items():
            sheet[cell].number_format = number_format
    path = folder / name
    book.save(path)
    return path


def test_bar_data_from_xlsx(tmp_path) -> None:
    workbook(
        tmp_path,
        "数据.xlsx",
        {"Sheet1": [["label", "value", "color"], ["立案数", -18.4, "#3ecf8e"], ["破案数", 20.9, None]]},
    )
    bar = load(tmp_path, "slides:\n  - {type: bar, data: 数据.xlsx, unit: '%'}\n").slides[0]
    assert isinstance(bar, BarSlide)
    assert [(b.label, b.value, b.color) for b in bar.bars or []] == [
        ("立案数", -18.4, "#3ecf8e"),
        ("破案数", 20.9, None),
    ]
    assert bar.decimals() == 1


def test_a_cells_number_format_is_its_written_precision(tmp_path) -> None:
    """2.90 shown by Excel as 2.90 (format 0.00) keeps two decimals, as a YAML 2.90 would."""
    workbook(tmp_path, "d.xlsx", {"S": [["label", "value"], ["a", 2.9], ["b", 4]]}, formats={"B2": "0.00"})
    bar = load(tmp_path, "slides:\n  - {type: bar, data: d.xlsx}\n").slides[0]
    assert bar.bars[0].decimals == 2 and bar.decimals() == 2


def test_a_percentage_format_reads_as_excel_shows_it(tmp_path) -> None:
    workbook(tmp_path, "d.xlsx", {"S": [["label", "value"], ["a", 0.052]]}, formats={"B2": "0.0%"})
    bar = load(tmp_path, "slides:\n  - {type: bar, data: d.xlsx}\n").slides[0]
    assert bar.bars[0].value == pytest.approx(5.2) and bar.bars[0].decimals == 1


def test_sheet_and_range_choose_the_cells(tmp_path) -> None:
    workbook(
        tmp_path,
        "d.xlsx",
        {
            "封面": [["这一页不是数据"]],
            "汇总": [
                ["说明：示例"],
                [],
                [None, "label", "value"],
                [None, "a", 1],
                [None, "b", 2],
                [None, "合计", 3],
            ],
        },
    )
    pie = load(tmp_path, "slides:\n  - {type: pie, data: d.xlsx, sheet: 汇总, range: B3:C5}\n").slides[0]
    assert isinstance(pie, PieSlide)
    assert [(s.label, s.value) for s in pie.slices or []] == [("a", 1), ("b", 2)]


def test_line_data_from_xlsx(tmp_path) -> None:
    workbook(tmp_path, "d.xlsx", {"S": [["年份", "立案", "破案"], [2021, 10, 8], [2022, 12, 11]]})
    line = load(tmp_path, "slides:\n  - {type: line, data: d.xlsx}\n").slides[0]
    assert isinstance(line, LineSlide)
    assert line.x == ["2021", "2022"]
    assert [(s.name, s.values) for s in line.series or []] == [("立案", [10, 12]), ("破案", [8, 11])]


def test_table_data_from_xlsx_with_units_in_the_headers(tmp_path) -> None:
    workbook(
        tmp_path,
        "d.xlsx",
        {
            "S": [
                ["城市", "立案数（起）", "同比(%)", "备注"],
                ["南京", 1286, -8.2, None],
                ["苏州", 1520, -9.6, "最高"],
            ]
        },
        formats={"C2": "0.00"},
    )
    table = load(tmp_path, "slides:\n  - {type: table, data: d.xlsx, highlight: 苏州}\n").slides[0]
    assert isinstance(table, TableSlide)
    assert [(c.header, c.unit) for c in table.columns or []] == [
        ("城市", ""),
        ("立案数", "起"),
        ("同比", "%"),
        ("备注", ""),
    ]
    assert [c.text for c in table.cells(1)] == ["苏州", "1520", "-9.6", "最高"]
    assert table.cells(0)[3].text == "" and table.decimals(2) == 2
    assert table.highlighted_row() == 1


def test_a_bad_number_is_reported_at_its_cell(tmp_path) -> None:
    workbook(
        tmp_path,
        "数据.xlsx",
        {"Sheet1": [["label", "value"], *[[f"r{i}", i] for i in range(2, 7)], ["r7", "九十九"]]},
    )
    assert problems(tmp_path, "slides:\n  - {type: bar, data: 数据.xlsx}\n") == [
        "数据.xlsx:Sheet1!B7: value must be a number, got '九十九'"
    ]


def test_a_sheet_name_with_spaces_is_quoted_as_excel_writes_it(tmp_path) -> None:
    workbook(tmp_path, "d.xlsx", {"My data": [["label", "value"], ["a", "x"]]})
    assert problems(tmp_path, "slides:\n  - {type: bar, data: d.xlsx}\n") == [
        "d.xlsx:'My data'!B2: value must be a number, got 'x'"
    ]


def test_a_missing_sheet_is_reported_at_the_playlists_key(tmp_path) -> None:
    workbook(tmp_path, "d.xlsx", {"汇总": [["label", "value"], ["a", 1]], "明细": [["x"]]})
    assert problems(tmp_path, "slides:\n  - {type: bar, data: d.xlsx, sheet: 总表}\n") == [
        "show.yaml:2:38: the .xlsx file has no sheet '总表'; its sheets: '汇总', '明细'"
    ]


def test_a_bad_range_is_reported_at_the_playlists_key(tmp_path) -> None:
    workbook(tmp_path, "d.xlsx", {"S": [["label", "value"], ["a", 1]]})
    assert problems(tmp_path, "slides:\n  - {type: bar, data: d.xlsx, range: A1-B2}\n") == [
        "show.yaml:2:38: range must look like A1:C14 (two corners of the cells), got 'A1-B2'"
    ]


def test_sheet_without_an_xlsx_file_is_an_error(tmp_path) -> None:
    (tmp_path / "d.csv").write_text("label,value\na,1\n", encoding="utf-8")
    assert problems(tmp_path, "slides:\n  - {type: bar, data: d.csv, sheet: S}\n") == [
        "show.yaml:2:37: 'sheet:' goes with an .xlsx data file ('data: 数据.xlsx'); remove it"
    ]


def test_an_empty_range_says_so(tmp_path) -> None:
    workbook(tmp_path, "d.xlsx", {"S": [["label", "value"], ["a", 1]]})
    assert problems(tmp_path, "slides:\n  - {type: bar, data: d.xlsx, range: F10:G12}\n") == [
        "d.xlsx:1:1: sheet 'S' has no values in F10:G12"
    ]


def test_a_formulas_saved_result_is_read(tmp_path) -> None:
    """Excel saves each formula's result with it; that value is shown, nothing is evaluated.
    openpyxl cannot write a saved result, so the sheet's XML is given one by hand."""
    import zipfile

    path = workbook(tmp_path, "d.xlsx", {"S": [["label", "value"], ["合计", "=1+2"]]})
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>1+2</f><v />" in sheet  # openpyxl saves the formula with no result
    sheet = sheet.replace("<f>1+2</f><v />", "<f>1+2</f><v>3</v>")  # as Excel saves it
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    bar = load(tmp_path, "slides:\n  - {type: bar, data: d.xlsx}\n").slides[0]
    assert bar.bars[0].value == 3


def test_the_cell_mark_prints_file_sheet_and_cell_and_sorts_with_line_marks() -> None:
    cell = Mark("数据.xlsx", 7, 2, "Sheet1!B7")
    assert str(cell) == "数据.xlsx:Sheet1!B7"
    assert str(Mark("show.yaml", 3, 5)) == "show.yaml:3:5"
    error = PlaylistError(
        [
            Problem(cell, "b"),
            Problem(Mark("show.yaml", 3, 5), "a"),
            Problem(Mark("数据.xlsx", 2, 1, "Sheet1!A2"), "c"),
        ]
    )
    assert [str(p.mark) for p in error.problems] == [
        "show.yaml:3:5",
        "数据.xlsx:Sheet1!A2",
        "数据.xlsx:Sheet1!B7",
    ]


def test_table_data_from_csv_and_yaml(tmp_path) -> None:
    (tmp_path / "t.csv").write_text("城市,人口（万）\n南京,949.11\n苏州,1291.1\n", encoding="utf-8")
    (tmp_path / "t.yaml").write_text(
        "columns: [城市, {header: 人口, unit: 万}]\nrows:\n  - [南京, 949.11]\n", encoding="utf-8"
    )
    playlist = load(tmp_path, "slides:\n  - {type: table, data: t.csv}\n  - {type: table, data: t.yaml}\n")
    from_csv, from_yaml = playlist.slides
    assert [(c.header, c.unit) for c in from_csv.columns] == [("城市", ""), ("人口", "万")]
    assert from_csv.decimals(1) == 2  # 949.11 and 1291.1: the column keeps two decimals
    assert from_yaml.cells(0)[1].value == pytest.approx(949.11)


def test_table_csv_formula_cells_are_refused(tmp_path) -> None:
    (tmp_path / "t.csv").write_text('城市,备注\n南京,"=HYPERLINK(""x"")"\n', encoding="utf-8")
    assert problems(tmp_path, "slides:\n  - {type: table, data: t.csv}\n") == [
        "t.csv:2:4: the cell '=HYPERLINK(\"x\")' looks like a spreadsheet formula; write plain text"
    ]
