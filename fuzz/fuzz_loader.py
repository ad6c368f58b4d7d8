"""Coverage-guided fuzzing of the playlist loader with atheris (libFuzzer for Python).

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_loader.py fuzz/corpus/ -max_total_time=300

Each input is the bytes of a playlist file. It goes through exactly what `kiosk check`
does with a file: decode (UTF-8, BOM, the GBK hint), safe YAML parse, then the checker,
in a folder that holds an image and data files so that file names are checked too. The
loader's contract: a Playlist, or a PlaylistError whose every problem has a line and
column from 1 and a one-line message. Any other exception, or a broken problem, is a
crash that libFuzzer saves as crash-<sha1>. See fuzz/README.md.

The test suite imports `load_bytes` from here (tests/fuzz/test_corpus.py) without
atheris, which is imported only when this file runs as the fuzzer.
"""

from __future__ import annotations

import atexit
import shutil
import struct
import sys
import tempfile
import zlib
from functools import cache
from pathlib import Path

from kiosk.playlist.errors import PlaylistError
from kiosk.playlist.load import build_playlist
from kiosk.playlist.model import Playlist
from kiosk.playlist.safeyaml import decode, parse

NAME = "fuzz.yaml"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\x10\x20\x30" * 2 + b"\x00" + b"\x40\x50\x60" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# The files the corpus playlists name (images, chart data, a theme), beside the playlist.
FILES = {
    "pic.png": _png(),
    "logo.png": _png(),
    "bars.csv": "label,value,color\n立案数,-18.4,#3ecf8e\n破案数,20.9,\n".encode(),
    "line.csv": b"year,cases,solved\n2021,10,8\n2022,12,11\n2023,9,9\n",
    "pie.yaml": b"- {label: a, value: 3}\n- {label: b, value: 1.5}\n",
    "formula.csv": b'label,value\n=HYPERLINK("http://x"),1\n',
    "gbk.csv": "label,value\n立案数,1\n".encode("gbk"),
}


def write_files(path: Path) -> Path:
    """FILES (and a subfolder) in `path`: the folder the corpus playlists expect."""
    for name, data in FILES.items():
        (path / name).write_bytes(data)
    (path / "sub").mkdir(exist_ok=True)
    return path


@cache
def folder() -> Path:
    """A private folder with FILES in it, made once per process, removed at exit."""
    path = Path(tempfile.mkdtemp(prefix="kiosk-fuzz-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return write_files(path)


def load_bytes(data: bytes, where: Path | None = None) -> Playlist | None:
    """Load playlist bytes as `kiosk check` would: the Playlist, or None after a
    PlaylistError that keeps the contract. Anything else propagates."""
    where = where or folder()
    try:
        document = parse(decode(data, NAME), NAME)
        return build_playlist(document, where / NAME)
    except PlaylistError as error:
        check_problems(error)
        return None


def check_problems(error: PlaylistError) -> None:
    assert error.problems, "a PlaylistError without problems"
    for problem in error.problems:
        assert problem.mark.line >= 1 and problem.mark.column >= 1, problem
        assert problem.message.strip(), problem
        assert "\n" not in problem.message and "\r" not in problem.message, repr(problem.message)


def test_one_input(data: bytes) -> None:
    load_bytes(data)


def main(argv: list[str]) -> None:
    import atheris  # only here: the test suite imports this module without it

    atheris.instrument_all()  # the loader, pydantic's Python side and PyYAML's
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
