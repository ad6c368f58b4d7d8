"""Input as commands (issue 14): keys from the command layer's table, gestures timed on
the injected clock, the "go to" entry; each event handled once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app import ensure_application
from kiosk.commands import COMMANDS, Command
from kiosk.input import FORCED, LONG_PRESS_S, ShowInput


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup(qtbot):
    ensure_application()
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(640, 360)
    clock = Clock()
    shown = ShowInput(window, clock=clock)
    heard: list[tuple[Command, str]] = []
    shown.command.connect(lambda command, argument: heard.append((command, argument)))
    window.show()
    yield window, shown, clock, heard
    shown.close()


def key(
    window: QWidget, code: Qt.Key, text: str = "", modifiers=Qt.KeyboardModifier.NoModifier, repeat=False
) -> None:
    QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, code, modifiers, text, repeat))


def mouse(window: QWidget, kind: QEvent.Type, button: Qt.MouseButton) -> None:
    point = QPointF(QPoint(300, 200))
    event = QMouseEvent(
        kind, point, window.mapToGlobal(point), button, button, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, event)


def test_every_key_of_the_table_gives_its_command(setup) -> None:
    window, _, _, heard = setup
    for spec in COMMANDS:
        if spec.command is Command.GOTO:
            continue  # G opens the entry instead
        for name in spec.keys:
            heard.clear()
            key(window, getattr(Qt.Key, f"Key_{name}"))
            assert heard == [(spec.command, "")], name


def test_held_keys_repeat_navigation_only(setup) -> None:
    window, _, _, heard = setup
    key(window, Qt.Key.Key_PageDown, repeat=True)
    key(window, Qt.Key.Key_B, repeat=True)  # a held B must not flicker the screen
    assert heard == [(Command.NEXT, "")]


def test_ctrl_alt_q_is_the_forced_quit(setup) -> None:
    window, _, _, heard = setup
    control_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    key(window, Qt.Key.Key_Q, "q", control_alt)
    assert heard == [(Command.QUIT, FORCED)]


def test_digits_then_enter_go_to_a_slide(setup) -> None:
    window, shown, _, heard = setup
    texts: list[object] = []
    shown.goto_changed.connect(lambda text, error: texts.append(text))
    key(window, Qt.Key.Key_1, "1")
    key(window, Qt.Key.Key_2, "2")
    key(window, Qt.Key.Key_Return)
    assert heard == [(Command.GOTO, "12")]
    assert texts == ["1", "12"]
    shown.cancel_goto()
    assert shown.goto_text is None and texts[-1] is None


def test_a_click_is_next_and_one_right_click_is_one_previous(setup) -> None:
    window, _, _, heard = setup
    mouse(window, QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton)
    mouse(window, QEvent.Type.MouseButtonRelease, Qt.MouseButton.LeftButton)
    mouse(window, QEvent.Type.MouseButtonPress, Qt.MouseButton.RightButton)
    assert heard == [(Command.NEXT, ""), (Command.PREVIOUS, "")]


def test_a_long_press_is_timed_on_the_injected_clock(setup) -> None:
    """The event loop was too busy to fire the long-press timer: the clock still says how
    long the button was held, and a held button pauses rather than advances."""
    window, _, clock, heard = setup
    mouse(window, QEvent.Type.MouseButtonPress, Qt.MouseButton.LeftButton)
    clock.now += LONG_PRESS_S + 0.1
    mouse(window, QEvent.Type.MouseButtonRelease, Qt.MouseButton.LeftButton)
    assert heard == [(Command.PAUSE, "")]
