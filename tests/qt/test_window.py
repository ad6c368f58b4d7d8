"""The window driven by every key and gesture of DESIGN.md's key map (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.window import ShowWindow
from tests.qt.shows import playing_window

SHOW = """
defaults: {duration: 10s, transition: none}
slides:
  - {type: title, title: 第一, id: one}
  - {type: title, title: 第二, id: two}
  - {type: title, title: 第三, id: three}
  - {type: title, title: 第四, id: four}
  - {type: title, title: 第五, id: five}
"""


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_window(qtbot, tmp_path, clock: FakeClock, text: str = SHOW, *, lock: bool = False) -> ShowWindow:
    return playing_window(
        qtbot, tmp_path, text, clock=lambda: clock.now, wall=lambda: datetime(2024, 1, 10, 12), lock=lock
    )


@pytest.fixture
def window(qtbot, tmp_path, clock) -> Iterator[ShowWindow]:
    shown = make_window(qtbot, tmp_path, clock)
    yield shown
    shown.quit()


def on_screen(window: ShowWindow) -> str:
    """The id of the slide whose view is on screen, checked against the player."""
    assert window.view is not None
    assert window.view.isVisible()
    assert window.view.model is window.player.current
    return window.view.model.id


def press(
    qtbot, window: ShowWindow, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier, text: str = ""
) -> None:
    QTest.keyClick(window, key, modifiers)


@pytest.mark.parametrize(
    "key",
    [
        Qt.Key.Key_Right,
        Qt.Key.Key_Down,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Space,
        Qt.Key.Key_Return,
        Qt.Key.Key_Enter,
        Qt.Key.Key_N,
    ],
)
def test_next_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    press(qtbot, window, key)
    assert on_screen(window) == "two"


@pytest.mark.parametrize(
    "key", [Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace, Qt.Key.Key_P]
)
def test_previous_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    window.player.go_to(3)
    press(qtbot, window, key)
    assert on_screen(window) == "two"


def test_home_and_end(qtbot, window: ShowWindow) -> None:
    press(qtbot, window, Qt.Key.Key_End)
    assert on_screen(window) == "five"
    press(qtbot, window, Qt.Key.Key_Home)
    assert on_screen(window) == "one"


def test_go_to_by_number_with_g_and_with_digits(qtbot, window: ShowWindow) -> None:
    QTest.keyClicks(window, "g4")
    assert window.overlay.state.goto_text == "4"
    press(qtbot, window, Qt.Key.Key_Return)
    assert on_screen(window) == "four"
    assert window.overlay.state.goto_text is None
    QTest.keyClicks(window, "2")
    press(qtbot, window, Qt.Key.Key_Enter)
    assert on_screen(window) == "two"


def test_go_to_by_id_and_unknown(qtbot, window: ShowWindow) -> None:
    QTest.keyClicks(window, "gfive")
    press(qtbot, window, Qt.Key.Key_Return)
    assert on_screen(window) == "five"
    QTest.keyClicks(window, "9")
    press(qtbot, window, Qt.Key.Key_Return)
    assert on_screen(window) == "five"
    assert "No slide '9'" in window.overlay.state.goto_error
    press(qtbot, window, Qt.Key.Key_Escape)  # Esc cancels go-to; it does not quit
    assert window.overlay.state.goto_text is None
    assert window.isVisible()


@pytest.mark.parametrize("key", [Qt.Key.Key_A, Qt.Key.Key_K, Qt.Key.Key_Pause])
def test_pause_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    press(qtbot, window, key)
    assert window.player.paused
    assert window.overlay.state.paused
    press(qtbot, window, key)
    assert not window.player.paused
    assert not window.overlay.state.paused


@pytest.mark.parametrize("key", [Qt.Key.Key_B, Qt.Key.Key_Period])
def test_black_screen_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    press(qtbot, window, key)
    assert window.player.blacked
    assert window.black.isVisible()
    picture = window.grab().toImage()
    assert picture.pixelColor(320, 180) == QColor("black")
    assert picture.pixelColor(5, 5) == QColor("black")
    press(qtbot, window, key)
    assert not window.black.isVisible()
    assert window.grab().toImage().pixelColor(320, 180) != QColor("black")


def test_any_key_brings_the_picture_back(qtbot, window: ShowWindow) -> None:
    press(qtbot, window, Qt.Key.Key_B)
    press(qtbot, window, Qt.Key.Key_Right)
    assert not window.player.blacked
    assert on_screen(window) == "two"


@pytest.mark.parametrize("key", [Qt.Key.Key_O, Qt.Key.Key_Tab])
def test_overview_pick_with_arrows_and_enter(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    press(qtbot, window, key)
    assert window.overview.isVisible()
    assert window.overview.count() == 5
    assert window.overview.selected == 0
    press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.overview.selected == 2
    assert on_screen(window) == "one"  # arrows move the selection, not the show
    press(qtbot, window, Qt.Key.Key_Return)
    assert not window.overview.isVisible()
    assert on_screen(window) == "three"


def test_overview_closes_with_escape_without_quitting(qtbot, window: ShowWindow) -> None:
    press(qtbot, window, Qt.Key.Key_O)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.overview.isVisible()
    assert window.isVisible()
    assert on_screen(window) == "one"


@pytest.mark.parametrize("key", [Qt.Key.Key_Question, Qt.Key.Key_H, Qt.Key.Key_F1])
def test_help_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    press(qtbot, window, key)
    assert window.overlay.state.help
    press(qtbot, window, key)
    assert not window.overlay.state.help
    press(qtbot, window, key)
    press(qtbot, window, Qt.Key.Key_Escape)  # Esc closes the help first
    assert not window.overlay.state.help
    assert window.isVisible()


@pytest.mark.parametrize("key", [Qt.Key.Key_R, Qt.Key.Key_F5])
def test_reload_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    with qtbot.waitSignal(window.reload_requested, timeout=1000):
        press(qtbot, window, key)


@pytest.mark.parametrize("key", [Qt.Key.Key_F, Qt.Key.Key_F11])
def test_fullscreen_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    assert not window.isFullScreen()
    press(qtbot, window, key)
    assert window.isFullScreen()
    assert window.geometry() == window.screen().geometry()
    press(qtbot, window, key)
    assert not window.isFullScreen()


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_Q])
def test_quit_keys(qtbot, window: ShowWindow, key: Qt.Key) -> None:
    with qtbot.waitSignal(window.quit_requested, timeout=1000):
        press(qtbot, window, key)
    assert not window.isVisible()


def test_lock_ignores_quit_keys_but_not_ctrl_alt_q(qtbot, tmp_path, clock) -> None:
    window = make_window(qtbot, tmp_path, clock, lock=True)
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Q):
        press(qtbot, window, key)
        assert window.isVisible()
    window.close()  # a window manager's close is refused too
    assert window.isVisible()
    press(qtbot, window, Qt.Key.Key_F5)  # a clicker's start button: F5 only reloads
    assert window.isVisible()
    with qtbot.waitSignal(window.quit_requested, timeout=1000):
        press(
            qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
    assert not window.isVisible()


def test_mouse_clicks(qtbot, window: ShowWindow) -> None:
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
    assert on_screen(window) == "two"
    QTest.mouseClick(window, Qt.MouseButton.RightButton, pos=QPoint(300, 200))
    assert on_screen(window) == "one"


def test_long_press_pauses_and_does_not_advance(qtbot, window: ShowWindow) -> None:
    QTest.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
    qtbot.wait(750)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
    assert window.player.paused
    assert on_screen(window) == "one"


def wheel(window: ShowWindow, delta: int) -> None:
    point = QPointF(300, 200)
    event = QWheelEvent(
        point,
        window.mapToGlobal(point),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(window, event)


def test_wheel(qtbot, window: ShowWindow) -> None:
    wheel(window, -120)
    assert on_screen(window) == "two"
    wheel(window, 120)
    assert on_screen(window) == "one"
    for _ in range(3):  # a trackpad's small deltas add up to one step
        wheel(window, -40)
    assert on_screen(window) == "two"


def swipe(window: ShowWindow, start: QPoint, end: QPoint, hold_ms: int = 0, qtbot=None) -> None:
    device = QTest.createTouchDevice()
    QTest.touchEvent(window, device).press(0, start, window).commit()
    if hold_ms and qtbot is not None:
        qtbot.wait(hold_ms)
    QTest.touchEvent(window, device).move(0, end, window).commit()
    QTest.touchEvent(window, device).release(0, end, window).commit()


def test_touch_swipes(qtbot, window: ShowWindow) -> None:
    swipe(window, QPoint(500, 200), QPoint(150, 210))
    assert on_screen(window) == "two"
    swipe(window, QPoint(150, 200), QPoint(500, 190))
    assert on_screen(window) == "one"
    swipe(window, QPoint(300, 200), QPoint(305, 200))  # a tap is not a swipe
    assert on_screen(window) == "one"


def test_touch_long_press_pauses(qtbot, window: ShowWindow) -> None:
    swipe(window, QPoint(300, 200), QPoint(302, 201), hold_ms=750, qtbot=qtbot)
    assert window.player.paused


def test_cursor_hides_after_stillness_and_returns_on_move(qtbot, tmp_path, clock) -> None:
    window = make_window(qtbot, tmp_path, clock)
    window.input.cursor_hide_ms = 100
    QTest.mouseMove(window, QPoint(100, 100))
    assert not window.cursor_hidden
    qtbot.waitUntil(lambda: window.cursor_hidden, timeout=2000)
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    QTest.mouseMove(window, QPoint(120, 110))
    assert not window.cursor_hidden
    window.quit()


def test_slides_advance_on_the_timer(qtbot, tmp_path, clock) -> None:
    text = "defaults: {duration: 600ms, transition: none}\nslides:\n  - {type: title, title: a, id: a}\n  - {type: title, title: b, id: b}\n"
    window = make_window(qtbot, tmp_path, clock, text)
    clock.now += 0.6  # the slide's time is up on the player's clock...
    qtbot.waitUntil(lambda: window.view.model.id == "b", timeout=3000)  # ...and the window's timer acts
    window.quit()


def test_counter_and_progress_bar(qtbot, window: ShowWindow, clock) -> None:
    assert window.overlay.state.counter == "1 / 5"
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.overlay.state.counter == "2 / 5"
    assert window.progress.isVisible()
    bar = window.progress.geometry()
    assert bar.bottom() == window.height() - 1
    assert bar.width() == window.width()


def test_input_during_a_transition_finishes_it_and_moves_on(qtbot, tmp_path, clock) -> None:
    window = make_window(
        qtbot, tmp_path, clock, SHOW.replace("transition: none", "transition: {type: slide, duration: 2s}")
    )
    press(qtbot, window, Qt.Key.Key_Right)
    assert window.transition.isVisible()
    assert window.player.current.id == "two"
    press(qtbot, window, Qt.Key.Key_Right)  # no queue: the first transition ends at once
    assert window.player.current.id == "three"
    assert window.transition.isVisible()
    assert window.view.model.id == "three"
    window.transition.finish()
    assert not window.transition.isVisible()
    assert on_screen(window) == "three"
    window.quit()


def test_transition_frames_never_go_black(qtbot, tmp_path, clock) -> None:
    window = make_window(
        qtbot, tmp_path, clock, SHOW.replace("transition: none", "transition: {type: fade, duration: 2s}")
    )
    press(qtbot, window, Qt.Key.Key_Right)
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        window.transition.set_progress(t)
        color = window.grab().toImage().pixelColor(320, 30)
        assert color.blue() > 40, f"dark frame at t={t}: {color.name()}"
    window.quit()


# ---------------------------------------------------------------- placement and --lock (kiosk/placement.py)


def make_full_screen(qtbot, tmp_path, clock, *, lock: bool) -> ShowWindow:
    """A window placed full-screen as `kiosk` (and `kiosk --lock`) places it at start."""
    window = make_window(qtbot, tmp_path, clock, lock=lock)
    window.show_on(window.screen(), fullscreen=True)
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    return window


def covers_its_screen(window: ShowWindow) -> bool:
    return (
        window.isVisible()
        and window.isFullScreen()
        and not window.isMinimized()
        and window.geometry() == window.screen().geometry()
    )


def test_lock_starts_full_screen(qtbot, tmp_path, clock) -> None:
    # Finding 1: `kiosk --lock` exited 1 at start: the lock's changeEvent read an attribute
    # that nothing assigned (raised out of showFullScreen, or printed by PySide6 later).
    window = make_full_screen(qtbot, tmp_path, clock, lock=True)
    assert covers_its_screen(window)
    assert window.placement.placed_fullscreen


@pytest.mark.parametrize(
    "state",
    [Qt.WindowState.WindowMinimized | Qt.WindowState.WindowFullScreen, Qt.WindowState.WindowNoState],
    ids=["minimised", "un-fullscreened"],
)
def test_lock_undoes_a_window_managers_minimise_and_unfullscreen(qtbot, tmp_path, clock, state) -> None:
    # Finding 2: under openbox a minimised --lock show stayed minimised (a black screen).
    window = make_full_screen(qtbot, tmp_path, clock, lock=True)
    window.setWindowState(state)  # what a window manager's request turns into
    assert not covers_its_screen(window)
    qtbot.waitUntil(lambda: covers_its_screen(window), timeout=2000)
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Q, Qt.Key.Key_F, Qt.Key.Key_F11):
        press(qtbot, window, key)
    window.close()  # Alt+F4
    qtbot.wait(200)
    assert covers_its_screen(window)
    with qtbot.waitSignal(window.quit_requested, timeout=1000):
        press(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert not window.isVisible()


def test_without_lock_the_window_manager_has_its_way(qtbot, tmp_path, clock) -> None:
    window = make_full_screen(qtbot, tmp_path, clock, lock=False)
    window.setWindowState(Qt.WindowState.WindowNoState)
    qtbot.wait(300)
    assert not window.isFullScreen()
    window.quit()


def test_quitting_under_lock_is_not_undone(qtbot, tmp_path, clock) -> None:
    window = make_full_screen(qtbot, tmp_path, clock, lock=True)
    window.quit()  # Ctrl+Alt+Q or --quit-after: the hide that follows must not bring it back
    qtbot.wait(300)
    assert not window.isVisible()


def test_full_screen_key_toggles_what_was_placed(qtbot, tmp_path, clock) -> None:
    window = make_full_screen(qtbot, tmp_path, clock, lock=False)
    press(qtbot, window, Qt.Key.Key_F)
    assert not window.isFullScreen()
    assert not window.placement.placed_fullscreen
    press(qtbot, window, Qt.Key.Key_F)
    assert covers_its_screen(window)
    window.quit()


def test_help_under_lock_names_only_ctrl_alt_q_to_quit(qtbot, tmp_path, clock) -> None:
    plain = make_window(qtbot, tmp_path, clock)
    locked = make_window(qtbot, tmp_path, clock, lock=True)
    assert ("Esc  Q", "退出 Quit") in plain.overlay.key_help
    keys = " ".join(k for k, _ in locked.overlay.key_help)
    quit_rows = [k for k, action in locked.overlay.key_help if "Quit" in action]
    assert len(quit_rows) == 1 and "Ctrl+Alt+Q" in quit_rows[0]
    assert "Esc" not in keys and "F11" not in keys  # neither quits nor leaves full screen under --lock
    for window in (plain, locked):
        window.overlay.set_state(help=True)
        window.repaint()  # the help panel paints with the rows it has
        window.quit()


def test_lock_does_not_fight_a_stubborn_window_manager_in_a_tight_loop(qtbot, tmp_path, clock, caplog) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    from kiosk.placement import RESTORE_BACKOFF_MS, RESTORE_BURST

    window = make_full_screen(qtbot, tmp_path, clock, lock=True)

    class Stubborn(QObject):
        """A window manager that takes full screen away each time it is given back."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.WindowStateChange and window.isFullScreen():
                QTimer.singleShot(0, lambda: window.setWindowState(Qt.WindowState.WindowNoState))
            return False

    stubborn = Stubborn()
    caplog.set_level("INFO", logger="kiosk.placement")
    window.installEventFilter(stubborn)
    window.setWindowState(Qt.WindowState.WindowNoState)
    qtbot.wait(RESTORE_BACKOFF_MS + 500)  # unchecked, 50 ms a round: about 50 restores
    window.removeEventFilter(stubborn)
    restores = sum("putting the show back" in record.getMessage() for record in caplog.records)
    assert RESTORE_BURST <= restores <= RESTORE_BURST + 3, restores
    assert any("keeps moving the show" in record.getMessage() for record in caplog.records)
    qtbot.waitUntil(lambda: covers_its_screen(window), timeout=RESTORE_BACKOFF_MS + 2000)  # and it wins in the end
    window.quit()
