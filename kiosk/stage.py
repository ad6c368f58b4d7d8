"""The stage: the slide on screen. Builds each slide's view, brings it on with its
transition, starts its entry animation, and reports a slide that fails (to build, to
paint or to animate) so the show skips it until the next loop.

It knows slides only through the contract in slides/base.py and the show only through
snapshots (kiosk/player.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.player import Move, Snapshot
from kiosk.playlist.model import Playlist, SlideBase
from kiosk.slides.base import SlideContext, SlideView
from kiosk.transitions import TransitionWidget

log = logging.getLogger(__name__)

Build = Callable[[SlideBase, SlideContext, QWidget | None], SlideView]
Contexts = Callable[[Playlist], SlideContext]
#: the moves a transition plays for; a start, a reload or a schedule change just cuts
ANIMATED_MOVES = (Move.NEXT, Move.PREVIOUS, Move.JUMP)


class Stage(QObject):
    """The slide views of one window, one on screen at a time."""

    #: the playlist index of a slide that failed (the window tells the player to skip it)
    failed = Signal(int)
    #: a new slide view is on screen (its transition over); the window raises its layers
    entered = Signal()

    def __init__(self, window: QWidget, context: SlideContext, build: Build, contexts: Contexts) -> None:
        super().__init__(window)
        self.window = window
        self.context = context
        self._build = build
        self._contexts = contexts
        self._context_of: tuple[object, ...] = ()  # what the context was made from
        self.view: SlideView | None = None
        self.transition = TransitionWidget(window)
        self.transition.finished.connect(self._transition_done)

    # ------------------------------------------------------------ slides

    def context_for(self, playlist: Playlist) -> SlideContext:
        """The context for `playlist`: made again when a reload changed its theme, footer
        or folder, so an edited theme shows at the next slide without a restart."""
        key = (playlist.theme, playlist.footer, playlist.folder)
        if self._context_of and key != self._context_of:
            try:
                self.context = self._contexts(playlist)
            except Exception:
                log.exception("the new theme cannot be used; the slides keep the old one")
        self._context_of = key
        return self.context

    def show(self, snapshot: Snapshot, *, animate: bool) -> None:
        """Build the snapshot's slide and bring it on (with its transition if `animate`)."""
        self.transition.finish()
        context = self.context_for(snapshot.playlist)
        new_view = self._make_view(snapshot, context)
        if new_view is None:
            return  # the slide failed: the player moves on and a new snapshot comes
        old_view, self.view = self.view, new_view
        new_view.setGeometry(self.window.rect())
        new_view.set_progress(0.0)
        slide = snapshot.slide
        spec = snapshot.playlist.transition_of(slide) if slide is not None else None
        if (
            animate
            and old_view is not None
            and spec is not None
            and spec.type != "none"
            and spec.duration > 0
            and snapshot.move in ANIMATED_MOVES
        ):
            # Each slide paints itself into its own background picture and gives it to the
            # transition: no screen-sized picture is made, and a transition holds three
            # (the window's, and these two), not five (kiosk/pictures.py).
            old_picture, new_picture = old_view.take_picture(), new_view.take_picture()
            direction = -1 if snapshot.move is Move.PREVIOUS else 1
            self.transition.setGeometry(self.window.rect())
            self.transition.run(old_picture, new_picture, spec.type, spec.duration, direction)
            self.entered.emit()
        else:
            self._enter(new_view)
        if old_view is not None:
            old_view.hide()
            old_view.dispose()
            old_view.deleteLater()

    def finish(self, *, view_too: bool = False) -> None:
        """Input during a transition finishes it first (and, when moving on, the slide's
        own entry animation too)."""
        self.transition.finish()
        if view_too and self.view is not None:
            self.view.finish()

    def resize(self, rect: QRect) -> None:
        for widget in (self.view, self.transition):
            if widget is not None:
                widget.setGeometry(rect)

    # ------------------------------------------------------------ internals

    def _make_view(self, snapshot: Snapshot, context: SlideContext) -> SlideView | None:
        from kiosk.slides.idle import IdleView  # the calm slide when nothing is on air

        slide = snapshot.slide
        view: SlideView
        try:
            if slide is None:
                view = IdleView(snapshot.playlist, context, self.window)
            else:
                view = self._build(slide, context, self.window)
            view.hide()
            view.setGeometry(self.window.rect())
            index = snapshot.index
            view.failed.connect(lambda: self._view_failed(view, index))
            return view
        except Exception:
            log.exception("slide %s could not be built; skipping it", _name(snapshot))
            if slide is not None and snapshot.index is not None:
                self.failed.emit(snapshot.index)
            return None

    def _view_failed(self, view: SlideView, index: int | None) -> None:
        """A slide raised while painting or animating: skip it until the next loop (after
        this paint: the player's next snapshot replaces the view that is painting now)."""
        if view is self.view and index is not None:
            QTimer.singleShot(0, lambda: self.failed.emit(index))

    def _transition_done(self) -> None:
        if self.view is not None:
            # The transition's last frame is the slide's first: shown from that picture,
            # the hand-over costs a copy instead of a whole repaint (a late frame, every
            # slide change, under Xvfb: bench/presented.py).
            self.view.start_from(self.transition.take_last_frame())
            self._enter(self.view)

    def _enter(self, view: SlideView) -> None:
        view.show()
        self.entered.emit()
        try:
            view.enter()
        except Exception:
            log.exception("slide %s failed to start its animation", view.model.id or view.model.type)
            view.finish()


def _name(snapshot: Snapshot) -> str:
    slide = snapshot.slide
    if slide is None:
        return "idle"
    return f"{(snapshot.index or 0) + 1} ({slide.id or slide.type})"
