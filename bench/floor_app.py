"""The floor: a bare PySide6 program that shows one label full-screen and reports the
wall-clock time of its first painted frame, exactly as kiosk's probe does.

Run by bench/startup.py as: python -m bench.floor_app
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class Probe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        print(f"kiosk-first-frame {time.time():.6f}", file=sys.stderr, flush=True)
        QApplication.instance().exit(0)


def main() -> int:
    app = QApplication(sys.argv[:1])
    label = QLabel("向人民报告")
    probe = Probe()
    label.installEventFilter(probe)
    label.showFullScreen()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
