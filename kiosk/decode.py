"""Decoding pictures with a budget: at the size shown, never larger, and never for longer
than the show can wait.

Size: the scale is chosen before decoding, from the fit: `contain` decodes the whole
picture at the size it is shown, `cover` decodes at the covering scale but only the
middle part that is shown (QImageReader's scaled clip rect). A 24000x1200 panorama in a
contained 1920x1080 box is 1920x96 pixels, 0.7 MB, not the 93 MB of the covering scale.

Time: each decode runs on a thread of its own, and the GUI thread waits for it at most
DECODE_SECONDS (the wait releases the GIL; Qt's QImageReader.read() does too). A decode
that takes longer is left to finish on its own, its picture is dropped, the file gets the
placeholder until it changes, and the log says so. Why a thread and not a worker process
with a deadline (which could be killed): on the 2-core development machine a Python child
that imports QtGui and QtSvg costs 0.14 s and 37 MB per start (more in a frozen build,
which also has no plain interpreter to start: it would need an entry point of its own);
a thread costs a tenth of a millisecond. What a thread cannot
do, stop a decode that never ends, is ruled out before the decode starts: SVGs must pass
the complexity rule (kiosk/playlist/svg.py: references expanded by counting, at most
100,000 elements drawn), raster formats are bounded by Qt's allocation limit, and at
most MAX_RUNAWAYS slow decodes may still be running before new ones are refused. What is
left (a decode stuck in the kernel, say) is the watchdog's (kiosk/system.py).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

from kiosk.playlist.svg import MAX_SVG_BYTES, looks_like_svg, svg_problem

log = logging.getLogger(__name__)

#: the longest the show waits for one picture
DECODE_SECONDS = 3.0
#: decodes past their time that may still be running; beyond that new decodes are refused
MAX_RUNAWAYS = 2

# Qt refuses to decode images needing more than this many MB (decompression bombs).
QImageReader.setAllocationLimit(256)

_lock = threading.Lock()
_running = 0  # decodes still running after the GUI stopped waiting for them
_slow: set[tuple[str, float]] = set()  # (path, mtime) of files that took too long


@dataclass(frozen=True)
class Fit:
    """How a picture fills its box: 'contain' (whole picture) or 'cover' (box filled)."""

    mode: str
    width: int
    height: int


def scaled_geometry(source: QSize, fit: Fit) -> tuple[QSize, QRect | None]:
    """The size to decode `source` at, and for cover the part of that to keep (None: all).
    Never larger than the source."""
    if fit.mode == "cover":
        scale = max(fit.width / source.width(), fit.height / source.height())
    else:
        scale = min(fit.width / source.width(), fit.height / source.height())
    scale = min(1.0, scale)
    size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
    if fit.mode != "cover":
        return size, None
    shown = QSize(min(size.width(), fit.width), min(size.height(), fit.height))
    if shown == size:
        return size, None
    left, top = (size.width() - shown.width()) // 2, (size.height() - shown.height()) // 2
    return size, QRect(left, top, shown.width(), shown.height())


def decode(path: str, mtime: float, fit: Fit, seconds: float | None = None) -> QImage | None:
    """The picture at `path` decoded for `fit`, or None (unreadable, refused, too slow):
    waits at most `seconds` (DECODE_SECONDS)."""
    global _running
    seconds = DECODE_SECONDS if seconds is None else seconds
    if (path, mtime) in _slow:
        return None
    with _lock:
        if _running >= MAX_RUNAWAYS:
            log.warning("%s: %d slow pictures are still decoding; a placeholder is shown", path, _running)
            return None
        _running += 1
    result: list[QImage | None] = []
    done = threading.Event()

    def work() -> None:
        global _running
        try:
            result.append(_decode(path, fit))
        except Exception:  # a decoder bug must give the placeholder, not a dead show
            log.exception("decoding %s failed", path)
            result.append(None)
        finally:
            with _lock:
                _running -= 1
            done.set()

    started = time.monotonic()
    threading.Thread(target=work, name="kiosk-decode", daemon=True).start()
    if not done.wait(seconds):
        _slow.add((path, mtime))
        log.warning(
            "%s: decoding took longer than %.0f s; a placeholder is shown until the file changes",
            path,
            seconds,
        )
        return None
    log.debug("decoded %s in %.3f s", path, time.monotonic() - started)
    return result[0] if result else None


def _decode(path: str, fit: Fit) -> QImage | None:
    with open(path, "rb") as handle:
        head = handle.read(MAX_SVG_BYTES + 1)
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    # Recognised by name, by content and as Qt would: a renamed SVG is still an SVG.
    qt_format = bytes(reader.format().data()).lower()
    name = path.lower()
    if name.endswith((".svg", ".svgz")) or qt_format.startswith(b"svg") or looks_like_svg(head):
        problem = svg_problem(head, compressed=name.endswith(".svgz") or qt_format == b"svgz")
        if problem is not None:
            log.warning("%s is not drawn: %s", path, problem)
            return None
    original = reader.size()
    if original.isValid() and original.width() > 0 and original.height() > 0:
        turned = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
        upright = original.transposed() if turned else original  # the fit is for the picture as shown
        scaled, clip = scaled_geometry(upright, fit)
        if turned:
            scaled, clip = scaled.transposed(), None  # cropped after turning, by the consumer
        if scaled != original:
            reader.setScaledSize(scaled)
        if clip is not None:
            reader.setScaledClipRect(clip)
    image = reader.read()
    if image.isNull():
        log.info("%s cannot be decoded: %s", path, reader.errorString())
        return None
    return image
