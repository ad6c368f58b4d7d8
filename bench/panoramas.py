"""Memory of a show of seventeen 24000x1200 panoramas (the field case of issue 20).

Run: python -m bench.panoramas [--size 1920x1080] [--loops 2]
The real window, player and image slides play a playlist of seventeen panoramic JPEGs
(24000x1200, alternately `fit: contain` and `fit: cover`) on Qt's event loop (offscreen),
for whole loops. Reports RSS on the first slide, the highest RSS seen at any slide change
and at the end. Target, tied to the screen: the highest RSS at most the first slide's
plus PICTURES_BUDGET full-screen pictures (4 bytes a pixel): the picture cache holds 3
screens (kiosk/slides/paint.py), a transition shows 2 slides, and one is being decoded.
Before issue 20, sixteen decoded originals were cached: 988 MB at 1920x1080.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: full-screen pictures the show may hold above its first slide
PICTURES_BUDGET = 6
PANORAMA = (24000, 1200)
COUNT = 17


def _make_panoramas(folder: Path) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(*PANORAMA, QImage.Format.Format_RGB32)
    image.fill(QColor("#204070"))
    painter = QPainter(image)
    for x in range(0, PANORAMA[0], 600):  # some detail, so the JPEG is not trivially small
        painter.fillRect(QRect(x, 200 + (x // 600 % 5) * 150, 300, 300), QColor("#e0b040"))
    painter.end()
    assert image.save(str(folder / "p00.jpg"), quality=85)
    del painter, image
    for number in range(1, COUNT):
        shutil.copyfile(folder / "p00.jpg", folder / f"p{number:02}.jpg")
    slides = "".join(
        f"  - {{type: image, src: p{n:02}.jpg, fit: {'contain' if n % 2 == 0 else 'cover'}}}\n" for n in range(COUNT)
    )
    (folder / "show.yaml").write_text(
        f"defaults: {{duration: 0.15s, transition: {{type: fade, duration: 0.05s}}}}\nslides:\n{slides}",
        encoding="utf-8",
    )


def measure(size: tuple[int, int] = (1920, 1080), loops: int = 2) -> dict[str, float]:
    from PySide6.QtCore import QTimer

    from bench.soak import rss_mb
    from kiosk.app import ensure_application, slide_context
    from kiosk.player import Player
    from kiosk.playlist import load_playlist
    from kiosk.window import ShowWindow

    app = ensure_application()
    label = f"{size[0]}x{size[1]}"
    with tempfile.TemporaryDirectory() as folder:
        _make_panoramas(Path(folder))
        gc.collect()
        playlist = load_playlist(Path(folder) / "show.yaml")
        player = Player(playlist)
        window = ShowWindow(player, slide_context(playlist))
        window.show_on(None, fullscreen=False, size=size)
        seen = {"changes": 0, "first": 0.0, "highest": 0.0}

        def counted(change: object) -> None:
            seen["changes"] += 1
            rss = rss_mb()
            if seen["changes"] == 2:  # the first slide is on screen and laid out
                seen["first"] = rss
            seen["highest"] = max(seen["highest"], rss)
            if seen["changes"] >= COUNT * loops + 1:
                QTimer.singleShot(0, app.quit)

        player.subscribe(counted)
        player.start()
        app.exec()
        gc.collect()
        app.processEvents()
        end = rss_mb()
        window.quit()
    screen_mb = size[0] * size[1] * 4 / 2**20
    return {
        f"panoramas_rss_first_mb_{label}": seen["first"],
        f"panoramas_rss_highest_mb_{label}": seen["highest"],
        f"panoramas_rss_end_mb_{label}": end,
        f"panoramas_rss_target_mb_{label}": seen["first"] + PICTURES_BUDGET * screen_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--loops", type=int, default=2)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    for name, value in measure((width, height), args.loops).items():
        print(f"{name}: {value:.1f}")


if __name__ == "__main__":
    main()
