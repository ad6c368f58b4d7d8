"""The command line's smaller field findings (issue 13, item 9): help that describes,
a mistyped subcommand named as such, the usual YAML slips explained, `kiosk schema | head`
without a traceback, and warnings for slides that are not on air."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.playlist import load_playlist
from kiosk.playlist.advice import playlist_document, schedule_warnings


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["check", "export"])
def test_subcommand_help_describes_the_command(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as leaving:
        main([command, "--help"])
    assert leaving.value.code == 0
    out = capsys.readouterr().out
    assert "Exit codes:" in out
    assert "FILE:LINE:COL" in out if command == "check" else "--pdf" in out and "PNG" in out


@pytest.mark.parametrize("word", ["chek", "exprot", "shcema"])
def test_a_mistyped_subcommand_is_named_with_a_suggestion(tmp_path, word: str, capsys) -> None:
    write(tmp_path, "x.yaml", "slides: []\n")
    assert main([word, str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"unknown command '{word}' (did you mean" in err
    assert "unrecognized arguments" not in err


def test_a_missing_playlist_is_still_reported_as_a_file(tmp_path, capsys) -> None:
    assert main([str(tmp_path / "show.yaml")]) == 2
    assert "unknown command" not in capsys.readouterr().err


def test_a_full_width_colon_is_named(tmp_path, capsys) -> None:
    path = write(tmp_path, "fw.yaml", "version: 1\nslides:\n  - type: text\n    body： 内容\n")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}:4:9: 'body' is followed by a full-width colon '：'; "
        "YAML needs an ASCII colon and a space: 'key: value'"
    )


@pytest.mark.parametrize("character", ["%", "@"])
def test_an_unquoted_reserved_character_gets_a_hint(tmp_path, character: str, capsys) -> None:
    text = f"version: 1\nslides:\n  - type: stat\n    label: x\n    value: 3\n    unit: {character}x\n"
    path = write(tmp_path, "u.yaml", text)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()[0]
    assert err.startswith(f"{path}:6:11: ")
    assert f"a value that starts with '{character}' must be quoted" in err


def test_schema_into_a_closed_pipe_ends_quietly() -> None:
    shell = f"{sys.executable} -m kiosk schema | true"  # the reader is gone before the first write
    done = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr


SCHEDULED = """\
version: 1
slides:
  - type: text
    body: 旧的
    when:
      until: 2024-01-10T00:00
  - type: text
    body: 周日
    when:
      days: [sun]
"""


def test_a_slide_whose_window_is_over_is_named_with_its_line(tmp_path) -> None:
    path = write(tmp_path, "s.yaml", SCHEDULED)
    playlist = load_playlist(path)
    document = playlist_document(playlist)
    assert document is not None
    monday = datetime(2026, 11, 30, 9, 0)
    messages = [str(p) for p in schedule_warnings(playlist, document, monday)]
    assert messages[0].endswith(
        ":6:14: warning: slide 1 (text) is never on air again: its window ended 2024-01-10 00:00"
    )
    assert ":2:1: warning: no slide is on air for the rest of today (2026-11-30)" in messages[1]
    sunday = datetime(2026, 11, 29, 9, 0)
    assert len(schedule_warnings(playlist, document, sunday)) == 1  # the Sunday slide plays


def test_a_window_opening_later_today_counts_as_on_air(tmp_path) -> None:
    path = write(
        tmp_path, "e.yaml", "slides:\n  - type: text\n    body: 晚上\n    when: {hours: '18:00-22:00'}\n"
    )
    playlist = load_playlist(path)
    document = playlist_document(playlist)
    assert document is not None
    assert schedule_warnings(playlist, document, datetime(2026, 11, 30, 9, 0)) == []
    assert len(schedule_warnings(playlist, document, datetime(2026, 11, 30, 23, 0))) == 1


def test_check_prints_warnings_and_still_exits_0(tmp_path, capsys) -> None:
    path = write(tmp_path, "s.yaml", SCHEDULED.replace("[sun]", "[mon, tue, wed, thu, fri, sat, sun]"))
    assert main(["check", str(path)]) == 0
    captured = capsys.readouterr()
    assert "never on air again" in captured.err
    assert ": OK, 2 slides" in captured.out
