"""Full-screen pictures, reused instead of made anew at every slide change.

A slide change needs three screen-sized pictures: the new slide's background, and the
two ends of the transition. Made fresh, each one costs its whole size in page faults the
first time it is drawn into (kiosk/memory.py keeps big blocks on mmap, so freed ones go
back to the system): at 3840x2160 about 20 ms a picture, 60 ms on the frame a transition
starts, which the audience sees as a stall. The pool keeps the two pictures a transition
leaves behind and hands them to the next slide change, and the leaving slide's own
background becomes the transition's first picture (kiosk/slides/base.py), so a slide
change at full speed allocates nothing.

What it costs: the two pooled pictures stay resident between slide changes (2 x 8 MB at
1920x1080, 2 x 33 MB at 3840x2160). The peak, during a transition, is lower than before
(four screen-sized pictures, the window's own included, where it was five), and the peak
is what a display PC must have room for.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPixmap

#: pictures kept for the next slide change: its new background and the transition's new end
KEEP = 2


class PicturePool:
    """Screen-sized pixmaps to reuse; only pictures of the size asked for are reused."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._free: list[QPixmap] = []
        self.made = 0  # pictures made because none was free (tests, bench)

    def take(self, size: QSize, ratio: float = 1.0) -> QPixmap:
        """A picture of `size` (device-independent pixels at `ratio`); its content is
        whatever it held: the caller paints all of it."""
        pixels = QSize(round(size.width() * ratio), round(size.height() * ratio))
        for index, picture in enumerate(self._free):
            if picture.size() == pixels and picture.devicePixelRatio() == ratio:
                return self._free.pop(index)
        self.made += 1
        picture = QPixmap(pixels)
        picture.setDevicePixelRatio(ratio)
        return picture

    def give(self, picture: QPixmap | None) -> None:
        """A picture no longer needed: kept for the next slide change (older ones and
        ones of another size, after the screen changed, are dropped)."""
        if picture is None or picture.isNull():
            return
        kept = [p for p in self._free if p.size() == picture.size() and p is not picture]
        self._free = [*kept, picture][-self.keep :] if self.keep > 0 else []

    def clear(self) -> None:
        self._free.clear()

    def __len__(self) -> int:
        return len(self._free)


#: the show's one pool (one window paints slides at a time; the GUI thread only)
POOL = PicturePool()
