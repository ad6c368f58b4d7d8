"""Full-screen pictures, reused instead of made anew at every slide change.

A slide change needs screen-sized pictures: the two ends of the transition, and the new
slide's background once it is on. Made fresh, each one costs its whole size in page
faults the first time it is drawn into (kiosk/memory.py keeps big blocks on mmap, so
freed ones go back to the system): at 3840x2160 about 20 ms a picture, three of them on
the frame a transition started, which the audience saw as a stall.

Now each slide paints itself into its own background picture and hands that to the
transition (SlideView.take_picture), and the transition gives both back here when it
ends: the slide that came on takes one for its background, the other waits for the next
change. A slide change at full speed allocates nothing, and at any moment the show holds
three screen-sized pictures (the window's own, and two), where a transition used to hold
five.
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
