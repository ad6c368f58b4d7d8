"""Offscreen render of each slide's final frame to PNG (and all of them to one PDF).

The same slide widgets as the live show paint the pictures: export calls
`render_image(w, h, t=1.0)` on each, exactly the contract the window uses.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from kiosk.playlist.model import Playlist, SlideBase

EXIT_OK, EXIT_FAILURE = 0, 1


def export_file_name(index: int, slide: SlideBase) -> str:
    """'03-solve-rate.png': the position, then the id (or a safe form of the type)."""
    name = slide.id or slide.type
    safe = re.sub(r"[^\w\-]+", "-", name, flags=re.UNICODE).strip("-") or slide.type
    return f"{index:02d}-{safe}.png"


def export_playlist(playlist: Playlist, out: Path, size: tuple[int, int], pdf: Path | None = None) -> int:
    """Render every playable slide; print progress to stderr. Returns an exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app import ensure_application, slide_context
    from kiosk.slides import build_view

    ensure_application()
    context = slide_context(playlist)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"kiosk export: cannot create {out}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILURE
    slides = playlist.playable()
    images = []
    width, height = size
    # On a terminal the progress line rewrites itself; in a log each step is a line.
    carriage, ending = ("\r", "") if sys.stderr.isatty() else ("", "\n")
    for index, slide in enumerate(slides, start=1):
        name = slide.id or slide.type
        print(f"{carriage}kiosk export: slide {index}/{len(slides)} {name}", end=ending, file=sys.stderr)
        view = build_view(slide, context)
        image = view.render_image(width, height, 1.0)
        view.deleteLater()
        target = out / export_file_name(index, slide)
        if not image.save(str(target)):
            print(f"\nkiosk export: cannot write {target}", file=sys.stderr)
            return EXIT_FAILURE
        images.append(image)
    print(f"{carriage}kiosk export: {len(slides)} slides written to {out}" + " " * 20, file=sys.stderr)
    if pdf is not None:
        return write_pdf(images, pdf)
    return EXIT_OK


def write_pdf(images: list, pdf: Path) -> int:
    """One page per slide, each page the size of the picture."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    if not images:
        return EXIT_OK
    writer = QPdfWriter(str(pdf))
    writer.setResolution(96)
    first = images[0]
    page = QPageSize(QSizeF(first.width() * 0.75, first.height() * 0.75), QPageSize.Unit.Point)
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter()
    if not painter.begin(writer):
        print(f"kiosk export: cannot write {pdf}", file=sys.stderr)
        return EXIT_FAILURE
    for index, image in enumerate(images):
        if index:
            writer.newPage()
        painter.drawImage(painter.viewport(), image)
    painter.end()
    print(f"kiosk export: PDF written to {pdf}", file=sys.stderr)
    return EXIT_OK
