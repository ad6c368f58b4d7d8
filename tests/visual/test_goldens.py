"""Each slide of data/examples/every-slide-type.yaml (one of every type) compared with
committed pictures (pyqtgraph's image tests do the same): halfway through its entry
animation (t = 0.5) and at its final frame (t = 1), at 1920x1080 and 1080x1920, within a
small tolerance for antialiasing. Goldens are named by slide id, time and size
(`sample-bar-t050-1920x1080.png`). On a mismatch, result / expected / diff are written
side by side to tests/visual/failures/ (CI keeps that folder). Regenerate with
`make goldens`, then look at the pictures before committing them.

The pictures are kept at half the rendered size (each side halved, smoothly): 52 full
HD PNGs would add some 9 MB to the repository at every change of look, and half size
still shows every misplaced, missing or clipped part; results are halved the same way
before they are compared."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from kiosk.app import ensure_application, slide_context
from kiosk.playlist import load_playlist
from kiosk.slides import build_view

pytestmark = pytest.mark.visual

ROOT = Path(__file__).resolve().parents[2]
GOLDENS = Path(__file__).parent / "goldens"
FAILURES = Path(__file__).parent / "failures"
EXAMPLE = ROOT / "data" / "examples" / "every-slide-type.yaml"
SIZES = [(1920, 1080), (1080, 1920)]
TIMES = [0.5, 1.0]
#: goldens are stored at 1/STORE_SCALE of the rendered size on each side
STORE_SCALE = 2
# A pixel differs when a channel is off by more than this; at most this share may differ.
CHANNEL_TOLERANCE = 40
MAX_DIFFERING_SHARE = 0.004


def slide_ids() -> list[str]:
    playlist = load_playlist(EXAMPLE)
    return [slide.id or slide.type for slide in playlist.slides]


def golden_name(slide_id: str, t: float, size: tuple[int, int]) -> str:
    """`sample-bar-t050-1920x1080.png`: the slide, the time in hundredths, the rendered size."""
    return f"{slide_id}-t{round(t * 100):03d}-{size[0]}x{size[1]}.png"


def stored(image: QImage) -> QImage:
    """The picture as goldens keep it: halved on each side, smoothly (see the module's note)."""
    return image.scaled(
        image.width() // STORE_SCALE,
        image.height() // STORE_SCALE,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_RGB32)


def pixels(image: QImage) -> np.ndarray:
    """The image as a height x width x 4 array (B, G, R, A bytes)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    array = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return array[:, : image.width() * 4].reshape(image.height(), image.width(), 4).copy()


def compare(result: QImage, expected: QImage) -> tuple[float, QImage]:
    """Share of pixels that differ beyond the tolerance, and a diff picture (red = differs)."""
    a, b = pixels(result).astype(np.int16), pixels(expected).astype(np.int16)
    differs = (np.abs(a[..., :3] - b[..., :3]) > CHANNEL_TOLERANCE).any(axis=2)
    diff = np.zeros_like(a, dtype=np.uint8)
    diff[..., 3] = 255
    diff[differs] = (0, 0, 255, 255)  # BGRA red
    height, width = differs.shape
    picture = QImage(diff.tobytes(), width, height, width * 4, QImage.Format.Format_RGB32).copy()
    return float(differs.mean()), picture


def side_by_side(*images: QImage) -> QImage:
    width = sum(image.width() for image in images)
    out = QImage(width, images[0].height(), QImage.Format.Format_RGB32)
    painter = QPainter(out)
    x = 0
    for image in images:
        painter.drawImage(x, 0, image)
        x += image.width()
    painter.end()
    return out


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("t", TIMES, ids=lambda t: f"t{round(t * 100):03d}")
@pytest.mark.parametrize("slide_id", slide_ids())
def test_slide_matches_its_golden(
    qapp, slide_id: str, t: float, size: tuple[int, int], update_goldens
) -> None:
    ensure_application()
    playlist = load_playlist(EXAMPLE)
    slide = next(s for s in playlist.slides if (s.id or s.type) == slide_id)
    view = build_view(slide, slide_context(playlist))
    result = stored(view.render_image(*size, t))
    view.deleteLater()
    name = golden_name(slide_id, t, size)
    golden = GOLDENS / name
    if update_goldens:
        GOLDENS.mkdir(exist_ok=True)
        assert result.save(str(golden), "PNG", 0)  # 0: the smallest file
        return
    assert golden.exists(), f"no golden {golden}; run: make goldens"
    expected = QImage(str(golden))
    assert (expected.width(), expected.height()) == (size[0] // STORE_SCALE, size[1] // STORE_SCALE)
    share, diff = compare(result, expected)
    if share > MAX_DIFFERING_SHARE:
        FAILURES.mkdir(exist_ok=True)
        side_by_side(result, expected, diff).save(str(FAILURES / name))
    assert share <= MAX_DIFFERING_SHARE, f"{share:.2%} of pixels differ; see {FAILURES / name}"


def test_every_golden_belongs_to_a_slide_of_the_example(update_goldens) -> None:
    """Goldens of slides, times or sizes no longer tested are deleted, not left behind
    (`--update-goldens` deletes them; this test comes last, after they were written)."""
    wanted = {golden_name(i, t, size) for i in slide_ids() for t in TIMES for size in SIZES}
    if update_goldens:
        for path in GOLDENS.glob("*.png"):
            if path.name not in wanted:
                path.unlink()
    assert {p.name for p in GOLDENS.glob("*.png")} == wanted
