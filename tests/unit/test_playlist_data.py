"""Chart data from CSV and YAML files named by `data:`."""

from __future__ import annotations

from kiosk.playlist.model import BarSlide, LineSlide, PieSlide

from .helpers import load, problems, write


def test_bar_data_from_csv(tmp_path) -> None:
    write(tmp_path, "\ufefflabel,value,color\n立案数,-18.4,#3ecf8e\n破案数,20.9,\n", "fraud.csv")
    playlist = load(tmp_path, "slides:\n  - {type: bar, data: fraud.csv, unit: '%'}\n")
    bar = playlist.slides[0]
    assert isinstance(bar, BarSlide)
    assert [(b.label, b.value) for b in bar.bars or []] == [("立案数", -18.4), ("破案数", 20.9)]
    assert bar.bars[0].color == "#3ecf8e"
    assert bar.decimals() == 1


def test_pie_data_from_yaml(tmp_path) -> None:
    write(tmp_path, "- {label: a, value: 3}\n- {label: b, value: 1.5}\n", "pie.yaml")
    playlist = load(tmp_path, "slides:\n  - {type: pie, data: pie.yaml}\n")
    pie = playlist.slides[0]
    assert isinstance(pie, PieSlide)
    assert [s.value for s in pie.slices or []] == [3, 1.5]


def test_line_data_from_csv(tmp_path) -> None:
    write(tmp_path, "year,cases,solved\n2021,10,8\n2022,12,11\n2023,9,9\n", "trend.csv")
    playlist = load(tmp_path, "slides:\n  - {type: line, data: trend.csv}\n")
    line = playlist.slides[0]
    assert isinstance(line, LineSlide)
    assert line.x == ["2021", "2022", "2023"]
    assert [(s.name, s.values) for s in line.series or []] == [("cases", [10, 12, 9]), ("solved", [8, 11, 9])]


def test_line_data_from_yaml(tmp_path) -> None:
    write(tmp_path, "x: [a, b]\nseries:\n  - {name: s, values: [1, 2]}\n", "line.yaml")
    playlist = load(tmp_path, "slides:\n  - {type: line, data: line.yaml}\n")
    assert playlist.slides[0].x == ["a", "b"]


def test_bad_number_in_csv_points_into_the_csv(tmp_path) -> None:
    write(tmp_path, "label,value\n立案数,-18.4\n破案数,二十\n", "fraud.csv")
    lines = problems(tmp_path, "slides:\n  - {type: bar, data: fraud.csv}\n")
    assert lines == ["fraud.csv:3:5: value must be a number, got '二十'"]


def test_bad_value_in_yaml_data_points_into_the_data_file(tmp_path) -> None:
    write(tmp_path, "- {label: a, value: 3}\n- {label: b, valu: 1}\n", "pie.yaml")
    lines = problems(tmp_path, "slides:\n  - {type: pie, data: pie.yaml}\n")
    assert "pie.yaml:2:14: unknown key 'valu' (did you mean 'value'?)" in lines


def test_csv_wrong_column_count(tmp_path) -> None:
    write(tmp_path, "label,value\na,1\nb,2,3\n", "d.csv")
    assert problems(tmp_path, "slides:\n  - {type: bar, data: d.csv}\n") == [
        "d.csv:3:1: this row has 3 columns but the header has 2"
    ]


def test_csv_formula_labels_are_refused(tmp_path) -> None:
    write(tmp_path, 'label,value\n=HYPERLINK("x"),1\n', "d.csv")
    lines = problems(tmp_path, "slides:\n  - {type: bar, data: d.csv}\n")
    assert lines == [
        "d.csv:2:1: the label '=HYPERLINK(\"x\")' looks like a spreadsheet formula; write plain text"
    ]


def test_csv_needs_label_and_value_columns(tmp_path) -> None:
    write(tmp_path, "name,amount\na,1\n", "d.csv")
    assert problems(tmp_path, "slides:\n  - {type: bar, data: d.csv}\n") == [
        "d.csv:1:1: the header row must name the columns 'label' and 'value'"
    ]


def test_data_and_inline_together_is_an_error(tmp_path) -> None:
    write(tmp_path, "label,value\na,1\n", "d.csv")
    lines = problems(tmp_path, "slides:\n  - {type: bar, data: d.csv, bars: [{label: a, value: 1}]}\n")
    assert lines == ["show.yaml:2:23: give either 'data:' or 'bars:', not both"]


def test_missing_data_file(tmp_path) -> None:
    lines = problems(tmp_path, "slides:\n  - {type: pie, data: nope.csv}\n")
    assert len(lines) == 1 and lines[0].startswith("show.yaml:2:23: file not found: 'nope.csv'")


def test_unsupported_data_format(tmp_path) -> None:
    write(tmp_path, "{}", "d.json")
    assert problems(tmp_path, "slides:\n  - {type: pie, data: d.json}\n") == [
        "d.json:1:1: a data file must be .csv, .xlsx, .yaml or .yml"
    ]
