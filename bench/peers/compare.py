"""Peer comparison: the same ten statistics slides shown by kiosk, by reveal.js in
Chromium's kiosk mode and by Impressive (a PDF), each alone in a fresh Xvfb at
1920x1080 with no window manager, auto-advancing every 5 s. For each it measures

- first frame: wall time from just before the process starts until the first slide's
  navy background (#0b2a5b) shows at the sample points of the screen, with the white
  heading drawn on it;
- memory of the whole process tree (the process, its descendants, anything else in its
  session or with its marker in the environment): PSS from /proc/PID/smaps_rollup, and
  RSS for comparison;
- CPU over the measuring window (60 s by default) after the first frame: utime+stime of
  the tree from /proc, as percent of one core; the Xvfb server's CPU beside it;

then writes bench/peers/results.md and prints it. Run on demand, not in CI:

    bench/peers/setup.sh                       # Debian packages, reveal.js, the PDF
    .venv/bin/python bench/peers/compare.py [--seconds 60] [--only kiosk,chromium,impressive]

Linux only; standard library only (the X11 pixels are read with ctypes from libX11), but
--write-deck, which regenerates the committed deck/index.html, needs the venv's PyYAML.
See bench/peers/README.md for what is measured and the caveats.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ctypes.util
import datetime
import html
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PLAYLIST = HERE / "ten-stats.yaml"
DECK = HERE / "deck" / "index.html"
OUT = HERE / "out"
PDF = OUT / "ten-stats.pdf"
SHOTS = OUT / "shots"
RESULTS = HERE / "results.md"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
KIOSK_CLI = REPO / ".venv" / "bin" / "kiosk"
REVEAL = HERE / "node_modules" / "reveal.js"
# Impressive is a Python 3 script that needs Debian's python3-pygame: run it with
# Debian's interpreter, not whichever python3 is first on PATH (a pyenv shim, say).
SYSTEM_PYTHON = Path("/usr/bin/python3")

WIDTH, HEIGHT = 1920, 1080
NAVY = (0x0B, 0x2A, 0x5B)
# Points that are background on the first slide of all three decks: clear of the
# heading (top left), kiosk's slide counter (top right), the figure (centre), the footer
# (bottom right) and the progress bars (the bottom few pixels).
SAMPLE_POINTS = ((40, 40), (1880, 160), (960, 220), (40, 1040), (1880, 600))
TOLERANCE = 24  # per channel; a fade-in counts once it is within this of the navy
NEEDED = 4  # of the five points
# ... and white text where every deck puts the first slide's heading (八类案件破案率):
# a few rows through it, from x 75 to 500.
HEADING_ROWS = (100, 115, 130)
HEADING_SPAN = (75, 425)  # x, width
ADVANCE_SECONDS = 5
FADE_MS = 600  # kiosk's default fade; the other two are set to the same
FIRST_FRAME_TIMEOUT = 90.0

CHROMIUM_FLAGS = (
    "--kiosk",
    "--no-sandbox",  # Chromium refuses to run as root without it
    "--no-first-run",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--noerrdialogs",
    "--disable-translate",  # no longer enough: the deck also says notranslate
    "--password-store=basic",
    f"--window-size={WIDTH},{HEIGHT}",
    "--window-position=0,0",
)

CLK_TCK = os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ the X server


@contextlib.contextmanager
def xvfb() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A fresh Xvfb on a free display number (chosen by Xvfb through -displayfd)."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            number = pipe.readline().strip().decode()
        if not number:
            raise RuntimeError("Xvfb did not report a display number")
        yield f":{number}", proc
    finally:
        stop_group(proc)


class _XImageHead(ctypes.Structure):
    """The leading fields of Xlib's XImage (X11/Xlib.h), up to bytes_per_line."""

    _fields_ = (
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.c_void_p),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
    )


class Screen:
    """Reads single pixels of the root window through libX11 (cheap enough to poll)."""

    ZPIXMAP = 2
    ALL_PLANES = ctypes.c_ulong(-1).value

    def __init__(self, display: str) -> None:
        name = ctypes.util.find_library("X11")
        if not name:
            raise RuntimeError("libX11 not found (apt-get install libx11-6)")
        x = ctypes.CDLL(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XGetImage.restype = ctypes.c_void_p
        x.XGetImage.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int,
        ]  # fmt: skip
        x.XGetPixel.restype = ctypes.c_ulong
        x.XGetPixel.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
        x.XDestroyImage.argtypes = [ctypes.c_void_p]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x = x
        self._display = x.XOpenDisplay(display.encode())
        if not self._display:
            raise RuntimeError(f"cannot open display {display}")
        self._root = x.XDefaultRootWindow(self._display)
        self.lsb_first = True  # set from the first image read

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        image = self._x.XGetImage(self._display, self._root, x, y, 1, 1, self.ALL_PLANES, self.ZPIXMAP)
        if not image:
            raise RuntimeError("XGetImage failed")
        value = self._x.XGetPixel(image, 0, 0)
        self._x.XDestroyImage(image)
        return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF

    def row_bytes(self, y: int, x: int = 0, width: int = WIDTH) -> bytes:
        """The raw pixels of (part of) one row of the screen: 4 bytes a pixel, B G R x."""
        image = self._x.XGetImage(self._display, self._root, x, y, width, 1, self.ALL_PLANES, self.ZPIXMAP)
        if not image:
            raise RuntimeError("XGetImage failed")
        header = _XImageHead.from_address(image)
        self.lsb_first = header.byte_order == 0
        data = ctypes.string_at(header.data, header.bytes_per_line)
        self._x.XDestroyImage(image)
        return data

    def close(self) -> None:
        if self._display:
            self._x.XCloseDisplay(self._display)
            self._display = None


def near(colour: tuple[int, int, int], target: tuple[int, int, int], tolerance: int = TOLERANCE) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target, strict=True))


def screenshot(display: str, path: Path) -> None:
    """A PNG of the whole screen, for the record (ImageMagick's import)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["import", "-display", display, "-window", "root", str(path)],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=30,
    )


# ------------------------------------------------------------------ /proc


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    session: int
    start: int  # clock ticks after boot; with pid, tells a process from a later one
    cpu_ticks: int  # utime + stime


def read_proc(pid: int) -> Proc | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    # fields[0] is field 3 of proc(5) (state): ppid is 4, session 6, utime 14, stime 15, starttime 22.
    return Proc(pid, int(fields[1]), int(fields[3]), int(fields[19]), int(fields[11]) + int(fields[12]))


def all_procs() -> dict[int, Proc]:
    procs = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            proc = read_proc(int(entry.name))
            if proc is not None:
                procs[proc.pid] = proc
    return procs


# A variable put in each peer's environment, root pid -> b"NAME=value": Chromium's crash
# handlers double-fork and start sessions of their own, but keep the environment.
MARKERS: dict[int, bytes] = {}
_marked: dict[tuple[int, int], bool] = {}


def has_marker(proc: Proc, marker: bytes) -> bool:
    key = (proc.pid, proc.start)
    if key not in _marked:
        try:
            _marked[key] = marker in Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
        except OSError:
            return False
    return _marked[key]


def tree(root: int) -> list[Proc]:
    """The root, its descendants, any process in its session (the session is new), and
    any process with the root's marker in its environment."""
    procs = all_procs()
    children: dict[int, list[int]] = {}
    for proc in procs.values():
        children.setdefault(proc.ppid, []).append(proc.pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in procs and pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, ()))
    found.update(pid for pid, proc in procs.items() if proc.session == root)
    marker = MARKERS.get(root)
    if marker:
        found.update(pid for pid, proc in procs.items() if pid not in found and has_marker(proc, marker))
    return [procs[pid] for pid in sorted(found)]


def smaps_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class Memory:
    processes: int
    pss_mb: float
    rss_mb: float


def tree_memory(root: int) -> Memory:
    procs = tree(root)
    pss = sum(smaps_kb(p.pid, "Pss") for p in procs)
    rss = sum(status_kb(p.pid, "VmRSS") for p in procs)
    return Memory(len(procs), pss / 1024, rss / 1024)


class CpuMeter:
    """utime+stime of a process tree between start() and the last sample().

    Each process is followed by (pid, start time); one that appears during the window
    counts from zero. A process that ends between two samples loses what it used after
    the last sample (samples are 0.25 s apart)."""

    def __init__(self, root: int, whole_tree: bool = True) -> None:
        self.root, self.whole_tree = root, whole_tree
        self.base: dict[tuple[int, int], int] = {}
        self.last: dict[tuple[int, int], int] = {}

    def _now(self) -> dict[tuple[int, int], int]:
        if self.whole_tree:
            procs = tree(self.root)
        else:
            proc = read_proc(self.root)
            procs = [proc] if proc else []
        return {(p.pid, p.start): p.cpu_ticks for p in procs}

    def start(self) -> None:
        self.base = self._now()
        self.last = dict(self.base)

    def sample(self) -> None:
        self.last.update(self._now())

    def seconds(self) -> float:
        return sum(ticks - self.base.get(key, 0) for key, ticks in self.last.items()) / CLK_TCK


# ------------------------------------------------------------------ processes


def alive(pid: int) -> bool:
    proc = Path(f"/proc/{pid}/stat")
    try:
        return proc.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def stop_group(proc: subprocess.Popen[bytes], extra: Sequence[int] = ()) -> None:
    """End a process started with start_new_session=True, its process group, and the
    given pids (the rest of its tree): SIGTERM, then SIGKILL after 5 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        for pid in extra:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if proc.poll() is not None and not any(alive(pid) for pid in extra):
                return
            time.sleep(0.05)
    proc.wait(timeout=5)


def version_of(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0].strip() if text else "unknown"


def deb_version(package: str) -> str:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=False
    )
    return out.stdout.strip() or "not installed"


# ------------------------------------------------------------------ the peers


@dataclass
class Peer:
    name: str
    command: Callable[[Path], list[str]]  # given a scratch directory kept for the peer
    env: dict[str, str] = field(default_factory=dict)
    versions: Callable[[], str] = lambda: ""
    prepare: Callable[[], str | None] = lambda: None  # returns why it cannot run, or None
    note: str = ""


def kiosk_command(scratch: Path) -> list[str]:
    return [str(VENV_PYTHON), "-m", "kiosk", str(PLAYLIST)]


def kiosk_versions() -> str:
    pyside = version_of(
        [str(VENV_PYTHON), "-c", "import sys, PySide6; from PySide6 import QtCore; print('PySide6', "
         "PySide6.__version__, 'Qt', QtCore.qVersion(), 'Python', sys.version.split()[0])"]
    )  # fmt: skip
    return f"{version_of([str(KIOSK_CLI), '--version'])}; {pyside}"


def kiosk_prepare() -> str | None:
    if not VENV_PYTHON.exists():
        return f"{VENV_PYTHON} missing (make run, or python3 -m venv .venv && .venv/bin/pip install -e .)"
    check = subprocess.run([str(KIOSK_CLI), "check", str(PLAYLIST)], capture_output=True, text=True)
    if check.returncode != 0:
        return f"kiosk check {PLAYLIST.name} failed: {(check.stdout + check.stderr).strip()[-300:]}"
    return None


def chromium_command(scratch: Path) -> list[str]:
    return ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={scratch / 'profile'}", DECK.as_uri()]


def chromium_versions() -> str:
    reveal = "reveal.js ?"
    with contextlib.suppress(OSError, ValueError):
        reveal = "reveal.js " + json.loads((REVEAL / "package.json").read_text())["version"]
    return f"{version_of(['chromium', '--version'])}; {reveal}"


def chromium_prepare() -> str | None:
    if not shutil.which("chromium"):
        return "chromium not installed (apt-get install chromium; bench/peers/setup.sh)"
    if not (REVEAL / "dist" / "reveal.js").exists():
        return "reveal.js missing in bench/peers/node_modules (run bench/peers/setup.sh)"
    if not DECK.exists():
        return f"{DECK} missing (compare.py --write-deck)"
    return None


PDF_SOURCE = {"how": "not made"}


def impressive_command(scratch: Path) -> list[str]:
    return [
        str(SYSTEM_PYTHON), shutil.which("impressive") or "/usr/bin/impressive",
        "--fullscreen", "--geometry", f"{WIDTH}x{HEIGHT}",
        "--auto", str(ADVANCE_SECONDS), "--wrap", "--nologo", "--nooverview", "--nocursor",
        "--transition", "Crossfade", "--transtime", str(FADE_MS),
        "--cachefile", str(scratch / "impressive.cache"),
        str(PDF),
    ]  # fmt: skip


def impressive_versions() -> str:
    text = version_of([str(SYSTEM_PYTHON), shutil.which("impressive") or "impressive", "--version"])
    renderer = "mutool " + deb_version("mupdf-tools") if shutil.which("mutool") else "pdftoppm"
    return f"{text.replace('Welcome to ', '')} (Debian {deb_version('impressive')}); renderer {renderer}"


def impressive_prepare() -> str | None:
    if not shutil.which("impressive"):
        return "impressive not installed (apt-get install impressive; bench/peers/setup.sh)"
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import pygame, PIL"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"Impressive's Python modules missing: {probe.stderr.strip()[-200:]}"
    return make_pdf()


def make_pdf() -> str | None:
    """out/ten-stats.pdf from kiosk export; failing that (or with --pdf deck), from
    screenshots of the HTML deck by headless Chromium."""
    OUT.mkdir(parents=True, exist_ok=True)
    PDF.unlink(missing_ok=True)
    if PDF_SOURCE.get("want") != "deck":
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        export = subprocess.run(
            [str(KIOSK_CLI), "export", str(PLAYLIST), "--out", str(OUT / "png"),
             "--size", f"{WIDTH}x{HEIGHT}", "--pdf", str(PDF)],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )  # fmt: skip
        if export.returncode == 0 and PDF.exists():
            PDF_SOURCE["how"] = "`kiosk export --pdf` (kiosk's picture of each slide, one per page)"
            return None
        print(f"kiosk export failed ({export.stderr.strip()[-300:]}); using the HTML deck", file=sys.stderr)
    if not shutil.which("chromium") or not shutil.which("convert"):
        return "no PDF: kiosk export failed, and the fallback needs chromium and ImageMagick"
    # Chromium's --print-to-pdf lays reveal.js out on Letter pages; screenshots of each
    # slide (deck/index.html?slide=N), as JPEG pages of a PDF written here, keep 1920x1080.
    shots = OUT / "deck-png"
    shots.mkdir(parents=True, exist_ok=True)
    pages = []
    count = DECK.read_text(encoding="utf-8").count("<section ")
    with tempfile.TemporaryDirectory() as profile:
        for number in range(count):
            png, jpeg = shots / f"{number + 1:02d}.png", shots / f"{number + 1:02d}.jpg"
            subprocess.run(
                ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                 f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars", "--virtual-time-budget=3000",
                 f"--screenshot={png}", f"{DECK.as_uri()}?slide={number}"],
                capture_output=True, timeout=120, check=False,
            )  # fmt: skip
            subprocess.run(
                ["convert", str(png), "-quality", "92", str(jpeg)], capture_output=True, check=False
            )
            if not jpeg.exists():
                return f"no PDF: kiosk export failed, and no screenshot of slide {number + 1} of the deck"
            pages.append(jpeg.read_bytes())
    write_jpeg_pdf(pages, PDF)
    PDF_SOURCE["how"] = "screenshots of the reveal.js deck by headless Chromium (kiosk export was not used)"
    return None


def write_jpeg_pdf(pages: list[bytes], path: Path) -> None:
    """A PDF of full-page JPEG images of WIDTH x HEIGHT pixels, at 96 pixels an inch."""
    width, height = WIDTH * 72 // 96, HEIGHT * 72 // 96
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for jpeg in pages:
        image, content, page = len(objects) + 1, len(objects) + 2, len(objects) + 3
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (WIDTH, HEIGHT, len(jpeg), jpeg)
        )
        draw = b"q %d 0 0 %d 0 0 cm /Im Do Q" % (width, height)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /XObject << /Im %d 0 R >> >> >>" % (width, height, content, image)
        )
        kids.append(b"%d 0 R" % page)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def peers() -> dict[str, Peer]:
    return {
        "kiosk": Peer(
            "kiosk",
            kiosk_command,
            env={"QT_QPA_PLATFORM": "xcb"},
            versions=kiosk_versions,
            prepare=kiosk_prepare,
            note="ten-stats.yaml; numbers count up as each slide comes in (kiosk's default)",
        ),
        "chromium": Peer(
            "chromium",
            chromium_command,
            versions=chromium_versions,
            prepare=chromium_prepare,
            note="deck/index.html (reveal.js, file:// URL); static numbers",
        ),
        "impressive": Peer(
            "impressive",
            impressive_command,
            versions=impressive_versions,
            prepare=impressive_prepare,
            note="out/ten-stats.pdf rendered to textures by OpenGL (Mesa llvmpipe under Xvfb)",
        ),
    }


# ------------------------------------------------------------------ one run


@dataclass
class Result:
    peer: str
    command: str = ""
    versions: str = ""
    skipped: str = ""
    first_paints: list[float] = field(default_factory=list)
    first_frames: list[float] = field(default_factory=list)
    memory: Memory | None = None
    peak_pss_mb: float = 0.0
    cpu_percent: float | None = None
    xvfb_cpu_percent: float | None = None
    advances: list[float] = field(default_factory=list)  # seconds into the window
    other_cpu_percent: float | None = None  # the rest of the machine during the window
    note: str = ""
    error: str = ""


def launch(peer: Peer, display: str, scratch: Path, log: Path) -> subprocess.Popen[bytes]:
    token = f"{peer.name}-{os.getpid()}-{time.monotonic_ns()}"
    # TMPDIR of its own: kiosk's one-per-screen lock is a socket in the temp folder, and a
    # kiosk of someone else's on the same display must not count.
    tmp = scratch / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **peer.env, "DISPLAY": display, "PEER_BENCH_RUN": token, "TMPDIR": str(tmp)}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: from cached bytecode
    with log.open("ab") as out:
        proc = subprocess.Popen(
            peer.command(scratch),
            cwd=HERE,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    MARKERS[proc.pid] = f"PEER_BENCH_RUN={token}".encode()
    return proc


def heading_drawn(screen: Screen) -> bool:
    """Whether white text shows where all three decks put the first slide's heading."""
    for y in HEADING_ROWS:
        row = screen.row_bytes(y, *HEADING_SPAN)
        start = 0 if screen.lsb_first else 1  # skip the pad byte of 32-bit pixels
        if any(min(row[i : i + 3]) > 200 for i in range(start, len(row) - 3, 4)):
            return True
    return False


def heading(screen: Screen) -> tuple[bytes, ...]:
    return tuple(screen.row_bytes(y, *HEADING_SPAN) for y in HEADING_ROWS)


def wait_first_frame(
    screen: Screen, proc: subprocess.Popen[bytes], started: float
) -> tuple[float | None, float | None]:
    """(first paint, first slide) in seconds after started. First paint: the first change
    of any sample point from what the empty screen showed. First slide: the navy at the
    sample points and the white heading drawn on it."""
    blank = [screen.pixel(x, y) for x, y in SAMPLE_POINTS]
    first_paint = None
    while time.monotonic() - started < FIRST_FRAME_TIMEOUT:
        pixels = [screen.pixel(x, y) for x, y in SAMPLE_POINTS]
        navy = sum(near(p, NAVY) for p in pixels) >= NEEDED and heading_drawn(screen)
        now = time.monotonic() - started
        if first_paint is None and pixels != blank:
            first_paint = now
        if navy:
            return first_paint if first_paint is not None else now, now
        if proc.poll() is not None:
            return first_paint, None
        time.sleep(0.01)
    return first_paint, None


def one_start(
    peer: Peer,
    scratch: Path,
    log: Path,
    window: Result | None = None,
    seconds: float = 0.0,
    linger: float = 0.0,
) -> tuple[float | None, float | None, str]:
    """Start the peer in a fresh Xvfb, wait for its first slide, measure the window if
    asked, end it. Returns (first paint, first frame, error)."""
    with xvfb() as (display, server):
        screen = Screen(display)
        started = time.monotonic()
        proc = launch(peer, display, scratch, log)
        try:
            paint, frame = wait_first_frame(screen, proc, started)
            if frame is None:
                screenshot(display, SHOTS / f"{peer.name}-timeout.png")
                return (
                    paint,
                    None,
                    (
                        f"no first slide within {FIRST_FRAME_TIMEOUT:.0f} s (exit code {proc.poll()}); "
                        f"see bench/peers/out/{log.name} and out/shots/{peer.name}-timeout.png"
                    ),
                )
            if window is not None:
                screenshot(display, SHOTS / f"{peer.name}-first.png")
                measure_window(window, screen, proc, server, seconds)
                screenshot(display, SHOTS / f"{peer.name}-end.png")
            time.sleep(linger)
            return paint, frame, ""
        finally:
            stop_group(proc, [p.pid for p in tree(proc.pid)])
            screen.close()


def run_peer(peer: Peer, seconds: float, scratch: Path, warm: bool, starts: int) -> Result:
    result = Result(peer.name, note=peer.note)
    result.command = shlex.join(peer.command(scratch)).replace(str(scratch), "$TMP")
    why = peer.prepare()
    result.versions = peer.versions()
    if why:
        result.skipped = why
        return result
    log = OUT / f"{peer.name}.log"
    log.write_bytes(b"")
    if warm:  # fills the page cache and the peer's profile or cache; not measured
        one_start(peer, scratch, log, linger=2.0)
    for number in range(starts):
        last = number == starts - 1
        where = scratch if warm else scratch / f"cold-{number}"
        paint, frame, error = one_start(peer, where, log, result if last else None, seconds)
        if error:
            result.error = error
            break
        result.first_paints.append(paint if paint is not None else frame)
        result.first_frames.append(frame)
    return result


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


def own_seconds() -> float:
    """CPU time of this script (the sampling), which is not the peer's."""
    times = os.times()
    return times.user + times.system


def measure_window(
    result: Result,
    screen: Screen,
    proc: subprocess.Popen[bytes],
    server: subprocess.Popen[bytes],
    seconds: float,
) -> None:
    cpu, xcpu = CpuMeter(proc.pid), CpuMeter(server.pid, whole_tree=False)
    busy_before, own_before = busy_seconds(), own_seconds()
    cpu.start()
    xcpu.start()
    begun = time.monotonic()
    # A slide change is a new heading that has stayed the same for two samples (so the
    # frames of a fade, or a heading still being drawn, do not count).
    stable = previous = heading(screen)
    next_memory = begun + 5.0
    while (now := time.monotonic()) - begun < seconds:
        if proc.poll() is not None:
            result.error = f"exited with {proc.returncode} after {now - begun:.1f} s of the window"
            break
        cpu.sample()
        xcpu.sample()
        current = heading(screen)
        if current == previous != stable:
            stable = current
            result.advances.append(now - begun)
        previous = current
        if now >= next_memory:
            result.peak_pss_mb = max(result.peak_pss_mb, tree_memory(proc.pid).pss_mb)
            next_memory += 5.0
        time.sleep(0.25)
    cpu.sample()
    xcpu.sample()
    elapsed = time.monotonic() - begun
    result.cpu_percent = 100 * cpu.seconds() / elapsed
    result.xvfb_cpu_percent = 100 * xcpu.seconds() / elapsed
    result.memory = tree_memory(proc.pid)
    others = (busy_seconds() - busy_before) - (own_seconds() - own_before) - cpu.seconds() - xcpu.seconds()
    result.other_cpu_percent = max(0.0, 100 * others / elapsed)
    result.peak_pss_mb = max(result.peak_pss_mb, result.memory.pss_mb)


# ------------------------------------------------------------------ the report


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gb = status_meminfo_gb()
    debian = ""
    with contextlib.suppress(OSError):
        debian = "Debian " + Path("/etc/debian_version").read_text().strip() + ", "
    return (
        f"{os.cpu_count()} × {model}, {memory_gb:.0f} GB RAM, {debian}"
        f"Linux {platform.release()}, Xvfb {deb_version('xvfb')}"
    )


def status_meminfo_gb() -> float:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def advances(times: list[float]) -> str:
    if len(times) < 2:
        return str(len(times))
    return f"{len(times)} ({(times[-1] - times[0]) / (len(times) - 1):.2f})"


def spread(values: list[float]) -> str:
    if not values:
        return "—"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def report(results: list[Result], seconds: float, warm: bool, starts: int, argv: list[str]) -> str:
    lines = [
        "# Peer comparison: the same ten statistics slides",
        "",
        f"Made by `{shlex.join(['bench/peers/compare.py', *argv])}` on "
        f"{datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}.",
        f"Machine: {machine()}.",
        "",
        f"Each peer alone in a fresh Xvfb {WIDTH}x{HEIGHT}x24, no window manager, auto-advancing every "
        f"{ADVANCE_SECONDS} s with a {FADE_MS} ms fade; "
        + ("after one unmeasured warm-up start (page cache, Chromium's profile and Impressive's page cache "
           "warm, as on a display PC that has shown the deck before)." if warm
           else "cold: no warm-up start, a fresh profile and cache for each start.")
        + f" First frame: median of {starts} starts (min–max); CPU and memory over {seconds:.0f} s from "
        "the first frame of the last start.",
        "",
        "| peer | first frame s | first paint s | tree PSS MB | tree RSS MB | peak PSS MB | processes "
        f"| CPU % of a core over {seconds:.0f} s | Xvfb CPU % | slide changes seen (mean s apart) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for r in results:
        if r.skipped:
            lines.append(f"| {r.peer} | skipped: {r.skipped} | | | | | | | | |")
            continue
        mem = r.memory
        lines.append(
            f"| {r.peer} | {spread(r.first_frames)} | {spread(r.first_paints)} | {fmt(mem and mem.pss_mb, '.0f')} "
            f"| {fmt(mem and mem.rss_mb, '.0f')} | {fmt(r.peak_pss_mb or None, '.0f')} "
            f"| {mem.processes if mem else '—'} | {fmt(r.cpu_percent, '.1f')} | {fmt(r.xvfb_cpu_percent, '.1f')} "
            f"| {advances(r.advances)} |"
        )
    lines += ["", "## Versions and commands", ""]
    for r in results:
        lines.append(f"- **{r.peer}**: {r.versions or '—'}")
        lines.append(f"  - command: `{r.command}`")
        if r.note:
            lines.append(f"  - {r.note}")
        if r.first_frames:
            lines.append(
                "  - first frame of each start: "
                + ", ".join(f"{v:.2f}" for v in r.first_frames)
                + f" s; the rest of the machine used {fmt(r.other_cpu_percent, '.1f')} % of a core during the window"
            )
        if r.error:
            lines.append(f"  - **error**: {r.error}")
    if any(r.peer == "impressive" and not r.skipped for r in results):
        lines.append(f"- PDF for Impressive: {PDF_SOURCE['how']}")
    lines += [
        "",
        "## How",
        "",
        "- **first frame**: wall time from just before the peer's process is started until at least "
        f"{NEEDED} of the {len(SAMPLE_POINTS)} sample points {', '.join(map(str, SAMPLE_POINTS))} of the root "
        f"window are within {TOLERANCE} per channel of the slides' navy #0b2a5b and white text shows in rows "
        f"{', '.join(map(str, HEADING_ROWS))} from x {HEADING_SPAN[0]} to {sum(HEADING_SPAN)}, where the "
        "first slide's heading is (read with XGetImage every 10 ms). **first paint**: the first change of "
        "any sample point from the empty screen (Chromium paints its window white first).",
        "- **tree**: the started process, its descendants, every process in its (new) session and every "
        "process with the run's marker variable in its environment (Chromium's crash handlers start "
        "sessions of their own). **PSS** sums Pss from /proc/PID/smaps_rollup (shared pages divided among "
        "the processes that map them); **RSS** sums VmRSS (shared pages counted once per process, so it "
        "overstates a multi-process tree). Taken at the end of the window; peak PSS from 5 s samples.",
        "- **CPU**: utime+stime of the tree (each process from /proc/PID/stat) over the window, in percent "
        "of one core (200 % would be both cores); Xvfb's own CPU beside it, since the X server does the "
        "drawing that a client asks of it.",
        "- **slide changes seen**: the heading rows sampled every 0.25 s during the window; a change "
        "counts once the new heading has held for two samples. 5 s a slide is 11 or 12 in 60 s; the mean "
        "time between changes shows each peer's real cycle (its 5 s plus whatever it adds).",
        "- Screenshots of the first frame and of the end of the window: bench/peers/out/shots/.",
        "",
        "The machine is not set aside for this: whatever else runs takes CPU from the peer and slows "
        "its first frame; each peer's line above says how much the rest of the machine (not the peer, "
        "not Xvfb, not this script) used during its window.",
        "",
        "Caveats: Xvfb renders in software, with no GPU: Chromium runs with --disable-gpu (Skia on the "
        "CPU), Impressive's OpenGL is Mesa's llvmpipe, kiosk paints with Qt's raster engine. Figures on "
        "a display PC with a GPU differ. One run each on a 2-core machine: expect noise of a few tenths "
        "of a second and a few percent.",
        "",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------ the deck


def write_deck() -> None:
    """deck/index.html from ten-stats.yaml (needs PyYAML: run with the project's venv)."""
    import yaml  # only for regenerating the committed deck

    playlist = yaml.safe_load(PLAYLIST.read_text(encoding="utf-8"))

    def number(item: dict) -> str:
        return (
            f'<div class="figure"><span class="prefix">{html.escape(str(item.get("prefix", "")))}</span>'
            f'<span class="value">{html.escape(str(item["value"]))}</span>'
            f'<span class="unit">{html.escape(str(item.get("unit", "")))}</span></div>'
        )

    sections = []
    for slide in playlist["slides"]:
        background = slide.get("background", "#0b2a5b")
        if slide["type"] == "stat":
            body = (
                f'<h2>{html.escape(slide["label"])}</h2>\n      <div class="single">{number(slide)}'
                + (f'<p class="note">{html.escape(slide["note"])}</p>' if slide.get("note") else "")
                + "</div>"
            )
        else:
            cards = "".join(
                f'\n        <div class="card">{number(item)}<p class="label">{html.escape(item["label"])}</p></div>'
                for item in slide["items"]
            )
            body = f'<h2>{html.escape(slide.get("title", ""))}</h2>\n      <div class="cards">{cards}\n      </div>'
        sections.append(
            f'    <section data-background-color="{background}" data-slide="{slide.get("id", "")}">\n'
            f"      {body}\n"
            '      <p class="footer">江苏公安 · 向人民报告</p>\n'
            "    </section>"
        )
    DECK.parent.mkdir(parents=True, exist_ok=True)
    DECK.write_text(DECK_TEMPLATE.replace("{{title}}", html.escape(playlist["title"]))
                    .replace("{{sections}}", "\n".join(sections))
                    .replace("{{fade}}", str(FADE_MS))
                    .replace("{{autoslide}}", str(ADVANCE_SECONDS * 1000)), encoding="utf-8")  # fmt: skip
    print(f"wrote {DECK}")


DECK_TEMPLATE = """<!DOCTYPE html>
<!-- Generated by bench/peers/compare.py --write-deck from ten-stats.yaml: edit those, not this. -->
<html lang="zh-CN" translate="no">
<head>
  <meta charset="utf-8">
  <meta name="google" content="notranslate">
  <title>{{title}}</title>
  <link rel="stylesheet" href="../node_modules/reveal.js/dist/reset.css">
  <link rel="stylesheet" href="../node_modules/reveal.js/dist/reveal.css">
  <style>
    html, body, .reveal-viewport { background: #0b2a5b; margin: 0; }
    .reveal { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; color: #ffffff; }
    .reveal .slides { text-align: left; }
    .reveal .slides > section { width: 1920px; height: 1080px; padding: 0; box-sizing: border-box;
                                transition-duration: {{fade}}ms !important; }
    .reveal h2 { position: absolute; left: 75px; top: 78px; margin: 0; font-size: 60px; font-weight: 700; }
    .reveal h2::after { content: ""; display: block; width: 92px; height: 6px; margin-top: 28px;
                        border-radius: 3px; background: #f2c14e; }
    .reveal .figure { font-weight: 700; line-height: 1; white-space: nowrap; }
    .reveal .figure .value { color: #ffffff; }
    .reveal .figure .unit, .reveal .figure .prefix { color: #f2c14e; margin-left: 0.12em; }
    .reveal .single { position: absolute; left: 0; right: 0; top: 380px; text-align: center; }
    .reveal .single .value { font-size: 300px; }
    .reveal .single .unit { font-size: 130px; }
    .reveal .note { margin-top: 40px; font-size: 44px; color: #b9c8e8; }
    .reveal .cards { position: absolute; left: 75px; right: 75px; top: 400px; display: flex; gap: 26px; }
    .reveal .card { flex: 1; border-radius: 16px; background: #ffffff12; padding: 40px 20px;
                    text-align: center; }
    .reveal .card .value { font-size: 150px; }
    .reveal .card .unit { font-size: 64px; }
    .reveal .card .label { margin: 24px 0 0; font-size: 36px; }
    .reveal .footer { position: absolute; right: 75px; bottom: 36px; margin: 0; font-size: 24px;
                      color: #b9c8e8; }
    .reveal .progress { color: #f2c14e; }
  </style>
</head>
<body>
<div class="reveal">
  <div class="slides">
{{sections}}
  </div>
</div>
<script src="../node_modules/reveal.js/dist/reveal.js"></script>
<script>
  // ?slide=N shows slide N (from 0) alone, still: for screenshots (compare.py --pdf deck).
  const still = new URLSearchParams(location.search).get('slide');
  Reveal.initialize({
    width: 1920, height: 1080, margin: 0, minScale: 0.1, maxScale: 4,
    autoSlide: still === null ? {{autoslide}} : 0, loop: true, controls: false, progress: still === null,
    transition: still === null ? 'fade' : 'none', backgroundTransition: 'fade', hash: false, center: false,
    keyboard: true, touch: false, help: false, autoSlideStoppable: false
  }).then(() => { if (still !== null) Reveal.slide(Number(still)); });
</script>
</body>
</html>
"""


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="CPU/memory window after the first frame")
    parser.add_argument("--only", default="kiosk,chromium,impressive", help="comma-separated peers, in order")
    parser.add_argument("--starts", type=int, default=5, help="starts to time the first frame (median)")
    parser.add_argument(
        "--cold", action="store_true", help="no warm-up start; fresh profile and cache each start"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the Markdown table")
    parser.add_argument(
        "--pdf",
        choices=("kiosk", "deck"),
        default="kiosk",
        help="Impressive's PDF: kiosk export (default), or screenshots of the HTML deck",
    )
    parser.add_argument("--write-deck", action="store_true", help="regenerate deck/index.html and exit")
    args = parser.parse_args(argv)
    if args.write_deck:
        write_deck()
        return 0
    if not sys.platform.startswith("linux"):
        parser.error("Linux only (/proc, Xvfb)")
    for tool in ("Xvfb", "import"):
        if not shutil.which(tool):
            parser.error(f"{tool} not found: run bench/peers/setup.sh")
    known = peers()
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        parser.error(f"unknown peer(s) {', '.join(unknown)}; known: {', '.join(known)}")
    OUT.mkdir(parents=True, exist_ok=True)
    PDF_SOURCE["want"] = args.pdf
    results = []
    for name in names:
        print(f"== {name}", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix=f"peer-{name}-") as scratch:
            result = run_peer(known[name], args.seconds, Path(scratch), not args.cold, max(1, args.starts))
        print(f"   {result}", file=sys.stderr, flush=True)
        results.append(result)
    text = report(
        results, args.seconds, not args.cold, max(1, args.starts), sys.argv[1:] if argv is None else argv
    )
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(r.skipped or (r.first_frames and not r.error) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
