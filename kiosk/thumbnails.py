"""Slide thumbnails for the overview grid: made on demand, at the size they are shown,
kept in a cache bounded in bytes.

The overview used to render every slide of the rotation when it opened, at 384x216, and
keep them all: on 3,000 slides that froze the show for 18.5 s and held 1.2 GB. Now the
overview asks only for the cells it shows (one page), one thumbnail per turn of the
event loop, and the cache forgets the least recently used ones beyond its budget.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from kiosk.player import Snapshot
from kiosk.playlist.model import Playlist, SlideBase
from kiosk.slides.base import SlideContext, SlideView

log = logging.getLogger(__name__)

#: Thumbnails kept at most, in bytes of pixels. A 1080p overview page of 24 cells at about
#: 290x160 pixels is 4.5 MB; 32 MB keeps some seven pages, enough to page back and forth
#: without rendering again, and is a fifth of the show's whole memory (README).
CACHE_BYTES = 32 * 1024 * 1024

Build = Callable[[SlideBase, SlideContext, QWidget | None], SlideView]


class ThumbnailCache:
    """Least recently used pictures, at most `max_bytes` of them in all."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._images: OrderedDict[Hashable, QImage] = OrderedDict()

    def __len__(self) -> int:
        return len(self._images)

    def get(self, key: Hashable) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def put(self, key: Hashable, image: QImage) -> None:
        old = self._images.pop(key, None)
        if old is not None:
            self.bytes -= old.sizeInBytes()
        self._images[key] = image
        self.bytes += image.sizeInBytes()
        while self.bytes > self.max_bytes and len(self._images) > 1:
            _, dropped = self._images.popitem(last=False)
            self.bytes -= dropped.sizeInBytes()

    def clear(self) -> None:
        self._images.clear()
        self.bytes = 0


class SlideThumbnails:
    """What the overview shows of the slides in rotation: their labels, and thumbnails
    rendered when asked for. Follows the show's snapshots: a reloaded playlist gets new
    ones, drawn with its own theme."""

    def __init__(
        self,
        snapshot: Callable[[], Snapshot],
        context_for: Callable[[Playlist], SlideContext],
        build: Build,
        max_bytes: int = CACHE_BYTES,
    ) -> None:
        self._snapshot = snapshot
        self._context_for = context_for
        self._build = build
        self.cache = ThumbnailCache(max_bytes)
        self._playlist: object = None  # the playlist the cached thumbnails show
        self.rendered = 0  # thumbnails rendered so far (tests, bench)

    def _now(self) -> Snapshot:
        snapshot = self._snapshot()
        if self._playlist is not snapshot.playlist:
            self.cache.clear()
            self._playlist = snapshot.playlist
        return snapshot

    def count(self) -> int:
        return self._snapshot().count

    def label(self, position: int) -> str:
        return self._now().slide_at(position).label_for_humans()

    def cached(self, position: int, width: int, height: int) -> QImage | None:
        """The thumbnail if it was rendered already (painting never renders)."""
        snapshot = self._now()  # a new playlist empties the cache first
        return self.cache.get((snapshot.order[position], width, height))

    def render(self, position: int, width: int, height: int) -> QImage:
        """The thumbnail at this size, rendered now if it is not in the cache."""
        image = self.cached(position, width, height)
        if image is not None:
            return image
        snapshot = self._now()
        context = self._context_for(snapshot.playlist)
        image = render_thumbnail(self._build, snapshot.slide_at(position), context, width, height)
        self.rendered += 1
        self.cache.put((snapshot.order[position], width, height), image)
        return image


def render_thumbnail(
    build: Build, slide: SlideBase, context: SlideContext, width: int, height: int
) -> QImage:
    """The slide's final frame at thumbnail size (its layout is relative to the size), or
    a black picture if the slide cannot paint: the overview must open whatever a slide does."""
    width, height = max(1, width), max(1, height)
    try:
        view = build(slide, context, None)
        try:
            return view.render_image(width, height, 1.0)
        finally:
            # Parentless: dropping the view destroys it now, not at an event loop turn.
            view.dispose()
            view.setParent(None)
            del view
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    except Exception:
        log.exception("no thumbnail for slide %s", slide.id or slide.type)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("black"))
        return image


__all__ = ["CACHE_BYTES", "SlideThumbnails", "ThumbnailCache", "render_thumbnail"]
