"""Input: keys, a presenter's clicker, the mouse, the wheel and touch, turned into the
command layer's commands (kiosk/commands.py); the "go to" entry; the resting cursor.

`ShowInput` watches the window's events and never acts on the show: it emits
`command(Command, argument)` and the window carries the command out. Gestures are timed
on the clock it is given (the player's), so tests need not wait in real time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent, QMouseEvent, QTouchEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.commands import COMMANDS, DIGIT_KEYS, Command

LONG_PRESS_S = 0.6
GOTO_TIMEOUT_MS = 5000
CURSOR_HIDE_MS = 3000
WHEEL_NOTCH = 120  # one mouse-wheel step; trackpads send many small deltas
#: the argument of the QUIT that Ctrl+Alt+Q gives: it quits even under --lock
FORCED = "forced"


def _qt_key(name: str) -> int:
    return int(getattr(Qt.Key, f"Key_{name}").value)


#: Qt key code -> command, from the command layer's table
KEYS: dict[int, Command] = {_qt_key(key): spec.command for spec in COMMANDS for key in spec.keys}
REPEATING = frozenset(spec.command for spec in COMMANDS if spec.repeats)
DIGITS = frozenset(_qt_key(d) for d in DIGIT_KEYS)


class ShowInput(QObject):
    """The window's keys and gestures, as commands."""

    #: a command and its argument ("" or, for GOTO, the slide number or id typed)
    command = Signal(object, str)
    #: the "go to" entry: the text typed so far (None when it closes) and an error ("" if none)
    goto_changed = Signal(object, str)

    def __init__(
        self,
        window: QWidget,
        *,
        clock: Callable[[], float] = time.monotonic,
        intercept: Callable[[QKeyEvent], bool] = lambda event: False,
        hide_cursor: bool = True,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        self._intercept = intercept  # the window's modal keys (overview, help) come first
        self.goto_text: str | None = None
        self._wheel = 0
        self._pressed_at: float | None = None
        self._touch_start: QPointF | None = None
        self._cursor_hidden = False
        self.cursor_hide_ms = CURSOR_HIDE_MS
        # The wall hides a resting pointer; the presenter view (whose user points) does not.
        self._hides_cursor = hide_cursor
        self._long_press = self._timer(self._long_press_due)
        self._goto_timer = self._timer(self.cancel_goto)
        self._cursor_timer = self._timer(self._hide_cursor)
        window.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        window.setMouseTracking(True)
        # One filter on the application sees the window's events and the pointer moving
        # over any widget (a filter on the window as well would see its events twice).
        self._application().installEventFilter(self)
        if hide_cursor:
            self._cursor_timer.start(self.cursor_hide_ms)

    @staticmethod
    def _application() -> QCoreApplication:
        app = QApplication.instance()
        assert app is not None, "a window needs its QApplication"
        return app

    def _timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    def close(self) -> None:
        """Stop watching (the window closes)."""
        self._application().removeEventFilter(self)
        self._show_cursor(restart=False)

    # ------------------------------------------------------------ events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            self._show_cursor()
        if watched is not self.window:
            return False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self.key(event)
            return True  # Tab too: here it opens the overview instead of moving the focus
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._press(event)
        elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            self._release(event)
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            self._wheel_turned(event)
        elif kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            self._touch(event)
            return True
        return False

    def key(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        control_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_Q and modifiers & control_alt == control_alt:
            self.command.emit(Command.QUIT, FORCED)  # the way out of a locked show
            return
        if self._intercept(event):
            return
        if self.goto_text is not None and self._goto_key(event):
            return
        if key in DIGITS:
            self.start_goto(event.text())
            return
        command = KEYS.get(key)
        if command is None and event.text() == "?":
            command = Command.HELP
        if command is None:
            return
        # Holding a key repeats only navigation; a held B must not flicker the screen.
        if not event.isAutoRepeat() or command in REPEATING:
            if command is Command.GOTO:
                self.start_goto("")
            else:
                self.command.emit(command, "")

    # ------------------------------------------------------------ go to

    def start_goto(self, first: str) -> None:
        self.goto_text = first
        self.goto_changed.emit(first, "")
        self._goto_timer.start(GOTO_TIMEOUT_MS)

    def goto_failed(self, target: str) -> None:
        """The window found no slide `target`: say so, keep the entry open a while."""
        self.goto_changed.emit(self.goto_text, f"没有这张幻灯片 No slide '{target}'")
        self._goto_timer.start(GOTO_TIMEOUT_MS)

    def cancel_goto(self) -> None:
        self.goto_text = None
        self._goto_timer.stop()
        self.goto_changed.emit(None, "")

    def _goto_key(self, event: QKeyEvent) -> bool:
        key, text = event.key(), event.text()
        typed = self.goto_text or ""
        if key == Qt.Key.Key_Escape:
            self.cancel_goto()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if typed:
                self.command.emit(Command.GOTO, typed)  # the window closes or fails the entry
            else:
                self.goto_failed(typed)
            return True
        if key == Qt.Key.Key_Backspace:
            self.goto_text = typed[:-1]
        elif text and text.isprintable() and not text.isspace():
            self.goto_text = typed + text
        else:
            return False
        self.goto_changed.emit(self.goto_text[-24:], "")
        self._goto_timer.start(GOTO_TIMEOUT_MS)
        return True

    # ------------------------------------------------------------ mouse, wheel, touch

    def _press(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed_at = self.clock()
            self._long_press.start(round(LONG_PRESS_S * 1000))
        elif event.button() == Qt.MouseButton.RightButton:
            self.command.emit(Command.PREVIOUS, "")

    def _release(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._pressed_at is None:
            return
        held = self.clock() - self._pressed_at
        self._pressed_at = None
        if not self._long_press.isActive():
            return  # the long press happened already
        self._long_press.stop()
        # A timer the event loop was too busy to fire still counts as a long press.
        self.command.emit(Command.PAUSE if held >= LONG_PRESS_S else Command.NEXT, "")

    def _long_press_due(self) -> None:
        self._pressed_at = None
        self._touch_start = None
        self.command.emit(Command.PAUSE, "")

    def _wheel_turned(self, event: QWheelEvent) -> None:
        self._wheel += event.angleDelta().y()
        while abs(self._wheel) >= WHEEL_NOTCH:
            step = WHEEL_NOTCH if self._wheel > 0 else -WHEEL_NOTCH
            self._wheel -= step
            self.command.emit(Command.PREVIOUS if step > 0 else Command.NEXT, "")

    def _touch(self, event: QTouchEvent) -> None:
        points = event.points()
        if not points:
            return
        position = points[0].position()
        if event.type() == QEvent.Type.TouchBegin:
            self._touch_start = position
            self._long_press.start(round(LONG_PRESS_S * 1000))
            return
        if self._touch_start is None:
            return
        dx, dy = position.x() - self._touch_start.x(), position.y() - self._touch_start.y()
        if abs(dx) > 20 or abs(dy) > 20:
            self._long_press.stop()  # a finger that moves is not a long press
        if event.type() != QEvent.Type.TouchEnd:
            return
        self._touch_start = None
        self._long_press.stop()
        if abs(dx) > max(60, self.window.width() * 0.06) and abs(dx) > abs(dy):
            self.command.emit(Command.NEXT if dx < 0 else Command.PREVIOUS, "")

    # ------------------------------------------------------------ the cursor

    def _show_cursor(self, restart: bool = True) -> None:
        if self._cursor_hidden:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_hidden = False
        if restart and self._hides_cursor:
            self._cursor_timer.start(self.cursor_hide_ms)

    def _hide_cursor(self) -> None:
        if not self._cursor_hidden:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._cursor_hidden = True

    @property
    def cursor_hidden(self) -> bool:
        return self._cursor_hidden
