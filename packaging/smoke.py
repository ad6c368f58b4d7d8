"""The frozen build's smoke test, on any platform: does the program in dist/kiosk/ start,
say what it is, check playlists and play one?

    python packaging/smoke.py [dist/kiosk]

Runs the console program (`kiosk-console.exe` on Windows, where `kiosk.exe` is a windowed
program that prints nothing; `kiosk` elsewhere) with the offscreen Qt platform, which
every build bundles, so it needs no display: CI runs it on Linux, Windows and macOS
after packaging/build.py. Standard library only (the Python that runs it needs nothing
installed). Exit 0 when every check passed, 1 otherwise, each check printed.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: a slide with a title and text compresses to far more than a blank 640x360 PNG (~2 KB)
NOT_BLANK_BYTES = 8000


def program_in(folder: Path) -> Path:
    name = "kiosk-console.exe" if sys.platform == "win32" else "kiosk"
    return folder / name


def bundled_playlist(folder: Path) -> Path:
    """The default playlist inside the build (PyInstaller's _internal/, or the folder itself)."""
    for root in (folder / "_internal", folder):
        playlist = root / "data" / "police-day-2023.yaml"
        if playlist.is_file():
            return playlist
    raise FileNotFoundError(f"no data/police-day-2023.yaml in {folder}")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", header[16:24])
    return width, height


class Smoke:
    def __init__(self, folder: Path, work: Path) -> None:
        self.program = program_in(folder)
        self.folder, self.work = folder, work
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
        self.env.update(QT_QPA_PLATFORM="offscreen", XDG_STATE_HOME=str(work / "state"))
        self.failures = 0

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.program), *args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )

    def check(self, what: str, test: Callable[[], str | None]) -> None:
        """`test` returns None when all is well, else what went wrong."""
        try:
            problem = test()
        except Exception as error:  # a crash of the check is a failed check, said as such
            problem = f"{type(error).__name__}: {error}"
        print(f"{'ok  ' if problem is None else 'FAIL'} {what}" + ("" if problem is None else f": {problem}"))
        self.failures += problem is not None

    def version(self) -> str | None:
        done = self.run("--version")
        out = done.stdout.strip()
        if done.returncode != 0 or not out.startswith("kiosk ") or "frozen build" not in out:
            return f"exit {done.returncode}, {out or done.stderr.strip()!r}"
        print(f"     {out}")
        return None

    def check_bundled(self) -> str | None:
        done = self.run("check", str(bundled_playlist(self.folder)))
        return (
            None
            if done.returncode == 0 and ": OK," in done.stdout
            else f"exit {done.returncode}: {done.stderr}"
        )

    def check_bad(self) -> str | None:
        bad = self.work / "bad.yaml"
        bad.write_text(
            "version: 1\nslides:\n  - type: stat\n    label: x\n    value: 九十九\n", encoding="utf-8"
        )
        done = self.run("check", str(bad))
        if done.returncode != 2 or f"{bad}:5:" not in done.stderr:
            return f"exit {done.returncode}, stderr {done.stderr!r}"
        return None

    def play(self) -> str | None:
        shot = self.work / "shot.png"
        done = self.run("--size", "640x360", "--quit-after", "2", "--screenshot", str(shot))
        if done.returncode != 0:
            return f"exit {done.returncode}: {done.stderr[-2000:]}"
        size = png_size(shot)
        if size != (640, 360):
            return f"screenshot is {size[0]}x{size[1]}"
        if shot.stat().st_size < NOT_BLANK_BYTES:
            return f"screenshot of {shot.stat().st_size} bytes: a blank window?"
        return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else ROOT / "dist" / "kiosk"
    if not program_in(folder).is_file():
        print(
            f"smoke: no {program_in(folder).name} in {folder}: build first (packaging/build.py)",
            file=sys.stderr,
        )
        return 1
    with tempfile.TemporaryDirectory(prefix="kiosk-smoke-") as work:
        smoke = Smoke(folder.resolve(), Path(work))
        smoke.check("--version names the frozen build", smoke.version)
        smoke.check("check: the bundled playlist is OK", smoke.check_bundled)
        smoke.check("check: a bad playlist exits 2 with FILE:LINE:COL", smoke.check_bad)
        smoke.check("plays the bundled playlist offscreen and grabs a 640x360 picture", smoke.play)
    print(f"smoke: {'all passed' if not smoke.failures else f'{smoke.failures} failed'}")
    return 1 if smoke.failures else 0


if __name__ == "__main__":
    sys.exit(main())
