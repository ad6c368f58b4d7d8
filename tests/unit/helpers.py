"""Small helpers for the playlist tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kiosk.playlist import Playlist, PlaylistError, load_playlist


def write(folder: Path, text: str, name: str = "show.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(folder: Path, text: str) -> Playlist:
    return load_playlist(write(folder, text))


def problems(folder: Path, text: str) -> list[str]:
    """The error lines for a playlist that must fail, without the folder prefix."""
    with pytest.raises(PlaylistError) as info:
        load(folder, text)
    return [str(p).replace(f"{folder}/", "") for p in info.value.problems]
