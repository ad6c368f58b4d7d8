"""Writes data/examples/table-sample.xlsx, the sample spreadsheet of the `table` slide in
data/examples/every-slide-type.yaml: thirteen cities, SAMPLE DATA (示例数据), not real
statistics. Kept so the binary file can be made again and read as text here.

    .venv/bin/python tools/make_sample_xlsx.py
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "examples" / "table-sample.xlsx"

HEADER = ["城市", "示例指标（起）", "示例比例（%）", "同比（%）"]
ROWS = [
    ("南京", 1286, 96.4, -8.2),
    ("无锡", 1043, 95.1, -6.5),
    ("徐州", 1177, 93.8, -4.9),
    ("常州", 862, 95.7, -7.3),
    ("苏州", 1520, 97.2, -9.6),
    ("南通", 918, 94.6, -5.1),
    ("连云港", 604, 92.9, -3.8),
    ("淮安", 655, 93.3, -4.4),
    ("盐城", 731, 94.0, -5.0),
    ("扬州", 588, 95.5, -6.1),
    ("镇江", 497, 96.0, -6.8),
    ("泰州", 613, 94.8, -5.7),
    ("宿迁", 572, 93.1, -4.2),
]


def main() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "示例"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "0.0"  # the precision shown is the precision kept (96.0 stays 96.0)
    sheet["F1"] = "示例数据，非真实统计 Sample data, not real statistics"  # outside range: A1:D14
    fixed = datetime(2024, 1, 10, 8, 0)  # the same bytes each time (no "now" inside)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
