"""The suite fails a test on an exception nobody sees (tests/conftest.py): one raised in a
Qt slot or event handler (PySide6 prints it and carries on), an "unraisable" one, one
that ends a thread. The cases run in one pytest of their own with tests/conftest.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]

CASES = '''
import threading

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def spin(ms=100):
    app = QApplication.instance() or QApplication([])
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def raise_in_slot():
    raise ValueError("raised in a slot")


def test_slot():
    QApplication.instance() or QApplication([])
    QTimer.singleShot(0, raise_in_slot)
    spin()


class Window(QWidget):
    def changeEvent(self, event):
        raise ValueError("raised in an override")


def test_override():
    QApplication.instance() or QApplication([])
    window = Window()
    QTimer.singleShot(0, lambda: window.setWindowTitle("changed"))
    spin()


class Finalised:
    def __del__(self):
        raise ValueError("raised in __del__")


def test_unraisable():
    Finalised()


def test_thread():
    thread = threading.Thread(target=lambda: 1 / 0)
    thread.start()
    thread.join()


@pytest.mark.qt_no_exception_capture
def test_slot_without_pytest_qt_capture():
    QApplication.instance() or QApplication([])
    QTimer.singleShot(0, raise_in_slot)
    spin()


def test_clean():
    spin()
'''


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each case's outcome (PASSED, FAILED or ERROR) in a pytest run with our conftest."""
    folder = tmp_path_factory.mktemp("cases")
    (folder / "test_cases.py").write_text(CASES, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-rA", "-q",
         "test_cases.py"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    found: dict[str, str] = {}
    for line in result.stdout.splitlines():
        word, _, rest = line.partition(" test_cases.py::")
        if rest and word in ("PASSED", "FAILED", "ERROR"):
            name = rest.split()[0]
            found[name] = "FAILED" if "FAILED" in (found.get(name), word) or word == "ERROR" else word
    assert found, result.stdout[-3000:] + result.stderr[-2000:]
    return found


@pytest.mark.parametrize(
    "case", ["test_slot", "test_override", "test_unraisable", "test_thread", "test_slot_without_pytest_qt_capture"]
)
def test_an_unseen_exception_fails_the_test(outcomes: dict[str, str], case: str) -> None:
    assert outcomes[case] == "FAILED", outcomes


def test_a_clean_test_still_passes(outcomes: dict[str, str]) -> None:
    assert outcomes["test_clean"] == "PASSED", outcomes
