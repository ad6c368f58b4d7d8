"""Slide type -> its widget, as the registry (kiosk/playlist/model.py) names it.

Modules are imported on first use, so pyqtgraph (charts only) loads when the first chart
slide is built and a show that opens on a title slide is on screen before it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kiosk.playlist.model import SLIDE_TYPES, SlideBase

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.slides.base import SlideContext, SlideView


def view_class(slide_type: str | type[SlideBase]) -> type[SlideView]:
    """The widget class of a slide type (by name or model class), imported on first use."""
    model = SLIDE_TYPES[slide_type] if isinstance(slide_type, str) else slide_type
    module_name, class_name = model.view.split(":")
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
    return view_class(type(model))(model, context, parent)


def import_views(slide_types: Iterable[type[SlideBase]]) -> None:
    """Import the widget modules of these slide types ahead of their first use (already
    imported ones cost a dictionary lookup)."""
    for slide_type in slide_types:
        view_class(slide_type)
