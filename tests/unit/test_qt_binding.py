"""The Qt binding must not corrupt reference counts: a kiosk makes millions of calls.

PySide6 6.12.0 decrements None's reference count on each call of a method that returns
nothing; on Python 3.11 (None becomes immortal only in 3.12) the process then dies with
"Fatal Python error: none_dealloc" after a few minutes of animation. pyproject.toml
excludes that release; this test fails fast if a bad one is installed anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont


def test_void_methods_keep_none_alive() -> None:
    font, rect, color = QFont("Noto Sans CJK SC"), QRectF(0, 0, 1, 1), QColor("white")
    before = sys.getrefcount(None)
    for _ in range(200):
        font.setPixelSize(12)
        rect.setWidth(3.0)
        color.setAlphaF(0.5)
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 50, f"None's refcount drifted by {drift}: this PySide6 build will crash a long show"
