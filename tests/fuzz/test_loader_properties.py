"""Property tests of the loader: whatever the text, a Playlist or a PlaylistError, quickly.

Valid playlists of all eleven slide types are generated, written as YAML (block and
flow style, with a BOM and Windows line ends), and must load with their content intact.
Then they are broken the ways playlists get broken (see strategies.py) and must fail
with a message at a place, never with any other exception.
"""

from __future__ import annotations

import codecs
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from kiosk.playlist import Playlist, PlaylistError, load_playlist
from kiosk.playlist.durations import MAX_SECONDS
from kiosk.playlist.load import load_playlist_text

from .strategies import (
    YAMLISH,
    check_outcome,
    hand_edited,
    mutated,
    playlists,
    to_yaml,
    with_hostile_scalar,
    write_files,
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("playlist"))


def load_text(text: str, folder: Path) -> Playlist | None:
    return check_outcome(lambda: load_playlist_text(text, "show.yaml", folder))


def load_bytes(raw: bytes, folder: Path, name: str = "show.yaml") -> Playlist | None:
    path = folder / name
    path.write_bytes(raw)
    return check_outcome(lambda: load_playlist(path))


def check_content(playlist: Playlist | None, data: dict[str, Any]) -> None:
    """What a valid playlist said is what the loaded one holds."""
    assert playlist is not None, "a valid playlist was refused"
    assert len(playlist.slides) == len(data["slides"])
    assert math.isfinite(playlist.loop_seconds()) and playlist.loop_seconds() >= 0
    for slide, raw in zip(playlist.slides, data["slides"], strict=True):
        assert slide.type == raw["type"]
        assert slide.id == raw.get("id")
        seconds = playlist.duration_of(slide)
        assert math.isfinite(seconds) and 0 <= seconds <= MAX_SECONDS
        transition = playlist.transition_of(slide)
        assert math.isfinite(transition.duration) and transition.duration >= 0
        for name in ("title", "label", "heading", "caption", "subtitle", "note", "unit", "source"):
            if isinstance(raw.get(name), str):
                assert getattr(slide, name) == raw[name], name  # text comes back exactly
        if "value" in raw:
            assert slide.value == raw["value"]
            assert 0 <= slide.decimals <= 6
        for key in ("bars", "slices", "items", "steps", "x", "series"):
            if key in raw:
                assert len(getattr(slide, key)) == len(raw[key])


# ---------------------------------------------------------------- valid playlists


@given(data=playlists())
def test_valid_playlists_load_with_their_content(folder: Path, data: dict[str, Any]) -> None:
    text = to_yaml(data)
    note(text)
    check_content(load_text(text, folder), data)


@given(data=playlists(), flow=st.booleans())
def test_valid_playlists_from_files_with_bom_and_windows_line_ends(
    folder: Path, data: dict[str, Any], flow: bool
) -> None:
    """As Windows Notepad saves them: a BOM first, CR LF at each line end."""
    text = to_yaml(data, flow=flow)
    raw = codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")
    check_content(load_bytes(raw, folder), data)


# ---------------------------------------------------------------- broken ones


@given(data=mutated())
def test_mutated_playlists_fail_cleanly(folder: Path, data: dict[str, Any]) -> None:
    """Wrong types, missing and extra keys, huge numbers, NaN and infinity, empty lists,
    long and odd text, deep nesting: a Playlist or marked problems, nothing else."""
    text = to_yaml(data)
    note(text)
    load_text(text, folder)


@given(text=hand_edited())
def test_hand_edited_yaml_fails_cleanly(folder: Path, text: str) -> None:
    """Tags, aliases, duplicate keys, bad escapes and half-pasted lines."""
    note(repr(text))
    load_text(text, folder)


@given(text=with_hostile_scalar())
def test_hostile_scalars_in_any_field_fail_cleanly(folder: Path, text: str) -> None:
    """Huge integers, NaN, tags, aliases, odd escapes and paths out of the folder, written
    by hand where a number, a text, a path or a list belongs."""
    note(text)
    load_text(text, folder)


FILE_NAMES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "a\x00b.png",
            "x" * 300 + ".png",
            "/".join(["d" * 255] * 20),
            "../" * 50 + "etc/passwd",
            "./../pic.png",
            "sub/../../pic.png",
            "/etc/passwd",
            "\\\\server\\share\\x.png",
            "C:\\x.png",
            "c:x.png",
            "~/x.png",
            "~",
            "file:///etc/passwd",
            "http://example.com/x.png",
            "data:image/png;base64,AAAA",
            ".",
            "..",
            "/",
            "pic.png/",
            "pic.png\n",
            "\u202egnp.cip",
            "CON",
            "pic.png:stream",
        ]
    ),
)


@given(
    where=st.sampled_from(
        ["image.src", "title.logo", "bar.data", "line.data", "pie.data", "background", "theme"]
    ),
    name=FILE_NAMES,
)
def test_any_file_name_fails_cleanly(folder: Path, where: str, name: str) -> None:
    """Whatever a playlist names as a file: found in its folder, or a clear problem."""
    kind, _, key = where.partition(".")
    slide: dict[str, Any] = {"type": "title", "title": "x"}
    data: dict[str, Any] = {"slides": [slide]}
    if where == "background":
        slide["background"] = name
    elif where == "theme":
        data["theme"] = name
    else:
        slide.clear()
        slide.update({"type": kind, key: name, "title": "x"})
    text = to_yaml(data)
    note(text)
    load_text(text, folder)


@given(text=YAMLISH)
def test_yaml_ish_noise_fails_cleanly(folder: Path, text: str) -> None:
    load_text(text, folder)


@given(raw=st.binary(max_size=2000))
def test_random_bytes_fail_cleanly(folder: Path, raw: bytes) -> None:
    load_bytes(raw, folder)


@given(
    data=playlists(max_slides=3), flips=st.lists(st.tuples(st.integers(0), st.integers(0, 255)), max_size=8)
)
def test_corrupted_bytes_fail_cleanly(
    folder: Path, data: dict[str, Any], flips: list[tuple[int, int]]
) -> None:
    """A file that was damaged on a USB stick: some bytes changed."""
    raw = bytearray(to_yaml(data).encode("utf-8"))
    for position, value in flips:
        raw[position % len(raw)] = value
    load_bytes(bytes(raw), folder)


@given(
    data=playlists(max_slides=3),
    encoding=st.sampled_from(["gbk", "gb18030", "big5", "utf-16", "utf-32", "latin-1"]),
)
def test_other_encodings_are_refused_or_read_the_same(
    folder: Path, data: dict[str, Any], encoding: str
) -> None:
    """Notepad's 'ANSI' on a Chinese Windows is GBK: either the bytes happen to be UTF-8
    as well (plain ASCII), or the file is refused with a word about its encoding."""
    text = to_yaml(data)
    raw = text.encode(encoding, errors="replace")  # what the editor could not write becomes '?'
    try:
        as_utf8: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    path = folder / "encoded.yaml"
    path.write_bytes(raw)
    if as_utf8 == text:  # plain ASCII: the same file in every one of these encodings
        check_content(check_outcome(lambda: load_playlist(path)), data)
    elif as_utf8 is None or as_utf8.startswith(("\ufeff", "\ufffe")) or "\x00" in as_utf8:
        with pytest.raises(PlaylistError) as info:
            load_playlist(path)
        message = str(info.value)
        assert "UTF-8" in message or "NUL" in message, message
    else:
        check_outcome(lambda: load_playlist(path))
