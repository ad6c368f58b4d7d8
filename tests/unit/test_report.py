"""`kiosk report LOG...` (kiosk/report.py): the table, the CSV, malformed lines, filters,
exit codes, and that it stays Qt-free."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli

LINES = [
    {"start": "2026-03-01T09:00:00.000+08:00", "slide": "welcome", "label": "欢迎", "seconds": 10.0},
    {"start": "2026-03-01T09:00:10.000+08:00", "slide": 2, "label": "破案率", "seconds": 60.0},
    {"start": "2026-03-01T09:01:10.000+08:00", "slide": "welcome", "label": "欢迎", "seconds": 12.5},
    {"start": "2026-03-02T09:00:00.000+08:00", "slide": "welcome", "label": "欢迎", "seconds": 10.0},
]


def write_log(folder: Path, day: str, lines: list[object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"plays-{day}.jsonl"
    path.write_text(
        "".join(
            (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    folder = tmp_path / "plays"
    write_log(folder, "2026-03-01", LINES[:3])
    write_log(folder, "2026-03-02", LINES[3:])
    return folder


def report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_has_one_row_per_day_and_slide(logs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = report(capsys, str(logs), "--csv")
    assert (code, err) == (0, "")
    assert list(csv.reader(io.StringIO(out))) == [
        ["date", "slide", "label", "times shown", "seconds shown"],
        ["2026-03-01", "welcome", "欢迎", "2", "22.500"],
        ["2026-03-01", "2", "破案率", "1", "60.000"],
        ["2026-03-02", "welcome", "欢迎", "1", "10.000"],
    ]


def test_the_table_is_aligned_with_totals_per_slide(logs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, str(logs))
    assert code == 0
    assert out == (
        "Per day and slide\n"
        "date        slide    label   shown  seconds\n"
        "2026-03-01  welcome  欢迎        2     22.5\n"
        "2026-03-01  2        破案率      1     60.0\n"
        "2026-03-02  welcome  欢迎        1     10.0\n"
        "\n"
        "Per slide, all days\n"
        "slide    label   shown  seconds\n"
        "welcome  欢迎        3     32.5\n"
        "2        破案率      1     60.0\n"
        "\n"
        "4 plays, 92.5 s on screen\n"
    )


def test_files_and_folders_of_screens_are_read(
    logs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = write_log(tmp_path / "screens" / "lobby", "2026-03-01", LINES[:1])
    code, out, _ = report(capsys, str(logs / "plays-2026-03-01.jsonl"), str(other.parent.parent), "--csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))[1:]
    assert rows[0] == ["2026-03-01", "welcome", "欢迎", "3", "32.500"]


def test_malformed_lines_are_named_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = [
        LINES[0],
        '{"start": "2026-03-01T09:00:00", "slide": "x", "secon',  # cut by a power loss
        "[1, 2]",
        {"start": "yesterday", "slide": "x", "seconds": 1},
        {"start": "2026-03-01T09:00:00", "slide": None, "seconds": 1},
        {"start": "2026-03-01T09:00:00", "slide": "x", "seconds": "ten"},
        {"start": "2026-03-01T09:00:00", "slide": "x", "seconds": -1},
        "",
        LINES[1],
    ]
    path = write_log(tmp_path, "2026-03-01", bad)
    code, out, err = report(capsys, str(path), "--csv")
    assert code == 0
    assert len(list(csv.reader(io.StringIO(out)))) == 3  # header and the two good lines
    lines = err.splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6, 7)]
    assert "not JSON" in lines[0]
    assert lines[-1] == "kiosk report: 6 malformed lines skipped"
    assert "Traceback" not in err


def test_from_and_until_filter_by_day(logs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = report(capsys, str(logs), "--csv", "--from", "2026-03-02")
    assert code == 0
    assert [row[0] for row in csv.reader(io.StringIO(out))][1:] == ["2026-03-02"]
    code, out, _ = report(capsys, str(logs), "--csv", "--until", "2026-03-01")
    assert {row[0] for row in csv.reader(io.StringIO(out))} == {"date", "2026-03-01"}


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-folder"],
        ["PLAYS", "--from", "March"],
        ["PLAYS", "--from", "2026-03-02", "--until", "2026-03-01"],
        [],
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], logs: Path) -> None:
    args = [str(logs) if arg == "PLAYS" else arg for arg in args]
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "report", *args], capture_output=True, text=True, timeout=60, cwd=logs
    )
    assert result.returncode == 2
    assert result.stderr.strip() and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_report_runs_without_qt(logs: Path) -> None:
    """The command line stays quick: no Qt is imported for a report."""
    code = (
        "import sys; from kiosk import cli; code = cli.main(['report', sys.argv[1]]); "
        "assert 'PySide6' not in sys.modules, 'Qt imported'; sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(logs)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "4 plays, 92.5 s on screen" in result.stdout
