"""The slide contract: what the window, transitions and export know of any slide.

Every animation is "given progress t in 0..1, show that state" (manim's interpolate):
- `enter()`       start the entry animation (called when the slide is fully on screen);
- `set_progress(t)` show the frame at t; export and tests call it for exact frames;
- `finish()`      jump to the final frame (input during an animation, export);
- `stop()`        stop animating where it is (the slide is leaving).
A QVariantAnimation only drives t on the wall clock; the slide paints from t alone.

Subclasses paint in `paint_content(painter, layout, t)`, from a layout computed once per
size in `compute_layout(metrics)`: fitting text is costly, painting a frame must not be.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QEasingCurve, QRect, QRectF, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap, QRegion, QResizeEvent
from PySide6.QtWidgets import QWidget

from kiosk.pictures import POOL
from kiosk.playlist.model import DEFAULT_DURATION, SlideBase
from kiosk.playlist.paths import inside
from kiosk.slides import paint, sprites
from kiosk.theme import Metrics, Theme

log = logging.getLogger(__name__)


@dataclass
class SlideContext:
    """What a slide needs besides its model: the theme and where its files are."""

    theme: Theme
    folder: Path
    #: the playlist's `defaults.duration`: a slide without its own takes this long
    default_duration: float = DEFAULT_DURATION

    def resolve(self, relative: str) -> Path:
        # The folder rule at the moment of opening (SECURITY.md): links followed, then
        # confined to the playlist's real folder, as `kiosk check` decided.
        return inside(self.folder, relative)


class SlideView(QWidget):
    """Base class of every slide widget. Paints the background and the chrome (source,
    footer); subclasses paint their content."""

    #: seconds the entry animation takes; 0 means the slide is still from the start
    entry_seconds: ClassVar[float] = 1.2

    #: the least time between two frames of the entry animation; 0: every tick of Qt's
    #: animation timer (60 a second). A slide whose animation only changes numbers may
    #: ask for fewer: the eye reads no digit of a number changing 60 times a second
    frame_seconds: ClassVar[float] = 0.0

    #: emitted once when painting or animating raised: the window skips the slide
    failed = Signal()

    def __init__(self, model: SlideBase, context: SlideContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.context = context
        self.theme = context.theme
        self._progress = 0.0
        self._layout: Any = None
        self._background: QPixmap | None = None
        self._background_image: QImage | None = None
        #: this slide's first frame as a transition ended on it (start_from)
        self._first_frame: QPixmap | None = None
        #: layouts made so far, and which of them take_picture painted with: a push since
        #: then makes the picture stale (a number, not the layout: an image slide's
        #: layout holds a screen-sized picture, which must go when the layout goes)
        self._layouts_made = 0
        self._pictured_layout = -1
        self._laid_out_for = QSize()  # the size the layout was made for
        self._broken = False
        self._last_frame = 0.0  # when the last animation frame was shown (frame_seconds)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.Linear)  # easing is the slide's own
        self._animation.valueChanged.connect(self._on_animation_value)

    # ------------------------------------------------------------ the contract

    def entry_duration(self) -> float:
        """Seconds of the entry animation (a slide may compute it from its model)."""
        return self.entry_seconds

    def enter(self) -> None:
        """Start the entry animation from its first frame."""
        self._animation.stop()
        duration_ms = round(self.entry_duration() * 1000)
        if duration_ms <= 0:
            self.set_progress(1.0)
            return
        self.set_progress(0.0)
        self._animation.setDuration(duration_ms)
        self._animation.start()

    def set_progress(self, t: float) -> None:
        t = min(1.0, max(0.0, float(t)))
        since, self._progress = self._progress, t
        try:
            region = self.repaint_region(t, since)  # a slide's own code runs here: it may raise
        except Exception:
            self._fail("animating")
            return
        if region is None:
            self.update()
        elif not region.isEmpty():
            self.update(region)

    def animated_area(self, layout: Any) -> QRectF | None:
        """The part of the slide that the entry animation changes between its first and
        last frames, in slide pixels; None for all of it (the default).

        A slide whose animation moves a small part of the screen (a counting number) says
        so, and each frame between repaints only that: on a software-rendered display PC
        a full 1920x1080 frame is most of the cost of a count-up (bench/peers). The tests
        check that a frame painted this way equals a whole repaint, pixel for pixel."""
        return None

    def changed_areas(self, layout: Any, since: float, t: float) -> list[QRectF] | None:
        """The parts of animated_area that change from progress `since` to `t` (since < t):
        none when nothing does; None for all of animated_area (the default).

        A slide whose parts settle one by one says so: once a stats grid's cards have
        landed, only their counting numbers change, and repainting just those roughly
        halves a 4K frame (bench/frames)."""
        return None

    def repaint_region(self, t: float, since: float) -> QRegion | None:
        """What the show repaints for progress t when the last frame showed `since`: the
        slide's changed areas, or repaint_area(t); None for the whole slide."""
        whole = self.repaint_area(t)
        if whole is None or not 0.0 < since < t:
            return None if whole is None else QRegion(whole)
        try:
            areas = self.changed_areas(self.layout(), since, t)
        except Exception:
            return None  # painting will meet the same problem, and report it
        if areas is None:
            return QRegion(whole)
        region = QRegion()
        for area in areas:
            region = region.united(area.toAlignedRect().adjusted(-1, -1, 1, 1).intersected(whole))
        return region

    def repaint_area(self, t: float) -> QRect | None:
        """The rectangle to repaint for progress t; None for the whole slide. The first
        and the last frames are always whole."""
        if not 0.0 < t < 1.0 or self._broken or self.width() <= 0 or self.height() <= 0:
            return None
        try:
            area = self.animated_area(self.layout())
        except Exception:
            return None  # painting will meet the same problem, and report it
        if area is None:
            return None
        # A pixel more each side: antialiased edges reach into the neighbouring pixel.
        return area.toAlignedRect().adjusted(-1, -1, 1, 1).intersected(self.rect())

    def finish(self) -> None:
        self._animation.stop()
        self.set_progress(1.0)

    def stop(self) -> None:
        self._animation.stop()

    @property
    def progress(self) -> float:
        return self._progress

    def is_broken(self) -> bool:
        """Whether building, animating or painting this slide raised (it then shows only
        its background, and the window skips it)."""
        return self._broken

    def is_animating(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    # ------------------------------------------------------------ for subclasses

    def compute_layout(self, metrics: Metrics) -> Any:
        """Rects and fitted fonts for this size; called once per size."""
        return None

    def paint_content(self, painter: QPainter, layout: Any, t: float) -> None:
        """Paint the slide's content at progress t."""

    # ------------------------------------------------------------ internals

    def metrics(self) -> Metrics:
        return Metrics(self.width(), self.height(), self.theme.spec.overscan)

    def layout(self) -> Any:
        if self._layout is None:
            self._layout = self.compute_layout(self.metrics())
            self._laid_out_for = self.size()
            self._layouts_made += 1
        return self._layout

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Qt also sends one when a widget sized while hidden is first shown, with the size
        # it already had: the layout and pictures made for that size (at the start of the
        # transition in) still fit, and making them again cost every slide change a late
        # frame (bench/presented.py).
        if self._layout is None or event.size() != self._laid_out_for:
            self._layout = None
            self.release_pictures()
        super().resizeEvent(event)

    def _on_animation_value(self, value: object) -> None:
        t = float(value)  # type: ignore[arg-type]  # Qt's animation gives a float typed as object
        if self.frame_seconds > 0 and 0.0 < t < 1.0:
            now = time.monotonic()
            # Three quarters: a tick that comes a little early (timers jitter) still counts,
            # so 1/30 s takes every other tick of a 60 Hz timer, never every third.
            if now - self._last_frame < self.frame_seconds * 0.75:
                return  # this tick is skipped; the next one, or the last frame, shows
            self._last_frame = now
        self.set_progress(t)

    def start_from(self, picture: QPixmap | None) -> None:
        """The picture of this slide at progress 0 that a transition ended on: while the
        slide is at progress 0, a paint copies it instead of painting the background and
        the content again (the same pixels), and the background is painted just after
        the first such frame is out. Ignored (and given back) if it does not fit the
        slide as it is now."""
        POOL.give(self._first_frame)
        self._first_frame = self._still_first_frame(picture)

    def _still_first_frame(self, picture: QPixmap | None) -> QPixmap | None:
        """`picture` if the slide still shows the first frame it holds, as it is now;
        else None, and the picture back in the pool."""
        if picture is None:
            return None
        still = self._progress == 0.0 and not self._broken and self._layouts_made == self._pictured_layout
        ratio = self.devicePixelRatioF()
        if still and picture.size() == self.size() * ratio and picture.devicePixelRatio() == ratio:
            return picture
        POOL.give(picture)
        return None

    def _take_first_frame(self) -> QPixmap | None:
        """The first frame a transition left (start_from), taken from the slide, if it
        still shows it; else None."""
        picture, self._first_frame = self._first_frame, None
        return self._still_first_frame(picture)

    def _paint_first_frame(self, painter: QPainter, area: QRect) -> bool:
        """Copy the first frame a transition left (start_from); False if there is none.
        The slide keeps the picture until its background is made just after this frame
        (it is still its picture for a transition out that starts before that)."""
        self._first_frame = self._still_first_frame(self._first_frame)
        if self._first_frame is None:
            return False
        painter.drawPixmap(area, self._first_frame, area)
        # After this frame, not during it (self: not if the widget is gone by then).
        QTimer.singleShot(0, self, self._after_first_frame)
        return True

    def _after_first_frame(self) -> None:
        """The background, in the picture the transition used for the old slide (in the
        pool now), then the first frame's picture back to the pool."""
        if self._first_frame is None:
            return  # taken by a transition out, or let go
        if self._layout is not None and self.isVisible():  # still on the screen
            self._background_pixmap()
        POOL.give(self._first_frame)
        self._first_frame = None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            if self._first_frame is not None and self._paint_first_frame(painter, event.rect()):
                return
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            area = event.rect()  # a frame of a count-up repaints only the number
            if sprites.vectors():  # a PDF page: the background and chrome as drawing too
                self._paint_background(painter)
            else:
                painter.drawPixmap(area, self._background_pixmap(), area)
            if not self._broken:
                self.paint_content(painter, self.layout(), self._progress)
        except Exception:
            self._fail("painting")
        finally:
            painter.end()

    def _fail(self, doing: str) -> None:
        """Log the traceback once and tell the window; the slide paints only its background."""
        if self._broken:
            return
        self._broken = True
        self._animation.stop()
        log.exception("slide %s (%s) failed while %s", self.model.id or "", self.model.type, doing)
        self.failed.emit()

    def _background_pixmap(self) -> QPixmap:
        """Background and chrome are still: painted once per size, then blitted."""
        if self._background is None or self._background.size() != self.size():
            POOL.give(self._background)
            pixmap = POOL.take(self.size())  # a picture a slide change left, not a fresh one
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self._paint_background(painter)
            painter.end()
            self._background = pixmap
        return self._background

    def _paint_background(self, painter: QPainter) -> None:
        rect = QRectF(0, 0, self.width(), self.height())
        paint.slide_background(painter, rect, self.model, self.context)
        paint.slide_chrome(painter, self.metrics(), self.model, self.theme)

    def take_picture(self) -> QPixmap:
        """The slide as it shows now, painted into its own background picture, which it
        gives up (it paints a new one when it next paints): a transition needs pictures
        of both slides, and these are the two it gets, not new ones (kiosk/pictures.py)."""
        first = self._take_first_frame()
        if first is not None:
            return first  # still showing the first frame a transition left: that is the picture
        picture = self._background_pixmap()
        self._background = None
        if not self._broken:
            painter = QPainter(picture)
            try:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                self.paint_content(painter, self.layout(), self._progress)
                self._pictured_layout = self._layouts_made
            except Exception:
                self._fail("painting")
            finally:
                painter.end()
        return picture

    def release_pictures(self) -> None:
        """Leaving the screen without a transition: the background goes back to the pool."""
        POOL.give(self._background)
        POOL.give(self._first_frame)
        self._background = self._first_frame = None

    def dispose(self) -> None:
        """Off the screen for good: let go of its pictures and layout now. Its Python
        object can outlive the widget in a reference cycle (a slot's closure) until the
        garbage collector next runs, and an image slide's layout holds a screen-sized
        picture: a show of seventeen panoramas kept some 60 MB of them that way."""
        self.stop()
        self.release_pictures()
        self._layout = None

    def render_image(self, width: int, height: int, t: float = 1.0) -> QImage:
        """This slide at t as an image of the given size (export, tests, thumbnails)."""
        self.resize(width, height)
        self._animation.stop()
        self.set_progress(t)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        self.render(image)
        return image
