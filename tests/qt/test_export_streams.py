"""`kiosk export` streams and never calls a short file written (issue 20).

- Memory: one slide in memory at a time, so peak memory does not grow with the number
  of slides (it kept every picture and every view: 10 GB after 537 slides).
- A size limit with a clear message instead of 9 GB by the fourth slide.
- A full disk (a 256 KB tmpfs, mounted in a private mount namespace by `unshare`, so the
  test needs no real disk and leaves no mount): exit 1 naming the file, and no truncated
  PNG or PDF left behind under the final name.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.export import MAX_EXPORT_PIXELS, pdf_complete

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def playlist(folder: Path, slides: int) -> Path:
    """A playlist of `slides` stat slides (cheap to paint, a full-size picture each)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["defaults: {duration: 8s}", "slides:"]
    lines += [f"  - {{type: stat, label: 指标 {n}, value: {n}.5, unit: '%'}}" for n in range(slides)]
    path = folder / "show.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def kiosk(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=ENV, timeout=timeout
    )


PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from kiosk.export import export_playlist
from kiosk.playlist import load_playlist
code = export_playlist(load_playlist(sys.argv[1]), Path(sys.argv[2]), (1280, 720), Path(sys.argv[3]))
print(code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, flush=True)
"""


def peak_mb(tmp_path: Path, slides: int) -> int:
    show = playlist(tmp_path / f"show{slides}", slides)
    out, pdf = tmp_path / f"out{slides}", tmp_path / f"all{slides}.pdf"
    result = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(show), str(out), str(pdf)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    code, peak = result.stdout.split()
    assert code == "0"
    assert len(list(out.glob("*.png"))) == slides
    assert pdf_complete(pdf)
    assert pdf.read_bytes().count(b"/Type /Page\n") == slides
    return int(peak)


def test_export_memory_does_not_grow_with_the_number_of_slides(tmp_path: Path) -> None:
    """60 slides at 1280x720 peak within 40 MB of 10 slides' peak; keeping each
    3.7 MB picture (and its view) would add some 185 MB."""
    few, many = peak_mb(tmp_path, 10), peak_mb(tmp_path, 60)
    assert many - few < 40, f"peak {few} MB for 10 slides, {many} MB for 60"


def test_a_size_beyond_the_limit_is_refused_at_once(tmp_path: Path) -> None:
    show = playlist(tmp_path, 2)
    result = kiosk("export", str(show), "--out", str(tmp_path / "out"), "--size", "16384x16384", timeout=60)
    assert result.returncode == 2
    assert "--size 16384x16384 is 268 megapixels; export renders at most 67" in result.stderr
    assert not list(tmp_path.glob("out/*.png"))
    assert MAX_EXPORT_PIXELS == 8192 * 8192  # the limit the message and README give


def on_small_disk(tmp_path: Path, command: str, size: str = "256k") -> subprocess.CompletedProcess[str]:
    """Run `command` with a tmpfs of `size` (256 KB) mounted at tmp_path/disk (a private mount)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    script = f"mount -t tmpfs -o size={size} tmpfs {shlex.quote(str(disk))} && {command}; code=$?; ls -la {disk}; exit $code"
    return subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def export_command(show: Path, *args: str) -> str:
    return " ".join(shlex.quote(a) for a in [sys.executable, "-m", "kiosk", "export", str(show), *args])


def test_a_pdf_on_a_full_disk_is_an_error_and_no_short_file(tmp_path: Path) -> None:
    show = playlist(tmp_path / "show", 12)
    pdf = tmp_path / "disk" / "all.pdf"
    # 16 KB: the PDF holds the slides as vectors now, 32 KB for these 12 slides
    result = on_small_disk(
        tmp_path,
        export_command(show, "--out", str(tmp_path / "png"), "--size", "1920x1080", "--pdf", str(pdf)),
        size="16k",
    )
    assert result.returncode == 1, result.stderr
    assert f"cannot write {pdf}" in result.stderr
    assert "PDF written" not in result.stderr
    assert " all.pdf" not in result.stdout and ".part" not in result.stdout  # the disk's listing


def test_pngs_on_a_full_disk_are_an_error_and_none_truncated(tmp_path: Path) -> None:
    show = playlist(tmp_path / "show", 12)
    out = tmp_path / "disk" / "png"
    check = f"{sys.executable} -c " + shlex.quote(
        "import sys\nfrom pathlib import Path\nfrom PySide6.QtGui import QImage\n"
        f"bad = [p.name for p in Path({str(out)!r}).glob('*') if QImage(str(p)).isNull()]\n"
        "print('unreadable:', bad)\n"
    )
    result = on_small_disk(
        tmp_path,
        export_command(show, "--out", str(out), "--size", "1920x1080") + f"; code=$?; {check}; exit $code",
    )
    assert result.returncode == 1, result.stderr
    assert f"cannot write {out}/" in result.stderr and ".png" in result.stderr
    assert "unreadable: []" in result.stdout  # every file under a final name is whole
    assert ".part" not in result.stdout


def test_pdf_complete_tells_a_short_pdf(tmp_path: Path) -> None:
    show = playlist(tmp_path / "show", 3)
    pdf = tmp_path / "all.pdf"
    result = kiosk(
        "export", str(show), "--out", str(tmp_path / "out"), "--size", "320x180", "--pdf", str(pdf)
    )
    assert result.returncode == 0, result.stderr
    data = pdf.read_bytes()
    assert pdf_complete(pdf)
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    (tmp_path / "holed.pdf").write_bytes(data[:1000] + data[5000:])  # a write lost in the middle
    assert not pdf_complete(tmp_path / "cut.pdf")
    assert not pdf_complete(tmp_path / "holed.pdf")
    image = QImage(str(tmp_path / "out" / "01-stat.png"))
    assert (image.width(), image.height()) == (320, 180)
    umask = os.umask(0)
    os.umask(umask)
    for written in (pdf, tmp_path / "out" / "01-stat.png"):  # as any new file, not 0600
        assert written.stat().st_mode & 0o777 == 0o666 & ~umask
