"""The presenter view compared with committed pictures at 1920x1080 and 1280x720 (issue
15): the slide on air at its final frame, the next slide, notes, timers on a fixed clock,
the strip. Compared and regenerated as the slide goldens are (tests/visual/test_goldens.py:
half size, small tolerance, failures written beside; `make goldens`)."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from kiosk.app import ensure_application, slide_context
from kiosk.player import Player
from kiosk.playlist import load_playlist
from kiosk.presenter import PresenterWindow
from kiosk.window import ShowWindow

from .test_goldens import FAILURES, MAX_DIFFERING_SHARE, compare, side_by_side, stored

pytestmark = pytest.mark.visual

#: apart from the slides' goldens, which must all belong to a slide of the example
GOLDENS = Path(__file__).parent / "goldens-presenter"

SHOW = """
title: 演讲者视图
defaults: {duration: 40s}
slides:
  - type: stats
    id: fraud-results
    title: 反诈成效
    notes: 日均损失比年初下降64.5%，预后被骗率降至0.04%、全国最低，避免全省61.7万群众遭受损失。
    items:
      - {label: 日均损失比年初, value: 64.5, unit: "%", trend: down, good: down}
      - {label: 群众避免遭受损失, value: 61.7, unit: 万}
  - {type: stat, id: fraud-rate, label: 预后被骗率, value: 0.04, unit: "%", note: 全国最低}
  - {type: title, id: closing, title: 平安江苏, subtitle: 向人民报告}
"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
def test_presenter_view_golden(size: tuple[int, int], tmp_path: Path, qtbot, update_goldens: bool) -> None:
    ensure_application()
    path = tmp_path / "show.yaml"
    path.write_text(textwrap.dedent(SHOW), encoding="utf-8")
    playlist = load_playlist(path)
    seconds = [1000.0]
    player = Player(playlist, clock=lambda: seconds[0], wall=lambda: datetime(2027, 1, 10, 9, 30))
    show = ShowWindow(player, slide_context(playlist))
    qtbot.addWidget(show)
    show.show_on(None, fullscreen=False, size=(1920, 1080))
    player.start()
    presenter = PresenterWindow(show, now=lambda: datetime(2027, 1, 10, 9, 41, 27))
    qtbot.addWidget(presenter)
    presenter.resize(*size)
    presenter.show()
    qtbot.waitExposed(presenter)
    show.stage.finish(view_too=True)
    qtbot.waitUntil(lambda: not presenter._pump.isActive(), timeout=20000)
    seconds[0] += 12.0  # 12 s into the show: 0:28 left on this slide
    QCoreApplication.processEvents()
    result = stored(presenter.grab().toImage())
    name = f"presenter-{size[0]}x{size[1]}.png"
    golden = GOLDENS / name
    if update_goldens:
        GOLDENS.mkdir(exist_ok=True)
        assert result.save(str(golden), "PNG", 0)
        return
    assert golden.exists(), f"no golden {golden}; run: make goldens"
    expected = QImage(str(golden))
    share, diff = compare(result, expected)
    if share > MAX_DIFFERING_SHARE:
        FAILURES.mkdir(exist_ok=True)
        side_by_side(result, expected, diff).save(str(FAILURES / name))
    assert share <= MAX_DIFFERING_SHARE, f"{share:.2%} of pixels differ; see {FAILURES / name}"
