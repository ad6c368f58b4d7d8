"""The command line as a user runs it: exit codes, messages, the schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.cli import main
from kiosk.playlist.schema import playlist_schema

ROOT = Path(__file__).resolve().parents[2]


def run_kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60)


def test_version() -> None:
    result = run_kiosk("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kiosk {__version__}"


def test_check_valid_prints_a_summary(capsys) -> None:
    assert main(["check", str(ROOT / "data" / "police-day-2023.yaml")]) == 0
    out = capsys.readouterr().out
    assert "police-day-2023.yaml: OK, " in out and " slides, loop " in out


def test_check_reports_every_error_of_every_file(tmp_path, capsys) -> None:
    bad1 = tmp_path / "a.yaml"
    bad1.write_text("slides:\n  - {type: stat, label: x, value: y}\n  - {type: nope}\n", encoding="utf-8")
    bad2 = tmp_path / "b.yaml"
    bad2.write_text("slides: 3\n", encoding="utf-8")
    assert main(["check", str(bad1), str(bad2)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{bad1}:2:35: value must be a number, got 'y'"
    assert err[1].startswith(f"{bad1}:3:12: unknown slide type 'nope'")
    assert err[2].startswith(f"{bad2}:1:9: the playlist needs 'slides:'")


def test_check_python_tag_runs_nothing_and_exits_2(tmp_path) -> None:
    marker = tmp_path / "pwned"
    playlist = tmp_path / "evil.yaml"
    playlist.write_text(
        f"slides:\n  - type: title\n    title: !!python/object/apply:os.system ['touch {marker}']\n",
        encoding="utf-8",
    )
    result = run_kiosk("check", str(playlist))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{playlist}:3:12: the tag 'tag:yaml.org,2002:python/object/apply:os.system'" in result.stderr
    assert not marker.exists()


def test_check_missing_file(tmp_path) -> None:
    result = run_kiosk("check", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{tmp_path / 'nope.yaml'}:1:1: cannot read the file")


def test_bad_arguments_exit_2() -> None:
    assert run_kiosk("export", "x.yaml").returncode == 2  # --out missing
    assert run_kiosk("--size", "big").returncode == 2


def test_schema_is_valid_json_and_lists_every_type() -> None:
    result = run_kiosk("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    slides = schema["properties"]["slides"]["items"]
    assert set(slides["properties"]["type"]["enum"]) == {
        "title",
        "stat",
        "stats",
        "bar",
        "line",
        "pie",
        "gauge",
        "text",
        "timeline",
        "image",
        "tribute",
        "qr",
        "table",
    }
    assert schema["$defs"]["StatSlide"]["additionalProperties"] is False


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "kiosk-playlist.schema.json").read_text(encoding="utf-8"))
    assert committed == playlist_schema(), "run: kiosk schema > kiosk-playlist.schema.json"


@pytest.mark.parametrize("name", ["police-day-2023.yaml", "examples/every-slide-type.yaml"])
def test_bundled_playlists_point_at_the_schema(name: str) -> None:
    first = (ROOT / "data" / name).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = first.split("=", 1)[1]
    assert ((ROOT / "data" / name).parent / target).resolve() == ROOT / "kiosk-playlist.schema.json"
