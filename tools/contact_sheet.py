"""Pictures for the README: a contact sheet of a playlist and one picture per slide type.

Run: .venv/bin/python tools/contact_sheet.py
Writes docs/images/police-day-1920x1080.png, police-day-1080x1920.png and
types/<type>.png (from data/examples/every-slide-type.yaml), rendered by the same
slide views as the show (final frames), scaled down.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from kiosk.app import ensure_application, slide_context
from kiosk.playlist import Playlist, load_playlist
from kiosk.slides import build_view

ROOT = Path(__file__).resolve().parents[1]


def render(playlist: Playlist, size: tuple[int, int]) -> list[QImage]:
    context = slide_context(playlist)
    images = []
    for slide in playlist.playable():
        view = build_view(slide, context)
        images.append(view.render_image(*size, 1.0))
        view.deleteLater()
    return images


def sheet(images: list[QImage], columns: int, cell_width: int, gap: int = 8) -> QImage:
    first = images[0]
    cell_height = round(cell_width * first.height() / first.width())
    rows = -(-len(images) // columns)
    out = QImage(
        columns * (cell_width + gap) + gap, rows * (cell_height + gap) + gap, QImage.Format.Format_RGB32
    )
    out.fill(QColor("#0d0f14"))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    for index, image in enumerate(images):
        x = gap + (index % columns) * (cell_width + gap)
        y = gap + (index // columns) * (cell_height + gap)
        painter.drawImage(QRectF(x, y, cell_width, cell_height), image)
    painter.end()
    return out


def scaled(image: QImage, width: int) -> QImage:
    return image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    ensure_application()
    (args.out / "types").mkdir(parents=True, exist_ok=True)
    police = load_playlist(ROOT / "data" / "police-day-2023.yaml")
    sheet(render(police, (1920, 1080)), 5, 384).save(str(args.out / "police-day-1920x1080.png"))
    sheet(render(police, (1080, 1920)), 10, 180).save(str(args.out / "police-day-1080x1920.png"))
    example = load_playlist(ROOT / "data" / "examples" / "every-slide-type.yaml")
    for slide, image in zip(example.playable(), render(example, (1920, 1080)), strict=True):
        scaled(image, 640).save(str(args.out / "types" / f"{slide.type}.png"))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
