"""The registry: slide type -> the module and class of its widget.

Modules are imported on first use, so pyqtgraph (charts only) loads when the first chart
slide is built and a show that opens on a title slide is on screen before it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.playlist.model import SlideBase
    from kiosk.slides.base import SlideContext, SlideView

VIEWS: dict[str, str] = {
    "title": "kiosk.slides.title:TitleView",
    "stat": "kiosk.slides.stat:StatView",
    "stats": "kiosk.slides.stats:StatsView",
    "bar": "kiosk.slides.bar:BarView",
    "line": "kiosk.slides.line:LineView",
    "pie": "kiosk.slides.pie:PieView",
    "gauge": "kiosk.slides.gauge:GaugeView",
    "text": "kiosk.slides.text:TextView",
    "timeline": "kiosk.slides.timeline:TimelineView",
    "image": "kiosk.slides.image:ImageView",
    "tribute": "kiosk.slides.tribute:TributeView",
}


def view_class(slide_type: str) -> type[SlideView]:
    module_name, class_name = VIEWS[slide_type].split(":")
    try:
        view: type[SlideView] = getattr(importlib.import_module(module_name), class_name)
        return view
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        from kiosk.slides.placeholder import PlaceholderView  # type not drawn yet

        return PlaceholderView


def build_view(model: SlideBase, context: SlideContext, parent: QWidget | None = None) -> SlideView:
    """The widget that shows `model`."""
    return view_class(model.type)(model, context, parent)
