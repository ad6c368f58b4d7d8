"""Every kind of loader error, with its line and column, in plain words."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from kiosk.playlist import PlaylistError, load_playlist, load_playlist_text

from .helpers import load, problems


def test_unknown_key_suggests_the_right_one(tmp_path) -> None:
    lines = problems(tmp_path, "slides:\n  - type: stat\n    label: a\n    value: 1\n    duraton: 5\n")
    assert lines == ["show.yaml:5:5: unknown key 'duraton' (did you mean 'duration'?)"]


def test_unknown_top_level_key(tmp_path) -> None:
    lines = problems(tmp_path, "titel: x\nslides:\n  - {type: title, title: a}\n")
    assert lines == ["show.yaml:1:1: unknown key 'titel' (did you mean 'title'?)"]


def test_unknown_key_inside_an_item(tmp_path) -> None:
    lines = problems(
        tmp_path,
        "slides:\n  - type: stats\n    items:\n      - {label: a, valeu: 1}\n      - {label: b, value: 2}\n",
    )
    assert "show.yaml:4:20: unknown key 'valeu' (did you mean 'value'?)" in lines


def test_unknown_type_lists_known_types(tmp_path) -> None:
    lines = problems(tmp_path, "slides:\n  - type: barchart\n    title: x\n")
    assert lines == [
        "show.yaml:2:11: unknown slide type 'barchart' (did you mean 'bar'?); known types: "
        "title, stat, stats, bar, line, pie, gauge, text, timeline, image, tribute, qr, table"
    ]


def test_missing_type(tmp_path) -> None:
    lines = problems(tmp_path, "slides:\n  - title: x\n")
    assert lines[0].startswith("show.yaml:2:5: this slide has no 'type:'; known types: title, stat")


def test_value_must_be_a_number(tmp_path) -> None:
    lines = problems(tmp_path, "slides:\n  - {type: stat, label: 破案率, value: 九十九}\n")
    assert lines == ["show.yaml:2:37: value must be a number, got '九十九'"]


def test_all_errors_are_reported_not_just_the_first(tmp_path) -> None:
    lines = problems(
        tmp_path,
        """
        theme: police-blu
        slides:
          - {type: stat, label: a, value: x}
          - {type: pie}
          - {type: nope}
          - {type: title, title: ok, colour: red}
        """,
    )
    assert [line.split(": ")[0] for line in lines] == [
        "show.yaml:1:8",
        "show.yaml:3:35",
        "show.yaml:4:5",
        "show.yaml:5:12",
        "show.yaml:6:30",
    ]
    assert "did you mean 'police-blue'" in lines[0]


def test_duplicate_keys_are_refused(tmp_path) -> None:
    lines = problems(tmp_path, "slides:\n  - type: stat\n    label: a\n    value: 1\n    value: 2\n")
    assert lines == ["show.yaml:5:5: duplicate key 'value' (first written on line 4)"]


def test_duplicate_ids_are_refused(tmp_path) -> None:
    lines = problems(
        tmp_path, "slides:\n  - {type: title, title: a, id: x}\n  - {type: title, title: b, id: x}\n"
    )
    assert lines == ["show.yaml:3:33: id 'x' is already used by slide 1; ids must be unique"]


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!binary aGVsbG8=",
        "!!set {{a, b}}",
        "!custom thing",
    ],
)
def test_object_tags_are_refused_and_run_nothing(tmp_path, tag: str) -> None:
    marker = tmp_path / "ran"
    text = f"slides:\n  - type: title\n    title: {tag.format(marker=marker)}\n"
    lines = problems(tmp_path, text)
    assert len(lines) == 1
    assert lines[0].startswith("show.yaml:3:12: the tag '")
    assert "nothing in it can run code" in lines[0]
    assert not marker.exists()


def test_gbk_file_is_named_as_such(tmp_path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("slides:\n  - {type: title, title: 向人民报告}\n".encode("gbk"))
    with pytest.raises(PlaylistError) as info:
        load_playlist(path)
    (problem,) = info.value.problems
    assert (problem.mark.line, problem.mark.column) == (2, 26)
    assert "not UTF-8" in problem.message and "GBK" in problem.message


def test_utf16_file_is_refused(tmp_path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes("slides: []".encode("utf-16"))
    with pytest.raises(PlaylistError, match="UTF-16; save it as UTF-8"):
        load_playlist(path)


def test_bom_is_accepted(tmp_path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "slides:\n  - {type: title, title: 向人民报告}\n".encode())
    assert load_playlist(path).slides[0].title == "向人民报告"


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(tmp_path, text: str) -> None:
    assert problems(tmp_path, text) == ["show.yaml:1:1: the file is empty"]


def test_not_a_mapping(tmp_path) -> None:
    assert problems(tmp_path, "- a\n- b\n") == [
        "show.yaml:1:1: a playlist is a mapping that starts with keys like 'slides:'"
    ]


def test_no_slides(tmp_path) -> None:
    assert problems(tmp_path, "title: x\nslides: []\n") == [
        "show.yaml:2:9: the playlist needs 'slides:', a list with at least one slide"
    ]


def test_yaml_syntax_error_has_its_place(tmp_path) -> None:
    lines = problems(tmp_path, "slides:\n  - {type: title, title: a\n")
    assert len(lines) == 1 and lines[0].startswith("show.yaml:3:1: this is not valid YAML")


def test_alias_bomb_is_refused_quickly(tmp_path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev = chr(ord("a") + n - 1)
        levels.append(f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(levels) + "\nslides:\n  - {type: title, title: x}\n"
    started = time.perf_counter()
    lines = problems(tmp_path, text)
    assert time.perf_counter() - started < 5
    assert len(lines) == 1 and "alias bomb" in lines[0]


def test_recursive_alias_is_refused(tmp_path) -> None:
    lines = problems(tmp_path, "a: &a [*a]\nslides:\n  - {type: title, title: x}\n")
    assert len(lines) == 1
    assert "alias bomb" in lines[0] or "nested more than" in lines[0]


def test_merge_keys_work(tmp_path) -> None:
    playlist = load(
        tmp_path,
        """
        slides:
          - &base {type: stat, label: a, value: 1, unit: "%"}
          - {<<: *base, label: b}
        """,
    )
    assert [(s.label, s.unit) for s in playlist.slides] == [("a", "%"), ("b", "%")]


def test_huge_file_is_refused(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (9 * 1024 * 1024))
    with pytest.raises(PlaylistError, match="may be at most 8 MB"):
        load_playlist(path)


def test_missing_image_names_its_line(tmp_path) -> None:
    lines = problems(
        tmp_path, "slides:\n  - {type: title, title: x}\n  - type: image\n    src: photos/missing.jpg\n"
    )
    assert lines == [f"show.yaml:4:10: file not found: 'photos/missing.jpg' (looked in {tmp_path.resolve()})"]


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("../../etc/passwd", "is outside the playlist's folder"),
        ("/etc/passwd", "is an absolute path"),
        ("C:/Windows/win.ini", "is an absolute path"),
        ("link.png", "is outside the playlist's folder"),
        ("sub", "is not a file"),
    ],
)
def test_files_must_stay_in_the_playlist_folder(tmp_path, src: str, message: str) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    outside.write_bytes(b"x")
    (tmp_path / "link.png").symlink_to(outside)
    (tmp_path / "sub").mkdir()
    lines = problems(tmp_path, f"slides:\n  - {{type: image, src: '{src}'}}\n")
    assert len(lines) == 1 and message in lines[0], lines


def test_logo_and_theme_file_checked(tmp_path) -> None:
    lines = problems(tmp_path, "theme: mine.yaml\nslides:\n  - {type: title, title: x, logo: logo.png}\n")
    assert [line.split(": ")[0] for line in lines] == ["show.yaml:1:8", "show.yaml:3:35"]


def test_playlist_text_in_memory() -> None:
    playlist = load_playlist_text("slides:\n  - {type: title, title: x}\n", "mem.yaml")
    assert playlist.slides[0].title == "x"


def test_playlist_package_imports_no_qt() -> None:
    code = (
        "import sys, kiosk.playlist, kiosk.playlist.schedule, kiosk.numbers; print('PySide6' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.stdout.strip() == "False"
