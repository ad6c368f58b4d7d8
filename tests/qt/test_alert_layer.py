"""The alert layer's look (kiosk/alert_layer.py), offscreen: each priority's band, type
big enough to read across a hall, inside the screen, broken between phrases, in
landscape and portrait."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont

from kiosk.alert_layer import URGENT_RED, WARNING_AMBER, AlertLayer, fit_message
from kiosk.alerts import activate, parse_alert
from kiosk.app import ensure_application
from kiosk.slides.breaks import BREAK_AFTER, wrapped_lines
from kiosk.theme import load_theme

NOW = datetime(2024, 1, 10, 12)
EVACUATE = "因突发情况，请全体人员听从工作人员指挥，从最近的安全出口有序撤离"
SIZES = [(1920, 1080), (1080, 1920)]


@pytest.fixture
def layer(qtbot) -> AlertLayer:
    ensure_application()
    made = AlertLayer(load_theme("police-blue"))
    qtbot.addWidget(made)
    return made


def set_alert(layer: AlertLayer, **body: object) -> None:
    layer.set_alert(activate(parse_alert(body), "api", NOW))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("priority", ["info", "warning", "urgent"])
def test_the_text_stays_in_its_band_and_is_big(
    layer: AlertLayer, size: tuple[int, int], priority: str
) -> None:
    set_alert(layer, message=EVACUATE, title="紧急疏散", priority=priority)
    width, height = size
    layout = layer.layout_for(width, height)
    assert layout is not None
    band = layout.look.band
    assert QRectF(0, 0, width, height).contains(band)
    assert band.contains(layout.message_box) and band.contains(layout.title_box)
    assert layout.title_box.bottom() < layout.message_box.top()
    vmin = min(width, height) / 100
    smallest = {"info": 3.5, "warning": 5.0, "urgent": 6.5}[priority]
    assert layout.message_font.pixelSize() >= vmin * smallest  # readable from across a hall
    assert layout.message_font.weight() == QFont.Weight.Bold
    lines = wrapped_lines(layout.message, layout.message_font, layout.message_box.width())
    assert len(lines) <= 6


@pytest.mark.parametrize("size", SIZES)
def test_an_urgent_message_breaks_between_phrases(layer: AlertLayer, size: tuple[int, int]) -> None:
    set_alert(layer, message=EVACUATE, priority="urgent")
    layout = layer.layout_for(*size)
    assert layout is not None
    lines = wrapped_lines(layout.message, layout.message_font, layout.message_box.width())
    assert "".join(lines) == EVACUATE
    for line in lines:  # each phrase starts a line: no line holds the end of one and more
        assert not any(ch in BREAK_AFTER for ch in line[:-1]), f"two phrases on the line {line!r}"


def test_fit_message_keeps_a_headline_that_already_breaks_well(layer: AlertLayer) -> None:
    theme = load_theme("police-blue")
    box = QRectF(0, 0, 1600, 600)
    font, text = fit_message(
        lambda px: theme.font(px, QFont.Weight.Bold), "大厅东侧暂停开放", box, 120, 30, 4
    )
    assert text == "大厅东侧暂停开放"  # one line: nothing to break
    assert font.pixelSize() == 120


@pytest.mark.parametrize(("priority", "colour"), [("urgent", URGENT_RED), ("warning", WARNING_AMBER)])
def test_each_priority_has_its_colour(layer: AlertLayer, priority: str, colour) -> None:
    set_alert(layer, message="请注意", priority=priority)
    layer.resize(960, 540)
    image = layer.grab().toImage()
    assert image.pixelColor(480, 270 + 200 if priority == "urgent" else 270 - 120).name() == colour.name()


def test_info_leaves_the_upper_slide_alone(layer: AlertLayer) -> None:
    set_alert(layer, message="大厅东侧暂停开放", priority="info")
    layout = layer.layout_for(1920, 1080)
    assert layout is not None
    assert layout.look.dim == 0 and layout.look.band.top() >= 1080 * 0.6


def test_no_alert_hides_the_layer(layer: AlertLayer) -> None:
    set_alert(layer, message="a")
    assert not layer.isHidden()
    layer.set_alert(None)
    assert layer.isHidden() and layer.layout_for(1920, 1080) is None
